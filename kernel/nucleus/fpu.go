package nucleus

// Who owns the x87 registers. Every trap saves the SSE state (XMM0-15,
// MXCSR) with moves, because the kernel's Go code uses SSE. Nothing in the
// kernel uses the x87 unit (nor MMX, which aliases it), so a user thread's
// x87 registers can stay in the CPU while the kernel runs, and even while
// other runtime threads run: only another *user* thread needs them. The
// CPU's x87 state therefore belongs to fpuOwner, the FPUState of the user
// thread that last ran, and moves into that FPUState only when a different
// user thread is about to run (SwitchToUser) or when the task layer wants
// to read or replace the state (ReleaseFPU).
//
// This is Linux's deferred FPU restore (fpregs_state_valid and
// TIF_NEED_FPU_LOAD in arch/x86/kernel/fpu/context.h) cut down to one CPU
// and to the half of the state the kernel never touches. Under TCG it
// saves one FXSAVE and one FXRSTOR, about 0.5 µs, on every trap from ring 3.
//
// Runs with interrupts held back or off (SwitchToUser, ReleaseFPU's
// critical section): //go:nosplit, no allocation.

import (
	"github.com/ringo-os/ringo/arch/amd64"
)

var (
	// fpuOwner is the address of the FXSAVE area (FPUState.Addr) whose
	// x87 part lives in the CPU, or 0. Its SSE part is always in memory
	// once the thread has trapped out of ring 3.
	fpuOwner uintptr
	// fpuScratch receives FXSAVE when the x87 part is moved out; the SSE
	// part it also catches is the kernel's and is dropped.
	fpuScratch amd64.FPUState
)

// x87 bytes of the FXSAVE image (Intel SDM Vol. 1 Table 10-2): FCW, FSW,
// FTW, FOP, FIP and FDP in 0-23; ST0-ST7/MM0-MM7 in 32-159. Bytes 24-31
// are MXCSR and its mask, the SSE part.
const (
	fxX87HeadEnd = 24
	fxX87RegsOff = 32
	fxX87RegsEnd = 160
)

// takeFPU makes area's thread the owner of the x87 registers before it
// enters ring 3, and reports whether enterUser must load its whole image
// (the registers in the CPU were another thread's).
//
//go:nosplit
func takeFPU(area uintptr) (full bool) {
	if fpuOwner == area {
		return false
	}
	flushX87()
	fpuOwner = area
	return true
}

// flushX87 writes the CPU's x87 registers back into their owner's area.
//
//go:nosplit
func flushX87() {
	if fpuOwner == 0 {
		return
	}
	s := fpuScratch.Addr()
	amd64.Fxsave(s)
	amd64.Memcpy(fpuOwner, s, fxX87HeadEnd)
	amd64.Memcpy(fpuOwner+fxX87RegsOff, s+fxX87RegsOff, fxX87RegsEnd-fxX87RegsOff)
}

// ReleaseFPU makes fpu hold its thread's whole x87/SSE state and the CPU
// forget it: the task layer calls it before it reads the state (a signal
// frame), before it replaces it (sigreturn, execve) and before the
// FPUState is dropped (exit), since the nucleus would otherwise write into
// it later. The thread's next SwitchToUser loads the image whole.
func ReleaseFPU(fpu *amd64.FPUState) {
	amd64.DisableInterrupts()
	if fpuOwner == fpu.Addr() {
		flushX87()
		fpuOwner = 0
	}
	amd64.EnableInterrupts()
}
