// Into ring 3 and back for system calls: enterUser, the fast exits that
// SYSCALL and INT $0x80 from ring 3 take (syscallEntry, syscall32Entry,
// int80Entry), and the return to the goroutine. user.go explains the
// design; the UserRegs and TrapInfo offsets come from its constants via
// go_asm.h.
//
// Runs beneath the runtime: NOSPLIT, no allocation. enterUser runs with
// interrupts off; the exits with interrupts on, but an interrupt that
// arrives before they are back on the goroutine's stack waits until then
// (irq_window.go).

#include "textflag.h"
#include "go_asm.h"
#include "sse_amd64.h"
#include "user_exit_amd64.h"

// enterUser runs a user thread that SwitchToUser (just before, with
// interrupts held back) checked, carrying out its plan (entryPlan, one
// load: every global tested here would be another trip through QEMU's
// soft TLB). It turns interrupts off; if one arrived while SwitchToUser
// prepared, it returns false at once, for SwitchToUser to undo, replay
// and prepare again (irq_window.go). Otherwise it notes where to come
// back, loads the data selectors and FS/GS bases that need it (a null
// selector can clear a base), then the SSE state, then the general
// registers straight from UserRegs, and returns to ring 3 with SYSRET, or
// with IRETQ through the frame SwitchToUser built on this thread's
// nucleus stack. The goroutine continues after its CALL, with true in
// the result, when a trap hands control back (RESUME_GOROUTINE,
// returnToKernel).
//
// func enterUser() (entered bool)
TEXT ·enterUser(SB),NOSPLIT|NOFRAME,$0-1
	// 2 KiB aligned, with the exits and userExitTail after it in this
	// file (the linker keeps a package's assembly in source order):
	// the group, some 1,600 bytes, then lies in one page. A jump to
	// another page, or a block that runs on into the next one, is a
	// lookup of QEMU's jump cache; one here once shared an entry with
	// syscallEntry's (bench/README.md). cmd/ringo's build checks it.
	PCALIGN $2048
	CLI
	MOVB $0, ·userWindow(SB) // nothing can arrive now
	CMPQ ·deferredIRQ(SB), $0
	JEQ enter
	// An interrupt arrived while SwitchToUser prepared: give up, with
	// interrupts off, and let the caller undo and replay (user.go).
	MOVB $0, entered+0(FP)
	RET
enter:
	MOVB $1, entered+0(FP)
	PUSHQ BP
	MOVQ SP, ·kernelReturnSP(SB)
	MOVQ ·curUserRegs(SB), DI
	MOVL ·entryPlan(SB), BX
	// Selectors, the GS base and the FS base by WRMSR, out of line:
	// the usual system call needs none of them, and every branch is a
	// block boundary to TCG. The FS base is written every time, since
	// the exit put Go's TLS there: WRFSBASE (fsgsbase.go; WRMSR would
	// end the translated block).
	TESTL $const_planSegs, BX
	JNZ segs
	MOVQ const_urFSBase(DI), AX
	WRFSBASEQ AX
segsloaded:
	// The user's SSE state by moves when its x87 registers are still
	// in the CPU; the whole FXSAVE image when another thread's are
	// (SwitchToUser moved those out). MXCSR only if the CPU's differs
	// from the user's: LDMXCSR costs a dozen moves under TCG, STMXCSR a
	// third of that. The CPU's may differ in the exception flags alone,
	// which the kernel's own floating point sets (mxcsrKernel), and
	// which must not show in the user's. The slot below SP is free:
	// interrupts are off.
	MOVQ ·curUserFPU(SB), AX
	TESTL $const_planFullFPU, BX
	JNZ fullfpu
	STMXCSR -8(SP)
	MOVL -8(SP), CX
	CMPL CX, 24(AX)
	JNE loadmxcsr
mxcsrloaded:
	RESTORE_XMM(AX)
fpuloaded:
	// Every general register from UserRegs; DI, the base, last. The
	// flags of this TESTL decide the return: loads leave them be.
	TESTL $const_planIRET, BX
	MOVQ const_urR15(DI), R15
	MOVQ const_urR14(DI), R14
	MOVQ const_urR13(DI), R13
	MOVQ const_urR12(DI), R12
	MOVQ const_urR10(DI), R10
	MOVQ const_urR9(DI), R9
	MOVQ const_urR8(DI), R8
	MOVQ const_urRBP(DI), BP
	MOVQ const_urRSI(DI), SI
	MOVQ const_urRDX(DI), DX
	MOVQ const_urRAX(DI), AX
	JNZ iret
	// SYSRET, Linux's fast path (entry_SYSCALL_64): RIP from RCX, which
	// SwitchToUser found equal to the checked RIP (canonical, lower half;
	// Intel SDM: SYSRET to a non-canonical RIP faults in ring 0), and
	// RFLAGS from R11, the sanitized flags SwitchToUser left in
	// userRFLAGS. Interrupts stay off until SYSRET loads RFLAGS; RSP is
	// the user's for these last instructions, which push nothing.
	MOVQ const_urRCX(DI), CX
	MOVQ ·userRFLAGS(SB), R11
	MOVQ const_urRSP(DI), SP
	TESTL $const_planSysret32, BX
	MOVQ const_urRBX(DI), BX
	MOVQ const_urRDI(DI), DI
	JNE sysretl
	BYTE $0x48; BYTE $0x0f; BYTE $0x07 // SYSRETQ (Go assembles SYSRET without REX.W)
sysretl:
	// SYSRETL: to compat mode, CS = STAR[63:48] (0x23), EIP = ECX,
	// after a compat SYSCALL from the vDSO (SwitchToUser).
	BYTE $0x0f; BYTE $0x07
iret:
	// IRETQ through the frame SwitchToUser built at the top of this
	// thread's nucleus stack (RIP, CS, RFLAGS, RSP, SS).
	MOVQ ·curKstackTop(SB), SP
	SUBQ $(TrapFrame__size-TrapFrame_RIP), SP
	MOVQ const_urR11(DI), R11
	MOVQ const_urRCX(DI), CX
	MOVQ const_urRBX(DI), BX
	MOVQ const_urRDI(DI), DI
	IRETQ

// The rare parts of enterUser, out of its straight line.
segs:
	TESTL $const_planLoadDS, BX
	JZ nods
	MOVW ·userSel+0(SB), AX
	MOVW AX, DS
nods:
	TESTL $const_planLoadES, BX
	JZ noes
	MOVW ·userSel+2(SB), AX
	MOVW AX, ES
noes:
	TESTL $const_planLoadFS, BX
	JZ nofs
	MOVW ·userSel+4(SB), AX
	MOVW AX, FS
nofs:
	TESTL $const_planLoadGS, BX
	JZ nogs
	MOVW ·userSel+6(SB), AX
	MOVW AX, GS
nogs:
	TESTL $const_planGSBase, BX // the GS base (the kernel never uses GS)
	JZ gsbasedone
	MOVQ const_urGSBase(DI), AX
	TESTL $const_planFSBaseMSR, BX // no FSGSBASE: both bases by WRMSR
	JNZ gsmsr
	WRGSBASEQ AX
	JMP gsbasedone
gsmsr:
	MOVL $const_msrGSBase, CX
	MOVL const_urGSBase(DI), AX
	MOVL (const_urGSBase+4)(DI), DX
	WRMSR
gsbasedone:
	MOVQ const_urFSBase(DI), AX
	TESTL $const_planFSBaseMSR, BX
	JNZ fsmsr
	WRFSBASEQ AX
	JMP segsloaded
fsmsr:
	MOVL $const_msrFSBase, CX
	MOVL const_urFSBase(DI), AX
	MOVL (const_urFSBase+4)(DI), DX
	WRMSR
	JMP segsloaded
fullfpu:
	FXRSTOR64 (AX)
	JMP fpuloaded
loadmxcsr:
	LDMXCSR 24(AX)
	JMP mxcsrloaded

// The fast exits: how a system call from ring 3 reaches the goroutine
// waiting in enterUser with no Go code in between. Each stores the
// general registers and the return frame (RIP, CS, RFLAGS, RSP, SS)
// straight into UserRegs, then joins userExitTail with the trap kind in
// BX. orig_ax is left to the task layer, which sets it as the call begins
// (Task.syscall). A system call's TrapInfo is its Kind (and StackWord):
// Vector, ErrorCode and CR2 describe exceptions only and are not written.

// SAVE_GPRS stores every general register but RSP into the UserRegs at
// DI, whose own value the exit parked in fastScratch first.
#define SAVE_GPRS \
	MOVQ AX, const_urRAX(DI); \
	MOVQ BX, const_urRBX(DI); \
	MOVQ CX, const_urRCX(DI); \
	MOVQ DX, const_urRDX(DI); \
	MOVQ SI, const_urRSI(DI); \
	MOVQ BP, const_urRBP(DI); \
	MOVQ R8, const_urR8(DI); \
	MOVQ R9, const_urR9(DI); \
	MOVQ R10, const_urR10(DI); \
	MOVQ R11, const_urR11(DI); \
	MOVQ R12, const_urR12(DI); \
	MOVQ R13, const_urR13(DI); \
	MOVQ R14, const_urR14(DI); \
	MOVQ R15, const_urR15(DI); \
	MOVQ ·fastScratch(SB), AX; \
	MOVQ AX, const_urRDI(DI)

// SYSCALL_EXIT is a SYSCALL's fast exit for the given user CS and trap
// kind: SYSCALL left RIP in RCX and RFLAGS in R11, and SS is always the
// user data selector (STAR).
#define SYSCALL_EXIT(cs, kind) \
	MOVQ DI, ·fastScratch(SB); \
	MOVQ ·curUserRegs(SB), DI; \
	MOVQ SP, const_urRSP(DI); \
	MOVQ CX, const_urRIP(DI); \
	MOVQ R11, const_urRFLAGS(DI); \
	MOVQ cs, const_urCS(DI); \
	MOVQ $const_userDS, const_urSS(DI); \
	SAVE_GPRS; \
	MOVL kind, BX; \
	JMP ·userExitTail(SB)

// syscallEntry is LSTAR: every 64-bit SYSCALL lands here with RCX =
// return RIP, R11 = RFLAGS and interrupts as they were (SFMASK leaves IF:
// irq_window.go). User RIPs are lower-half addresses, the kernel's
// upper-half: the sign of the return address says who called. The
// runtime's own calls, from ring 0, go to runtimeSyscall (trap_amd64.s).
// Ring 3's take the fast exit right here, in the same function, so that
// it is never a jump to another page (a lookup of QEMU's jump cache).
//
// SYSCALL did not switch stacks: RSP is still the user's. The exit stores
// it as the user's RSP and needs no stack of its own (it pushes and calls
// nothing); every vector that could arrive meanwhile has its own IST
// stack, and an interrupt waits (irq_window.go). RESUME_GOROUTINE loads
// the goroutine's SP. The frame goes straight into UserRegs, with no
// interrupt-style frame built and copied (Linux's entry_SYSCALL_64 pushes
// its pt_regs the same way, from registers).
TEXT ·syscallEntry(SB),NOSPLIT|NOFRAME,$0
	MOVB $1, ·userWindow(SB) // an interrupt from here on waits (irq_window.go)
	TESTQ CX, CX
	JS fromkernel
	SYSCALL_EXIT($const_userCS64, $const_kindSyscall)
fromkernel:
	JMP ·runtimeSyscall(SB)

// syscall32Entry is CSTAR: SYSCALL executed by 32-bit (compat mode) user
// code. AMD CPUs (and QEMU's qemu64, an AMD model) take it here; Intel
// CPUs raise #UD instead and never come here. It is syscallEntry's exit
// with the 32-bit CS and its own trap kind: SYSCALL put the return address
// in RCX, so the caller's ECX is lost, and the task layer accepts the call
// only from the vDSO's __kernel_vsyscall, which kept ECX in EBP and EBP on
// the stack (kernel/compat_syscall.go). Anywhere else it becomes the #UD
// an Intel CPU would raise. Without an entry here CSTAR would be 0 and a
// 32-bit program could crash the kernel with two bytes. Only 32-bit code
// runs SYSCALL into CSTAR, so there is no ring-0 caller to tell apart.
TEXT ·syscall32Entry(SB),NOSPLIT|NOFRAME,$0
	MOVB $1, ·userWindow(SB) // an interrupt from here on waits (irq_window.go)
	SYSCALL_EXIT($const_userCS32, $const_kindSyscall32)

// int80Entry is the IDT gate of INT $0x80, the i386 system call: a trap
// gate on IST4, so interrupts stay on and wait (irq_window.go). From ring
// 3 it takes the fast exit, copying the frame INT pushed (0(SP) RIP, CS,
// RFLAGS, RSP, SS); the nucleus itself never issues it, so anything else
// goes the common way (and is ignored there).
TEXT ·int80Entry(SB),NOSPLIT|NOFRAME,$0
	MOVB $1, ·userWindow(SB) // an interrupt from here on waits
	TESTQ $3, 8(SP) // CS of the caller
	JZ notuser
	MOVQ DI, ·fastScratch(SB)
	MOVQ ·curUserRegs(SB), DI
	SAVE_GPRS
	MOVQ 0(SP), AX
	MOVQ AX, const_urRIP(DI)
	MOVQ 8(SP), AX
	MOVQ AX, const_urCS(DI)
	MOVQ 16(SP), AX
	MOVQ AX, const_urRFLAGS(DI)
	MOVQ 24(SP), AX
	MOVQ AX, const_urRSP(DI)
	MOVQ 32(SP), AX
	MOVQ AX, const_urSS(DI)
	MOVL $const_kindInt80, BX
	JMP ·userExitTail(SB)
notuser:
	MOVB $0, ·userWindow(SB) // trap() services what arrived meanwhile
	JMP ·trapStub128(SB)

// RESUME_GOROUTINE ends every fast exit: back on the goroutine's stack,
// it pops the frame pointer enterUser pushed and returns to enterUser's
// caller, leaving the exit window. Interrupts are on already, unless one
// was deferred: then it is replayed first (replayIRQ).
#define RESUME_GOROUTINE \
	MOVQ ·kernelReturnSP(SB), SP; \
	MOVQ 0(SP), BP; \
	ADDQ $8, SP; \
	MOVB $0, ·userWindow(SB); \
	CMPQ ·deferredIRQ(SB), $0; \
	JNE replay; \
	RET; \
replay: \
	JMP ·replayIRQ(SB)

// userExitTail is the rest of every fast exit, with UserRegs filled and
// the trap kind in BX: the rest of the user state (SAVE_USER_STATE), the
// TrapInfo, the TSC, and back to the goroutine.
TEXT ·userExitTail(SB),NOSPLIT|NOFRAME,$0
	SAVE_USER_STATE
	MOVQ ·curUserInfo(SB), DI
	MOVQ BX, const_tiKind(DI)
	RDTSC // the trap's time, for the task layer's accounting (SwitchToUser converts it)
	SHLQ $32, DX
	ORQ DX, AX
	MOVQ AX, ·exitTSC(SB)
	CMPQ BX, $const_kindSyscall32
	JEQ stackword
	RESUME_GOROUTINE
stackword:
	// SYSCALL from 32-bit code: the task layer wants the word at the
	// caller's ESP, the EBP __kernel_vsyscall pushed
	// (kernel/compat_syscall.go). Read it here, where the user's
	// address space is still loaded, the user state is saved and Go's
	// TLS is back (the read may fault: see compatStackLoad).
	MOVQ ·curUserRegs(SB), CX
	MOVL const_urRSP(CX), CX // the caller's ESP, zero-extended: a user address
	XORL AX, AX
	JMP ·compatStackLoad(SB)

// compatStackLoad is the nucleus's one load that may fault on purpose:
// the user's stack word, read straight through the user's page tables,
// as Linux's get_user does. A #PF here is not an oops: exception()
// (trap.go) finds this address in its exception table and resumes at
// compatStackDone with AX still 0, "could not be read". (With SMAP on,
// this load would need STAC/CLAC around it; the nucleus leaves SMAP off.)
TEXT ·compatStackLoad(SB),NOSPLIT|NOFRAME,$0
	MOVL (CX), AX
	BTSQ $32, AX // read: bit 32 says so (a 0 word is a valid word)
	JMP ·compatStackDone(SB)

// compatStackDone stores what compatStackLoad found and resumes the
// goroutine.
TEXT ·compatStackDone(SB),NOSPLIT|NOFRAME,$0
	MOVQ ·curUserInfo(SB), DI
	MOVQ AX, const_tiStackWord(DI)
	RESUME_GOROUTINE

// replayIRQ services an interrupt held back in the window (irq_window.go)
// and turns interrupts on: it raises it again through vecIRQReplay, which
// may switch threads like any interrupt. RESUME_GOROUTINE jumps here, so
// that its RET returns to enterUser's caller; SwitchToUser calls it after
// enterUser gave up.
//
// func replayIRQ()
TEXT ·replayIRQ(SB),NOSPLIT|NOFRAME,$0
	INT $const_vecIRQReplay
	STI
	RET

// The exception table's addresses (trap.go).
DATA ·compatStackLoadAddr+0(SB)/8, $·compatStackLoad(SB)
GLOBL ·compatStackLoadAddr(SB), NOPTR|RODATA, $8
DATA ·compatStackDoneAddr+0(SB)/8, $·compatStackDone(SB)
GLOBL ·compatStackDoneAddr(SB), NOPTR|RODATA, $8

// int80Entry's address, for trapCommon's window test (irq_window.go).
DATA ·int80EntryAddr+0(SB)/8, $·int80Entry(SB)
GLOBL ·int80EntryAddr(SB), NOPTR|RODATA, $8

// returnToKernel resumes the goroutine waiting in enterUser, where
// enterUser left off, after an exception or interrupt from ring 3
// (trapCommon); the system calls' exits end in RESUME_GOROUTINE. The XMM
// registers still hold the user's values, which is fine: Go's ABI treats
// them as scratch across the call and its wrapper zeroes X15 again; MXCSR
// is the default.
TEXT ·returnToKernel(SB),NOSPLIT|NOFRAME,$0
	MOVQ ·kernelReturnSP(SB), SP
	JMP ·resumeGoroutine(SB) // pops the frame pointer enterUser pushed, STI, RET

