// x87/SSE state. The Go code of the kernel uses SSE (XMM0-15 and MXCSR)
// but never the x87 unit, so a trap saves and restores only the SSE part,
// with plain moves into the FXSAVE layout (MXCSR at byte 24, XMM0-15 from
// byte 160; Intel SDM Vol. 1 Table 10-2). Under QEMU's TCG sixteen MOVUPS
// cost a fraction of one FXSAVE. The x87 registers stay in the CPU and
// belong to the user thread that last ran (fpuOwner, fpu.go).
//
// RESTORE_SSE loads each register in two halves, MOVLPS then MOVHPS,
// rather than with one MOVUPS: QEMU 7.2's TCG emulates a 16-byte MOVUPS
// load at about 5.5 ns against 1.4 ns for the pair (a loop of each, in
// ring 3 on Ringo), and the sixteen of them took a sixth of a getpid
// round trip (getpid 14 % faster with the pairs, both ABIs). The two
// halves together write all 128 bits, so the result is the same. Stores
// are cheap either way and stay MOVUPS.
#define SAVE_SSE(r) \
	STMXCSR 24(r); \
	MOVUPS X0, (160+0*16)(r); \
	MOVUPS X1, (160+1*16)(r); \
	MOVUPS X2, (160+2*16)(r); \
	MOVUPS X3, (160+3*16)(r); \
	MOVUPS X4, (160+4*16)(r); \
	MOVUPS X5, (160+5*16)(r); \
	MOVUPS X6, (160+6*16)(r); \
	MOVUPS X7, (160+7*16)(r); \
	MOVUPS X8, (160+8*16)(r); \
	MOVUPS X9, (160+9*16)(r); \
	MOVUPS X10, (160+10*16)(r); \
	MOVUPS X11, (160+11*16)(r); \
	MOVUPS X12, (160+12*16)(r); \
	MOVUPS X13, (160+13*16)(r); \
	MOVUPS X14, (160+14*16)(r); \
	MOVUPS X15, (160+15*16)(r); 

#define RESTORE_SSE(r) \
	LDMXCSR 24(r); \
	RESTORE_XMM(r)

// RESTORE_XMM is RESTORE_SSE without MXCSR, for a caller that knows
// whether it must be loaded.
#define RESTORE_XMM(r) \
	MOVLPS (160+0*16)(r), X0; \
	MOVHPS (160+0*16+8)(r), X0; \
	MOVLPS (160+1*16)(r), X1; \
	MOVHPS (160+1*16+8)(r), X1; \
	MOVLPS (160+2*16)(r), X2; \
	MOVHPS (160+2*16+8)(r), X2; \
	MOVLPS (160+3*16)(r), X3; \
	MOVHPS (160+3*16+8)(r), X3; \
	MOVLPS (160+4*16)(r), X4; \
	MOVHPS (160+4*16+8)(r), X4; \
	MOVLPS (160+5*16)(r), X5; \
	MOVHPS (160+5*16+8)(r), X5; \
	MOVLPS (160+6*16)(r), X6; \
	MOVHPS (160+6*16+8)(r), X6; \
	MOVLPS (160+7*16)(r), X7; \
	MOVHPS (160+7*16+8)(r), X7; \
	MOVLPS (160+8*16)(r), X8; \
	MOVHPS (160+8*16+8)(r), X8; \
	MOVLPS (160+9*16)(r), X9; \
	MOVHPS (160+9*16+8)(r), X9; \
	MOVLPS (160+10*16)(r), X10; \
	MOVHPS (160+10*16+8)(r), X10; \
	MOVLPS (160+11*16)(r), X11; \
	MOVHPS (160+11*16+8)(r), X11; \
	MOVLPS (160+12*16)(r), X12; \
	MOVHPS (160+12*16+8)(r), X12; \
	MOVLPS (160+13*16)(r), X13; \
	MOVHPS (160+13*16+8)(r), X13; \
	MOVLPS (160+14*16)(r), X14; \
	MOVHPS (160+14*16+8)(r), X14; \
	MOVLPS (160+15*16)(r), X15; \
	MOVHPS (160+15*16+8)(r), X15
