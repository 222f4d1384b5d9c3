// The first instructions Ringo executes: the Multiboot v1 entry.
//
// QEMU (or any Multiboot loader) jumps here in 32-bit protected mode with
// paging off, EAX = 0x2BADB002 and EBX = the physical address of the
// Multiboot information (Multiboot spec §3.2). The kernel is linked at
// KernelVirtBase + its physical address (Linux's __START_KERNEL_map), so
// until paging is on every symbol address must be turned into a physical
// one by subtracting that base.
//
// This file is assembled by the amd64 assembler but entry32 runs in 32-bit
// mode: it uses only REX-free encodings (MOVL, ADDL, register moves to
// control registers, RDMSR/WRMSR, LGDT). boot_test.go decodes these bytes
// with x86asm in 32-bit mode and checks them. Runs beneath the Go runtime:
// no stack until start64, nothing allocated.

#include "textflag.h"
#include "go_asm.h"


// entry32 builds the boot page tables, enables long mode and far-jumps to
// start64. Register use: DI = Multiboot magic, SI = info address (kept for
// start64), BX = physical address of the page-table pages.
TEXT ·entry32(SB),NOSPLIT|NOFRAME,$0
	CLI
	MOVL AX, DI
	MOVL BX, SI

	// A scratch stack in free conventional memory for the CALLs below.
	MOVL $0x7000, SP

	// Paging is off, so every address must be physical. The assembler
	// encodes LEAL sym(SB) RIP-relative; in 32-bit mode those bytes mean
	// "load the displacement", i.e. sym - (address after the LEAL), in
	// virtual terms. Adding the physical address of that point, found by
	// CALL/POP, gives sym's physical address. (POPQ is one byte, 0x58+r.)
	BYTE $0xe8; BYTE $0; BYTE $0; BYTE $0; BYTE $0 // CALL to the next instruction
	POPQ AX
	LEAL ·bootTables(SB), BX
	ADDL AX, BX
	ADDL $7, BX

	// Three 4 KiB tables, 4 KiB aligned, inside bootTables (bss, zeroed
	// by the loader): T0 = PML4, T1 = PDPT, T2 = PD mapping the first
	// 1 GiB with 2 MiB pages. The page after them holds the boot GDT.
	ADDL $4095, BX
	ANDL $0xfffff000, BX

	// PML4[0] (identity, for the jump to 64-bit code), PML4[272]
	// (the direct map at 0xffff880000000000) and PML4[511] (the kernel
	// image at 0xffffffff80000000) all point at T1.
	MOVL BX, AX
	ADDL $0x1003, AX // T1 | present | writable
	MOVL AX, 0(BX)
	MOVL AX, 2176(BX) // 272*8
	MOVL AX, 4088(BX) // 511*8

	// T1[0] and T1[510] point at T2: virtual 0 and 0xffffffff80000000
	// (and 0xffff880000000000) all reach physical 0..1 GiB.
	MOVL BX, AX
	ADDL $0x2003, AX
	MOVL AX, 4096(BX)
	MOVL AX, 8176(BX) // 4096 + 510*8

	// T2[i] = i * 2 MiB | PS | writable | present.
	MOVL BX, DX
	ADDL $0x2000, DX
	MOVL $0x83, AX
	MOVL $512, CX
fill:
	MOVL AX, 0(DX)
	ADDL $8, DX
	ADDL $0x200000, AX
	DECL CX
	JNZ fill

	// CR4: PAE (bit 5), PGE (7), OSFXSR (9), OSXMMEXCPT (10). SSE must be
	// usable before any Go code: ABI wrappers execute XORPS X15, X15.
	MOVQ CR4, AX
	ORL $0x6a0, AX
	MOVQ AX, CR4

	MOVQ BX, CR3

	// EFER (MSR 0xC0000080): SCE (bit 0), LME (8), NXE (11).
	MOVL $0xc0000080, CX
	RDMSR
	ORL $0x901, AX
	WRMSR

	// CR0: PE (0), MP (1), NE (5), WP (16), PG (31); EM (2) cleared.
	MOVQ CR0, AX
	ANDL $0xfffffffb, AX
	ORL $0x80010023, AX
	MOVQ AX, CR0

	// Now in IA-32e compatibility mode. Build a GDT with a 64-bit code
	// segment (0x08) and a data segment (0x10) in the page after the
	// tables, load it, and far-return into 64-bit code (PUSH CS; PUSH EIP;
	// RETF). The nucleus replaces this GDT before the runtime starts.
	MOVL $0x0000ffff, 12296(BX) // GDT[1] low: 64-bit code
	MOVL $0x00af9a00, 12300(BX)
	MOVL $0x0000ffff, 12304(BX) // GDT[2]: data
	MOVL $0x00cf9200, 12308(BX)
	MOVW $23, 12320(BX) // GDTR limit, then base
	MOVL BX, AX
	ADDL $12288, AX
	MOVL AX, 12322(BX)
	LGDT 12320(BX)

	BYTE $0xe8; BYTE $0; BYTE $0; BYTE $0; BYTE $0 // CALL to the next instruction
	POPQ AX
	LEAL ·start64(SB), CX
	ADDL AX, CX
	ADDL $7, CX
	PUSHQ $0x08
	PUSHQ CX
	BYTE $0xCB // RETF (32-bit: pops EIP, then CS)

// start64 runs in 64-bit mode at its physical address (identity map). It
// jumps to its own linked (upper-half) address, sets up the boot stack and
// a scratch FS base, and calls bootMain, which initialises the nucleus and
// returns the stack pointer for the Go runtime's entry.
TEXT ·start64(SB),NOSPLIT|NOFRAME,$0
	// MOVQ $sym assembles RIP-relative, which here would give the
	// physical address; an 8-byte DATA word holds the linked one.
	MOVQ ·start64highAddr(SB), AX
	JMP AX

TEXT ·start64high(SB),NOSPLIT|NOFRAME,$0
	MOVL $0x10, AX
	MOVW AX, DS
	MOVW AX, ES
	MOVW AX, SS
	MOVL DI, ·bootMagic(SB)
	MOVL SI, ·bootInfoPhys(SB)

	// The top 4 KiB of the boot stack will hold the process stack for
	// rt0 (argc, argv, envp, auxv); the boot path runs below it.
	MOVQ $·bootStack(SB), SP
	ADDQ $const_bootStackSize, SP
	SUBQ $4096, SP

	// ABI wrappers load g from FS:-8 before the runtime has called
	// arch_prctl: point FS_BASE at a zeroed scratch area (RUNTIME-HOSTING).
	MOVQ $·bootTLS(SB), AX
	ADDQ $64, AX
	MOVQ AX, DX
	SHRQ $32, DX
	MOVL $0xc0000100, CX
	WRMSR

	CALL ·bootMain(SB)

	// bootMain left argc/argv/envp/auxv at rt0SP: enter the runtime as
	// a Linux process would be entered by execve.
	MOVQ ·rt0SP(SB), SP
	JMP _rt0_amd64_linux(SB)


DATA ·start64highAddr+0(SB)/8, $·start64high(SB)
GLOBL ·start64highAddr(SB), NOPTR|RODATA, $8

// The address of entry32, so host tests can decode its bytes.
DATA ·entry32Addr+0(SB)/8, $·entry32(SB)
GLOBL ·entry32Addr(SB), NOPTR|RODATA, $8
