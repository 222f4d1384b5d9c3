package bench

// A profiler made of QEMU's own logs: guest instructions and memory
// operands per function for one iteration of a user-space loop.
//
// QEMU run with "-d in_asm,exec,nochain" prints each translated block's
// instructions once, when it translates it ("IN:" followed by one line per
// instruction), and then a "Trace" line every time a block runs; with
// nochain every run is logged, even where QEMU would have chained blocks.
// Weighting each run by its block's length gives the guest instructions
// executed. A test program calls a marker function before every iteration
// of its loop; the runs between two visits to the marker's address are one
// iteration. Under TCG time follows guest instructions and memory accesses,
// not blocks, and unlike wall time the count is exact and repeatable, so
// it shows changes far smaller than a noisy host's 10-20 %.
// bench/README.md ("Where Ringo's time goes") explains the method and what
// it found.

import (
	"bufio"
	"debug/elf"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// TCGBlock is one translated block: its guest instructions and how many of
// them access memory.
type TCGBlock struct {
	Insns, Mem int
}

// TCGProfile is what one QEMU log says about the iterations of a loop.
type TCGProfile struct {
	Blocks     map[uint64]TCGBlock // by guest start address (the last translation wins)
	Exits      map[uint64]string   // each block's last instruction: mnemonic and operands (jumpcache.go)
	Iterations [][]uint64          // the blocks run in each iteration, in order
}

// ParseTCGLog reads a "-d in_asm,exec,nochain" log and cuts its block runs
// into iterations at each run of the block that starts at marker. Runs
// before the first marker are counted in no iteration, and neither are runs
// after the last (an iteration is only complete when the next one starts).
func ParseTCGLog(r io.Reader, marker uint64) (*TCGProfile, error) {
	p := &TCGProfile{Blocks: map[uint64]TCGBlock{}, Exits: map[uint64]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var cur []uint64
	started := false
	inBlock, haveStart := false, false
	var start uint64
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "IN:"):
			inBlock, haveStart = true, false
		case inBlock && strings.HasPrefix(line, "0x"):
			colon := strings.IndexByte(line, ':')
			if colon < 0 {
				continue
			}
			pc, err := strconv.ParseUint(line[2:colon], 16, 64)
			if err != nil {
				continue
			}
			if !haveStart {
				start, haveStart = pc, true
				p.Blocks[start] = TCGBlock{}
			}
			b := p.Blocks[start]
			b.Insns++
			if accessesMemory(line[colon+1:]) {
				b.Mem++
			}
			p.Blocks[start] = b
			p.Exits[start] = instruction(line[colon+1:])
		case strings.HasPrefix(line, "Trace "):
			inBlock = false
			pc, ok := tracePC(line)
			if !ok {
				continue
			}
			if pc == marker {
				if started {
					p.Iterations = append(p.Iterations, cur)
				}
				started, cur = true, nil
			}
			if started {
				cur = append(cur, pc)
			}
		default:
			if strings.TrimSpace(line) == "" {
				inBlock = false
			}
		}
	}
	return p, sc.Err()
}

// tracePC is the guest address of a "Trace" line:
// "Trace 0: 0x7f... [cs_base/pc/flags/cflags] symbol".
func tracePC(line string) (uint64, bool) {
	i := strings.IndexByte(line, '[')
	if i < 0 {
		return 0, false
	}
	f := strings.Split(line[i+1:], "/")
	if len(f) < 2 {
		return 0, false
	}
	pc, err := strconv.ParseUint(f[1], 16, 64)
	return pc, err == nil
}

// accessesMemory reads QEMU's AT&T disassembly of one instruction (bytes,
// mnemonic, operands): a parenthesised operand is a memory operand, and
// stack and string instructions access memory without one. LEA and NOP
// only compute or pad.
func accessesMemory(insn string) bool {
	f := strings.Fields(insn)
	mnemonic := ""
	for _, w := range f {
		if len(w) == 2 && isHex(w) { // an instruction byte
			continue
		}
		mnemonic = w
		break
	}
	if strings.HasPrefix(mnemonic, "lea") || strings.HasPrefix(mnemonic, "nop") {
		return false
	}
	for _, p := range []string{"push", "pop", "call", "ret", "iret", "movs", "stos", "lods", "cmps", "scas"} {
		if strings.HasPrefix(mnemonic, p) {
			return true
		}
	}
	return strings.Contains(insn, "(")
}

// instruction is the mnemonic and operands of QEMU's disassembly of one
// instruction, without its bytes.
func instruction(insn string) string {
	f := strings.Fields(insn)
	for len(f) > 0 && len(f[0]) == 2 && isHex(f[0]) {
		f = f[1:]
	}
	return strings.Join(f, " ")
}

func isHex(s string) bool {
	_, err := strconv.ParseUint(s, 16, 8)
	return err == nil
}

// Length is an iteration's guest instruction count.
func (p *TCGProfile) Length(it []uint64) int {
	n := 0
	for _, pc := range it {
		n += p.Blocks[pc].Insns
	}
	return n
}

// Typical returns the iteration of the most common length (ties: the
// shorter): an iteration that a timer interrupt or a first-time path made
// longer is rarer than the plain one.
func (p *TCGProfile) Typical() []uint64 {
	count := map[int]int{}
	first := map[int][]uint64{}
	for _, it := range p.Iterations {
		n := p.Length(it)
		if count[n] == 0 {
			first[n] = it
		}
		count[n]++
	}
	best := -1
	for n, c := range count {
		if best < 0 || c > count[best] || c == count[best] && n < best {
			best = n
		}
	}
	return first[best]
}

// InterruptEntry is the nucleus function every hardware interrupt from
// ring 3 goes through (kernel/nucleus/trap.go): an iteration that ran it
// was interrupted by the timer or a device.
const InterruptEntry = "github.com/ringo-os/ringo/kernel/nucleus.interrupt"

// TypicalWithout is Typical over the iterations that never ran the
// function fn (named as syms names it), with how many were left out; if
// every iteration ran it, Typical over all. The logging a profile needs
// slows the guest some hundred times against the host's clock, so the
// 1 kHz timer lands in most iterations of a loop that takes a few
// microseconds, and Typical alone would count the tick as part of the
// operation.
func (p *TCGProfile) TypicalWithout(fn string, syms *Symbols) (it []uint64, skipped int) {
	clean := &TCGProfile{Blocks: p.Blocks, Exits: p.Exits}
	for _, x := range p.Iterations {
		ran := false
		for _, pc := range x {
			if syms.Name(pc) == fn {
				ran = true
				break
			}
		}
		if !ran {
			clean.Iterations = append(clean.Iterations, x)
		}
	}
	if len(clean.Iterations) == 0 {
		return p.Typical(), 0
	}
	return clean.Typical(), len(p.Iterations) - len(clean.Iterations)
}

// FuncCost is one function's share of an iteration.
type FuncCost struct {
	Name              string
	Insns, Mem, Block int
}

// Costs attributes an iteration's blocks to functions, most instructions
// first.
func (p *TCGProfile) Costs(it []uint64, syms *Symbols) []FuncCost {
	by := map[string]*FuncCost{}
	for _, pc := range it {
		name := syms.Name(pc)
		c := by[name]
		if c == nil {
			c = &FuncCost{Name: name}
			by[name] = c
		}
		b := p.Blocks[pc]
		c.Insns += b.Insns
		c.Mem += b.Mem
		c.Block++
	}
	out := make([]FuncCost, 0, len(by))
	for _, c := range by {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Insns != out[j].Insns {
			return out[i].Insns > out[j].Insns
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Symbols maps guest addresses to function names, from ELF symbol tables
// (the kernel image and the user program).
type Symbols struct {
	addr []uint64
	name []string
}

// LoadSymbols reads the function symbols of the given ELF files.
func LoadSymbols(paths ...string) (*Symbols, error) {
	type sym struct {
		a uint64
		n string
	}
	var all []sym
	for _, path := range paths {
		f, err := elf.Open(path)
		if err != nil {
			return nil, err
		}
		ss, err := f.Symbols()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, s := range ss {
			if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Value != 0 {
				all = append(all, sym{s.Value, s.Name})
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].a < all[j].a })
	s := &Symbols{}
	for _, x := range all {
		s.addr = append(s.addr, x.a)
		s.name = append(s.name, x.n)
	}
	return s, nil
}

// Name is the function whose symbol is the last at or below pc.
func (s *Symbols) Name(pc uint64) string {
	name, _ := s.Locate(pc)
	return name
}

// Locate is Name and pc's offset into that function (pc itself and 0
// when no symbol is at or below it).
func (s *Symbols) Locate(pc uint64) (name string, off uint64) {
	i := sort.Search(len(s.addr), func(i int) bool { return s.addr[i] > pc }) - 1
	if i < 0 {
		return fmt.Sprintf("%#x", pc), 0
	}
	return s.name[i], pc - s.addr[i]
}

// Address is the start of the named function (0 if there is none).
func (s *Symbols) Address(name string) uint64 {
	for i, n := range s.name {
		if n == name {
			return s.addr[i]
		}
	}
	return 0
}

// WriteTCGReport prints the typical iteration's functions, top first.
func WriteTCGReport(w io.Writer, p *TCGProfile, syms *Symbols, top int) error {
	if len(p.Iterations) == 0 {
		return fmt.Errorf("no complete iteration: the marker ran fewer than twice")
	}
	it, interrupted := p.TypicalWithout(InterruptEntry, syms)
	lengths := make([]int, len(p.Iterations))
	for i, x := range p.Iterations {
		lengths[i] = p.Length(x)
	}
	sort.Ints(lengths)
	costs := p.Costs(it, syms)
	mem := 0
	for _, c := range costs {
		mem += c.Mem
	}
	fmt.Fprintf(w, "%d iterations (%d with an interrupt left out); typical: %d guest instructions, %d memory operands, %d blocks (shortest %d, longest %d)\n",
		len(p.Iterations), interrupted, p.Length(it), mem, len(it), lengths[0], lengths[len(lengths)-1])
	short := func(n string) string { return strings.TrimPrefix(n, "github.com/ringo-os/ringo/") }
	coll := p.JumpCacheCollisions(it)
	fmt.Fprintf(w, "%d jump-cache lookups (RET, indirect or cross-page branch, QEMU's main loop); entries shared by blocks that evict each other: %d\n", len(p.Lookups(it)), len(coll))
	for _, g := range coll {
		names := make([]string, len(g))
		for i, pc := range g {
			name, off := syms.Locate(pc)
			names[i] = fmt.Sprintf("%s+%#x", short(name), off)
		}
		fmt.Fprintf(w, "  entry %#x, missed every time: %s\n", JumpCacheSlot(g[0]), strings.Join(names, ", "))
	}
	fmt.Fprintf(w, "%7s %7s %7s  %s\n", "insns", "memory", "blocks", "function")
	for i, c := range costs {
		if i == top {
			break
		}
		fmt.Fprintf(w, "%7d %7d %7d  %s\n", c.Insns, c.Mem, c.Block, short(c.Name))
	}
	return nil
}
