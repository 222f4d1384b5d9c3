package mm

import (
	"sync"
	"sync/atomic"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// This file is the physical frame allocator: a binary buddy allocator over
// the boot memory map, with a reference count and a map count per frame.
// Mirrors mm/page_alloc.c (__alloc_pages, __free_one_page) in spirit; where
// Linux keeps a struct page per frame in mem_map, we keep a frameInfo per
// frame in a per-range section.

// MaxOrder is the largest block the allocator hands out: 2^MaxOrder frames
// (4 MiB), Linux's MAX_PAGE_ORDER = 10.
const MaxOrder = 10

// FrameKind says what a frame is used for, so that /proc/meminfo can print
// where memory went.
type FrameKind uint8

const (
	KindFree      FrameKind = iota // on a free list
	KindKernel                     // kernel data: get_zeroed_page, driver buffers
	KindPageTable                  // a page-table page (PML4, PDPT, PD, PT)
	KindAnon                       // private anonymous memory and COW copies
	KindShmem                      // shared anonymous memory (/dev/zero (deleted))
	KindZero                       // the shared zero frame
	numKinds
)

// frameInfo is mm's struct page: what the allocator knows about one frame.
type frameInfo struct {
	ref      int32 // page_count: references; 0 = free or tail of a block
	mapcount int32 // page_mapcount: user PTEs pointing here
	order    int8  // block order; meaningful only at a block's head (free, or ref > 0)
	kind     FrameKind
	free     bool  // head of a free block on free[order]
	next     int32 // free-list links, as indices into the section
	prev     int32
}

// section is one contiguous range of frames from the memory map. Buddies
// never cross sections.
type section struct {
	base   PFN
	frames []frameInfo
	free   [MaxOrder + 1]int32 // free-list heads (index), -1 if empty
}

// FrameAllocator hands out physical frames and counts references to them.
// All methods are safe for concurrent use; mu is a leaf lock (see the lock
// order in lock_order.go).
type FrameAllocator struct {
	mu       sync.Mutex
	mem      PhysMem
	sections []*section
	total    uint64
	nfree    uint64
	byKind   [numKinds]uint64
	zero     PFN

	shmemIno atomic.Uint64 // inode numbers of shared anonymous objects
}

// NewFrameAllocator builds an allocator over the usable ranges of the boot
// memory map and reserves the shared zero frame. Mirrors memblock_free_all
// handing memory to the buddy allocator. Ranges must not overlap (EINVAL).
func NewFrameAllocator(mem PhysMem, ranges []PhysRange) (*FrameAllocator, error) {
	a := &FrameAllocator{mem: mem}
	for _, r := range ranges {
		if err := a.AddRange(r); err != nil {
			return nil, err
		}
	}
	zero, err := a.Alloc(0, KindZero)
	if err != nil {
		return nil, err
	}
	clear(a.mem.Frame(zero))
	a.zero = zero
	return a, nil
}

// AddRange feeds more frames to the allocator (a later memory-map range, or
// frames the boot code no longer needs). The range is rounded inwards to
// whole frames; an empty range is ignored; overlap with a known range, or
// memory PhysMem cannot reach, is EINVAL.
func (a *FrameAllocator) AddRange(r PhysRange) error {
	start := pageRoundUp(r.Start)
	end := pageRoundDown(r.End)
	if start == 0 && r.Start != 0 || end <= start {
		return nil
	}
	lo, hi := PFN(start>>amd64.PageShift), PFN(end>>amd64.PageShift)
	if a.mem.Frame(lo) == nil || a.mem.Frame(hi-1) == nil {
		return abi.EINVAL
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range a.sections {
		if lo < s.base+PFN(len(s.frames)) && s.base < hi {
			return abi.EINVAL
		}
	}
	// The zero frameInfo is a tail frame: no per-frame pass over the
	// range (at boot it is tens of thousands of frames, and under
	// emulation every iteration is a translated block run).
	s := &section{base: lo, frames: make([]frameInfo, hi-lo)}
	for i := range s.free {
		s.free[i] = -1
	}
	a.sections = append(a.sections, s)
	a.total += uint64(hi - lo)
	// Carve the range into the largest aligned blocks that fit.
	for pfn := lo; pfn < hi; {
		order := 0
		for order < MaxOrder && pfn&(1<<(order+1)-1) == 0 && pfn+1<<(order+1) <= hi {
			order++
		}
		a.freeBlock(s, pfn, order)
		a.nfree += 1 << order
		pfn += 1 << order
	}
	return nil
}

// sectionOf finds the section holding pfn.
//
// Preconditions: a.mu is held.
func (a *FrameAllocator) sectionOf(pfn PFN) *section {
	for _, s := range a.sections {
		if pfn >= s.base && pfn < s.base+PFN(len(s.frames)) {
			return s
		}
	}
	return nil
}

// info returns the frameInfo of pfn, or nil if the allocator does not own it.
//
// Preconditions: a.mu is held.
func (a *FrameAllocator) info(pfn PFN) *frameInfo {
	s := a.sectionOf(pfn)
	if s == nil {
		return nil
	}
	return &s.frames[pfn-s.base]
}

// Alloc takes a block of 2^order frames, with a reference count of 1 on its
// head. Its contents are whatever was there. ENOMEM when no block is free,
// EINVAL for an order beyond MaxOrder. Mirrors __alloc_pages.
func (a *FrameAllocator) Alloc(order int, kind FrameKind) (PFN, error) {
	if order < 0 || order > MaxOrder || kind == KindFree || kind >= numKinds {
		return 0, abi.EINVAL
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range a.sections {
		for o := order; o <= MaxOrder; o++ {
			idx := s.free[o]
			if idx < 0 {
				continue
			}
			s.unlink(idx, o)
			// Split the block down to the wanted order: expand() in Linux.
			for o > order {
				o--
				a.freeBlock(s, s.base+PFN(idx)+1<<o, o)
			}
			f := &s.frames[idx]
			f.order, f.ref, f.mapcount, f.kind = int8(order), 1, 0, kind
			a.nfree -= 1 << order
			a.byKind[kind] += 1 << order
			return s.base + PFN(idx), nil
		}
	}
	return 0, abi.ENOMEM
}

// AllocZeroed is Alloc(0, kind) with the frame cleared.
func (a *FrameAllocator) AllocZeroed(kind FrameKind) (PFN, error) {
	pfn, err := a.Alloc(0, kind)
	if err != nil {
		return 0, err
	}
	clear(a.mem.Frame(pfn))
	return pfn, nil
}

// freeBlock puts a block on its free list, merging it with its buddy as
// long as the buddy is free and of the same order. Mirrors __free_one_page.
//
// Preconditions: a.mu is held.
func (a *FrameAllocator) freeBlock(s *section, pfn PFN, order int) {
	for order < MaxOrder {
		buddy := pfn ^ 1<<order
		if buddy < s.base || buddy >= s.base+PFN(len(s.frames)) {
			break
		}
		b := &s.frames[buddy-s.base]
		if !b.free || int(b.order) != order {
			break
		}
		s.unlink(int32(buddy-s.base), order)
		pfn &^= 1 << order
		order++
	}
	idx := int32(pfn - s.base)
	f := &s.frames[idx]
	f.free, f.order, f.kind, f.ref, f.mapcount = true, int8(order), KindFree, 0, 0
	f.prev, f.next = -1, s.free[order]
	if f.next >= 0 {
		s.frames[f.next].prev = idx
	}
	s.free[order] = idx
}

// unlink takes a free block off its list.
func (s *section) unlink(idx int32, order int) {
	f := &s.frames[idx]
	if f.prev >= 0 {
		s.frames[f.prev].next = f.next
	} else {
		s.free[order] = f.next
	}
	if f.next >= 0 {
		s.frames[f.next].prev = f.prev
	}
	f.free, f.next, f.prev = false, -1, -1
}

// GetPage takes one more reference on the block headed by pfn. Mirrors
// get_page. A reference on a frame the allocator does not own (device
// memory) is a no-op; on a free frame it is a kernel bug.
func (a *FrameAllocator) GetPage(pfn PFN) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f := a.info(pfn)
	if f == nil || pfn == a.zero {
		return
	}
	if f.ref <= 0 {
		panic("mm: GetPage on a free or tail frame")
	}
	f.ref++
}

// PutPage drops a reference and frees the block when it was the last.
// Mirrors put_page. Dropping a reference nobody holds is a kernel bug and
// panics, like Linux's VM_BUG_ON_PAGE.
func (a *FrameAllocator) PutPage(pfn PFN) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.putPageLocked(pfn)
}

// Preconditions: a.mu is held.
func (a *FrameAllocator) putPageLocked(pfn PFN) {
	s := a.sectionOf(pfn)
	if s == nil || pfn == a.zero {
		return
	}
	f := &s.frames[pfn-s.base]
	if f.ref <= 0 {
		panic("mm: PutPage on a free or tail frame")
	}
	f.ref--
	if f.ref > 0 {
		return
	}
	order := int(f.order)
	a.byKind[f.kind] -= 1 << order
	a.nfree += 1 << order
	a.freeBlock(s, pfn, order)
}

// PageCount returns the reference count of pfn (page_count), 0 if free or
// not owned.
func (a *FrameAllocator) PageCount(pfn PFN) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	if f := a.info(pfn); f != nil {
		return int(f.ref)
	}
	return 0
}

// MapCount returns how many user PTEs point at pfn (page_mapcount).
func (a *FrameAllocator) MapCount(pfn PFN) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	if f := a.info(pfn); f != nil {
		return int(f.mapcount)
	}
	return 0
}

// mapPage records a new user PTE pointing at pfn, taking a reference for
// it. The zero frame and frames the allocator does not own are not counted
// (Linux's vm_normal_page returns NULL for them).
func (a *FrameAllocator) mapPage(pfn PFN) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if f := a.info(pfn); f != nil && pfn != a.zero {
		f.ref++
		f.mapcount++
	}
}

// unmapPage undoes mapPage: the PTE is gone, drop its reference.
func (a *FrameAllocator) unmapPage(pfn PFN) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if f := a.info(pfn); f != nil && pfn != a.zero {
		f.mapcount--
		a.putPageLocked(pfn)
	}
}

// exclusive reports whether pfn is mapped once and referenced only by that
// mapping: a private page that a write fault may reuse instead of copying.
func (a *FrameAllocator) exclusive(pfn PFN) (mapcount int, onlyRef bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f := a.info(pfn)
	if f == nil || pfn == a.zero {
		return 0, false
	}
	return int(f.mapcount), f.ref == 1 && f.mapcount == 1
}

// ZeroPFN is the shared zero frame: mapped read-only for read faults on
// private anonymous memory, never freed, never reference counted.
func (a *FrameAllocator) ZeroPFN() PFN { return a.zero }

// Mem is the physical memory the allocator hands out.
func (a *FrameAllocator) Mem() PhysMem { return a.mem }

// FreeFrames is the number of free frames (nr_free_pages).
func (a *FrameAllocator) FreeFrames() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.nfree
}

// TotalFrames is the number of frames the allocator manages.
func (a *FrameAllocator) TotalFrames() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.total
}

// adoptPage turns a reference the caller holds into a user mapping's
// reference: mapcount goes up, the reference count stays.
func (a *FrameAllocator) adoptPage(pfn PFN) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if f := a.info(pfn); f != nil && pfn != a.zero {
		f.mapcount++
	}
}
