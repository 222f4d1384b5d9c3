package nucleus

// The kernel half of every address space (PML4 slots 256-511). User
// programs own the lower half; these ranges are mapped supervisor-only and
// shared by every address space, so a trap never needs a CR3 switch.
//
// Plain constants; nothing here runs.
const (
	// KernelVirtBase: the image is linked at KernelVirtBase + its physical
	// load address, like Linux's __START_KERNEL_map. 0xffffffff80000000 is
	// reachable by sign-extended 32-bit absolute addresses.
	KernelVirtBase = 0xffffffff80000000
	// KernelPhysLoad is where the Multiboot loader puts the image.
	KernelPhysLoad = 0x400000

	// DirectMapBase maps all RAM: virt = DirectMapBase + phys (Linux's
	// page_offset_base without KASLR).
	DirectMapBase = 0xffff880000000000
	// BootDirectMapLimit is how much of the direct map entry32 builds
	// (1 GiB with 2 MiB pages); Init extends it from the memory map.
	BootDirectMapLimit = 1 << 30

	// The runtime's mmap area (Linux's vmalloc range): one PML4 slot of
	// 512 GiB, demand paged. Runtime reservations live here.
	MmapBase = 0xffffc90000000000
	MmapEnd  = MmapBase + 512<<30

	pageSize  = 4096
	pageShift = 12
)

// Segment selectors, Linux's x86-64 GDT layout (arch/x86/include/asm/segment.h),
// so that user programs see CS 0x33, SS 0x2b, and ia32 CS 0x23.
const (
	selKernelCS = 0x10
	selKernelDS = 0x18
	selUser32CS = 0x23
	selUserDS   = 0x2b
	selUserCS   = 0x33
	selTSS      = 0x40
	gdtTLSFirst = 12 // GDT_ENTRY_TLS_MIN under IA32 emulation
)
