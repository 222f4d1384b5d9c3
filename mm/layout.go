package mm

// This file is the shape of a user address space: where it ends, where
// top-down mmap starts, where the stack sits. Mirrors
// arch/x86/mm/mmap.c:arch_pick_mmap_layout and mmap_base, without
// randomisation (randomize_va_space=0; Ringo is deterministic).

// Layout constants shared by both ABIs.
const (
	// TaskSize64 is TASK_SIZE_MAX for 4-level paging: 2^47 - one page.
	TaskSize64 uint64 = UserTop - PageSize
	// TaskSize32 is IA32_PAGE_OFFSET, the end of a compat task.
	TaskSize32 uint64 = 0xFFFFE000
	// StackGuardGap is stack_guard_gap: 256 pages kept free below a
	// VM_GROWSDOWN VMA.
	StackGuardGap uint64 = 256 * PageSize
	// DefaultStackLimit is RLIMIT_STACK's default soft limit (8 MiB).
	DefaultStackLimit uint64 = 8 << 20
	// MmapMinAddr is vm.mmap_min_addr (4096 on the reference host).
	MmapMinAddr uint64 = PageSize
	// MaxMapCount is vm.max_map_count.
	MaxMapCount = 65530
	// mmapGapMin is MIN_GAP in mmap_base: 128 MiB below the stack top.
	mmapGapMin uint64 = 128 << 20
)

// Layout is one task's address-space geometry.
type Layout struct {
	TaskSize uint64 // TASK_SIZE: no user mapping ends above it
	StackTop uint64 // STACK_TOP: the stack grows down from here
	MmapBase uint64 // mm->mmap_base: top-down placement starts below it
	Compat   bool   // a 32-bit (i386) task
}

// Layout64 is the layout of a 64-bit task: mmap_base 128 MiB below the
// stack top, 0x7ffff7fff000, as Linux with randomisation off.
func Layout64() Layout {
	return Layout{TaskSize: TaskSize64, StackTop: TaskSize64, MmapBase: TaskSize64 - mmapGapMin}
}

// Layout32 is the layout of a compat task: everything below 0xFFFFE000.
func Layout32() Layout {
	return Layout{TaskSize: TaskSize32, StackTop: TaskSize32, MmapBase: TaskSize32 - mmapGapMin, Compat: true}
}
