package mm

import "github.com/ringo-os/ringo/abi"

// This file is the VMA set of an address space: lookup, insert, split,
// merge and removal, with the vm_operations call rules of §6.2. Linux keeps
// VMAs in a maple tree (mm/vma.c); Ringo keeps a sorted slice, which is
// simpler to read and fast enough for the few hundred VMAs a process has.
//
// Every function here needs as.mu held.

// findIndex returns the index of the first VMA with End > addr (find_vma),
// or len(as.vmas). The binary search is written out: every page fault,
// mmap and munmap starts here, and sort.Search's call of a closure per
// probe made it three times longer under emulation.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) findIndex(addr uint64) int {
	lo, hi := 0, len(as.vmas)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if as.vmas[mid].End > addr {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// vmaLookup returns the VMA containing addr and its index (vma_lookup).
//
// Preconditions: as.mu is held.
func (as *AddressSpace) vmaLookup(addr uint64) (*VMA, int) {
	i := as.findIndex(addr)
	if i < len(as.vmas) && as.vmas[i].Start <= addr {
		return as.vmas[i], i
	}
	return nil, i
}

// overlaps reports whether any VMA intersects [start, end)
// (find_vma_intersection).
//
// Preconditions: as.mu is held.
func (as *AddressSpace) overlaps(start, end uint64) bool {
	i := as.findIndex(start)
	return i < len(as.vmas) && as.vmas[i].Start < end
}

// insertVMA links v into the sorted set; the caller has made room.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) insertVMA(v *VMA) int {
	v.as = as
	i := as.findIndex(v.Start)
	as.vmas = append(as.vmas, nil)
	copy(as.vmas[i+1:], as.vmas[i:])
	as.vmas[i] = v
	return i
}

// unlinkVMA removes index i from the set without any callback.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) unlinkVMA(i int) {
	copy(as.vmas[i:], as.vmas[i+1:])
	as.vmas[len(as.vmas)-1] = nil
	as.vmas = as.vmas[:len(as.vmas)-1]
}

// splitVMA cuts vmas[i] at addr. The new VMA is the lower piece when
// newBelow, else the upper piece; it takes a file reference and gets
// Ops.Open, the original keeps its identity. ENOMEM past MaxMapCount.
// Mirrors mm/vma.c:__split_vma.
//
// Preconditions: as.mu is held; vmas[i].Start < addr < vmas[i].End,
// addr page aligned.
func (as *AddressSpace) splitVMA(i int, addr uint64, newBelow bool) error {
	if len(as.vmas) >= MaxMapCount {
		return abi.ENOMEM
	}
	old := as.vmas[i]
	nv := *old
	if newBelow {
		nv.End = addr
		old.Pgoff += (addr - old.Start) >> 12
		old.Start = addr
	} else {
		nv.Start = addr
		nv.Pgoff += (addr - old.Start) >> 12
		old.End = addr
	}
	if nv.File != nil {
		nv.File.IncRef()
	}
	as.insertVMA(&nv)
	if nv.Ops != nil {
		nv.Ops.Open(&nv)
	}
	return nil
}

// splitAt makes addr a VMA boundary if a VMA straddles it; the piece that
// gets Open is the one below addr when newBelow.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) splitAt(addr uint64, newBelow bool) error {
	if v, i := as.vmaLookup(addr); v != nil && v.Start < addr {
		return as.splitVMA(i, addr, newBelow)
	}
	return nil
}

// noMergeFlags are the flags that make a VMA special (is_mergeable_vma).
const noMergeFlags = VMIO | VMDontExpand | VMPFNMap | VMMixedMap

// isolateRange splits vmas[i] so that [start, end), which lies inside it,
// is a VMA of its own, and returns that VMA and its index (the first half
// of mprotect_fixup and madvise_update_vma).
//
// Preconditions: as.mu is held.
func (as *AddressSpace) isolateRange(i int, start, end uint64) (*VMA, int, error) {
	v := as.vmas[i]
	if v.Start < start {
		if err := as.splitVMA(i, start, true); err != nil {
			return nil, 0, err
		}
		v, i = as.vmaLookup(start)
	}
	if v.End > end {
		if err := as.splitVMA(i, end, false); err != nil {
			return nil, 0, err
		}
	}
	return v, i, nil
}

// mergeable reports whether b can be absorbed by a, its left neighbour:
// adjacent, same flags, file, name and ops, contiguous file offset, and no
// Close callback that would go uncalled. Mirrors is_mergeable_vma +
// can_vma_merge_after. Driver ops always have Close, so only mm's own
// shmem ops merge.
func mergeable(a, b *VMA) bool {
	if a.End != b.Start || a.Flags != b.Flags || a.File != b.File || a.Name != b.Name ||
		a.Flags&noMergeFlags != 0 || a.PrivateData != nil || b.PrivateData != nil {
		return false
	}
	if a.Ops != nil {
		if _, ok := a.Ops.(*shmemFile); !ok || a.Ops != b.Ops {
			return false
		}
	} else if b.Ops != nil {
		return false
	}
	return a.Pgoff+(a.Len()>>12) == b.Pgoff
}

// mergeAround merges vmas[i] with its neighbours where possible and
// returns the index of the VMA now covering vmas[i]'s range. The absorbed
// VMA's file reference is dropped; no callback runs (they have no Close).
// Mirrors the effect of vma_merge.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) mergeAround(i int) int {
	if i+1 < len(as.vmas) && mergeable(as.vmas[i], as.vmas[i+1]) {
		as.absorb(i)
	}
	if i > 0 && mergeable(as.vmas[i-1], as.vmas[i]) {
		as.absorb(i - 1)
		i--
	}
	return i
}

// absorb extends vmas[i] over vmas[i+1] and drops the latter.
//
// Preconditions: as.mu is held; mergeable(vmas[i], vmas[i+1]).
func (as *AddressSpace) absorb(i int) {
	b := as.vmas[i+1]
	as.vmas[i].End = b.End
	as.unlinkVMA(i + 1)
	if b.File != nil {
		b.File.DecRef()
	}
}

// removeVMA unmaps vmas[i]'s pages, runs Ops.Close, drops the file
// reference and unlinks it. Mirrors remove_vma after unmap_vmas.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) removeVMA(i int) {
	v := as.vmas[i]
	as.zapRange(v.Start, v.End)
	as.unlinkVMA(i)
	if v.Ops != nil {
		v.Ops.Close(v)
		v.Ops = nil // afterwards ops become dummy (§6.2)
	}
	if v.File != nil {
		v.File.DecRef()
	}
	v.as = nil
}

// unmapRange is do_vmi_munmap after validation: split the VMAs straddling
// start and end, then remove every VMA inside. On a split failure nothing
// has been removed.
//
// Preconditions: as.mu is held; start < end, both page aligned.
func (as *AddressSpace) unmapRange(start, end uint64) error {
	if !as.overlaps(start, end) {
		return nil
	}
	if err := as.splitAt(start, true); err != nil {
		return err
	}
	if err := as.splitAt(end, false); err != nil {
		return err
	}
	i := as.findIndex(start)
	for i < len(as.vmas) && as.vmas[i].Start < end {
		as.removeVMA(i)
	}
	return nil
}

// CheckInvariants verifies the VMA set and the page table agree: VMAs
// sorted, page aligned, non-empty, non-overlapping, inside the task, and
// no present user PTE outside a VMA. The property tests call it after
// every operation.
func (as *AddressSpace) CheckInvariants() error {
	as.mu.Lock()
	defer as.mu.Unlock()
	prevEnd := uint64(0)
	for _, v := range as.vmas {
		if v.Start >= v.End || v.Start%PageSize != 0 || v.End%PageSize != 0 ||
			v.Start < prevEnd || v.End > as.layout.TaskSize || v.as != as {
			return abi.EINVAL
		}
		prevEnd = v.End
	}
	var bad error
	as.pt.forEachPresent(0, UserTop, func(va uint64, _ *pteT) {
		if v, _ := as.vmaLookup(va); v == nil {
			bad = abi.EFAULT
		}
	})
	return bad
}
