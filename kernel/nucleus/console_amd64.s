// serialWrite: the console's transmit loop in one leaf function, so that a
// log line costs a single shallow call on the nosplit trap paths.
// Runs beneath the runtime: NOSPLIT, no stack frame.

#include "textflag.h"

// func serialWrite(p, n uintptr)
TEXT ·serialWrite(SB),NOSPLIT,$0-16
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	TESTQ CX, CX
	JZ done
next:
	MOVW $0x3fd, DX // COM1 line status register
wait:
	INB
	TESTB $0x20, AL // transmit holding register empty
	JZ wait
	MOVW $0x3f8, DX
	MOVB (SI), AL
	OUTB
	INCQ SI
	DECQ CX
	JNZ next
done:
	RET
