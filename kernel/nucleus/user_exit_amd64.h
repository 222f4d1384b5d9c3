// SAVE_USER_STATE is the part of every exit from ring 3 that is not the
// general registers: it keeps what else of the user thread is in the CPU
// and gives the CPU back to Go. Both exits use it: the fast exits
// (user_amd64.s) for system calls, trapCommon (trap_amd64.s) for
// exceptions and interrupts.
//
//   - the SSE state into the thread's FPUState (its x87 registers stay in
//     the CPU: fpu.go);
//   - the data selectors into UserRegs, and into userSel, which mirrors
//     what the CPU holds so that enterUser loads only what changed;
//   - the FS and GS bases. With FSGSBASE (fsgsbase.go) ring 3 may have
//     written them itself, so both are read back with RDFSBASE/RDGSBASE,
//     which cost no more than a move. Without it ring 3 can change a base
//     only by loading a selector: with a null selector the base is still
//     the one enterUser loaded, which UserRegs holds already, and only a
//     base that a TLS selector set is read (RDMSR);
//   - Go's TLS (g at FS:-8), by WRFSBASE or WRMSR, and the default MXCSR,
//     before any Go code runs. LDMXCSR costs as much as a dozen moves
//     under TCG, so it runs only when the control bits of the user's
//     MXCSR are not the default already, as they almost always are; the
//     kernel does not mind the user's exception flags (mxcsrKernel).
//
// The four selectors are read into one word (DS in its low 16 bits, as
// UserRegs and userSel lay them out) and stored with two moves rather
// than eight: each store is a trip through QEMU's soft TLB.
//
// Needs sse_amd64.h and go_asm.h. Clobbers AX, CX, DX and DI.
#define SAVE_USER_STATE \
	MOVQ ·curUserFPU(SB), AX; \
	SAVE_SSE(AX); \
	MOVL 24(AX), CX; \
	ANDL $const_mxcsrControl, CX; \
	CMPL CX, $const_mxcsrKernel; \
	JEQ mxcsrkept; \
	LDMXCSR ·mxcsrKernelOperand(SB); \
mxcsrkept: \
	MOVQ ·curUserRegs(SB), DI; \
	MOVW GS, AX; \
	SHLQ $16, AX; \
	MOVW FS, CX; \
	ORQ CX, AX; \
	SHLQ $16, AX; \
	MOVW ES, CX; \
	ORQ CX, AX; \
	SHLQ $16, AX; \
	MOVW DS, CX; \
	ORQ CX, AX; \
	MOVQ AX, const_urDS(DI); \
	MOVQ AX, ·userSel(SB); \
	CMPB ·haveFSGSBase(SB), $0; \
	JEQ msrbases; \
	RDFSBASEQ AX; \
	MOVQ AX, const_urFSBase(DI); \
	RDGSBASEQ AX; \
	MOVQ AX, const_urGSBase(DI); \
	MOVQ AX, ·hwGSBase(SB); \
	MOVQ ·curKernelFS(SB), AX; \
	WRFSBASEQ AX; \
	JMP basessaved; \
msrbases: \
	TESTW $0xfff8, ·userSel+4(SB); \
	JZ fsbasekept; \
	MOVL $const_msrFSBase, CX; \
	RDMSR; \
	MOVL AX, const_urFSBase(DI); \
	MOVL DX, (const_urFSBase+4)(DI); \
fsbasekept: \
	TESTW $0xfff8, ·userSel+6(SB); \
	JZ gsbasekept; \
	MOVL $const_msrGSBase, CX; \
	RDMSR; \
	MOVL AX, const_urGSBase(DI); \
	MOVL DX, (const_urGSBase+4)(DI); \
gsbasekept: \
	MOVL $const_msrFSBase, CX; \
	MOVL ·curKernelFS+0(SB), AX; \
	MOVL ·curKernelFS+4(SB), DX; \
	WRMSR; \
basessaved:
