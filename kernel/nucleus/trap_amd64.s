// Trap entry and exit: the 256 IDT stubs (generated: one per vector), the
// SYSCALL entry, the common save/restore path, and the idle loop. The
// ways in and out of ring 3 for system calls are in user_amd64.s.
//
// Every other way into the nucleus builds the same TrapFrame (trap.go) on
// a nucleus stack: the CPU's interrupt frame, the vector and error code,
// the fifteen general registers, and a 512-byte area in the FXSAVE layout
// holding the SSE state (sse_amd64.h). trap() returns the frame to
// resume, which may belong to another thread: that is the whole context
// switch.
//
// Stacks: interrupts arrive on IST1, which always points at the running
// thread's own nucleus stack; exceptions on IST2, a per-CPU stack, so a
// page fault taken inside the nucleus does not overwrite the frame it
// interrupted; #DF and NMI on IST3; INT $0x80 on IST4. SYSCALL does not
// switch stacks, so runtimeSyscall switches to the thread's nucleus stack
// itself for the runtime's calls.
//
// Runs beneath the runtime with interrupts off: NOSPLIT, no allocation.

#include "textflag.h"
#include "go_asm.h"

#include "sse_amd64.h"
#include "user_exit_amd64.h"

// One stub per vector (generated, one line each): push a zero error code
// where the CPU pushes none, push the vector number, join the common path.
// trapStubTable lists their addresses for the IDT.
TEXT ·trapStub0(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $0; JMP trapCommon<>(SB)
TEXT ·trapStub1(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $1; JMP trapCommon<>(SB)
TEXT ·trapStub2(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $2; JMP trapCommon<>(SB)
TEXT ·trapStub3(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $3; JMP trapCommon<>(SB)
TEXT ·trapStub4(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $4; JMP trapCommon<>(SB)
TEXT ·trapStub5(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $5; JMP trapCommon<>(SB)
TEXT ·trapStub6(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $6; JMP trapCommon<>(SB)
TEXT ·trapStub7(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $7; JMP trapCommon<>(SB)
TEXT ·trapStub8(SB),NOSPLIT|NOFRAME,$0; PUSHQ $8; JMP trapCommon<>(SB)
TEXT ·trapStub9(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $9; JMP trapCommon<>(SB)
TEXT ·trapStub10(SB),NOSPLIT|NOFRAME,$0; PUSHQ $10; JMP trapCommon<>(SB)
TEXT ·trapStub11(SB),NOSPLIT|NOFRAME,$0; PUSHQ $11; JMP trapCommon<>(SB)
TEXT ·trapStub12(SB),NOSPLIT|NOFRAME,$0; PUSHQ $12; JMP trapCommon<>(SB)
TEXT ·trapStub13(SB),NOSPLIT|NOFRAME,$0; PUSHQ $13; JMP trapCommon<>(SB)
TEXT ·trapStub14(SB),NOSPLIT|NOFRAME,$0; PUSHQ $14; JMP trapCommon<>(SB)
TEXT ·trapStub15(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $15; JMP trapCommon<>(SB)
TEXT ·trapStub16(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $16; JMP trapCommon<>(SB)
TEXT ·trapStub17(SB),NOSPLIT|NOFRAME,$0; PUSHQ $17; JMP trapCommon<>(SB)
TEXT ·trapStub18(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $18; JMP trapCommon<>(SB)
TEXT ·trapStub19(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $19; JMP trapCommon<>(SB)
TEXT ·trapStub20(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $20; JMP trapCommon<>(SB)
TEXT ·trapStub21(SB),NOSPLIT|NOFRAME,$0; PUSHQ $21; JMP trapCommon<>(SB)
TEXT ·trapStub22(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $22; JMP trapCommon<>(SB)
TEXT ·trapStub23(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $23; JMP trapCommon<>(SB)
TEXT ·trapStub24(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $24; JMP trapCommon<>(SB)
TEXT ·trapStub25(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $25; JMP trapCommon<>(SB)
TEXT ·trapStub26(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $26; JMP trapCommon<>(SB)
TEXT ·trapStub27(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $27; JMP trapCommon<>(SB)
TEXT ·trapStub28(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $28; JMP trapCommon<>(SB)
TEXT ·trapStub29(SB),NOSPLIT|NOFRAME,$0; PUSHQ $29; JMP trapCommon<>(SB)
TEXT ·trapStub30(SB),NOSPLIT|NOFRAME,$0; PUSHQ $30; JMP trapCommon<>(SB)
TEXT ·trapStub31(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $31; JMP trapCommon<>(SB)
TEXT ·trapStub32(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $32; JMP trapCommon<>(SB)
TEXT ·trapStub33(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $33; JMP trapCommon<>(SB)
TEXT ·trapStub34(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $34; JMP trapCommon<>(SB)
TEXT ·trapStub35(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $35; JMP trapCommon<>(SB)
TEXT ·trapStub36(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $36; JMP trapCommon<>(SB)
TEXT ·trapStub37(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $37; JMP trapCommon<>(SB)
TEXT ·trapStub38(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $38; JMP trapCommon<>(SB)
TEXT ·trapStub39(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $39; JMP trapCommon<>(SB)
TEXT ·trapStub40(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $40; JMP trapCommon<>(SB)
TEXT ·trapStub41(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $41; JMP trapCommon<>(SB)
TEXT ·trapStub42(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $42; JMP trapCommon<>(SB)
TEXT ·trapStub43(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $43; JMP trapCommon<>(SB)
TEXT ·trapStub44(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $44; JMP trapCommon<>(SB)
TEXT ·trapStub45(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $45; JMP trapCommon<>(SB)
TEXT ·trapStub46(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $46; JMP trapCommon<>(SB)
TEXT ·trapStub47(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $47; JMP trapCommon<>(SB)
TEXT ·trapStub48(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $48; JMP trapCommon<>(SB)
TEXT ·trapStub49(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $49; JMP trapCommon<>(SB)
TEXT ·trapStub50(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $50; JMP trapCommon<>(SB)
TEXT ·trapStub51(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $51; JMP trapCommon<>(SB)
TEXT ·trapStub52(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $52; JMP trapCommon<>(SB)
TEXT ·trapStub53(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $53; JMP trapCommon<>(SB)
TEXT ·trapStub54(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $54; JMP trapCommon<>(SB)
TEXT ·trapStub55(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $55; JMP trapCommon<>(SB)
TEXT ·trapStub56(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $56; JMP trapCommon<>(SB)
TEXT ·trapStub57(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $57; JMP trapCommon<>(SB)
TEXT ·trapStub58(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $58; JMP trapCommon<>(SB)
TEXT ·trapStub59(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $59; JMP trapCommon<>(SB)
TEXT ·trapStub60(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $60; JMP trapCommon<>(SB)
TEXT ·trapStub61(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $61; JMP trapCommon<>(SB)
TEXT ·trapStub62(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $62; JMP trapCommon<>(SB)
TEXT ·trapStub63(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $63; JMP trapCommon<>(SB)
TEXT ·trapStub64(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $64; JMP trapCommon<>(SB)
TEXT ·trapStub65(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $65; JMP trapCommon<>(SB)
TEXT ·trapStub66(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $66; JMP trapCommon<>(SB)
TEXT ·trapStub67(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $67; JMP trapCommon<>(SB)
TEXT ·trapStub68(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $68; JMP trapCommon<>(SB)
TEXT ·trapStub69(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $69; JMP trapCommon<>(SB)
TEXT ·trapStub70(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $70; JMP trapCommon<>(SB)
TEXT ·trapStub71(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $71; JMP trapCommon<>(SB)
TEXT ·trapStub72(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $72; JMP trapCommon<>(SB)
TEXT ·trapStub73(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $73; JMP trapCommon<>(SB)
TEXT ·trapStub74(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $74; JMP trapCommon<>(SB)
TEXT ·trapStub75(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $75; JMP trapCommon<>(SB)
TEXT ·trapStub76(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $76; JMP trapCommon<>(SB)
TEXT ·trapStub77(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $77; JMP trapCommon<>(SB)
TEXT ·trapStub78(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $78; JMP trapCommon<>(SB)
TEXT ·trapStub79(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $79; JMP trapCommon<>(SB)
TEXT ·trapStub80(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $80; JMP trapCommon<>(SB)
TEXT ·trapStub81(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $81; JMP trapCommon<>(SB)
TEXT ·trapStub82(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $82; JMP trapCommon<>(SB)
TEXT ·trapStub83(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $83; JMP trapCommon<>(SB)
TEXT ·trapStub84(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $84; JMP trapCommon<>(SB)
TEXT ·trapStub85(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $85; JMP trapCommon<>(SB)
TEXT ·trapStub86(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $86; JMP trapCommon<>(SB)
TEXT ·trapStub87(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $87; JMP trapCommon<>(SB)
TEXT ·trapStub88(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $88; JMP trapCommon<>(SB)
TEXT ·trapStub89(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $89; JMP trapCommon<>(SB)
TEXT ·trapStub90(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $90; JMP trapCommon<>(SB)
TEXT ·trapStub91(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $91; JMP trapCommon<>(SB)
TEXT ·trapStub92(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $92; JMP trapCommon<>(SB)
TEXT ·trapStub93(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $93; JMP trapCommon<>(SB)
TEXT ·trapStub94(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $94; JMP trapCommon<>(SB)
TEXT ·trapStub95(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $95; JMP trapCommon<>(SB)
TEXT ·trapStub96(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $96; JMP trapCommon<>(SB)
TEXT ·trapStub97(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $97; JMP trapCommon<>(SB)
TEXT ·trapStub98(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $98; JMP trapCommon<>(SB)
TEXT ·trapStub99(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $99; JMP trapCommon<>(SB)
TEXT ·trapStub100(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $100; JMP trapCommon<>(SB)
TEXT ·trapStub101(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $101; JMP trapCommon<>(SB)
TEXT ·trapStub102(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $102; JMP trapCommon<>(SB)
TEXT ·trapStub103(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $103; JMP trapCommon<>(SB)
TEXT ·trapStub104(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $104; JMP trapCommon<>(SB)
TEXT ·trapStub105(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $105; JMP trapCommon<>(SB)
TEXT ·trapStub106(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $106; JMP trapCommon<>(SB)
TEXT ·trapStub107(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $107; JMP trapCommon<>(SB)
TEXT ·trapStub108(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $108; JMP trapCommon<>(SB)
TEXT ·trapStub109(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $109; JMP trapCommon<>(SB)
TEXT ·trapStub110(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $110; JMP trapCommon<>(SB)
TEXT ·trapStub111(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $111; JMP trapCommon<>(SB)
TEXT ·trapStub112(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $112; JMP trapCommon<>(SB)
TEXT ·trapStub113(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $113; JMP trapCommon<>(SB)
TEXT ·trapStub114(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $114; JMP trapCommon<>(SB)
TEXT ·trapStub115(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $115; JMP trapCommon<>(SB)
TEXT ·trapStub116(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $116; JMP trapCommon<>(SB)
TEXT ·trapStub117(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $117; JMP trapCommon<>(SB)
TEXT ·trapStub118(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $118; JMP trapCommon<>(SB)
TEXT ·trapStub119(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $119; JMP trapCommon<>(SB)
TEXT ·trapStub120(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $120; JMP trapCommon<>(SB)
TEXT ·trapStub121(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $121; JMP trapCommon<>(SB)
TEXT ·trapStub122(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $122; JMP trapCommon<>(SB)
TEXT ·trapStub123(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $123; JMP trapCommon<>(SB)
TEXT ·trapStub124(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $124; JMP trapCommon<>(SB)
TEXT ·trapStub125(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $125; JMP trapCommon<>(SB)
TEXT ·trapStub126(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $126; JMP trapCommon<>(SB)
TEXT ·trapStub127(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $127; JMP trapCommon<>(SB)
TEXT ·trapStub128(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $128; JMP trapCommon<>(SB)
TEXT ·trapStub130(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $130; JMP trapCommon<>(SB)
TEXT ·trapStub131(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $131; JMP trapCommon<>(SB)
TEXT ·trapStub132(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $132; JMP trapCommon<>(SB)
TEXT ·trapStub133(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $133; JMP trapCommon<>(SB)
TEXT ·trapStub134(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $134; JMP trapCommon<>(SB)
TEXT ·trapStub135(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $135; JMP trapCommon<>(SB)
TEXT ·trapStub136(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $136; JMP trapCommon<>(SB)
TEXT ·trapStub137(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $137; JMP trapCommon<>(SB)
TEXT ·trapStub138(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $138; JMP trapCommon<>(SB)
TEXT ·trapStub139(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $139; JMP trapCommon<>(SB)
TEXT ·trapStub140(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $140; JMP trapCommon<>(SB)
TEXT ·trapStub141(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $141; JMP trapCommon<>(SB)
TEXT ·trapStub142(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $142; JMP trapCommon<>(SB)
TEXT ·trapStub143(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $143; JMP trapCommon<>(SB)
TEXT ·trapStub144(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $144; JMP trapCommon<>(SB)
TEXT ·trapStub145(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $145; JMP trapCommon<>(SB)
TEXT ·trapStub146(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $146; JMP trapCommon<>(SB)
TEXT ·trapStub147(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $147; JMP trapCommon<>(SB)
TEXT ·trapStub148(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $148; JMP trapCommon<>(SB)
TEXT ·trapStub149(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $149; JMP trapCommon<>(SB)
TEXT ·trapStub150(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $150; JMP trapCommon<>(SB)
TEXT ·trapStub151(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $151; JMP trapCommon<>(SB)
TEXT ·trapStub152(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $152; JMP trapCommon<>(SB)
TEXT ·trapStub153(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $153; JMP trapCommon<>(SB)
TEXT ·trapStub154(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $154; JMP trapCommon<>(SB)
TEXT ·trapStub155(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $155; JMP trapCommon<>(SB)
TEXT ·trapStub156(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $156; JMP trapCommon<>(SB)
TEXT ·trapStub157(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $157; JMP trapCommon<>(SB)
TEXT ·trapStub158(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $158; JMP trapCommon<>(SB)
TEXT ·trapStub159(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $159; JMP trapCommon<>(SB)
TEXT ·trapStub160(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $160; JMP trapCommon<>(SB)
TEXT ·trapStub161(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $161; JMP trapCommon<>(SB)
TEXT ·trapStub162(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $162; JMP trapCommon<>(SB)
TEXT ·trapStub163(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $163; JMP trapCommon<>(SB)
TEXT ·trapStub164(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $164; JMP trapCommon<>(SB)
TEXT ·trapStub165(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $165; JMP trapCommon<>(SB)
TEXT ·trapStub166(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $166; JMP trapCommon<>(SB)
TEXT ·trapStub167(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $167; JMP trapCommon<>(SB)
TEXT ·trapStub168(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $168; JMP trapCommon<>(SB)
TEXT ·trapStub169(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $169; JMP trapCommon<>(SB)
TEXT ·trapStub170(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $170; JMP trapCommon<>(SB)
TEXT ·trapStub171(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $171; JMP trapCommon<>(SB)
TEXT ·trapStub172(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $172; JMP trapCommon<>(SB)
TEXT ·trapStub173(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $173; JMP trapCommon<>(SB)
TEXT ·trapStub174(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $174; JMP trapCommon<>(SB)
TEXT ·trapStub175(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $175; JMP trapCommon<>(SB)
TEXT ·trapStub176(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $176; JMP trapCommon<>(SB)
TEXT ·trapStub177(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $177; JMP trapCommon<>(SB)
TEXT ·trapStub178(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $178; JMP trapCommon<>(SB)
TEXT ·trapStub179(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $179; JMP trapCommon<>(SB)
TEXT ·trapStub180(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $180; JMP trapCommon<>(SB)
TEXT ·trapStub181(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $181; JMP trapCommon<>(SB)
TEXT ·trapStub182(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $182; JMP trapCommon<>(SB)
TEXT ·trapStub183(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $183; JMP trapCommon<>(SB)
TEXT ·trapStub184(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $184; JMP trapCommon<>(SB)
TEXT ·trapStub185(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $185; JMP trapCommon<>(SB)
TEXT ·trapStub186(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $186; JMP trapCommon<>(SB)
TEXT ·trapStub187(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $187; JMP trapCommon<>(SB)
TEXT ·trapStub188(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $188; JMP trapCommon<>(SB)
TEXT ·trapStub189(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $189; JMP trapCommon<>(SB)
TEXT ·trapStub190(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $190; JMP trapCommon<>(SB)
TEXT ·trapStub191(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $191; JMP trapCommon<>(SB)
TEXT ·trapStub192(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $192; JMP trapCommon<>(SB)
TEXT ·trapStub193(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $193; JMP trapCommon<>(SB)
TEXT ·trapStub194(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $194; JMP trapCommon<>(SB)
TEXT ·trapStub195(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $195; JMP trapCommon<>(SB)
TEXT ·trapStub196(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $196; JMP trapCommon<>(SB)
TEXT ·trapStub197(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $197; JMP trapCommon<>(SB)
TEXT ·trapStub198(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $198; JMP trapCommon<>(SB)
TEXT ·trapStub199(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $199; JMP trapCommon<>(SB)
TEXT ·trapStub200(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $200; JMP trapCommon<>(SB)
TEXT ·trapStub201(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $201; JMP trapCommon<>(SB)
TEXT ·trapStub202(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $202; JMP trapCommon<>(SB)
TEXT ·trapStub203(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $203; JMP trapCommon<>(SB)
TEXT ·trapStub204(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $204; JMP trapCommon<>(SB)
TEXT ·trapStub205(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $205; JMP trapCommon<>(SB)
TEXT ·trapStub206(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $206; JMP trapCommon<>(SB)
TEXT ·trapStub207(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $207; JMP trapCommon<>(SB)
TEXT ·trapStub208(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $208; JMP trapCommon<>(SB)
TEXT ·trapStub209(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $209; JMP trapCommon<>(SB)
TEXT ·trapStub210(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $210; JMP trapCommon<>(SB)
TEXT ·trapStub211(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $211; JMP trapCommon<>(SB)
TEXT ·trapStub212(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $212; JMP trapCommon<>(SB)
TEXT ·trapStub213(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $213; JMP trapCommon<>(SB)
TEXT ·trapStub214(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $214; JMP trapCommon<>(SB)
TEXT ·trapStub215(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $215; JMP trapCommon<>(SB)
TEXT ·trapStub216(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $216; JMP trapCommon<>(SB)
TEXT ·trapStub217(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $217; JMP trapCommon<>(SB)
TEXT ·trapStub218(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $218; JMP trapCommon<>(SB)
TEXT ·trapStub219(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $219; JMP trapCommon<>(SB)
TEXT ·trapStub220(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $220; JMP trapCommon<>(SB)
TEXT ·trapStub221(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $221; JMP trapCommon<>(SB)
TEXT ·trapStub222(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $222; JMP trapCommon<>(SB)
TEXT ·trapStub223(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $223; JMP trapCommon<>(SB)
TEXT ·trapStub224(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $224; JMP trapCommon<>(SB)
TEXT ·trapStub225(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $225; JMP trapCommon<>(SB)
TEXT ·trapStub226(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $226; JMP trapCommon<>(SB)
TEXT ·trapStub227(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $227; JMP trapCommon<>(SB)
TEXT ·trapStub228(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $228; JMP trapCommon<>(SB)
TEXT ·trapStub229(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $229; JMP trapCommon<>(SB)
TEXT ·trapStub230(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $230; JMP trapCommon<>(SB)
TEXT ·trapStub231(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $231; JMP trapCommon<>(SB)
TEXT ·trapStub232(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $232; JMP trapCommon<>(SB)
TEXT ·trapStub233(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $233; JMP trapCommon<>(SB)
TEXT ·trapStub234(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $234; JMP trapCommon<>(SB)
TEXT ·trapStub235(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $235; JMP trapCommon<>(SB)
TEXT ·trapStub236(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $236; JMP trapCommon<>(SB)
TEXT ·trapStub237(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $237; JMP trapCommon<>(SB)
TEXT ·trapStub238(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $238; JMP trapCommon<>(SB)
TEXT ·trapStub239(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $239; JMP trapCommon<>(SB)
TEXT ·trapStub240(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $240; JMP trapCommon<>(SB)
TEXT ·trapStub241(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $241; JMP trapCommon<>(SB)
TEXT ·trapStub242(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $242; JMP trapCommon<>(SB)
TEXT ·trapStub243(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $243; JMP trapCommon<>(SB)
TEXT ·trapStub244(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $244; JMP trapCommon<>(SB)
TEXT ·trapStub245(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $245; JMP trapCommon<>(SB)
TEXT ·trapStub246(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $246; JMP trapCommon<>(SB)
TEXT ·trapStub247(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $247; JMP trapCommon<>(SB)
TEXT ·trapStub248(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $248; JMP trapCommon<>(SB)
TEXT ·trapStub249(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $249; JMP trapCommon<>(SB)
TEXT ·trapStub250(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $250; JMP trapCommon<>(SB)
TEXT ·trapStub251(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $251; JMP trapCommon<>(SB)
TEXT ·trapStub252(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $252; JMP trapCommon<>(SB)
TEXT ·trapStub253(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $253; JMP trapCommon<>(SB)
TEXT ·trapStub254(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $254; JMP trapCommon<>(SB)
TEXT ·trapStub255(SB),NOSPLIT|NOFRAME,$0; PUSHQ $0; PUSHQ $255; JMP trapCommon<>(SB)

DATA ·trapStubTable+0(SB)/8, $·trapStub0(SB)
DATA ·trapStubTable+8(SB)/8, $·trapStub1(SB)
DATA ·trapStubTable+16(SB)/8, $·trapStub2(SB)
DATA ·trapStubTable+24(SB)/8, $·trapStub3(SB)
DATA ·trapStubTable+32(SB)/8, $·trapStub4(SB)
DATA ·trapStubTable+40(SB)/8, $·trapStub5(SB)
DATA ·trapStubTable+48(SB)/8, $·trapStub6(SB)
DATA ·trapStubTable+56(SB)/8, $·trapStub7(SB)
DATA ·trapStubTable+64(SB)/8, $·trapStub8(SB)
DATA ·trapStubTable+72(SB)/8, $·trapStub9(SB)
DATA ·trapStubTable+80(SB)/8, $·trapStub10(SB)
DATA ·trapStubTable+88(SB)/8, $·trapStub11(SB)
DATA ·trapStubTable+96(SB)/8, $·trapStub12(SB)
DATA ·trapStubTable+104(SB)/8, $·trapStub13(SB)
DATA ·trapStubTable+112(SB)/8, $·trapStub14(SB)
DATA ·trapStubTable+120(SB)/8, $·trapStub15(SB)
DATA ·trapStubTable+128(SB)/8, $·trapStub16(SB)
DATA ·trapStubTable+136(SB)/8, $·trapStub17(SB)
DATA ·trapStubTable+144(SB)/8, $·trapStub18(SB)
DATA ·trapStubTable+152(SB)/8, $·trapStub19(SB)
DATA ·trapStubTable+160(SB)/8, $·trapStub20(SB)
DATA ·trapStubTable+168(SB)/8, $·trapStub21(SB)
DATA ·trapStubTable+176(SB)/8, $·trapStub22(SB)
DATA ·trapStubTable+184(SB)/8, $·trapStub23(SB)
DATA ·trapStubTable+192(SB)/8, $·trapStub24(SB)
DATA ·trapStubTable+200(SB)/8, $·trapStub25(SB)
DATA ·trapStubTable+208(SB)/8, $·trapStub26(SB)
DATA ·trapStubTable+216(SB)/8, $·trapStub27(SB)
DATA ·trapStubTable+224(SB)/8, $·trapStub28(SB)
DATA ·trapStubTable+232(SB)/8, $·trapStub29(SB)
DATA ·trapStubTable+240(SB)/8, $·trapStub30(SB)
DATA ·trapStubTable+248(SB)/8, $·trapStub31(SB)
DATA ·trapStubTable+256(SB)/8, $·trapStub32(SB)
DATA ·trapStubTable+264(SB)/8, $·trapStub33(SB)
DATA ·trapStubTable+272(SB)/8, $·trapStub34(SB)
DATA ·trapStubTable+280(SB)/8, $·trapStub35(SB)
DATA ·trapStubTable+288(SB)/8, $·trapStub36(SB)
DATA ·trapStubTable+296(SB)/8, $·trapStub37(SB)
DATA ·trapStubTable+304(SB)/8, $·trapStub38(SB)
DATA ·trapStubTable+312(SB)/8, $·trapStub39(SB)
DATA ·trapStubTable+320(SB)/8, $·trapStub40(SB)
DATA ·trapStubTable+328(SB)/8, $·trapStub41(SB)
DATA ·trapStubTable+336(SB)/8, $·trapStub42(SB)
DATA ·trapStubTable+344(SB)/8, $·trapStub43(SB)
DATA ·trapStubTable+352(SB)/8, $·trapStub44(SB)
DATA ·trapStubTable+360(SB)/8, $·trapStub45(SB)
DATA ·trapStubTable+368(SB)/8, $·trapStub46(SB)
DATA ·trapStubTable+376(SB)/8, $·trapStub47(SB)
DATA ·trapStubTable+384(SB)/8, $·trapStub48(SB)
DATA ·trapStubTable+392(SB)/8, $·trapStub49(SB)
DATA ·trapStubTable+400(SB)/8, $·trapStub50(SB)
DATA ·trapStubTable+408(SB)/8, $·trapStub51(SB)
DATA ·trapStubTable+416(SB)/8, $·trapStub52(SB)
DATA ·trapStubTable+424(SB)/8, $·trapStub53(SB)
DATA ·trapStubTable+432(SB)/8, $·trapStub54(SB)
DATA ·trapStubTable+440(SB)/8, $·trapStub55(SB)
DATA ·trapStubTable+448(SB)/8, $·trapStub56(SB)
DATA ·trapStubTable+456(SB)/8, $·trapStub57(SB)
DATA ·trapStubTable+464(SB)/8, $·trapStub58(SB)
DATA ·trapStubTable+472(SB)/8, $·trapStub59(SB)
DATA ·trapStubTable+480(SB)/8, $·trapStub60(SB)
DATA ·trapStubTable+488(SB)/8, $·trapStub61(SB)
DATA ·trapStubTable+496(SB)/8, $·trapStub62(SB)
DATA ·trapStubTable+504(SB)/8, $·trapStub63(SB)
DATA ·trapStubTable+512(SB)/8, $·trapStub64(SB)
DATA ·trapStubTable+520(SB)/8, $·trapStub65(SB)
DATA ·trapStubTable+528(SB)/8, $·trapStub66(SB)
DATA ·trapStubTable+536(SB)/8, $·trapStub67(SB)
DATA ·trapStubTable+544(SB)/8, $·trapStub68(SB)
DATA ·trapStubTable+552(SB)/8, $·trapStub69(SB)
DATA ·trapStubTable+560(SB)/8, $·trapStub70(SB)
DATA ·trapStubTable+568(SB)/8, $·trapStub71(SB)
DATA ·trapStubTable+576(SB)/8, $·trapStub72(SB)
DATA ·trapStubTable+584(SB)/8, $·trapStub73(SB)
DATA ·trapStubTable+592(SB)/8, $·trapStub74(SB)
DATA ·trapStubTable+600(SB)/8, $·trapStub75(SB)
DATA ·trapStubTable+608(SB)/8, $·trapStub76(SB)
DATA ·trapStubTable+616(SB)/8, $·trapStub77(SB)
DATA ·trapStubTable+624(SB)/8, $·trapStub78(SB)
DATA ·trapStubTable+632(SB)/8, $·trapStub79(SB)
DATA ·trapStubTable+640(SB)/8, $·trapStub80(SB)
DATA ·trapStubTable+648(SB)/8, $·trapStub81(SB)
DATA ·trapStubTable+656(SB)/8, $·trapStub82(SB)
DATA ·trapStubTable+664(SB)/8, $·trapStub83(SB)
DATA ·trapStubTable+672(SB)/8, $·trapStub84(SB)
DATA ·trapStubTable+680(SB)/8, $·trapStub85(SB)
DATA ·trapStubTable+688(SB)/8, $·trapStub86(SB)
DATA ·trapStubTable+696(SB)/8, $·trapStub87(SB)
DATA ·trapStubTable+704(SB)/8, $·trapStub88(SB)
DATA ·trapStubTable+712(SB)/8, $·trapStub89(SB)
DATA ·trapStubTable+720(SB)/8, $·trapStub90(SB)
DATA ·trapStubTable+728(SB)/8, $·trapStub91(SB)
DATA ·trapStubTable+736(SB)/8, $·trapStub92(SB)
DATA ·trapStubTable+744(SB)/8, $·trapStub93(SB)
DATA ·trapStubTable+752(SB)/8, $·trapStub94(SB)
DATA ·trapStubTable+760(SB)/8, $·trapStub95(SB)
DATA ·trapStubTable+768(SB)/8, $·trapStub96(SB)
DATA ·trapStubTable+776(SB)/8, $·trapStub97(SB)
DATA ·trapStubTable+784(SB)/8, $·trapStub98(SB)
DATA ·trapStubTable+792(SB)/8, $·trapStub99(SB)
DATA ·trapStubTable+800(SB)/8, $·trapStub100(SB)
DATA ·trapStubTable+808(SB)/8, $·trapStub101(SB)
DATA ·trapStubTable+816(SB)/8, $·trapStub102(SB)
DATA ·trapStubTable+824(SB)/8, $·trapStub103(SB)
DATA ·trapStubTable+832(SB)/8, $·trapStub104(SB)
DATA ·trapStubTable+840(SB)/8, $·trapStub105(SB)
DATA ·trapStubTable+848(SB)/8, $·trapStub106(SB)
DATA ·trapStubTable+856(SB)/8, $·trapStub107(SB)
DATA ·trapStubTable+864(SB)/8, $·trapStub108(SB)
DATA ·trapStubTable+872(SB)/8, $·trapStub109(SB)
DATA ·trapStubTable+880(SB)/8, $·trapStub110(SB)
DATA ·trapStubTable+888(SB)/8, $·trapStub111(SB)
DATA ·trapStubTable+896(SB)/8, $·trapStub112(SB)
DATA ·trapStubTable+904(SB)/8, $·trapStub113(SB)
DATA ·trapStubTable+912(SB)/8, $·trapStub114(SB)
DATA ·trapStubTable+920(SB)/8, $·trapStub115(SB)
DATA ·trapStubTable+928(SB)/8, $·trapStub116(SB)
DATA ·trapStubTable+936(SB)/8, $·trapStub117(SB)
DATA ·trapStubTable+944(SB)/8, $·trapStub118(SB)
DATA ·trapStubTable+952(SB)/8, $·trapStub119(SB)
DATA ·trapStubTable+960(SB)/8, $·trapStub120(SB)
DATA ·trapStubTable+968(SB)/8, $·trapStub121(SB)
DATA ·trapStubTable+976(SB)/8, $·trapStub122(SB)
DATA ·trapStubTable+984(SB)/8, $·trapStub123(SB)
DATA ·trapStubTable+992(SB)/8, $·trapStub124(SB)
DATA ·trapStubTable+1000(SB)/8, $·trapStub125(SB)
DATA ·trapStubTable+1008(SB)/8, $·trapStub126(SB)
DATA ·trapStubTable+1016(SB)/8, $·trapStub127(SB)
DATA ·trapStubTable+1024(SB)/8, $·int80Entry(SB) // INT $0x80: user_amd64.s
DATA ·trapStubTable+1032(SB)/8, $·irqReplay(SB) // vecIRQReplay: irq_window.go
DATA ·trapStubTable+1040(SB)/8, $·trapStub130(SB)
DATA ·trapStubTable+1048(SB)/8, $·trapStub131(SB)
DATA ·trapStubTable+1056(SB)/8, $·trapStub132(SB)
DATA ·trapStubTable+1064(SB)/8, $·trapStub133(SB)
DATA ·trapStubTable+1072(SB)/8, $·trapStub134(SB)
DATA ·trapStubTable+1080(SB)/8, $·trapStub135(SB)
DATA ·trapStubTable+1088(SB)/8, $·trapStub136(SB)
DATA ·trapStubTable+1096(SB)/8, $·trapStub137(SB)
DATA ·trapStubTable+1104(SB)/8, $·trapStub138(SB)
DATA ·trapStubTable+1112(SB)/8, $·trapStub139(SB)
DATA ·trapStubTable+1120(SB)/8, $·trapStub140(SB)
DATA ·trapStubTable+1128(SB)/8, $·trapStub141(SB)
DATA ·trapStubTable+1136(SB)/8, $·trapStub142(SB)
DATA ·trapStubTable+1144(SB)/8, $·trapStub143(SB)
DATA ·trapStubTable+1152(SB)/8, $·trapStub144(SB)
DATA ·trapStubTable+1160(SB)/8, $·trapStub145(SB)
DATA ·trapStubTable+1168(SB)/8, $·trapStub146(SB)
DATA ·trapStubTable+1176(SB)/8, $·trapStub147(SB)
DATA ·trapStubTable+1184(SB)/8, $·trapStub148(SB)
DATA ·trapStubTable+1192(SB)/8, $·trapStub149(SB)
DATA ·trapStubTable+1200(SB)/8, $·trapStub150(SB)
DATA ·trapStubTable+1208(SB)/8, $·trapStub151(SB)
DATA ·trapStubTable+1216(SB)/8, $·trapStub152(SB)
DATA ·trapStubTable+1224(SB)/8, $·trapStub153(SB)
DATA ·trapStubTable+1232(SB)/8, $·trapStub154(SB)
DATA ·trapStubTable+1240(SB)/8, $·trapStub155(SB)
DATA ·trapStubTable+1248(SB)/8, $·trapStub156(SB)
DATA ·trapStubTable+1256(SB)/8, $·trapStub157(SB)
DATA ·trapStubTable+1264(SB)/8, $·trapStub158(SB)
DATA ·trapStubTable+1272(SB)/8, $·trapStub159(SB)
DATA ·trapStubTable+1280(SB)/8, $·trapStub160(SB)
DATA ·trapStubTable+1288(SB)/8, $·trapStub161(SB)
DATA ·trapStubTable+1296(SB)/8, $·trapStub162(SB)
DATA ·trapStubTable+1304(SB)/8, $·trapStub163(SB)
DATA ·trapStubTable+1312(SB)/8, $·trapStub164(SB)
DATA ·trapStubTable+1320(SB)/8, $·trapStub165(SB)
DATA ·trapStubTable+1328(SB)/8, $·trapStub166(SB)
DATA ·trapStubTable+1336(SB)/8, $·trapStub167(SB)
DATA ·trapStubTable+1344(SB)/8, $·trapStub168(SB)
DATA ·trapStubTable+1352(SB)/8, $·trapStub169(SB)
DATA ·trapStubTable+1360(SB)/8, $·trapStub170(SB)
DATA ·trapStubTable+1368(SB)/8, $·trapStub171(SB)
DATA ·trapStubTable+1376(SB)/8, $·trapStub172(SB)
DATA ·trapStubTable+1384(SB)/8, $·trapStub173(SB)
DATA ·trapStubTable+1392(SB)/8, $·trapStub174(SB)
DATA ·trapStubTable+1400(SB)/8, $·trapStub175(SB)
DATA ·trapStubTable+1408(SB)/8, $·trapStub176(SB)
DATA ·trapStubTable+1416(SB)/8, $·trapStub177(SB)
DATA ·trapStubTable+1424(SB)/8, $·trapStub178(SB)
DATA ·trapStubTable+1432(SB)/8, $·trapStub179(SB)
DATA ·trapStubTable+1440(SB)/8, $·trapStub180(SB)
DATA ·trapStubTable+1448(SB)/8, $·trapStub181(SB)
DATA ·trapStubTable+1456(SB)/8, $·trapStub182(SB)
DATA ·trapStubTable+1464(SB)/8, $·trapStub183(SB)
DATA ·trapStubTable+1472(SB)/8, $·trapStub184(SB)
DATA ·trapStubTable+1480(SB)/8, $·trapStub185(SB)
DATA ·trapStubTable+1488(SB)/8, $·trapStub186(SB)
DATA ·trapStubTable+1496(SB)/8, $·trapStub187(SB)
DATA ·trapStubTable+1504(SB)/8, $·trapStub188(SB)
DATA ·trapStubTable+1512(SB)/8, $·trapStub189(SB)
DATA ·trapStubTable+1520(SB)/8, $·trapStub190(SB)
DATA ·trapStubTable+1528(SB)/8, $·trapStub191(SB)
DATA ·trapStubTable+1536(SB)/8, $·trapStub192(SB)
DATA ·trapStubTable+1544(SB)/8, $·trapStub193(SB)
DATA ·trapStubTable+1552(SB)/8, $·trapStub194(SB)
DATA ·trapStubTable+1560(SB)/8, $·trapStub195(SB)
DATA ·trapStubTable+1568(SB)/8, $·trapStub196(SB)
DATA ·trapStubTable+1576(SB)/8, $·trapStub197(SB)
DATA ·trapStubTable+1584(SB)/8, $·trapStub198(SB)
DATA ·trapStubTable+1592(SB)/8, $·trapStub199(SB)
DATA ·trapStubTable+1600(SB)/8, $·trapStub200(SB)
DATA ·trapStubTable+1608(SB)/8, $·trapStub201(SB)
DATA ·trapStubTable+1616(SB)/8, $·trapStub202(SB)
DATA ·trapStubTable+1624(SB)/8, $·trapStub203(SB)
DATA ·trapStubTable+1632(SB)/8, $·trapStub204(SB)
DATA ·trapStubTable+1640(SB)/8, $·trapStub205(SB)
DATA ·trapStubTable+1648(SB)/8, $·trapStub206(SB)
DATA ·trapStubTable+1656(SB)/8, $·trapStub207(SB)
DATA ·trapStubTable+1664(SB)/8, $·trapStub208(SB)
DATA ·trapStubTable+1672(SB)/8, $·trapStub209(SB)
DATA ·trapStubTable+1680(SB)/8, $·trapStub210(SB)
DATA ·trapStubTable+1688(SB)/8, $·trapStub211(SB)
DATA ·trapStubTable+1696(SB)/8, $·trapStub212(SB)
DATA ·trapStubTable+1704(SB)/8, $·trapStub213(SB)
DATA ·trapStubTable+1712(SB)/8, $·trapStub214(SB)
DATA ·trapStubTable+1720(SB)/8, $·trapStub215(SB)
DATA ·trapStubTable+1728(SB)/8, $·trapStub216(SB)
DATA ·trapStubTable+1736(SB)/8, $·trapStub217(SB)
DATA ·trapStubTable+1744(SB)/8, $·trapStub218(SB)
DATA ·trapStubTable+1752(SB)/8, $·trapStub219(SB)
DATA ·trapStubTable+1760(SB)/8, $·trapStub220(SB)
DATA ·trapStubTable+1768(SB)/8, $·trapStub221(SB)
DATA ·trapStubTable+1776(SB)/8, $·trapStub222(SB)
DATA ·trapStubTable+1784(SB)/8, $·trapStub223(SB)
DATA ·trapStubTable+1792(SB)/8, $·trapStub224(SB)
DATA ·trapStubTable+1800(SB)/8, $·trapStub225(SB)
DATA ·trapStubTable+1808(SB)/8, $·trapStub226(SB)
DATA ·trapStubTable+1816(SB)/8, $·trapStub227(SB)
DATA ·trapStubTable+1824(SB)/8, $·trapStub228(SB)
DATA ·trapStubTable+1832(SB)/8, $·trapStub229(SB)
DATA ·trapStubTable+1840(SB)/8, $·trapStub230(SB)
DATA ·trapStubTable+1848(SB)/8, $·trapStub231(SB)
DATA ·trapStubTable+1856(SB)/8, $·trapStub232(SB)
DATA ·trapStubTable+1864(SB)/8, $·trapStub233(SB)
DATA ·trapStubTable+1872(SB)/8, $·trapStub234(SB)
DATA ·trapStubTable+1880(SB)/8, $·trapStub235(SB)
DATA ·trapStubTable+1888(SB)/8, $·trapStub236(SB)
DATA ·trapStubTable+1896(SB)/8, $·trapStub237(SB)
DATA ·trapStubTable+1904(SB)/8, $·trapStub238(SB)
DATA ·trapStubTable+1912(SB)/8, $·trapStub239(SB)
DATA ·trapStubTable+1920(SB)/8, $·trapStub240(SB)
DATA ·trapStubTable+1928(SB)/8, $·trapStub241(SB)
DATA ·trapStubTable+1936(SB)/8, $·trapStub242(SB)
DATA ·trapStubTable+1944(SB)/8, $·trapStub243(SB)
DATA ·trapStubTable+1952(SB)/8, $·trapStub244(SB)
DATA ·trapStubTable+1960(SB)/8, $·trapStub245(SB)
DATA ·trapStubTable+1968(SB)/8, $·trapStub246(SB)
DATA ·trapStubTable+1976(SB)/8, $·trapStub247(SB)
DATA ·trapStubTable+1984(SB)/8, $·trapStub248(SB)
DATA ·trapStubTable+1992(SB)/8, $·trapStub249(SB)
DATA ·trapStubTable+2000(SB)/8, $·trapStub250(SB)
DATA ·trapStubTable+2008(SB)/8, $·trapStub251(SB)
DATA ·trapStubTable+2016(SB)/8, $·trapStub252(SB)
DATA ·trapStubTable+2024(SB)/8, $·trapStub253(SB)
DATA ·trapStubTable+2032(SB)/8, $·trapStub254(SB)
DATA ·trapStubTable+2040(SB)/8, $·trapStub255(SB)
GLOBL ·trapStubTable(SB), NOPTR|RODATA, $2048

TEXT trapCommon<>(SB),NOSPLIT|NOFRAME,$0
	PUSHQ AX
	PUSHQ BX
	PUSHQ CX
	PUSHQ DX
	PUSHQ SI
	PUSHQ DI
	PUSHQ BP
	PUSHQ R8
	PUSHQ R9
	PUSHQ R10
	PUSHQ R11
	PUSHQ R12
	PUSHQ R13
	PUSHQ R14
	PUSHQ R15
	SUBQ $512, SP
	CLD
	MOVQ TrapFrame_CS(SP), AX
	TESTQ $3, AX
	JNZ fromring3
	// An interrupt in the window around ring 3 is held back
	// (irq_window.go): the window flag, or RIP at an entry's first
	// instruction, before it sets the flag.
	CMPQ TrapFrame_Vector(SP), $32
	JB ring0
	CMPB ·userWindow(SB), $0
	JNE deferirq
	MOVQ TrapFrame_RIP(SP), AX
	CMPQ AX, ·syscallEntryAddr(SB)
	JEQ deferirq
	CMPQ AX, ·syscall32EntryAddr(SB)
	JEQ deferirq
	CMPQ AX, ·int80EntryAddr(SB)
	JEQ deferirq
ring0:
	SAVE_SSE(SP)
	// An exception in ring 0 may come from the few instructions of
	// enterUser that run with the user's FS base: give Go its TLS back
	// (trap's ABI wrapper reads g at FS:-8).
	CMPQ TrapFrame_Vector(SP), $32
	JAE kernelframe
	MOVL $const_msrFSBase, CX
	MOVL ·curKernelFS+0(SB), AX
	MOVL ·curKernelFS+4(SB), DX
	WRMSR
	JMP kernelframe
fromring3:
	// An exception from ring 3 arrived on IST2, the per-CPU exception
	// stack. Handling it writes Go memory (the thread's registers), which
	// can take a demand fault — another exception on IST2 that would
	// overwrite this frame. So move the frame to this thread's own
	// nucleus stack first: the registers and the CPU's frame (22 words);
	// the FX area below them holds nothing on this path.
	CMPQ TrapFrame_Vector(SP), $32
	JAE onkstack
	LEAQ TrapFrame_R15(SP), SI
	MOVQ ·curKstackTop(SB), DI
	SUBQ $(TrapFrame__size-TrapFrame_R15), DI
	MOVQ $((TrapFrame__size-TrapFrame_R15)/8), CX
	REP; MOVSQ
	MOVQ ·curKstackTop(SB), SP
	SUBQ $TrapFrame__size, SP
onkstack:
	SAVE_USER_STATE
kernelframe:
	MOVQ SP, BX
	SUBQ $16, SP
	MOVQ BX, 0(SP)
	CALL ·trap(SB)
	MOVQ 8(SP), AX
	TESTQ AX, AX
	JZ tokernel
	MOVQ AX, SP
	JMP trapReturn<>(SB)
tokernel:
	JMP ·returnToKernel(SB)
deferirq:
	// Note the vector, and resume the exit with interrupts off (IF
	// cleared in the frame): nothing else arrives before it replays
	// this one. No Go code ran, no SSE register was touched.
	MOVQ TrapFrame_Vector(SP), AX
	MOVQ AX, ·deferredIRQ(SB)
	INCQ ·irqsDeferred(SB)
	BTRQ $9, TrapFrame_RFLAGS(SP)
	ADDQ $512, SP
	JMP trapReturnRegs<>(SB)

// irqReplay is the stub of vecIRQReplay: an exit that deferred an
// interrupt raises it to have the deferred vector handled as if it had
// just arrived (irq_window.go).
TEXT ·irqReplay(SB),NOSPLIT|NOFRAME,$0
	PUSHQ $0
	PUSHQ ·deferredIRQ(SB)
	MOVQ $0, ·deferredIRQ(SB)
	INCQ ·irqsReplayed(SB)
	JMP trapCommon<>(SB)

// resumeGoroutine returns to a goroutine waiting in enterUser after an
// exception or interrupt from ring 3, with SP at the frame pointer
// enterUser pushed and interrupts off: returnToKernel jumps here, and a
// synthetic kernel frame made by yieldFromUser resumes here by IRETQ
// after the thread was switched out and back. (System calls resume the
// goroutine at the end of their exits, user_amd64.s, with interrupts
// already on.)
TEXT ·resumeGoroutine(SB),NOSPLIT|NOFRAME,$0
	JMP restorebp2
restorebp2:
	MOVQ 0(SP), BP
	ADDQ $8, SP
	STI
	RET

// trapReturn resumes the TrapFrame at SP: kernel code, the runtime, or
// ring 3 (enterUser builds such a frame for the user).
TEXT trapReturn<>(SB),NOSPLIT|NOFRAME,$0
	RESTORE_SSE(SP)
	ADDQ $512, SP
	JMP trapReturnRegs<>(SB)

TEXT trapReturnRegs<>(SB),NOSPLIT|NOFRAME,$0
	POPQ R15
	POPQ R14
	POPQ R13
	POPQ R12
	POPQ R11
	POPQ R10
	POPQ R9
	POPQ R8
	POPQ BP
	POPQ DI
	POPQ SI
	POPQ DX
	POPQ CX
	POPQ BX
	POPQ AX
	ADDQ $16, SP
	IRETQ

// runtimeSyscall is the runtime's own SYSCALL, from ring 0, which
// syscallEntry (user_amd64.s, LSTAR) sends here. It turns interrupts off
// before the nucleus stack is used (IST1 points at its top too; trap()
// services an interrupt that arrived before the CLI), builds an
// interrupt-style frame there (vector 256) and joins the common path; the
// return is an IRETQ, since SYSRET can only go to ring 3 (RUNTIME-HOSTING
// wall 4).
TEXT ·runtimeSyscall(SB),NOSPLIT|NOFRAME,$0
	CLI
	MOVB $0, ·userWindow(SB)
	MOVQ SP, ·syscallSavedSP(SB)
	MOVQ ·curKstackTop(SB), SP
	PUSHQ $0x18
	PUSHQ ·syscallSavedSP(SB)
	PUSHQ R11
	PUSHQ $0x10
	PUSHQ CX
	PUSHQ $0
	PUSHQ $256
	JMP trapCommon<>(SB)

// idleLoop is the body of the idle thread: halt until an interrupt, which
// runs the scheduler; it runs only when no other thread can.
TEXT ·idleLoop(SB),NOSPLIT|NOFRAME,$0
again:
	HLT
	JMP again

// Addresses of the assembly entry points, for the IDT and MSRs.
DATA ·syscallEntryAddr+0(SB)/8, $·syscallEntry(SB)
GLOBL ·syscallEntryAddr(SB), NOPTR|RODATA, $8
DATA ·syscall32EntryAddr+0(SB)/8, $·syscall32Entry(SB)
GLOBL ·syscall32EntryAddr(SB), NOPTR|RODATA, $8
DATA ·idleLoopAddr+0(SB)/8, $·idleLoop(SB)
GLOBL ·idleLoopAddr(SB), NOPTR|RODATA, $8
DATA ·resumeGoroutineAddr+0(SB)/8, $·resumeGoroutine(SB)
GLOBL ·resumeGoroutineAddr(SB), NOPTR|RODATA, $8
