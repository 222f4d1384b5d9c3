// x87/SSE state. The Go code of the kernel uses SSE (XMM0-15 and MXCSR)
// but never the x87 unit, so a trap saves and restores only the SSE part,
// with plain moves into the FXSAVE layout (MXCSR at byte 24, XMM0-15 from
// byte 160; Intel SDM Vol. 1 Table 10-2). Under QEMU's TCG sixteen MOVUPS
// cost a fraction of one FXSAVE. The x87 registers stay in the CPU and
// belong to the user thread that last ran (fpuOwner, fpu.go).
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
	MOVUPS (160+0*16)(r), X0; \
	MOVUPS (160+1*16)(r), X1; \
	MOVUPS (160+2*16)(r), X2; \
	MOVUPS (160+3*16)(r), X3; \
	MOVUPS (160+4*16)(r), X4; \
	MOVUPS (160+5*16)(r), X5; \
	MOVUPS (160+6*16)(r), X6; \
	MOVUPS (160+7*16)(r), X7; \
	MOVUPS (160+8*16)(r), X8; \
	MOVUPS (160+9*16)(r), X9; \
	MOVUPS (160+10*16)(r), X10; \
	MOVUPS (160+11*16)(r), X11; \
	MOVUPS (160+12*16)(r), X12; \
	MOVUPS (160+13*16)(r), X13; \
	MOVUPS (160+14*16)(r), X14; \
	MOVUPS (160+15*16)(r), X15; 
