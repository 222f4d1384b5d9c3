package mm

import "github.com/ringo-os/ringo/arch/amd64"

// This file is the software MMU: the page walk the CPU does on every
// access, with its permission rules (Intel SDM Vol. 3A §4.6) and the
// page-fault error code it pushes (§4.7). On the host it stands in for the
// CPU in tests; in the kernel, CopyIn/CopyOut use it to reach user memory
// through PhysMem, so they never touch an unchecked user pointer.

// Access is the kind of memory access being translated.
type Access uint8

const (
	AccessRead  Access = iota // a data read
	AccessWrite               // a data write
	AccessExec                // an instruction fetch
)

// Translate walks the page table for one access the way the CPU does, with
// CR0.WP=1 and EFER.NXE=1: U/S and R/W must be allowed at every level, NX
// at any level forbids fetches. On success it sets the Accessed bits (and
// Dirty on a write) and returns the physical address. On failure it
// returns the #PF error code (amd64.PF*) with fault=true, or, for a
// non-canonical address, fault=false and gp=true.
func (pt *PageTable) Translate(va uint64, acc Access, user bool) (phys uint64, errCode uint32, fault bool, gp bool) {
	if !amd64.Canonical(va) {
		return 0, 0, false, true
	}
	var ec uint32
	if user {
		ec |= amd64.PFUser
	}
	switch acc {
	case AccessWrite:
		ec |= amd64.PFWrite
	case AccessExec:
		ec |= amd64.PFInstr
	}
	e := &pt.pml4()[amd64.Index(va, 4)]
	allowWrite, allowUser, noExec := true, true, false
	for level := 4; ; level-- {
		if !e.Has(amd64.PTEPresent) {
			return 0, ec, true, false
		}
		allowWrite = allowWrite && e.Has(amd64.PTEWrite)
		allowUser = allowUser && e.Has(amd64.PTEUser)
		noExec = noExec || e.Has(amd64.PTENoExec)
		leaf := level == 1 || (level < 4 && e.Has(amd64.PTEHuge))
		if leaf {
			switch {
			case user && !allowUser,
				acc == AccessWrite && !allowWrite,
				acc == AccessExec && noExec:
				return 0, ec | amd64.PFProt, true, false
			}
			*e |= amd64.PTEAccessed
			if acc == AccessWrite {
				*e |= amd64.PTEDirty
			}
			size := uint64(PageSize) << (9 * uint(level-1))
			return e.Addr()&^(size-1) | va&(size-1), 0, false, false
		}
		*e |= amd64.PTEAccessed
		e = &tableEntries(pt.alloc.mem.Frame(pteToPFN(*e)))[amd64.Index(va, level-1)]
	}
}
