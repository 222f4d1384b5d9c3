package amd64

import "unsafe"

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

// FPUState holds the FXSAVE image of a thread's x87/SSE state (Intel SDM
// Vol. 1 §10.5.1). FXSAVE and FXRSTOR need a 16-byte-aligned area, which
// Go cannot promise for a field inside a struct, so the storage has 16
// bytes of slack and Image/Addr give the aligned 512-byte window.
type FPUState struct {
	raw [512 + 16]byte
}

// Addr is the address of the aligned FXSAVE area (for the nucleus).
func (f *FPUState) Addr() uintptr {
	return (uintptr(unsafe.Pointer(&f.raw[0])) + 15) &^ 15
}

// Image is the 512-byte FXSAVE image.
func (f *FPUState) Image() []byte {
	off := f.Addr() - uintptr(unsafe.Pointer(&f.raw[0]))
	return f.raw[off : off+512]
}

// MXCSRFeatureMask is Linux's mxcsr_feature_mask: the MXCSR bits this CPU
// accepts, from the MXCSR_MASK field that FXSAVE stores (Intel SDM Vol. 1
// §11.6.6). LDMXCSR and FXRSTOR raise #GP on any other bit, so an MXCSR
// from outside the CPU (a sigreturn frame) is checked against it. The
// nucleus sets it once at boot; until then, and on the host tests' CPU,
// it is MXCSRBaseMask.
var MXCSRFeatureMask uint32 = MXCSRBaseMask

// MXCSRBaseMask is the SDM's MXCSR_MASK for a CPU that stores 0 there:
// every bit of the low 16 but DAZ, which every CPU accepts.
const MXCSRBaseMask = 0xffbf

// Where MXCSR and MXCSR_MASK sit in the FXSAVE image (Intel SDM Vol. 1
// Table 10-2).
const (
	FxMXCSR     = 24
	FxMXCSRMask = 28
)

// Reset gives a fresh thread's state: FNINIT's x87 control word 0x37f and
// the default MXCSR 0x1f80 (Intel SDM Vol. 1 §10.5.1, Linux's
// fpstate_init_fxstate), with the MXCSR_MASK word FXSAVE would store, so
// that a signal frame written before the first FXSAVE reads as one.
func (f *FPUState) Reset() {
	*f = FPUState{}
	img := f.Image()
	img[0], img[1] = 0x7f, 0x03               // FCW
	img[FxMXCSR], img[FxMXCSR+1] = 0x80, 0x1f // 0x1f80
	m := MXCSRFeatureMask
	img[FxMXCSRMask], img[FxMXCSRMask+1], img[FxMXCSRMask+2], img[FxMXCSRMask+3] = byte(m), byte(m>>8), byte(m>>16), byte(m>>24)
}

// TrapKind says why SwitchToUser returned.
type TrapKind int

const (
	TrapSyscall   TrapKind = iota + 1 // SYSCALL from 64-bit code: RAX = number
	TrapInt80                         // INT $0x80: the i386 syscall gate
	TrapPageFault                     // #PF: CR2 and ErrorCode set
	TrapException                     // another CPU exception: Vector, ErrorCode
	TrapInterrupt                     // a device or timer interrupt (preemption point)
	// TrapSyscall32 is SYSCALL from compatibility mode (AMD CPUs take it
	// through MSR_CSTAR; Intel's raise #UD). RIP is the address after the
	// instruction, RCX and R11 hold what SYSCALL put there (the return
	// address and RFLAGS): the caller's ECX is gone, so the task layer
	// accepts it only from the vDSO's __kernel_vsyscall, which saved ECX.
	TrapSyscall32
)

// TrapInfo is what SwitchToUser reports. Vector, ErrorCode and CR2
// describe exceptions and interrupts; after a system call they hold
// whatever an earlier trap left (the nucleus's fast exits write only Kind,
// StackWord and Time), as Linux's thread.trap_nr and cr2 do.
type TrapInfo struct {
	Kind      TrapKind
	Vector    uint64
	ErrorCode uint64
	CR2       uint64
	// StackWord, for TrapSyscall32, is the 32-bit word at the caller's
	// ESP (where __kernel_vsyscall pushed its EBP) with bit 32 set, or 0
	// if that word could not be read.
	StackWord uint64
	// Time is CLOCK_MONOTONIC in ns when the CPU left user mode, read by
	// the nucleus on the way out so that the task layer's accounting
	// needs no clock call of its own; 0 if the platform does not stamp
	// traps (the host tests' fake CPUs).
	Time int64
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
