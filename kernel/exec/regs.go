package exec

// The register state a new image enters ring 3 with (§8.3).

// Segment selectors of the GDT's user descriptors (arch/x86/include/asm/segment.h).
const (
	UserCS   = 0x33 // __USER_CS: 64-bit code, RPL 3
	User32CS = 0x23 // __USER32_CS: 32-bit code, RPL 3
	UserDS   = 0x2b // __USER_DS: data and stack, RPL 3
)

// rflagsIF and rflagsFixed are X86_EFLAGS_IF and X86_EFLAGS_FIXED (bit 1,
// always set).
const (
	rflagsIF    = 0x200
	rflagsFixed = 0x2
)

// Regs is the user register file a task starts from. It is a plain struct
// for the architecture code to load; every field not set here is zero, as
// ELF_PLAT_INIT and elf_common_init leave it. In particular RDX is 0:
// glibc's _start passes it to __libc_start_main as rtld_fini and would
// register a non-NULL value with atexit.
type Regs struct {
	RAX, RBX, RCX, RDX, RSI, RDI, RBP, RSP uint64
	R8, R9, R10, R11, R12, R13, R14, R15   uint64
	RIP, RFLAGS                            uint64
	CS, SS, DS, ES, FS, GS                 uint16
	FSBase, GSBase                         uint64
}

// StartThread returns the initial registers for the planned image and its
// stack: rip = entry, rsp = the stack pointer, RFLAGS = IF|fixed (0x202),
// CS/SS = 0x33/0x2b for a 64-bit task and CS/SS/DS/ES = 0x23/0x2b/0x2b/0x2b
// for ia32; FS and GS selectors and bases are 0. The FPU/SSE state starts
// fresh, which is the architecture code's part.
//
// Mirrors arch/x86/kernel/process_64.c:start_thread and compat_start_thread
// (start_thread_common) with ELF_PLAT_INIT.
func StartThread(p *Plan, s *Stack) Regs {
	r := Regs{RIP: p.Entry, RSP: s.SP, RFLAGS: rflagsIF | rflagsFixed, CS: UserCS, SS: UserDS}
	if p.ABI == ABIIA32 {
		r.CS, r.DS, r.ES = User32CS, UserDS, UserDS
	}
	return r
}
