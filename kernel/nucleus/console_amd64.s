// serialWrite: the console's transmit loop in one leaf function, so that a
// log line costs a single shallow call on the nosplit trap paths.
// Runs beneath the runtime: NOSPLIT, no stack frame.

#include "textflag.h"

// func serialWrite(p, n uintptr): COM1, the kernel log.
TEXT ·serialWrite(SB),NOSPLIT,$0-16
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	MOVW $0x3f8, BX
	JMP uartWrite<>(SB)

// func uartWrite(base uint16, p, n uintptr): any 16550 at base.
TEXT ·uartWrite(SB),NOSPLIT,$0-24
	MOVW base+0(FP), BX
	MOVQ p+8(FP), SI
	MOVQ n+16(FP), CX
	JMP uartWrite<>(SB)

// uartWrite<>: BX = UART base port, SI = bytes, CX = count.
TEXT uartWrite<>(SB),NOSPLIT|NOFRAME,$0
	TESTQ CX, CX
	JZ done
next:
	MOVW BX, DX
	ADDW $5, DX // line status register
wait:
	INB
	TESTB $0x20, AL // transmit holding register empty
	JZ wait
	MOVW BX, DX
	MOVB (SI), AL
	OUTB
	INCQ SI
	DECQ CX
	JNZ next
done:
	RET
