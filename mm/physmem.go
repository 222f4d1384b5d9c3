package mm

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// PageSize is the size of a base page and of a frame.
const PageSize = amd64.PageSize

// PhysMem is how mm reaches physical memory: a byte view of one frame. On
// the host it is SimRAM (a Go byte slice standing in for RAM); on the metal
// the kernel implements it over its direct map (every frame at
// 0xffff880000000000 + pfn<<12), so the same mm code runs in both places.
// Mirrors the role of page_address() / phys_to_virt().
type PhysMem interface {
	// Frame returns the PageSize bytes of frame pfn, or nil if pfn is not
	// RAM that this PhysMem can reach.
	Frame(pfn PFN) []byte
}

// PhysRange is one usable range of the boot memory map, in bytes:
// [Start, End). Both ends are rounded inwards to whole frames.
type PhysRange struct {
	Start, End uint64
}

// SimRAM is simulated physical memory for host tests: one contiguous range
// of frames backed by a Go slice.
type SimRAM struct {
	base PFN
	buf  []byte
}

// NewSimRAM returns size bytes of simulated RAM starting at physical
// address start (both rounded to frames). It fails with EINVAL for an empty
// or overflowing range.
func NewSimRAM(start, size uint64) (*SimRAM, error) {
	start = pageRoundUp(start)
	size = size &^ (PageSize - 1)
	if size == 0 || start+size < start || start == ^uint64(0)&^(PageSize-1) {
		return nil, abi.EINVAL
	}
	return &SimRAM{base: PFN(start >> amd64.PageShift), buf: make([]byte, size)}, nil
}

// Frame implements PhysMem.
func (r *SimRAM) Frame(pfn PFN) []byte {
	if pfn < r.base {
		return nil
	}
	off := uint64(pfn-r.base) << amd64.PageShift
	if off >= uint64(len(r.buf)) {
		return nil
	}
	return r.buf[off : off+PageSize : off+PageSize]
}

// Range is the whole simulated range, ready to hand to NewFrameAllocator as
// the boot memory map.
func (r *SimRAM) Range() PhysRange {
	s := uint64(r.base) << amd64.PageShift
	return PhysRange{Start: s, End: s + uint64(len(r.buf))}
}

// pageRoundUp rounds up to a page boundary; it wraps to 0 at the top of the
// address space, which callers treat as "too large".
func pageRoundUp(v uint64) uint64 { return (v + PageSize - 1) &^ (PageSize - 1) }

// pageRoundDown rounds down to a page boundary.
func pageRoundDown(v uint64) uint64 { return v &^ (PageSize - 1) }
