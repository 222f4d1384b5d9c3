package mm

import "github.com/ringo-os/ringo/arch/amd64"

// This file turns VMA flags into leaf PTE bits (Linux's vm_get_page_prot
// and protection_map) and zaps PTEs (zap_pte_range).

type pteT = amd64.PTE

// pteAnon marks a leaf that maps an anonymous page private to this
// mapping (Linux: PageAnon). A write fault may reuse such a page when it
// is mapped once; pagemap reports the others as file/shared pages.
const pteAnon = amd64.PTESoft9

// leafFlags is the PTE for a page of v. writable asks for R/W; it is only
// honoured when the VMA allows writes. PROT_NONE pages stay present with
// U/S clear, so the frame is still reachable by the kernel's walkers and
// any user access faults with P=1 (Linux uses _PAGE_PROTNONE instead).
func leafFlags(v *VMA, writable bool) amd64.PTE {
	f := amd64.PTEPresent
	if v.Flags&(VMRead|VMWrite|VMExec) != 0 {
		f |= amd64.PTEUser
	}
	if writable && v.Flags&VMWrite != 0 {
		f |= amd64.PTEWrite | amd64.PTEDirty
	}
	if v.Flags&VMExec == 0 {
		f |= amd64.PTENoExec
	}
	return f
}

// zapRange removes every user PTE in [start, end), dropping the mapping's
// reference on each frame, and invalidates the TLB entries.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) zapRange(start, end uint64) {
	as.pt.forEachPresent(start, end, func(va uint64, e *amd64.PTE) {
		pfn := pteToPFN(*e)
		*e = 0
		as.pt.invlpg(va)
		as.alloc.unmapPage(pfn)
	})
}
