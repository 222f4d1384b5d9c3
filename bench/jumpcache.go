package bench

// QEMU's jump cache, seen from a profile. TCG chains a translated block to
// the next when it ends in a direct jump or call to the same guest page:
// the next run jumps straight there. Every other way into a block is a
// lookup: a RET, an indirect call or jump, a direct one to another page,
// and every return from QEMU's main loop (SYSCALL, SYSRET, IRETQ, INT,
// STI). A lookup first tries the CPU's jump cache, 4,096 entries indexed
// by a hash of the guest address (QEMU 7.2's tb_jmp_cache_hash_func,
// accel/tcg/tb-hash.h); on a miss it searches the global table of blocks
// and refills the entry. Two blocks that a loop enters by lookup and that
// share an entry evict each other on every iteration: each lookup misses.
// bench/README.md measured what that costs (about 50 ns a miss under
// TCG) and that it comes and goes with the kernel's code layout.

import (
	"sort"
	"strings"
)

// JumpCacheSlot is the jump-cache entry of guest address pc: QEMU 7.2's
// tb_jmp_cache_hash_func for 4 KiB pages and 4,096 entries, which mixes
// bits 6-11 of the address into its low bits and keeps them as the
// entry's page part.
func JumpCacheSlot(pc uint64) int {
	tmp := pc ^ pc>>6
	return int(tmp>>6&0xfc0 | tmp&0x3f)
}

// Lookups returns the blocks of an iteration that QEMU enters through the
// jump cache rather than by a chained jump, in order, with repeats. The
// iteration's first block, the marker's, is left out: what enters it is
// the previous iteration's last block.
func (p *TCGProfile) Lookups(it []uint64) []uint64 {
	var out []uint64
	for i := 1; i < len(it); i++ {
		if p.entersByLookup(it[i-1], it[i]) {
			out = append(out, it[i])
		}
	}
	return out
}

// entersByLookup says whether the run of block next after block prev went
// through the jump cache, from prev's last instruction.
func (p *TCGProfile) entersByLookup(prev, next uint64) bool {
	samePage := prev>>12 == next>>12
	f := strings.Fields(p.Exits[prev])
	if len(f) == 0 {
		return !samePage
	}
	m := f[0]
	switch {
	case strings.HasPrefix(m, "ret"), strings.HasPrefix(m, "iret"), strings.HasPrefix(m, "sysret"),
		m == "syscall", m == "sysenter", m == "int", m == "int3", m == "sti", strings.HasPrefix(m, "popf"), m == "hlt":
		return true
	case strings.HasPrefix(m, "j"), strings.HasPrefix(m, "call"):
		if len(f) < 2 || strings.HasPrefix(f[1], "*") {
			return true // indirect
		}
		return !samePage // direct: chained within the page
	}
	return !samePage // the block ended for its size or at a page end
}

// JumpCacheCollisions groups the distinct blocks an iteration enters by
// lookup that share a jump-cache entry: each group misses on every
// iteration.
func (p *TCGProfile) JumpCacheCollisions(it []uint64) [][]uint64 {
	by := map[int][]uint64{}
	seen := map[uint64]bool{}
	for _, pc := range p.Lookups(it) {
		if !seen[pc] {
			seen[pc] = true
			by[JumpCacheSlot(pc)] = append(by[JumpCacheSlot(pc)], pc)
		}
	}
	var out [][]uint64
	for _, g := range by {
		if len(g) > 1 {
			sort.Slice(g, func(i, j int) bool { return g[i] < g[j] })
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}
