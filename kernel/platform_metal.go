package kernel

// The metal Platform: a thin adapter over the nucleus, plus the memory the
// task layer runs user programs in (the nucleus's user pool, reached
// through its direct map). It compiles on the host; host tests never call
// it, because nothing below works outside ring 0.

import (
	"sync"
	"unsafe"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/kernel/nucleus"
	"github.com/ringo-os/ringo/mm"
)

// MetalPlatform runs user threads on the real CPU: it is the nucleus's
// CPU type itself, whose methods implement Platform, so the trap loop's
// interface call goes straight to nucleus.SwitchToUser's body.
type MetalPlatform = nucleus.CPU

var _ Platform = (*MetalPlatform)(nil)

// directMap is mm.PhysMem over the nucleus's direct map: frame pfn is at
// DirectMapBase + pfn<<12. Only the user pool is handed out, so only frames
// inside it are reachable (page_address restricted to the memory mm owns).
type directMap struct{ first, end mm.PFN }

// Frame implements mm.PhysMem.
func (d directMap) Frame(pfn mm.PFN) []byte {
	if pfn < d.first || pfn >= d.end {
		return nil
	}
	p := unsafe.Add(nil, uintptr(nucleus.DirectMapBase+uint64(pfn)<<amd64.PageShift))
	return unsafe.Slice((*byte)(p), mm.PageSize)
}

// nucleusTLB is mm.TLB on the real CPU (flush_tlb_page, flush_tlb_mm).
type nucleusTLB struct{}

func (nucleusTLB) Invlpg(va uint64) { nucleus.FlushTLBPage(uintptr(va)) }
func (nucleusTLB) FlushAll()        { nucleus.FlushTLB() }

// MetalMemory builds what mm needs on the metal: a frame allocator over
// nucleus.UserPool(), the kernel half the nucleus built (shared into every
// user PML4, never written or freed by mm) and a TLB that flushes the CPU's.
// The pool is one physical range, so there is one allocator for it: every
// caller (the task layer, the nucleus's ring-3 self-tests) gets the same.
func MetalMemory() (*mm.FrameAllocator, *mm.KernelHalf, mm.TLB, error) {
	metalMem.once.Do(func() {
		start, end := nucleus.UserPool()
		if end <= start {
			metalMem.err = abi.ENOMEM
			return
		}
		mem := directMap{first: mm.PFN(start >> amd64.PageShift), end: mm.PFN(end >> amd64.PageShift)}
		metalMem.alloc, metalMem.err = mm.NewFrameAllocator(mem, []mm.PhysRange{{Start: start, End: end}})
		metalMem.khalf = mm.NewKernelHalfFromEntries(nucleus.KernelPML4Entries())
	})
	if metalMem.err != nil {
		return nil, nil, nil, metalMem.err
	}
	return metalMem.alloc, metalMem.khalf, nucleusTLB{}, nil
}

var metalMem struct {
	once  sync.Once
	alloc *mm.FrameAllocator
	khalf *mm.KernelHalf
	err   error
}

// MetalHWCap is AT_HWCAP on this CPU: CPUID.1:EDX, as Linux reports it.
func MetalHWCap() uint64 {
	_, _, _, edx := amd64.Cpuid(1, 0)
	return uint64(edx)
}

// MetalHWCap2 is AT_HWCAP2: HWCAP2_FSGSBASE (bit 1) when the nucleus
// enabled the FSGSBASE instructions, which then work in ring 3 too.
func MetalHWCap2() uint64 {
	if nucleus.HaveFSGSBase() {
		return 1 << 1
	}
	return 0
}

// MetalCompatSyscall reports whether the CPU's SYSCALL works from 32-bit
// code (Config.CompatSyscall).
func MetalCompatSyscall() bool { return nucleus.CompatSyscall() }

// metalMonotonic is the nucleus's TSC clock, read without a system call.
func metalMonotonic() int64 { return nucleus.Monotonic() }

// metalVDSOClock is the TSC clock the vDSO reads in user mode.
func metalVDSOClock() *VDSOClock {
	tsc0, mult := nucleus.ClockParams()
	return &VDSOClock{TSC0: tsc0, Mult: mult}
}
