package kernel

// What every signal frame shares (arch/x86/kernel/signal.c): where the
// frame goes (get_sigframe: red zone, alternate stack, FPU area,
// alignment), the handler's starting state (handle_signal), and the
// alternate-stack rules (include/linux/sched/signal.h: on_sig_stack,
// sas_ss_flags). The two ABIs' layouts are signal_frame_64.go and
// signal_frame_32.go; the FPU image is signal_fpstate.go.
//
// Frames are built in a Go buffer and written with one CopyOut; a frame
// that cannot be written (bad or exhausted stack) makes the caller force
// SIGSEGV, as Linux's force_sigsegv.

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// sigaltstack flags (include/uapi/linux/signal.h).
const (
	ssONSTACK    = 1
	ssDISABLE    = 2
	ssAUTODISARM = 1 << 31
	ssFlagBits   = ssAUTODISARM
	// sigaltstackMin is MINSIGSTKSZ: the smallest alternate stack
	// sigaltstack accepts (AT_MINSIGSTKSZ, larger, is only advice).
	sigaltstackMin = 2048
)

// RFLAGS bits a signal handler starts without (handle_signal) and the
// bits sigreturn may change (FIX_EFLAGS: AC, OF, DF, TF, SF, ZF, AF, PF,
// CF, RF). IF, IOPL, NT, VM and the rest stay the kernel's.
const (
	flagTF     = 0x100
	flagDF     = 0x400
	flagRF     = 0x10000
	fixEflags  = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x10000
	redZone    = 128 // the x86_64 ABI's red zone below rsp
	fxsaveSize = 512 // the FXSAVE image (Ringo's CPU model has no XSAVE)
	// fregsSize is struct fregs_state, the legacy i387 header an ia32
	// frame puts in front of the FXSAVE image.
	fregsSize = 112
)

// uc_flags (arch/x86/include/uapi/asm/ucontext.h).
const (
	ucSigcontextSS    = 0x2
	ucStrictRestoreSS = 0x4
	ucFlags64         = ucSigcontextSS | ucStrictRestoreSS // no UC_FP_XSTATE without XSAVE
	ucFlags32         = 0
)

// onSigStackRaw is __on_sig_stack: sp is inside the alternate stack
// (which grows down, so its top address counts and its base does not).
func (t *Task) onSigStackRaw(sp uint64) bool {
	return sp > t.sig.altSP && sp-t.sig.altSP <= t.sig.altSize
}

// onSigStack is on_sig_stack: with SS_AUTODISARM the stack is never
// considered in use, so a nested signal may take it again.
func (t *Task) onSigStack(sp uint64) bool {
	if t.sig.altFlags&ssAUTODISARM != 0 {
		return false
	}
	return t.onSigStackRaw(sp)
}

// sasSSFlags is sas_ss_flags(sp).
func (t *Task) sasSSFlags(sp uint64) uint32 {
	if t.sig.altSize == 0 {
		return ssDISABLE
	}
	if t.onSigStack(sp) {
		return ssONSTACK
	}
	return 0
}

// rawAltFlags is sas_ss_flags as __save_altstack stores it in a frame:
// the flags sigaltstack was given, SS_DISABLE when there is no stack.
func (t *Task) rawAltFlags() uint32 {
	if t.sig.altSize == 0 {
		return t.sig.altFlags | ssDISABLE
	}
	return t.sig.altFlags
}

// saveAltstack is __save_altstack / __compat_save_altstack: the frame's
// uc_stack, which sigreturn hands back to restoreAltstack.
func (t *Task) saveAltstack(f frameBuf, at uint64, compat bool) {
	stackT{sp: t.sig.altSP, flags: t.rawAltFlags(), size: t.sig.altSize}.encode(f.at(at), compat)
}

// restoreAltstack mirrors restore_altstack: the frame's stack_t goes
// through sigaltstack's rules with every error but EFAULT ignored.
func (t *Task) restoreAltstack(f frameBuf, at uint64, compat bool) {
	ss := decodeStackT(f.at(at), compat)
	_ = t.doSigaltstack(&ss, nil, t.regs.RSP)
}

// restoreSegmentsAndFPU is the tail both restore_sigcontext variants
// share: a CS or SS ring 3 cannot use becomes the mode's own (defCS and
// the user data segment) and the return faults with SIGSEGV, but only
// after the FPU image is in; an FPU image that cannot be read or loaded
// fails the whole frame.
func (t *Task) restoreSegmentsAndFPU(cs, ss, defCS, fpstate uint64, ia32 bool) bool {
	badSel := !validUserCS(cs) || ss != amd64.UserDS
	if badSel {
		cs, ss = defCS, amd64.UserDS
	}
	t.regs.CS, t.regs.SS = cs, ss
	if !t.restoreFPU(fpstate, ia32) {
		return false
	}
	if badSel {
		t.forceSignal(abi.SIGSEGV)
	}
	return true
}

// restoreFPU mirrors fpu__restore_sig: a NULL fpstate means a fresh FPU;
// otherwise the FXSAVE image, whose MXCSR may not set bits the CPU lacks.
// An ia32 frame has the legacy i387 header in front of the image
// (ia32_fxstate), and the header's x87 state wins.
func (t *Task) restoreFPU(fpstate uint64, ia32 bool) bool {
	if fpstate == 0 {
		t.userFPU().Reset()
		return true
	}
	hdr := 0
	if ia32 {
		hdr = fregsSize
	}
	buf := make([]byte, hdr+fxsaveSize)
	if n, err := t.mm().CopyIn(buf, fpstate); err != nil || n != len(buf) {
		return false
	}
	img := buf[hdr:]
	if ia32 {
		applyFregs32(img, buf[:hdr])
	}
	return loadFXSAVE(t.userFPU(), img)
}

// sigframePlace mirrors get_sigframe + fpu__alloc_mathframe. It returns
// the frame's address, the FPU area (the FXSAVE image; for ia32 the legacy
// header 112 bytes below it comes first) and whether the frame fits:
// on or entering the alternate stack, a frame that would leave it is
// refused (the caller forces SIGSEGV).
func (t *Task) sigframePlace(ia32 bool, frameSize uint64, act *sigAction) (frame, fpstate, bufFx uint64, ok bool) {
	sp := t.regs.RSP
	if ia32 {
		sp = uint64(uint32(sp))
	}
	nested := t.onSigStack(sp)
	entering := false
	if !ia32 {
		sp -= redZone
	}
	if act.flags&saONSTACK != 0 && t.sasSSFlags(sp) == 0 {
		sp = t.sig.altSP + t.sig.altSize
		entering = true
	}
	bufFx = (sp - fxsaveSize) &^ 63
	fpstate = bufFx
	if ia32 {
		fpstate -= fregsSize
	}
	sp = fpstate - frameSize
	if ia32 {
		sp = ((sp + 4) &^ 15) - 4
	} else {
		sp = (sp &^ 15) - 8
	}
	if (nested || entering) && !t.onSigStackRaw(sp) {
		return 0, 0, 0, false
	}
	return sp, fpstate, bufFx, true
}

// setupFrame mirrors setup_rt_frame and the rest of handle_signal: the
// ABI of the frame is the one the action was installed through
// (is_ia32_frame); ia32 handlers without SA_SIGINFO get the old sigframe.
// On success the handler starts with DF, RF and TF clear and a fresh FPU,
// and the handler's mask is blocked.
func (t *Task) setupFrame(sig int, info *sigInfo, act *sigAction) bool {
	oldmask := t.maskToSave()
	var ok bool
	switch {
	case act.flags&saIA32ABI == 0:
		ok = t.setupRTFrame64(sig, info, act, oldmask)
	case act.flags&saSIGINFO != 0:
		ok = t.setupRTFrame32(sig, info, act, oldmask)
	default:
		ok = t.setupSigframe32(sig, act, oldmask)
	}
	if !ok {
		return false
	}
	// __save_altstack's SS_AUTODISARM, done once the frame is certain.
	if t.sig.altFlags&ssAUTODISARM != 0 {
		t.sig.altSP, t.sig.altSize, t.sig.altFlags = 0, 0, 0
	}
	t.regs.RFLAGS &^= flagDF | flagRF | flagTF
	t.userFPU().Reset() // fpu__clear_user_states
	t.signalDelivered(sig, act)
	return true
}

// frameBuf is a frame being built: little-endian stores at user
// addresses inside [base, base+len(b)).
type frameBuf struct {
	base uint64
	b    []byte
}

func newFrameBuf(base, end uint64) frameBuf { return frameBuf{base, make([]byte, end-base)} }

func (f frameBuf) at(addr uint64) []byte { return f.b[addr-f.base:] }
func (f frameBuf) put16(addr uint64, v uint16) {
	binary.LittleEndian.PutUint16(f.at(addr), v)
}
func (f frameBuf) put32(addr uint64, v uint32) {
	binary.LittleEndian.PutUint32(f.at(addr), v)
}
func (f frameBuf) put64(addr uint64, v uint64) {
	binary.LittleEndian.PutUint64(f.at(addr), v)
}

// writeFrame copies the frame to user memory, all or nothing.
func (t *Task) writeFrame(f frameBuf) bool {
	n, err := t.mm().CopyOut(f.base, f.b)
	return err == nil && n == len(f.b)
}

// readFrame reads n bytes at addr for sigreturn (EFAULT: a bad frame).
func (t *Task) readFrame(addr, n uint64) (frameBuf, bool) {
	f := frameBuf{addr, make([]byte, n)}
	got, err := t.mm().CopyIn(f.b, addr)
	return f, err == nil && got == int(n)
}

func (f frameBuf) get16(addr uint64) uint16 { return binary.LittleEndian.Uint16(f.at(addr)) }
func (f frameBuf) get32(addr uint64) uint32 { return binary.LittleEndian.Uint32(f.at(addr)) }
func (f frameBuf) get64(addr uint64) uint64 { return binary.LittleEndian.Uint64(f.at(addr)) }

// badFrame mirrors signal_fault: a sigreturn whose frame cannot be read
// or restored logs Linux's line and kills with SIGSEGV.
func (t *Task) badFrame(what string, frame uint64) {
	t.k.vfs.Log.PrInfo("%s[%d] bad frame in %s frame:%016x ip:%x sp:%x orax:%x",
		t.proc.Comm(), t.proc.pid, what, frame, t.regs.RIP, t.regs.RSP, t.regs.OrigRAX)
	t.forceSignal(abi.SIGSEGV)
}

// validUserCS reports whether a restored code selector is one ring 3 may
// run with; any other would fault the IRET back to user mode (Linux: the
// #GP at IRET becomes SIGSEGV), and the kernel's own selectors never
// reach the CPU.
func validUserCS(cs uint64) bool { return cs == amd64.UserCS64 || cs == amd64.UserCS32 }
