package mm

import (
	"sync"

	"github.com/ringo-os/ringo/abi"
)

// AddressSpace mirrors mm_struct: the VMAs of one process, its page table,
// and its heap break. Every exported method takes mu itself.
type AddressSpace struct {
	mu     sync.Mutex
	alloc  *FrameAllocator
	kernel *KernelHalf
	pt     *PageTable
	layout Layout

	// vmas is sorted by Start and non-overlapping (Linux: the maple tree).
	vmas []*VMA

	startBrk, brk uint64 // mm->start_brk, mm->brk
	startStack    uint64 // mm->start_stack: the VMA holding it is [stack]
	stackLimit    uint64 // RLIMIT_STACK
	released      bool

	// CapSysRawIO lets MAP_FIXED go below MmapMinAddr (cap_mmap_addr).
	CapSysRawIO bool
}

// NewAddressSpace creates an empty address space whose PML4 shares kernel.
// Mirrors mm_alloc + mm_init.
func NewAddressSpace(alloc *FrameAllocator, kernel *KernelHalf, tlb TLB, layout Layout) (*AddressSpace, error) {
	if tlb == nil {
		tlb = NopTLB{}
	}
	pt, err := NewPageTable(alloc, kernel, tlb)
	if err != nil {
		return nil, err
	}
	return &AddressSpace{alloc: alloc, kernel: kernel, pt: pt, layout: layout, stackLimit: DefaultStackLimit}, nil
}

// Layout returns the address-space geometry.
func (as *AddressSpace) Layout() Layout { return as.layout }

// PageTable is the address space's page table (its Root goes into CR3).
func (as *AddressSpace) PageTable() *PageTable { return as.pt }

// Allocator is the frame allocator the address space draws from.
func (as *AddressSpace) Allocator() *FrameAllocator { return as.alloc }

// Release tears the address space down: every VMA is closed and unmapped,
// every frame and table page returned. Mirrors exit_mmap. Calling it
// twice is harmless.
func (as *AddressSpace) Release() {
	as.mu.Lock()
	defer as.mu.Unlock()
	if as.released {
		return
	}
	for len(as.vmas) > 0 {
		as.removeVMA(len(as.vmas) - 1)
	}
	as.pt.Destroy()
	as.pt.flushAll()
	as.released = true
}

// VMAs returns a copy of every VMA in address order, for tests and /proc.
func (as *AddressSpace) VMAs() []VMA {
	as.mu.Lock()
	defer as.mu.Unlock()
	out := make([]VMA, len(as.vmas))
	for i, v := range as.vmas {
		out[i] = *v
	}
	return out
}

// SetStartBrk places the heap: start_brk = brk = the page-aligned end of
// the highest PT_LOAD (the ELF loader calls it).
func (as *AddressSpace) SetStartBrk(end uint64) error {
	a := pageRoundUp(end)
	if a == 0 && end != 0 || a > as.layout.TaskSize {
		return abi.EINVAL
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	as.startBrk, as.brk = a, a
	return nil
}

// SetupStack maps the initial stack: size bytes below StackTop, private,
// read-write, VM_GROWSDOWN, shown as [stack]. It returns the stack top.
// Mirrors setup_arg_pages.
func (as *AddressSpace) SetupStack(size uint64) (uint64, error) {
	size = pageRoundUp(size)
	top := as.layout.StackTop
	if size == 0 || size > top/2 {
		return 0, abi.EINVAL
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	if as.overlaps(top-size, top) {
		return 0, abi.EEXIST
	}
	v := &VMA{Start: top - size, End: top,
		Flags: VMRead | VMWrite | VMMayRead | VMMayWrite | VMMayExec | VMGrowsDown}
	as.insertVMA(v)
	as.startStack = top - 8
	return top, nil
}

// SetStartStack records the address that makes a VMA print as [stack]
// (mm->start_stack, the initial stack pointer).
func (as *AddressSpace) SetStartStack(sp uint64) {
	as.mu.Lock()
	defer as.mu.Unlock()
	as.startStack = sp
}

// Brk returns the current break (start_brk, brk).
func (as *AddressSpace) BrkRange() (start, cur uint64) {
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.startBrk, as.brk
}
