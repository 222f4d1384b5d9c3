package nucleus

// The runtime's memory: mmap, munmap and madvise over the kernel page
// tables, in the mmap area [MmapBase, MmapEnd).
//
// The runtime reserves about 1.3 GB of address space with PROT_NONE at
// start, commits parts of it with MAP_FIXED, and gives memory back with
// madvise(MADV_DONTNEED) or munmap. So the rules are:
//   - a PROT_NONE reservation costs nothing: no PTE, no frame;
//   - a commit marks each PTE "demand" (not present, pteDemand set, Write
//     kept) and a frame is given on first touch by demandFault;
//   - MADV_DONTNEED and munmap free the frames; a DONTNEED page reads as
//     zero again on the next touch (go1.26 relies on this: RUNTIME-HOSTING
//     wall 1).
// Virtual space is handed out by a bump pointer: the runtime never frees
// big reservations, and 512 GiB is far more than it asks for.
//
// Runs on the syscall and page-fault paths: //go:nosplit, no allocation.

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

var (
	mmapNext uintptr = MmapBase
	oomVA    uintptr // a demand fault found no free frame
)

const (
	protRead  = 0x1
	protWrite = 0x2
	protExec  = 0x4

	mapShared    = 0x01
	mapPrivate   = 0x02
	mapFixed     = 0x10
	mapAnonymous = 0x20

	madvDontneed = 4
	madvFree     = 8
)

// sysMmap mirrors the subset of mm/mmap.c:do_mmap the runtime uses:
// private anonymous memory, fixed or placed by us.
//
//go:nosplit
func sysMmap(addr, length uintptr, prot, flags uint32, fd int32, off uintptr) uintptr {
	if length == 0 || off&(pageSize-1) != 0 {
		return errno(abi.EINVAL)
	}
	n := (length + pageSize - 1) &^ (pageSize - 1)
	if n < length {
		return errno(abi.ENOMEM)
	}
	if flags&mapAnonymous == 0 {
		return errno(abi.ENODEV) // the nucleus has no mappable files
	}
	if flags&(mapShared|mapPrivate) != mapPrivate {
		return errno(abi.EINVAL)
	}
	switch {
	case flags&mapFixed != 0:
		if addr&(pageSize-1) != 0 {
			return errno(abi.EINVAL)
		}
		if addr < MmapBase || addr+n > MmapEnd || addr+n < addr {
			return errno(abi.ENOMEM)
		}
	case addr != 0 && addr != mmapNext:
		// A hint we cannot honour (the runtime's arena hints are lower-
		// half addresses, which belong to user programs). Failing it
		// makes the runtime try its next hint, then ask without one.
		return errno(abi.ENOMEM)
	default:
		if MmapEnd-mmapNext < n {
			return errno(abi.ENOMEM)
		}
		addr = mmapNext
		mmapNext += n
	}
	if prot&(protRead|protWrite|protExec) == 0 {
		unmapRange(addr, n, false)
		return addr
	}
	unmapRange(addr, n, false)
	demand := pteDemand
	if prot&protWrite != 0 {
		demand |= amd64.PTEWrite
	}
	// One walk per page table, then its entries in a row: the runtime's
	// first mappings are tens of MiB, and a walk per page cost ~9
	// translated blocks each under TCG.
	for va := addr; va < addr+n; {
		next := tableEnd(va, addr+n)
		e := walk(va, true)
		if e == 0 {
			unmapRange(addr, n, false)
			return errno(abi.ENOMEM)
		}
		for ; va < next; va, e = va+pageSize, e+8 {
			*u64at(e) = uint64(demand)
		}
	}
	return addr
}

// tableEnd is where the page table holding va's entry stops mapping, or
// end if that comes first.
//
//go:nosplit
func tableEnd(va, end uintptr) uintptr {
	next := (va + amd64.HugeSize) &^ (amd64.HugeSize - 1)
	if next > end || next < va {
		return end
	}
	return next
}

// unmapRange frees the frames of [addr, addr+n). With keep, committed pages
// stay committed (demand-zero again): MADV_DONTNEED. Without, the range
// becomes inaccessible: munmap and PROT_NONE.
//
//go:nosplit
func unmapRange(addr, n uintptr, keep bool) {
	for va := addr; va < addr+n; {
		next := tableEnd(va, addr+n)
		e := walk(va, false)
		if e == 0 { // no page table here: nothing mapped up to next
			va = next
			continue
		}
		for ; va < next; va, e = va+pageSize, e+8 {
			pte := amd64.PTE(*u64at(e))
			if pte.Has(amd64.PTEPresent) {
				freeFrame(pte.Addr())
				invalidate(va)
			}
			switch {
			case keep && (pte.Has(amd64.PTEPresent) || pte.Has(pteDemand)):
				*u64at(e) = uint64(pteDemand | pte&amd64.PTEWrite)
			case !keep:
				*u64at(e) = 0
			}
		}
	}
}

//go:nosplit
func sysMunmap(addr, length uintptr) uintptr {
	if addr&(pageSize-1) != 0 || length == 0 {
		return errno(abi.EINVAL)
	}
	n := (length + pageSize - 1) &^ (pageSize - 1)
	if addr < MmapBase || addr+n > MmapEnd || addr+n < addr {
		return errno(abi.EINVAL)
	}
	unmapRange(addr, n, false)
	return 0
}

//go:nosplit
func sysMadvise(addr, length uintptr, advice int32) uintptr {
	if addr&(pageSize-1) != 0 {
		return errno(abi.EINVAL)
	}
	n := (length + pageSize - 1) &^ (pageSize - 1)
	switch advice {
	case madvDontneed, madvFree:
		if addr < MmapBase || addr+n > MmapEnd || addr+n < addr {
			return errno(abi.ENOMEM)
		}
		unmapRange(addr, n, true)
		return 0
	case 0, 1, 2, 3, 12, 13, 14, 15, 16, 17: // hints with nothing to do here
		return 0
	}
	return errno(abi.EINVAL)
}

// demandFault gives a committed page its zeroed frame. It reports false if
// va is not a committed page of the mmap area (a real fault) or the
// access is not allowed (write to a read-only page).
//
//go:nosplit
func demandFault(va uintptr, write bool) bool {
	if va < MmapBase || va >= MmapEnd {
		return false
	}
	e := walk(va, false)
	if e == 0 {
		return false
	}
	pte := amd64.PTE(*u64at(e))
	if pte.Has(amd64.PTEPresent) || !pte.Has(pteDemand) {
		return false
	}
	if write && !pte.Has(amd64.PTEWrite) {
		return false
	}
	f := allocFrame()
	if f == 0 {
		oomVA = va // exception() reports it
		return false
	}
	*u64at(e) = uint64(amd64.MakePTE(f, amd64.PTEPresent|amd64.PTENoExec|pte&amd64.PTEWrite))
	return true
}
