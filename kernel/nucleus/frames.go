package nucleus

// The physical frame allocator: every 4 KiB frame of usable RAM that is not
// the kernel image, the initrd or the first megabyte. Fresh frames are cut
// from the memory map's ranges in address order (so boot does not have to
// touch all of RAM); freed frames go on a LIFO list threaded through the
// frames themselves (the first word of a free frame holds the next one).
// Allocation and free are O(1); every frame handed out is zeroed.
//
// Runs on trap paths (page faults, mmap): //go:nosplit, no allocation, no
// lock (the nucleus runs with interrupts off on one CPU).

import "github.com/ringo-os/ringo/arch/amd64"

type physRange struct{ next, end uint64 }

var frames struct {
	ranges   [80]physRange
	nranges  int
	cur      int
	freeHead uint64 // physical address of the first free frame, 0 = none
	total    uint64 // frames managed
	free     uint64 // frames not allocated
}

// addFreeRange adds [base, end) minus the holes to the allocator. The
// holes must be sorted by address and not overlap.
//
//go:nosplit
func addFreeRange(base, end uint64, holes *[3][2]uint64) {
	for i := 0; i <= len(holes); i++ {
		lo, hi := base, end // the piece below hole i (or the rest)
		if i < len(holes) {
			if holes[i][1] <= base || holes[i][0] >= end {
				continue
			}
			hi = min(end, holes[i][0])
			base = max(base, holes[i][1])
		}
		addPiece(lo, hi)
		if base >= end {
			return
		}
	}
}

//go:nosplit
func addPiece(lo, hi uint64) {
	lo = (lo + pageSize - 1) &^ (pageSize - 1)
	hi &^= pageSize - 1
	if lo >= hi || frames.nranges == len(frames.ranges) {
		return
	}
	frames.ranges[frames.nranges] = physRange{lo, hi}
	frames.nranges++
	n := (hi - lo) / pageSize
	frames.total += n
	frames.free += n
}

// allocFrame returns the physical address of a zeroed frame, or 0 when
// memory is exhausted.
//
//go:nosplit
func allocFrame() uint64 {
	var p uint64
	if frames.freeHead != 0 {
		p = frames.freeHead
		frames.freeHead = *u64at(phys2virt(p))
	} else {
		var r *physRange
		for {
			i := uint(frames.cur)
			if i >= uint(frames.nranges) || i >= uint(len(frames.ranges)) {
				return 0
			}
			if r = &frames.ranges[i]; r.next < r.end {
				break
			}
			frames.cur++
		}
		p = r.next
		r.next += pageSize
	}
	frames.free--
	amd64.ZeroPage(phys2virt(p))
	return p
}

// freeFrame returns a frame to the allocator.
//
//go:nosplit
func freeFrame(p uint64) {
	*u64at(phys2virt(p)) = frames.freeHead
	frames.freeHead = p
	frames.free++
}

// MemoryStats is what the kernel reports about physical memory.
type MemoryStats struct {
	TotalFrames, FreeFrames uint64
	Ticks                   uint64 // timer interrupts since boot
	ContextSwitches         uint64
	Threads                 int
}

// Stats returns a consistent snapshot (interrupts off while reading).
func Stats() MemoryStats {
	amd64.DisableInterrupts()
	s := MemoryStats{frames.total, frames.free, clock.ticks, switchCnt, nThreads}
	amd64.EnableInterrupts()
	return s
}

// reserveUserPool sets aside the upper quarter of the largest free range for
// user memory (mm's buddy allocator runs over it); the nucleus keeps the
// rest for the kernel's heap and page tables.
//
//go:nosplit
func reserveUserPool() {
	best := -1
	for i := 0; i < frames.nranges && i < len(frames.ranges); i++ {
		r := &frames.ranges[i]
		if best < 0 || r.end-r.next > frames.ranges[best].end-frames.ranges[best].next {
			best = i
		}
	}
	if best < 0 {
		return
	}
	r := &frames.ranges[best]
	pool := ((r.end - r.next) / 4) &^ (2<<20 - 1) // 2 MiB aligned
	if pool < 8<<20 {
		return
	}
	userPool[0], userPool[1] = r.end-pool, r.end
	r.end -= pool
	frames.total -= pool / pageSize
	frames.free -= pool / pageSize
}
