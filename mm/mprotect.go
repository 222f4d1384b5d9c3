package mm

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// Mprotect is mprotect(2). Mirrors mm/mprotect.c:do_mprotect_pkey: the
// checks in Linux's order, then per VMA: split, new flags, rewritten PTEs,
// merge. As in Linux, VMAs before a hole or an EACCES keep their new
// protection.
func (as *AddressSpace) Mprotect(start, length uint64, prot uint32) error {
	grows := prot & (ProtGrowsDown | ProtGrowsUp)
	prot &^= grows
	if grows == ProtGrowsDown|ProtGrowsUp {
		return abi.EINVAL
	}
	if start&(PageSize-1) != 0 {
		return abi.EINVAL
	}
	if length == 0 {
		return nil
	}
	length = pageRoundUp(length)
	end := start + length
	if length == 0 || end <= start {
		return abi.ENOMEM
	}
	if prot&^(ProtRead|ProtWrite|ProtExec|ProtSem) != 0 {
		return abi.EINVAL
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	i := as.findIndex(start)
	if i == len(as.vmas) || as.vmas[i].Start >= end {
		return abi.ENOMEM
	}
	v := as.vmas[i]
	if grows&ProtGrowsDown != 0 {
		if v.Flags&VMGrowsDown == 0 {
			return abi.EINVAL
		}
		start = v.Start
	} else if grows&ProtGrowsUp != 0 {
		return abi.EINVAL // no VM_GROWSUP VMAs on x86
	} else if v.Start > start {
		return abi.ENOMEM
	}
	newProt := protToVMFlags(prot)
	for tmp := start; tmp < end; {
		v, i := as.vmaLookup(tmp)
		if v == nil {
			return abi.ENOMEM
		}
		newFlags := newProt | v.Flags&^(VMRead|VMWrite|VMExec)
		// A protection the VMA may not take (VM_MAY* cleared): EACCES.
		if newFlags&^(newFlags>>4)&(VMRead|VMWrite|VMExec) != 0 {
			return abi.EACCES
		}
		segEnd := min(v.End, end)
		if err := as.mprotectFixup(i, tmp, segEnd, newFlags); err != nil {
			return err
		}
		tmp = segEnd
	}
	return nil
}

// mprotectFixup changes the flags of [start, end) inside vmas[i], splitting
// off the parts outside, and rewrites the present PTEs. Mirrors
// mprotect_fixup + change_protection.
//
// Preconditions: as.mu is held; [start, end) lies inside vmas[i].
func (as *AddressSpace) mprotectFixup(i int, start, end uint64, newFlags VMFlags) error {
	if as.vmas[i].Flags == newFlags {
		return nil
	}
	v, i, err := as.isolateRange(i, start, end)
	if err != nil {
		return err
	}
	v.Flags = newFlags
	as.pt.forEachPresent(start, end, func(va uint64, e *amd64.PTE) {
		*e = amd64.MakePTE(e.Addr(), as.protectedLeaf(v, *e))
		as.pt.invlpg(va)
	})
	as.mergeAround(i)
	return nil
}

// protectedLeaf is the PTE flag set of an existing page of v after a
// protection change. Shared mappings may write directly; a private page
// stays read-only unless it is an anonymous page mapped only here (the
// test of can_change_pte_writable), so the next write still copies.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) protectedLeaf(v *VMA, e amd64.PTE) amd64.PTE {
	writable := v.Flags&VMShared != 0
	if !writable && e.Has(pteAnon) {
		_, writable = as.alloc.exclusive(pteToPFN(e))
	}
	return leafFlags(v, writable) | e&pteAnon
}
