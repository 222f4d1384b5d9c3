package mm

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// mremap flags (include/uapi/linux/mman.h).
const (
	MremapMayMove   = 1
	MremapFixed     = 2
	MremapDontUnmap = 4
)

// Mremap is mremap(2). Mirrors mm/mremap.c: shrink in place, grow in place
// when the space after the VMA is free, otherwise move (MREMAP_MAYMOVE) —
// the destination VMA gets Open, the source Close, and the pages move
// with their PTEs, no copy.
func (as *AddressSpace) Mremap(addr, oldLen, newLen uint64, flags uint32, newAddr uint64) (uint64, error) {
	if flags&^(MremapMayMove|MremapFixed|MremapDontUnmap) != 0 {
		return 0, abi.EINVAL
	}
	if flags&MremapFixed != 0 && flags&MremapMayMove == 0 {
		return 0, abi.EINVAL
	}
	if flags&MremapDontUnmap != 0 && (flags&MremapMayMove == 0 || oldLen != newLen) {
		return 0, abi.EINVAL
	}
	if addr&(PageSize-1) != 0 {
		return 0, abi.EINVAL
	}
	oldLen, newLen = pageRoundUp(oldLen), pageRoundUp(newLen)
	if newLen == 0 {
		return 0, abi.EINVAL
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	v, _ := as.vmaLookup(addr)
	if v == nil {
		return 0, abi.EFAULT
	}
	if flags&(MremapFixed|MremapDontUnmap) != 0 {
		return as.mremapTo(addr, oldLen, newAddr, newLen, flags)
	}
	if oldLen >= newLen {
		if oldLen == newLen {
			return addr, nil
		}
		if !as.mapCountAllows(addr+newLen, addr+oldLen, 0) {
			return 0, abi.ENOMEM
		}
		if err := as.unmapRange(addr+newLen, addr+oldLen); err != nil {
			return 0, err
		}
		return addr, nil
	}
	v, err := as.vmaToResize(addr, oldLen, newLen, flags)
	if err != nil {
		return 0, err
	}
	// Grow in place when the old range ends the VMA and room follows.
	if oldLen == v.End-addr && addr+newLen <= as.layout.TaskSize && addr+newLen > addr {
		if as.gapFitsAfter(v, addr+newLen) {
			v.End = addr + newLen
			_, i := as.vmaLookup(v.Start)
			as.mergeAround(i)
			return addr, nil
		}
	}
	if flags&MremapMayMove == 0 {
		return 0, abi.ENOMEM
	}
	dst, err := as.getUnmappedArea(0, newLen, 0)
	if err != nil {
		return 0, err
	}
	return as.moveVMA(v, addr, oldLen, dst, newLen, false)
}

// gapFitsAfter reports whether v may be extended to newEnd: the range
// after it is free (and clear of a stack's guard gap).
//
// Preconditions: as.mu is held.
func (as *AddressSpace) gapFitsAfter(v *VMA, newEnd uint64) bool {
	_, i := as.vmaLookup(v.Start)
	_, end := as.gapBounds(i + 1)
	return newEnd <= end
}

// vmaToResize is vma_to_resize: the checks before a mapping may grow.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) vmaToResize(addr, oldLen, newLen uint64, flags uint32) (*VMA, error) {
	v, _ := as.vmaLookup(addr)
	if v == nil {
		return nil, abi.EFAULT
	}
	if oldLen == 0 && v.Flags&(VMShared|VMMayShare) == 0 {
		return nil, abi.EINVAL
	}
	if flags&MremapDontUnmap != 0 && v.Flags&(VMDontExpand|VMPFNMap) != 0 {
		return nil, abi.EINVAL
	}
	if oldLen > v.End-addr {
		return nil, abi.EFAULT
	}
	if newLen == oldLen {
		return v, nil
	}
	if v.Flags&(VMDontExpand|VMPFNMap) != 0 {
		return nil, abi.EFAULT
	}
	return v, nil
}

// mremapTo is mremap_to: MREMAP_FIXED and MREMAP_DONTUNMAP.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) mremapTo(addr, oldLen, newAddr, newLen uint64, flags uint32) (uint64, error) {
	task := as.layout.TaskSize
	if flags&MremapFixed != 0 {
		if newAddr&(PageSize-1) != 0 {
			return 0, abi.EINVAL
		}
		if newLen > task || newAddr > task-newLen {
			return 0, abi.EINVAL
		}
		if addr+oldLen > newAddr && newAddr+newLen > addr {
			return 0, abi.EINVAL // overlapping ranges
		}
		if !as.mapCountAllows(newAddr, newAddr+newLen, 0) {
			return 0, abi.ENOMEM
		}
		if err := as.unmapRange(newAddr, newAddr+newLen); err != nil {
			return 0, err
		}
	}
	if oldLen > newLen {
		if !as.mapCountAllows(addr+newLen, addr+oldLen, 0) {
			return 0, abi.ENOMEM
		}
		if err := as.unmapRange(addr+newLen, addr+oldLen); err != nil {
			return 0, err
		}
		oldLen = newLen
	}
	v, err := as.vmaToResize(addr, oldLen, newLen, flags)
	if err != nil {
		return 0, err
	}
	if flags&MremapFixed == 0 {
		if newAddr, err = as.getUnmappedArea(0, newLen, 0); err != nil {
			return 0, err
		}
	}
	return as.moveVMA(v, addr, oldLen, newAddr, newLen, flags&MremapDontUnmap != 0)
}

// moveVMA is move_vma: a copy of the VMA at dst (Open runs on it), the
// PTEs of the old range moved over, then the old range unmapped (Close) —
// or, with dontUnmap, left in place without its pages.
//
// Preconditions: as.mu is held; [dst, dst+newLen) is free.
func (as *AddressSpace) moveVMA(v *VMA, addr, oldLen, dst, newLen uint64, dontUnmap bool) (uint64, error) {
	if !as.mapCountAllows(addr, addr+oldLen, 1) || len(as.vmas)+1 > MaxMapCount {
		return 0, abi.ENOMEM
	}
	nv := *v
	nv.Start, nv.End = dst, dst+newLen
	nv.Pgoff = v.Pgoff + (addr-v.Start)>>12
	if nv.File != nil {
		nv.File.IncRef()
	}
	// Move the PTEs first so the old range's unmap does not free them.
	moveLen := min(oldLen, newLen)
	var failed bool
	as.pt.forEachPresent(addr, addr+moveLen, func(va uint64, e *amd64.PTE) {
		ne, err := as.pt.lookup(dst+(va-addr), true)
		if err != nil {
			failed = true
			return
		}
		*ne, *e = *e, 0
		as.pt.invlpg(va)
	})
	i := as.insertVMA(&nv)
	if nv.Ops != nil {
		nv.Ops.Open(&nv)
	}
	if failed {
		// Out of page-table memory midway: undo like move_vma does, by
		// unmapping the new copy; pages not moved stay where they were.
		as.removeVMA(i)
		return 0, abi.ENOMEM
	}
	if !dontUnmap && oldLen > 0 {
		if err := as.unmapRange(addr, addr+oldLen); err != nil {
			return 0, err
		}
	}
	_, i = as.vmaLookup(dst)
	as.mergeAround(i)
	return dst, nil
}
