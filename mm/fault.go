package mm

import (
	"github.com/ringo-os/ringo/arch/amd64"
)

// This file resolves page faults: the VMA and permission checks of
// arch/x86/mm/fault.c:do_user_addr_fault, then mm/memory.c's
// handle_pte_fault — demand-zero anonymous pages, file and driver pages
// through VMOperations.Fault, and copy-on-write.

// Signal numbers and si_code values a fault can produce (x86 Linux).
const (
	SIGBUS  = 7
	SIGKILL = 9
	SIGSEGV = 11

	SEGV_MAPERR = 1 // address not mapped
	SEGV_ACCERR = 2 // invalid permissions for mapped object
	BUS_ADRERR  = 2 // nonexistent physical address
)

// FaultResult is what a fault means for the task: nothing (resolved, the
// instruction is restarted), a signal with si_code and si_addr, or OOM
// (Linux runs the OOM killer and retries; the task layer decides).
type FaultResult struct {
	Signo int32
	Code  int32
	Addr  uint64
	OOM   bool
}

// OK reports whether the fault was resolved.
func (r FaultResult) OK() bool { return r.Signo == 0 && !r.OOM }

func segv(code int32, addr uint64) FaultResult {
	return FaultResult{Signo: SIGSEGV, Code: code, Addr: addr}
}

// HandleFault resolves a #PF taken at addr with the CPU's error code
// (amd64.PF* bits). Mirrors do_user_addr_fault + handle_mm_fault.
func (as *AddressSpace) HandleFault(addr uint64, errCode uint32) FaultResult {
	acc := AccessRead
	switch {
	case errCode&amd64.PFWrite != 0:
		acc = AccessWrite
	case errCode&amd64.PFInstr != 0:
		acc = AccessExec
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.faultLocked(addr, acc, errCode&amd64.PFProt != 0)
}

// faultLocked is the body of HandleFault.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) faultLocked(addr uint64, acc Access, prot bool) FaultResult {
	if addr >= as.layout.TaskSize || as.released {
		// Kernel half (or beyond a compat task): bad_area_nosemaphore.
		return segv(SEGV_MAPERR, addr)
	}
	v, _ := as.vmaLookup(addr)
	if v == nil {
		if v = as.expandStack(addr); v == nil {
			return segv(SEGV_MAPERR, addr)
		}
	}
	// access_error: what the VMA forbids is SEGV_ACCERR.
	switch acc {
	case AccessWrite:
		if v.Flags&VMWrite == 0 {
			return segv(SEGV_ACCERR, addr)
		}
	case AccessExec:
		if v.Flags&VMExec == 0 {
			return segv(SEGV_ACCERR, addr)
		}
	default:
		if prot || v.Flags&(VMRead|VMWrite|VMExec) == 0 {
			return segv(SEGV_ACCERR, addr)
		}
	}
	page := pageRoundDown(addr)
	e, err := as.pt.lookup(page, true)
	if err != nil {
		return FaultResult{OOM: true, Addr: addr}
	}
	write := acc == AccessWrite
	if !e.Has(amd64.PTEPresent) {
		if v.File == nil && v.Ops == nil {
			return as.anonFault(v, e, page, write)
		}
		return as.fileFault(v, e, page, write)
	}
	if write && !e.Has(amd64.PTEWrite) {
		return as.wpFault(v, e, page)
	}
	// The PTE already allows the access: a spurious fault (another
	// thread resolved it first). Retrying the instruction is enough.
	return FaultResult{}
}

// anonFault is do_anonymous_page: a read maps the shared zero frame
// read-only, a write maps a fresh zeroed frame.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) anonFault(v *VMA, e *amd64.PTE, page uint64, write bool) FaultResult {
	if !write {
		*e = amd64.MakePTE(pfnToPhys(as.alloc.zero), leafFlags(v, false))
		return FaultResult{}
	}
	pfn, err := as.alloc.AllocZeroed(KindAnon)
	if err != nil {
		return FaultResult{OOM: true, Addr: page}
	}
	as.alloc.adoptPage(pfn)
	*e = amd64.MakePTE(pfnToPhys(pfn), leafFlags(v, true)|pteAnon)
	return FaultResult{}
}

// fileFault is do_fault: ask the VMA's Fault for the page; a write to a
// private mapping gets a private copy (do_cow_fault), a shared mapping maps
// the page itself (do_shared_fault), a read maps it read-only unless the
// mapping is shared and writable (do_read_fault).
//
// Preconditions: as.mu is held.
func (as *AddressSpace) fileFault(v *VMA, e *amd64.PTE, page uint64, write bool) FaultResult {
	if v.Ops == nil {
		// Dummy vm_ops: nothing can fill the page (§6.4).
		return FaultResult{Signo: SIGBUS, Code: BUS_ADRERR, Addr: page}
	}
	vmf := VMFault{VMA: v, Address: page, Pgoff: v.Pgoff + (page-v.Start)>>12, Flags: FaultFlagUser}
	if write {
		vmf.Flags |= FaultFlagWrite
	}
	r := v.Ops.Fault(&vmf)
	switch {
	case r&VMFaultOOM != 0:
		return FaultResult{OOM: true, Addr: page}
	case r&VMFaultSIGBUS != 0:
		return FaultResult{Signo: SIGBUS, Code: BUS_ADRERR, Addr: page}
	case r&VMFaultSIGSEGV != 0:
		return segv(SEGV_MAPERR, page)
	case r&(VMFaultNoPage|VMFaultRetry) != 0:
		// The handler installed the PTE itself (InsertPage), or wants
		// the access retried.
		return FaultResult{}
	}
	if as.alloc.mem.Frame(vmf.Page) == nil {
		// A page the kernel cannot reach is the handler's bug; refuse to
		// map it rather than map garbage.
		return FaultResult{Signo: SIGBUS, Code: BUS_ADRERR, Addr: page}
	}
	if write && v.Flags&VMShared == 0 {
		cp, err := as.alloc.Alloc(0, KindAnon)
		if err != nil {
			as.alloc.PutPage(vmf.Page)
			return FaultResult{OOM: true, Addr: page}
		}
		copy(as.alloc.mem.Frame(cp), as.alloc.mem.Frame(vmf.Page))
		as.alloc.PutPage(vmf.Page)
		as.alloc.adoptPage(cp)
		*e = amd64.MakePTE(pfnToPhys(cp), leafFlags(v, true)|pteAnon)
		return FaultResult{}
	}
	as.alloc.adoptPage(vmf.Page)
	*e = amd64.MakePTE(pfnToPhys(vmf.Page), leafFlags(v, v.Flags&VMShared != 0))
	return FaultResult{}
}

// wpFault is do_wp_page: a write to a present read-only page of a
// writable VMA. Shared mappings just become writable; a private page
// mapped only here is reused; anything else (the zero frame, a file page,
// a page shared with a fork) is copied.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) wpFault(v *VMA, e *amd64.PTE, page uint64) FaultResult {
	old := pteToPFN(*e)
	if v.Flags&VMShared != 0 {
		*e = amd64.MakePTE(e.Addr(), leafFlags(v, true)|*e&pteAnon)
		as.pt.invlpg(page)
		return FaultResult{}
	}
	if _, only := as.alloc.exclusive(old); only && e.Has(pteAnon) {
		*e = amd64.MakePTE(e.Addr(), leafFlags(v, true)|pteAnon)
		as.pt.invlpg(page)
		return FaultResult{}
	}
	cp, err := as.alloc.Alloc(0, KindAnon)
	if err != nil {
		return FaultResult{OOM: true, Addr: page}
	}
	copy(as.alloc.mem.Frame(cp), as.alloc.mem.Frame(old))
	as.alloc.adoptPage(cp)
	*e = amd64.MakePTE(pfnToPhys(cp), leafFlags(v, true)|pteAnon)
	as.pt.invlpg(page)
	as.alloc.unmapPage(old)
	return FaultResult{}
}

// expandStack grows a VM_GROWSDOWN VMA down to cover addr, if addr is
// within the stack limit and the guard gap to the VMA below stays free.
// Mirrors expand_downwards.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) expandStack(addr uint64) *VMA {
	i := as.findIndex(addr)
	if i == len(as.vmas) {
		return nil
	}
	v := as.vmas[i]
	if v.Flags&VMGrowsDown == 0 {
		return nil
	}
	page := pageRoundDown(addr)
	if v.End-page > as.stackLimit || page < MmapMinAddr {
		return nil
	}
	if i > 0 && as.vmas[i-1].End+StackGuardGap > page {
		return nil
	}
	if v.File == nil {
		v.Pgoff -= (v.Start - page) >> 12
	}
	v.Start = page
	return v
}

// InsertPage maps pfn at addr inside vma from a Fault handler that returns
// VMFaultNoPage; the mapping takes its own reference. Mirrors
// vm_insert_page. EFAULT outside the VMA, EBUSY if something is mapped.
//
// Preconditions: the VMA's AddressSpace.mu is held (we are inside Fault).
func (v *VMA) InsertPage(addr uint64, pfn PFN) error {
	as := v.as
	if as == nil || addr < v.Start || addr >= v.End {
		return errFault
	}
	e, err := as.pt.lookup(pageRoundDown(addr), true)
	if err != nil {
		return err
	}
	if e.Has(amd64.PTEPresent) {
		return errBusy
	}
	as.alloc.mapPage(pfn)
	*e = amd64.MakePTE(pfnToPhys(pfn), leafFlags(v, v.Flags&VMShared != 0))
	return nil
}

// UserAccess is what the CPU does for one ring-3 access to va: translate,
// and on a #PF run the fault handler and retry once. The result is what
// the task would get: nothing, or a signal. Host tests use it in place of
// running user code; it is also the model the trap path follows.
func (as *AddressSpace) UserAccess(va uint64, acc Access) FaultResult {
	as.mu.Lock()
	defer as.mu.Unlock()
	for try := 0; try < 2; try++ {
		_, ec, fault, gp := as.pt.Translate(va, acc, true)
		if gp {
			// #GP: SIGSEGV with si_code SI_KERNEL (0x80), si_addr 0.
			return FaultResult{Signo: SIGSEGV, Code: 0x80}
		}
		if !fault {
			return FaultResult{}
		}
		if r := as.faultLocked(va, acc, ec&amd64.PFProt != 0); !r.OK() {
			return r
		}
	}
	return FaultResult{}
}
