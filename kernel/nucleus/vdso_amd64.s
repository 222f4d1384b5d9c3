// vdsoClockGettime: __vdso_clock_gettime of the kernel runtime's vDSO
// (vdso.go). The runtime calls it with the C convention: clock id in DI,
// *timespec in SI, 0 or -errno back in AX; it may clobber AX, CX, DX, SI,
// DI and R8-R11. CLOCK_REALTIME and CLOCK_MONOTONIC are the TSC clock of
// monotonicNow and realtimeNow (timer.go) with no system call; any other
// clock takes the clock_gettime system call.
//
// Runs in ring 0 on the runtime's g0 stack: NOSPLIT, no allocation.

#include "textflag.h"
#include "go_asm.h"

TEXT ·vdsoClockGettime(SB),NOSPLIT|NOFRAME,$0-0
	CMPL DI, $1
	JA other
	RDTSC
	SHLQ $32, DX
	ORQ DX, AX
	SUBQ ·clock+clockState_tsc0(SB), AX
	MULQ ·clock+clockState_mult(SB) // DX:AX = ticks * mult; ns = that >> 32
	SHRQ $32, AX
	SHLQ $32, DX
	ORQ DX, AX
	TESTL DI, DI
	JNZ split
	ADDQ ·clock+clockState_rtcBoot(SB), AX // CLOCK_REALTIME
split:
	XORL DX, DX
	MOVQ $1000000000, CX
	DIVQ CX // AX = seconds, DX = nanoseconds
	MOVQ AX, 0(SI)
	MOVQ DX, 8(SI)
	XORL AX, AX
	RET
other:
	MOVL $228, AX // clock_gettime
	SYSCALL
	RET

DATA ·vdsoClockGettimeAddr+0(SB)/8, $·vdsoClockGettime(SB)
GLOBL ·vdsoClockGettimeAddr(SB), NOPTR|RODATA, $8
