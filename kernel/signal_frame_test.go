package kernel

// Signal frames word by word for both ABIs, and sigreturn round trips.

import (
	"encoding/binary"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/stretchr/testify/require"
)

var tick = amd64.TrapInfo{Kind: amd64.TrapInterrupt, Vector: 32}

// deliverFromOutside queues sig from the kernel while the task is in user
// mode; the next interrupt's signal step delivers it with every register
// as the program left it.
func (u *user) deliverFromOutside(sig int) {
	u.t.Helper()
	u.p.Kill(sig)
	u.trap(tick)
}

func TestRtFrame64LayoutWordByWord(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, saSIGINFO, sigMask(abi.SIGUSR2)))
	u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGHUP))))
	require.Equal(t, int64(0), u.syscall(14, sigBLOCK, setAddr, 0, 8))
	before := fillRegs(u.regs)
	u.regs.RSP = scratch + 0x80123
	u.regs.RFLAGS |= flagDF | flagTF
	before = *u.regs
	pattern := fpuPattern()
	copy(u.task.fpu.Image(), pattern)

	u.deliverFromOutside(abi.SIGUSR1)

	r := u.regs
	bufFx := (before.RSP - 128 - 512) &^ 63
	frame := ((bufFx - 440) &^ 15) - 8
	require.Equal(t, frame, r.RSP, "rsp = ((sp - 128 - fpu - frame) & ~15) - 8")
	require.Equal(t, uint64(0), (r.RSP+8)%16, "as after a call: rsp+8 is 16-byte aligned")
	require.Equal(t, uint64(handlerIP), r.RIP)
	require.Equal(t, []uint64{abi.SIGUSR1, frame + 312, frame + 8, 0}, []uint64{r.RDI, r.RSI, r.RDX, r.RAX})
	require.Equal(t, uint64(0), r.RFLAGS&(flagDF|flagTF), "DF and TF are clear in the handler")
	require.Equal(t, uint64(amd64.UserCS64), r.CS)

	w := func(off uint64) uint64 { return u.u64(frame + off) }
	require.Equal(t, uint64(restorer), w(0), "pretcode = sa_restorer")
	require.Equal(t, uint64(6), w(8), "uc_flags = UC_SIGCONTEXT_SS|UC_STRICT_RESTORE_SS")
	require.Equal(t, uint64(0), w(16), "uc_link")
	require.Equal(t, []uint64{0, ssDISABLE, 0}, []uint64{w(24), uint64(u.u32(frame + 32)), w(40)}, "uc_stack")
	sc := frame + 48
	want := []uint64{before.R8, before.R9, before.R10, before.R11, before.R12, before.R13, before.R14, before.R15,
		before.RDI, before.RSI, before.RBP, before.RBX, before.RDX, before.RAX, before.RCX, before.RSP, before.RIP, before.RFLAGS}
	for i, v := range want {
		require.Equal(t, v, u.u64(sc+uint64(i)*8), "sigcontext word %d", i)
	}
	require.Equal(t, []byte{0x33, 0, 0, 0, 0, 0, 0x2b, 0}, u.peek(sc+144, 8), "cs, gs, fs, ss")
	require.Equal(t, uint64(sigMask(abi.SIGHUP)), u.u64(sc+168), "oldmask")
	require.Equal(t, bufFx, u.u64(sc+184), "fpstate")
	require.Equal(t, uint64(sigMask(abi.SIGHUP)), w(304), "uc_sigmask = the mask before the handler")
	require.Equal(t, []uint32{abi.SIGUSR1, 0, siKERNEL}, []uint32{u.u32(frame + 312), u.u32(frame + 316), u.u32(frame + 320)})
	require.Equal(t, pattern, u.peek(bufFx, 512), "the FXSAVE image")

	require.Equal(t, sigMask(abi.SIGHUP)|sigMask(abi.SIGUSR1)|sigMask(abi.SIGUSR2), u.blockedMask(), "signal and sa_mask blocked")
	fresh := amd64.FPUState{}
	fresh.Reset()
	require.Equal(t, fresh.Image(), u.task.fpu.Image(), "the handler starts with a fresh FPU")
}

func TestRtSigreturn64RestoresEveryRegisterFPUAndMask(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, saSIGINFO, 0))
	before := fillRegs(u.regs)
	u.regs.RFLAGS |= flagDF
	before = *u.regs
	copy(u.task.fpu.Image(), fpuPattern())
	u.deliverFromOutside(abi.SIGUSR1)
	frame := u.regs.RSP

	// The handler clobbers everything, then returns through the restorer.
	fillRegs(u.regs)
	u.regs.R12, u.regs.RBX, u.regs.RFLAGS = 1, 2, 0x202
	u.task.fpu.Reset()
	u.regs.RSP = frame + 8 // ret popped pretcode
	u.syscall(15)

	r := *u.regs
	before.OrigRAX = r.OrigRAX
	require.Equal(t, ^uint64(0), r.OrigRAX, "no syscall restart after sigreturn")
	require.Equal(t, before, r, "every register, RIP, RSP and RFLAGS come back")
	require.Equal(t, fpuPattern(), u.task.fpu.Image())
	require.Equal(t, sigSet(0), u.blockedMask())
}

func TestRtSigreturn64RefusesPrivilegedState(t *testing.T) {
	t.Run("IOPL, VM and IF stay the kernel's", func(t *testing.T) {
		u, _ := newUser(t, false)
		require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, 0, 0))
		u.deliverFromOutside(abi.SIGUSR1)
		frame := u.regs.RSP
		u.poke(frame+48+136, binary.LittleEndian.AppendUint64(nil, 0x3000|0x20000|0x4000|0x1|0x400)) // IOPL 3, VM, NT, CF, DF; IF clear
		u.regs.RSP = frame + 8
		u.syscall(15)
		require.Equal(t, uint64(0x202|0x1|0x400), u.regs.RFLAGS)
	})
	for _, tc := range []struct {
		name   string
		off    uint64
		sel    uint16
		killed bool
	}{
		{"kernel CS", 144, 0x10, true},
		{"kernel SS", 150, 0x18, true},
		{"32-bit user CS is allowed", 144, amd64.UserCS32, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := newUser(t, false)
			require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, 0, 0))
			u.deliverFromOutside(abi.SIGUSR1)
			frame := u.regs.RSP
			u.poke(frame+48+tc.off, binary.LittleEndian.AppendUint16(nil, tc.sel))
			u.regs.RSP = frame + 8
			u.syscall(15)
			if tc.killed {
				expectSignalExit(t, u, abi.SIGSEGV)
				return
			}
			require.Equal(t, uint64(tc.sel), u.regs.CS)
		})
	}
	t.Run("reserved MXCSR bits make a bad frame", func(t *testing.T) {
		u, k := newUser(t, false)
		require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, 0, 0))
		u.deliverFromOutside(abi.SIGUSR1)
		frame := u.regs.RSP
		fp := u.u64(frame + 48 + 184)
		u.poke(fp+24, binary.LittleEndian.AppendUint32(nil, 0x10000))
		u.regs.RSP = frame + 8
		u.syscall(15)
		expectSignalExit(t, u, abi.SIGSEGV)
		requireLog(t, k, "bad frame in rt_sigreturn")
	})
	// DAZ (bit 6) is the CPU's to allow: a frame may keep it where
	// FXSAVE's MXCSR_MASK has it, and is bad where it does not.
	for _, tc := range []struct {
		name string
		mask uint32
		ok   bool
	}{{"MXCSR DAZ where the CPU has it", 0xffff, true}, {"MXCSR DAZ where the CPU lacks it", 0xffbf, false}} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(m uint32) { amd64.MXCSRFeatureMask = m }(amd64.MXCSRFeatureMask)
			amd64.MXCSRFeatureMask = tc.mask
			u, _ := newUser(t, false)
			require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, 0, 0))
			u.deliverFromOutside(abi.SIGUSR1)
			frame := u.regs.RSP
			fp := u.u64(frame + 48 + 184)
			u.poke(fp+24, binary.LittleEndian.AppendUint32(nil, 0x1f80|0x40))
			u.regs.RSP = frame + 8
			u.syscall(15)
			if !tc.ok {
				expectSignalExit(t, u, abi.SIGSEGV)
				return
			}
			require.Equal(t, uint32(0x1f80|0x40), binary.LittleEndian.Uint32(u.task.userFPU().Image()[24:]))
		})
	}
	t.Run("garbage stack pointer", func(t *testing.T) {
		u, k := newUser(t, false)
		u.regs.RSP = unmapped
		u.syscall(15)
		expectSignalExit(t, u, abi.SIGSEGV)
		requireLog(t, k, "bad frame in rt_sigreturn")
	})
}

func requireLog(t *testing.T, k *testKernel, substr string) {
	t.Helper()
	for _, r := range k.Log().Records() {
		if containsStr(r.Text, substr) {
			return
		}
	}
	require.Fail(t, "klog lacks "+substr, "%v", k.Log().Records())
}

func containsStr(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// ia32ImageAfterRoundTrip is what an ia32 sigreturn gives back for an
// FXSAVE image: the legacy header wins, and it has no FOP and only
// 32-bit instruction and data pointers (convert_from_fxsr/to_fxsr).
func ia32ImageAfterRoundTrip(img []byte) []byte {
	out := append([]byte(nil), img...)
	binary.LittleEndian.PutUint16(out[fxFOP:], 0)
	clear(out[fxFIP+4 : fxFIP+8])
	clear(out[fxFDP+4 : fxFDP+8])
	return out
}

func TestRtFrame32LayoutAndSigreturn(t *testing.T) {
	u, _ := newUser(t, true)
	require.Equal(t, int64(0), u.sigaction32(abi.SIGUSR1, 0x8049000, saSIGINFO, 0, sigMask(abi.SIGUSR2)))
	u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(40))))
	require.Equal(t, int64(0), u.int80(175, sigBLOCK, setAddr, 0, 8))
	u.poke(setAddr+64, userDescBytes(12, 0x7000, 0xfffff, 0x51)) // GS's TLS slot
	require.Equal(t, int64(0), u.int80(243, setAddr+64))
	r := u.regs
	r.RAX, r.RBX, r.RCX, r.RDX = 0xaaaa, 0xbbbb, 0xcccc, 0xdddd
	r.RSI, r.RDI, r.RBP, r.RSP = 0x5151, 0xd1d1, 0xb0b0, scratch+0x80123
	r.RIP, r.RFLAGS = 0x8048100, 0x202|0x1|0x800
	r.GS, r.DS, r.ES = 0x63, amd64.UserDS, amd64.UserDS
	r.GSBase = 0x7000
	before := *r
	pattern := fpuPattern()
	copy(u.task.fpu.Image(), pattern)

	u.deliverFromOutside(abi.SIGUSR1)

	bufFx := (before.RSP - 512) &^ 63
	fp := bufFx - 112
	frame := ((fp - 268 + 4) &^ 15) - 4
	r = u.regs
	require.Equal(t, frame, r.RSP, "esp = ((sp - fpu - frame + 4) & -16) - 4")
	require.Equal(t, uint64(0), (r.RSP+4)%16)
	require.Equal(t, uint64(0x8049000), r.RIP)
	require.Equal(t, []uint64{abi.SIGUSR1, frame + 16, frame + 144}, []uint64{r.RAX, r.RDX, r.RCX}, "eax, edx, ecx")
	require.Equal(t, uint64(amd64.UserCS32), r.CS)

	require.Equal(t, []uint32{uint32(frame + 260), abi.SIGUSR1, uint32(frame + 16), uint32(frame + 144)},
		[]uint32{u.u32(frame), u.u32(frame + 4), u.u32(frame + 8), u.u32(frame + 12)}, "pretcode (retcode), sig, pinfo, puc")
	require.Equal(t, []byte{0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0}, u.peek(frame+260, 8), "movl $173,%eax; int $0x80")
	require.Equal(t, []uint32{abi.SIGUSR1, 0, siKERNEL}, []uint32{u.u32(frame + 16), u.u32(frame + 20), u.u32(frame + 24)})
	require.Equal(t, uint32(0), u.u32(frame+144), "uc_flags")
	require.Equal(t, uint32(ssDISABLE), u.u32(frame+152+4))
	sc := frame + 164
	require.Equal(t, []uint32{0x63, 0, amd64.UserDS, amd64.UserDS, 0xd1d1, 0x5151, 0xb0b0, uint32(before.RSP), 0xbbbb, 0xdddd, 0xcccc, 0xaaaa},
		[]uint32{u.u32(sc), u.u32(sc + 4), u.u32(sc + 8), u.u32(sc + 12), u.u32(sc + 16), u.u32(sc + 20), u.u32(sc + 24), u.u32(sc + 28),
			u.u32(sc + 32), u.u32(sc + 36), u.u32(sc + 40), u.u32(sc + 44)}, "gs fs es ds edi esi ebp esp ebx edx ecx eax")
	require.Equal(t, []uint32{0x8048100, amd64.UserCS32, uint32(before.RFLAGS), uint32(before.RSP), amd64.UserDS, uint32(fp), uint32(sigMask(40))},
		[]uint32{u.u32(sc + 56), u.u32(sc + 60), u.u32(sc + 64), u.u32(sc + 68), u.u32(sc + 72), u.u32(sc + 76), u.u32(sc + 80)},
		"eip cs eflags sp_at_signal ss fpstate oldmask(low word)")
	require.Equal(t, uint64(sigMask(40)), u.u64(frame+252), "uc_sigmask, both words")
	require.Equal(t, uint32(0xffff027f), u.u32(fp), "legacy cw")
	require.Equal(t, uint16(0), binary.LittleEndian.Uint16(u.peek(fp+110, 2)), "magic: FXSR data follows")
	require.Equal(t, pattern, u.peek(bufFx, 512))

	// sigreturn: the handler's ret popped pretcode.
	u.regs.RSP = frame + 4
	u.regs.RBX, u.regs.RFLAGS = 0, 0x202
	u.regs.GSBase = 0xbad0000 // the handler's: sigreturn reloads GS from its descriptor
	u.task.fpu.Reset()
	u.int80(173)
	got := *u.regs
	before.OrigRAX = got.OrigRAX
	before.FS = 3 // a null selector comes back with RPL 3, as Linux's |3
	require.Equal(t, before, got)
	require.Equal(t, ia32ImageAfterRoundTrip(pattern), u.task.fpu.Image())
	require.Equal(t, int64(0), u.int80(175, sigBLOCK, 0, osetAddr, 8))
	require.Equal(t, uint64(sigMask(40)), u.u64(osetAddr))
}

func TestSigframe32WithoutSiginfoAndSigreturn119(t *testing.T) {
	u, _ := newUser(t, true)
	require.Equal(t, int64(0), u.sigaction32(abi.SIGUSR1, 0x8049000, 0, 0, 0))
	u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGHUP)|sigMask(40))))
	require.Equal(t, int64(0), u.int80(175, sigBLOCK, setAddr, 0, 8))
	u.regs.RSP = scratch + 0x80000
	u.regs.RAX = 0x1234
	before := *u.regs
	u.deliverFromOutside(abi.SIGUSR1)

	fp := ((before.RSP - 512) &^ 63) - 112
	frame := ((fp - 732 + 4) &^ 15) - 4
	r := u.regs
	require.Equal(t, frame, r.RSP)
	require.Equal(t, []uint64{abi.SIGUSR1, 0, 0}, []uint64{r.RAX, r.RDX, r.RCX})
	require.Equal(t, []uint32{uint32(frame + 724), abi.SIGUSR1}, []uint32{u.u32(frame), u.u32(frame + 4)})
	require.Equal(t, uint32(sigMask(abi.SIGHUP)), u.u32(frame+8+80), "sc.oldmask: the low word")
	require.Equal(t, uint32(sigMask(40)>>32), u.u32(frame+720), "extramask: the high word")
	require.Equal(t, []byte{0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80}, u.peek(frame+724, 8), "popl %eax; movl $119,%eax; int $0x80")
	require.Equal(t, uint32(fp), u.u32(frame+8+76))

	u.regs.RSP = frame + 8 // ret popped pretcode, popl popped sig
	u.int80(119)
	require.Equal(t, before.RSP, u.regs.RSP)
	require.Equal(t, before.RIP, u.regs.RIP)
	require.Equal(t, uint64(0x1234), u.regs.RAX)
	require.Equal(t, int64(0), u.int80(175, sigBLOCK, 0, osetAddr, 8))
	require.Equal(t, uint64(sigMask(abi.SIGHUP)|sigMask(40)), u.u64(osetAddr))
}

func TestIA32FrameWithRestorerAndBadSigreturn(t *testing.T) {
	u, k := newUser(t, true)
	require.Equal(t, int64(0), u.sigaction32(abi.SIGUSR1, 0x8049000, saSIGINFO|saRESTORER, 0x8049100, 0))
	u.deliverFromOutside(abi.SIGUSR1)
	require.Equal(t, uint32(0x8049100), u.u32(u.regs.RSP), "pretcode = sa_restorer")
	u.regs.RSP = 0xfffff000
	u.int80(173)
	expectSignalExit(t, u, abi.SIGSEGV)
	requireLog(t, k, "bad frame in 32bit rt sigreturn")
}

func TestFramesThatCannotBeWrittenKillWithSIGSEGV(t *testing.T) {
	tests := []struct {
		name  string
		setup func(u *user)
	}{
		{"64-bit action without SA_RESTORER", func(u *user) {
			b := make([]byte, 32)
			binary.LittleEndian.PutUint64(b, handlerIP)
			u.poke(actAddr, b)
			require.Equal(u.t, int64(0), u.syscall(13, abi.SIGUSR1, actAddr, 0, 8))
		}},
		{"stack pointer in unmapped memory", func(u *user) {
			u.sigaction64(abi.SIGUSR1, handlerIP, 0, 0)
			u.regs.RSP = unmapped + 0x1000
		}},
		{"alternate stack in unmapped memory", func(u *user) {
			u.sigaction64(abi.SIGUSR1, handlerIP, saONSTACK, 0)
			b := make([]byte, 24)
			binary.LittleEndian.PutUint64(b, unmapped)
			binary.LittleEndian.PutUint64(b[16:], altSize)
			u.poke(ssAddr, b)
			require.Equal(u.t, int64(0), u.syscall(131, ssAddr, 0))
		}},
		{"alternate stack too small for the frame", func(u *user) {
			u.sigaction64(abi.SIGUSR1, handlerIP, saONSTACK, 0)
			b := make([]byte, 24)
			binary.LittleEndian.PutUint64(b, altStack)
			binary.LittleEndian.PutUint64(b[16:], 2048)
			u.poke(ssAddr, b)
			require.Equal(u.t, int64(0), u.syscall(131, ssAddr, 0))
			u.regs.RSP = altStack + 700 // already on it: the frame would leave it
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := newUser(t, false)
			tc.setup(u)
			u.deliverFromOutside(abi.SIGUSR1)
			expectSignalExit(t, u, abi.SIGSEGV)
		})
	}
}

func TestAlternateStackDeliveryNestingAndAutodisarm(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, saONSTACK|saNODEFER, 0))
	b := make([]byte, 24)
	binary.LittleEndian.PutUint64(b, altStack)
	binary.LittleEndian.PutUint64(b[16:], altSize)
	u.poke(ssAddr, b)
	require.Equal(t, int64(0), u.syscall(131, ssAddr, 0))

	u.deliverFromOutside(abi.SIGUSR1)
	first := u.regs.RSP
	require.True(t, first > altStack && first < altStack+altSize, "the frame is on the alternate stack")
	require.Equal(t, uint64(((altStack+altSize-512)&^63-440)&^15-8), first, "no red zone skipped on a fresh alternate stack")
	require.Equal(t, uint32(0), u.u32(first+32), "uc_stack.ss_flags: the flags sigaltstack was given")

	u.deliverFromOutside(abi.SIGUSR1) // SA_NODEFER: nested, below the first frame
	second := u.regs.RSP
	require.Less(t, second, first-512)
	require.True(t, second > altStack)
	require.Equal(t, uint64(altStack), u.u64(second+24), "uc_stack.ss_sp")

	// SS_AUTODISARM: the stack is disabled while the handler runs and
	// comes back with sigreturn.
	u2, _ := newUser(t, false)
	require.Equal(t, int64(0), u2.sigaction64(abi.SIGUSR1, handlerIP, saONSTACK, 0))
	binary.LittleEndian.PutUint32(b[8:], ssAUTODISARM)
	u2.poke(ssAddr, b)
	require.Equal(t, int64(0), u2.syscall(131, ssAddr, 0))
	u2.deliverFromOutside(abi.SIGUSR1)
	frame := u2.regs.RSP
	require.Equal(t, int64(0), u2.syscall(131, 0, oactAddr))
	require.Equal(t, uint32(ssDISABLE), u2.u32(oactAddr+8), "disarmed in the handler")
	u2.regs.RSP = frame + 8
	u2.syscall(15)
	require.Equal(t, int64(0), u2.syscall(131, 0, oactAddr))
	require.Equal(t, uint32(ssAUTODISARM), u2.u32(oactAddr+8), "re-armed by sigreturn")
	require.Equal(t, uint64(altStack), u2.u64(oactAddr))
}

func TestSyscallRestartAfterAHandler(t *testing.T) {
	for _, tc := range []struct {
		name    string
		flags   uint64
		wantRAX int64
		rewound bool
	}{
		{"SA_RESTART restarts the read", saRESTART, 0, true},
		{"without SA_RESTART the read fails with EINTR", 0, errno(abi.EINTR), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := newUser(t, false)
			require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, tc.flags, 0))
			require.Equal(t, int64(0), u.syscall(22, buf))
			rfd := uint64(u.u32(buf))
			u.regs.RAX, u.regs.RDI, u.regs.RSI, u.regs.RDX = 0, rfd, buf2, 10
			u.regs.RIP += 2
			after := u.regs.RIP
			u.cpu.trap <- amdSyscall // read blocks on the empty pipe
			u.p.Kill(abi.SIGUSR1)
			u.wait()
			require.Equal(t, uint64(handlerIP), u.regs.RIP)
			sc := u.regs.RSP + 48
			require.Equal(t, tc.wantRAX, int64(u.u64(sc+104)), "rax in the frame")
			wantRIP := after
			if tc.rewound {
				wantRIP -= 2
			}
			require.Equal(t, wantRIP, u.u64(sc+128), "rip in the frame")
			u.regs.RSP += 8
			u.syscall(15)
			require.Equal(t, wantRIP, u.regs.RIP)
			require.Equal(t, tc.wantRAX, int64(u.regs.RAX))
		})
	}
}
