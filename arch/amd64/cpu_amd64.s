// Privileged instructions for the nucleus. NOSPLIT, no stack frame beyond
// the arguments, no SSE: safe beneath the runtime and on trap paths.

#include "textflag.h"

TEXT ·Outb(SB),NOSPLIT,$0-3
	MOVW port+0(FP), DX
	MOVB v+2(FP), AX
	OUTB
	RET

TEXT ·Inb(SB),NOSPLIT,$0-9
	MOVW port+0(FP), DX
	XORQ AX, AX
	INB
	MOVB AX, ret+8(FP)
	RET

TEXT ·Outl(SB),NOSPLIT,$0-8
	MOVW port+0(FP), DX
	MOVL v+4(FP), AX
	OUTL
	RET

TEXT ·Rdmsr(SB),NOSPLIT,$0-16
	MOVL msr+0(FP), CX
	RDMSR
	SHLQ $32, DX
	ORQ DX, AX
	MOVQ AX, ret+8(FP)
	RET

TEXT ·Wrmsr(SB),NOSPLIT,$0-16
	MOVL msr+0(FP), CX
	MOVQ v+8(FP), AX
	MOVQ AX, DX
	SHRQ $32, DX
	WRMSR
	RET

TEXT ·Wrfsbase(SB),NOSPLIT,$0-8
	MOVQ v+0(FP), AX
	WRFSBASEQ AX
	RET

TEXT ·Rdtsc(SB),NOSPLIT,$0-8
	RDTSC
	SHLQ $32, DX
	ORQ DX, AX
	MOVQ AX, ret+0(FP)
	RET

TEXT ·Cpuid(SB),NOSPLIT,$0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

TEXT ·ReadCR0(SB),NOSPLIT,$0-8
	MOVQ CR0, AX
	MOVQ AX, ret+0(FP)
	RET

TEXT ·ReadCR2(SB),NOSPLIT,$0-8
	MOVQ CR2, AX
	MOVQ AX, ret+0(FP)
	RET

TEXT ·ReadCR3(SB),NOSPLIT,$0-8
	MOVQ CR3, AX
	MOVQ AX, ret+0(FP)
	RET

TEXT ·ReadCR4(SB),NOSPLIT,$0-8
	MOVQ CR4, AX
	MOVQ AX, ret+0(FP)
	RET

TEXT ·WriteCR0(SB),NOSPLIT,$0-8
	MOVQ v+0(FP), AX
	MOVQ AX, CR0
	RET

TEXT ·WriteCR3(SB),NOSPLIT,$0-8
	MOVQ v+0(FP), AX
	MOVQ AX, CR3
	RET

TEXT ·WriteCR4(SB),NOSPLIT,$0-8
	MOVQ v+0(FP), AX
	MOVQ AX, CR4
	RET

TEXT ·Invlpg(SB),NOSPLIT,$0-8
	MOVQ va+0(FP), AX
	INVLPG (AX)
	RET

TEXT ·Lgdt(SB),NOSPLIT,$0-8
	MOVQ p+0(FP), AX
	LGDT (AX)
	RET

TEXT ·Lidt(SB),NOSPLIT,$0-8
	MOVQ p+0(FP), AX
	LIDT (AX)
	RET

TEXT ·Ltr(SB),NOSPLIT,$0-2
	MOVW sel+0(FP), AX
	LTR AX
	RET

// ReloadSegments: a far return is the only way to load CS in long mode.
// Loading the null selector into FS clears FS_BASE, which holds Go's TLS
// (the caller's ABI wrapper reloads g from FS:-8 on return), so the base
// is saved around the loads.
TEXT ·ReloadSegments(SB),NOSPLIT,$0-4
	MOVL $0xc0000100, CX
	RDMSR
	MOVL AX, R8
	MOVL DX, R9
	MOVWQZX ds+2(FP), AX
	MOVW AX, DS
	MOVW AX, ES
	MOVW AX, SS
	XORL BX, BX
	MOVW BX, FS
	MOVW BX, GS
	MOVL R8, AX
	MOVL R9, DX
	WRMSR
	MOVWQZX cs+0(FP), AX
	LEAQ reloaded<>(SB), BX
	PUSHQ AX
	PUSHQ BX
	BYTE $0x48; BYTE $0xCB // LRETQ (REX.W RETF: pops 8-byte RIP and CS)

TEXT reloaded<>(SB),NOSPLIT|NOFRAME,$0
	RET

TEXT ·Halt(SB),NOSPLIT,$0-0
	STI
	HLT
	CLI
	RET

TEXT ·DisableInterrupts(SB),NOSPLIT,$0-0
	CLI
	RET

TEXT ·EnableInterrupts(SB),NOSPLIT,$0-0
	STI
	RET

TEXT ·ReadFlags(SB),NOSPLIT,$0-8
	PUSHFQ
	POPQ AX
	MOVQ AX, ret+0(FP)
	RET

TEXT ·Fxsave(SB),NOSPLIT,$0-8
	MOVQ p+0(FP), AX
	FXSAVE64 (AX)
	RET

TEXT ·Fxrstor(SB),NOSPLIT,$0-8
	MOVQ p+0(FP), AX
	FXRSTOR64 (AX)
	RET

TEXT ·ZeroPage(SB),NOSPLIT,$0-8
	MOVQ va+0(FP), DI
	XORQ AX, AX
	MOVQ $32, CX // 32 x 128 bytes
zeroloop:
	MOVQ AX, 0(DI)
	MOVQ AX, 8(DI)
	MOVQ AX, 16(DI)
	MOVQ AX, 24(DI)
	MOVQ AX, 32(DI)
	MOVQ AX, 40(DI)
	MOVQ AX, 48(DI)
	MOVQ AX, 56(DI)
	MOVQ AX, 64(DI)
	MOVQ AX, 72(DI)
	MOVQ AX, 80(DI)
	MOVQ AX, 88(DI)
	MOVQ AX, 96(DI)
	MOVQ AX, 104(DI)
	MOVQ AX, 112(DI)
	MOVQ AX, 120(DI)
	ADDQ $128, DI
	DECQ CX
	JNZ zeroloop
	RET

TEXT ·Memcpy(SB),NOSPLIT,$0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	CMPQ CX, $64
	JB words
blocks: // 64 bytes at a time
	MOVQ 0(SI), AX
	MOVQ 8(SI), BX
	MOVQ 16(SI), DX
	MOVQ 24(SI), R8
	MOVQ 32(SI), R9
	MOVQ 40(SI), R10
	MOVQ 48(SI), R11
	MOVQ 56(SI), R12
	MOVQ AX, 0(DI)
	MOVQ BX, 8(DI)
	MOVQ DX, 16(DI)
	MOVQ R8, 24(DI)
	MOVQ R9, 32(DI)
	MOVQ R10, 40(DI)
	MOVQ R11, 48(DI)
	MOVQ R12, 56(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $64, CX
	CMPQ CX, $64
	JAE blocks
words:
	CMPQ CX, $8
	JB bytes
	MOVQ 0(SI), AX
	MOVQ AX, 0(DI)
	ADDQ $8, SI
	ADDQ $8, DI
	SUBQ $8, CX
	JMP words
bytes:
	TESTQ CX, CX
	JZ done
	MOVB 0(SI), AX
	MOVB AX, 0(DI)
	INCQ SI
	INCQ DI
	DECQ CX
	JMP bytes
done:
	RET
