package exec

// The two process ABIs an executable can ask for, and the address-space
// numbers Linux gives each (arch/x86/include/asm/elf.h, page_64_types.h,
// processor.h, with 4-level paging).

import "fmt"

// PageSize is ELF_MIN_ALIGN and ELF_EXEC_PAGESIZE on x86.
const PageSize = 4096

// pageStart, pageOffset and pageAlign are ELF_PAGESTART, ELF_PAGEOFFSET and
// ELF_PAGEALIGN. They wrap modulo 2^64 exactly as the C macros do.
func pageStart(v uint64) uint64  { return v &^ (PageSize - 1) }
func pageOffset(v uint64) uint64 { return v & (PageSize - 1) }
func pageAlign(v uint64) uint64  { return (v + PageSize - 1) &^ (PageSize - 1) }

// ABI says which kind of task an executable becomes.
type ABI uint8

const (
	// ABI64 is a native x86-64 task (ELFCLASS64, EM_X86_64).
	ABI64 ABI = iota + 1
	// ABIIA32 is an i386 task under IA32 emulation (ELFCLASS32, EM_386 or
	// EM_486), loaded by fs/compat_binfmt_elf.c.
	ABIIA32
)

func (a ABI) String() string {
	switch a {
	case ABI64:
		return "x86_64"
	case ABIIA32:
		return "ia32"
	}
	return fmt.Sprintf("ABI(%d)", uint8(a))
}

// TaskSize is TASK_SIZE for a task of this ABI: the first address user space
// cannot map. 64-bit: TASK_SIZE_MAX = 2^47 - 4096; ia32: IA32_PAGE_OFFSET.
func (a ABI) TaskSize() uint64 {
	if a == ABIIA32 {
		return 0xFFFFE000
	}
	return 1<<47 - PageSize
}

// StackTop is STACK_TOP before randomization (TASK_SIZE_LOW: the 47-bit
// DEFAULT_MAP_WINDOW for 64-bit tasks, IA32_PAGE_OFFSET for ia32).
func (a ABI) StackTop() uint64 { return a.TaskSize() }

// ETDynBase is ELF_ET_DYN_BASE as seen by this ABI's loader: where a PIE with
// an interpreter is placed, and where a static PIE's brk starts.
// 64-bit: DEFAULT_MAP_WINDOW/3*2 = 0x555555554aaa. ia32 tasks are loaded by
// compat_binfmt_elf.c, which substitutes COMPAT_ELF_ET_DYN_BASE =
// TASK_UNMAPPED_BASE + 16 MiB = PAGE_ALIGN(0xFFFFE000/3) + 0x1000000 =
// 0x56555000 (the 0x400000 of ELF_ET_DYN_BASE applies only to a native i386
// kernel).
func (a ABI) ETDynBase() uint64 {
	if a == ABIIA32 {
		return pageAlign(a.TaskSize()/3) + 0x1000000
	}
	return (1<<47 - PageSize) / 3 * 2
}

// stackRndMask is STACK_RND_MASK: how many pages randomize_stack_top may
// move the stack down (16 GiB for 64-bit, 8 MiB for ia32).
func (a ABI) stackRndMask() uint64 {
	if a == ABIIA32 {
		return 0x7ff
	}
	return 0x3fffff
}

// brkRndRange is the range arch_randomize_brk draws the brk offset from.
func (a ABI) brkRndRange() uint64 {
	if a == ABIIA32 {
		return 32 << 20
	}
	return 1 << 30
}

// WordSize is sizeof(elf_addr_t): the width of argc, every pointer and every
// auxv word on the initial stack.
func (a ABI) WordSize() int {
	if a == ABIIA32 {
		return 4
	}
	return 8
}

// PhEnt is sizeof(struct elf_phdr) for this ABI; e_phentsize must equal it,
// and it is what AT_PHENT reports.
func (a ABI) PhEnt() int {
	if a == ABIIA32 {
		return 32
	}
	return 56
}

// Platform is ELF_PLATFORM (COMPAT_ELF_PLATFORM for ia32), the string
// AT_PLATFORM points at.
func (a ABI) Platform() string {
	if a == ABIIA32 {
		return "i686"
	}
	return "x86_64"
}
