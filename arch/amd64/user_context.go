package amd64

// The state of a user thread while the kernel holds it, and why the CPU
// came back from ring 3. Plain data, shared by the nucleus (which enters
// and leaves ring 3: SwitchToUser) and the task layer (which dispatches
// what comes back). Linux keeps the same in struct pt_regs plus
// thread_struct (fsbase, gsbase, tls_array).

// UserRegs is a user thread's integer register state.
type UserRegs struct {
	R15, R14, R13, R12, R11, R10, R9, R8 uint64
	RBP, RDI, RSI, RDX, RCX, RBX, RAX    uint64
	RIP, RFLAGS, RSP                     uint64
	// CS and SS select the mode: 0x33/0x2b for 64-bit code, 0x23/0x2b for
	// ia32 (compat) code. The nucleus forces RPL 3 and refuses others.
	CS, SS uint64
	// Data segment selectors, meaningful for ia32 tasks (glibc loads GS
	// with its set_thread_area slot, entry*8+3). 0 or 0x2b otherwise.
	DS, ES, FS, GS uint16
	FSBase, GSBase uint64
	// TLS holds the three GDT TLS descriptors (slots 12-14) of this
	// thread, installed by set_thread_area and loaded on every entry.
	TLS [3]uint64
	// OrigRAX is the syscall number as it arrived (Linux's orig_ax).
	OrigRAX uint64
}

// Selectors of user mode (Linux's __USER_CS, __USER32_CS, __USER_DS).
const (
	UserCS64 = 0x33
	UserCS32 = 0x23
	UserDS   = 0x2b
)

// FPUState is the FXSAVE image of a thread's x87/SSE state. It must be
// 16-byte aligned: allocate it as part of a struct whose first field it is,
// or use NewFPUState.
type FPUState struct {
	Bytes [512]byte
}

// FPUDefault is the state of a fresh thread (FNINIT + default MXCSR
// 0x1f80), Intel SDM Vol. 1 §10.5.1.
func (f *FPUState) Reset() {
	*f = FPUState{}
	f.Bytes[0] = 0x7f // FCW = 0x037f
	f.Bytes[1] = 0x03
	f.Bytes[24] = 0x80 // MXCSR = 0x1f80
	f.Bytes[25] = 0x1f
}

// TrapKind says why SwitchToUser returned.
type TrapKind int

const (
	TrapSyscall   TrapKind = iota + 1 // SYSCALL from 64-bit code: RAX = number
	TrapInt80                         // INT $0x80: the i386 syscall gate
	TrapPageFault                     // #PF: CR2 and ErrorCode set
	TrapException                     // another CPU exception: Vector, ErrorCode
	TrapInterrupt                     // a device or timer interrupt (preemption point)
)

// TrapInfo is what SwitchToUser reports.
type TrapInfo struct {
	Kind      TrapKind
	Vector    uint64
	ErrorCode uint64
	CR2       uint64
}

// Exception vectors the task layer maps to signals (Intel SDM Vol. 3A
// Table 6-1; Linux arch/x86/kernel/traps.c).
const (
	VecDivide     = 0  // #DE → SIGFPE FPE_INTDIV
	VecDebug      = 1  // #DB → SIGTRAP
	VecBreakpoint = 3  // #BP (INT3) → SIGTRAP
	VecOverflow   = 4  // #OF → SIGSEGV
	VecBound      = 5  // #BR → SIGSEGV
	VecInvalidOp  = 6  // #UD → SIGILL ILL_ILLOPN
	VecDevNA      = 7  // #NM
	VecSegNP      = 11 // #NP → SIGBUS
	VecStack      = 12 // #SS → SIGBUS
	VecGP         = 13 // #GP → SIGSEGV SI_KERNEL
	VecPageFault  = 14 // #PF
	VecX87        = 16 // #MF → SIGFPE
	VecAlignment  = 17 // #AC → SIGBUS
	VecSIMD       = 19 // #XM → SIGFPE
)
