package kernel

// The x86_64 signal frame and rt_sigreturn (arch/x86/kernel/signal_64.c:
// x64_setup_rt_frame, sys_rt_sigreturn, setup_sigcontext,
// restore_sigcontext). Layout, from the frame address up:
//
//	  0 pretcode      the handler's return address: sa_restorer
//	  8 ucontext      uc_flags, uc_link, uc_stack (24), uc_mcontext
//	                  (struct sigcontext, 256), uc_sigmask (8)
//	312 siginfo       128 bytes
//	440               (end; the FXSAVE image is above, 64-byte aligned)
//
// The handler starts with rdi = signal, rsi = &info, rdx = &uc, rax = 0,
// rsp = the frame (so rsp+8 is 16-byte aligned, as after a call).

import (
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/syscall"
)

const (
	rtFrame64Size  = 440
	uc64Off        = 8
	uc64StackOff   = uc64Off + 16
	uc64McontextOf = uc64Off + 40
	uc64SigmaskOff = uc64Off + 296
	info64Off      = 312
)

// Offsets inside struct sigcontext (arch/x86/include/uapi/asm/sigcontext.h).
const (
	sc64R8      = 0
	sc64RDI     = 64
	sc64RSI     = 72
	sc64RBP     = 80
	sc64RBX     = 88
	sc64RDX     = 96
	sc64RAX     = 104
	sc64RCX     = 112
	sc64RSP     = 120
	sc64RIP     = 128
	sc64Flags   = 136
	sc64CS      = 144
	sc64GS      = 146
	sc64FS      = 148
	sc64SS      = 150
	sc64Err     = 152
	sc64Trapno  = 160
	sc64Oldmask = 168
	sc64CR2     = 176
	sc64Fpstate = 184
)

// setupRTFrame64 mirrors x64_setup_rt_frame. A 64-bit action without
// SA_RESTORER has nowhere to return to: the frame fails (SIGSEGV), as in
// Linux ("x86-64 should always use SA_RESTORER").
func (t *Task) setupRTFrame64(sig int, info *sigInfo, act *sigAction, oldmask sigSet) bool {
	if act.flags&saRESTORER == 0 {
		return false
	}
	frame, _, bufFx, ok := t.sigframePlace(false, rtFrame64Size, act)
	if !ok {
		return false
	}
	r := &t.regs
	f := newFrameBuf(frame, bufFx+fxsaveSize)
	f.put64(frame, act.restorer)
	uc := frame + uc64Off
	f.put64(uc, ucFlags64)
	f.put64(uc+8, 0) // uc_link
	t.saveAltstack(f, frame+uc64StackOff, false)
	t.putSigcontext64(f, frame+uc64McontextOf, bufFx, oldmask)
	f.put64(frame+uc64SigmaskOff, uint64(oldmask))
	if act.flags&saSIGINFO != 0 {
		info.encode64(f.at(frame + info64Off))
	}
	putFXSAVE(f.at(bufFx), t.userFPU())
	if !t.writeFrame(f) {
		return false
	}
	r.RDI, r.RAX = uint64(sig), 0
	r.RSI, r.RDX = frame+info64Off, uc
	r.RIP, r.RSP = act.handler, frame
	r.CS, r.SS = amd64.UserCS64, amd64.UserDS
	return true
}

// putSigcontext64 mirrors setup_sigcontext.
func (t *Task) putSigcontext64(f frameBuf, sc, fpstate uint64, oldmask sigSet) {
	r := &t.regs
	for i, v := range [8]uint64{r.R8, r.R9, r.R10, r.R11, r.R12, r.R13, r.R14, r.R15} {
		f.put64(sc+sc64R8+uint64(i)*8, v)
	}
	for _, w := range [...]struct{ off, v uint64 }{
		{sc64RDI, r.RDI}, {sc64RSI, r.RSI}, {sc64RBP, r.RBP}, {sc64RBX, r.RBX}, {sc64RDX, r.RDX},
		{sc64RAX, r.RAX}, {sc64RCX, r.RCX}, {sc64RSP, r.RSP}, {sc64RIP, r.RIP}, {sc64Flags, r.RFLAGS},
		{sc64Err, t.sig.trapErr}, {sc64Trapno, t.sig.trapNo}, {sc64Oldmask, uint64(oldmask)},
		{sc64CR2, t.sig.cr2}, {sc64Fpstate, fpstate},
	} { // an array, not a map: no allocation and a fixed order per delivery
		f.put64(sc+w.off, w.v)
	}
	f.put16(sc+sc64CS, uint16(r.CS))
	f.put16(sc+sc64SS, uint16(r.SS))
	// gs and fs are written as 0, as Linux does since 4.6.
}

// sysRtSigreturn is rt_sigreturn for 64-bit frames (15): the frame sits
// right under the restorer's stack pointer (the handler's ret popped
// pretcode). Mask, registers, FPU state and the alternate stack come
// back; a frame that cannot be read kills with SIGSEGV. The result is
// the restored rax, so the interrupted code sees its own value.
func (t *Task) sysRtSigreturn(a *syscall.Args) (uint64, error) {
	r := &t.regs
	frame := r.RSP - 8
	f, ok := t.readFrame(frame, rtFrame64Size)
	if !ok {
		t.badFrame("rt_sigreturn", frame)
		return 0, nil
	}
	t.setCurrentBlocked(sigSet(f.get64(frame + uc64SigmaskOff)))
	if !t.restoreSigcontext64(f, frame+uc64McontextOf, f.get64(frame+uc64Off)) {
		t.badFrame("rt_sigreturn", frame)
		return 0, nil
	}
	t.restoreAltstack(f, frame+uc64StackOff, false)
	return r.RAX, nil
}

// restoreSigcontext64 mirrors restore_sigcontext: every general register,
// the user-changeable flags, CS and SS with RPL 3, and the FPU image. A
// code or stack selector ring 3 cannot use makes the return fault
// (SIGSEGV) instead of reaching the CPU.
func (t *Task) restoreSigcontext64(f frameBuf, sc uint64, ucFlags uint64) bool {
	r := &t.regs
	regs := [8]*uint64{&r.R8, &r.R9, &r.R10, &r.R11, &r.R12, &r.R13, &r.R14, &r.R15}
	for i, p := range regs {
		*p = f.get64(sc + sc64R8 + uint64(i)*8)
	}
	r.RDI, r.RSI, r.RBP, r.RBX = f.get64(sc+sc64RDI), f.get64(sc+sc64RSI), f.get64(sc+sc64RBP), f.get64(sc+sc64RBX)
	r.RDX, r.RAX, r.RCX, r.RSP = f.get64(sc+sc64RDX), f.get64(sc+sc64RAX), f.get64(sc+sc64RCX), f.get64(sc+sc64RSP)
	r.RIP = f.get64(sc + sc64RIP)
	r.RFLAGS = r.RFLAGS&^fixEflags | f.get64(sc+sc64Flags)&fixEflags
	r.OrigRAX = ^uint64(0) // no syscall restart after sigreturn
	cs := uint64(f.get16(sc+sc64CS)) | 3
	ss := uint64(f.get16(sc+sc64SS)) | 3
	if ucFlags&ucStrictRestoreSS == 0 {
		ss = amd64.UserDS // force_valid_ss for old frames
	}
	return t.restoreSegmentsAndFPU(cs, ss, amd64.UserCS64, f.get64(sc+sc64Fpstate), false)
}

// setCurrentBlocked is set_current_blocked: SIGKILL and SIGSTOP are never
// blocked; newly unblocked pending signals will be delivered.
func (t *Task) setCurrentBlocked(set sigSet) {
	h := &t.proc.sighand
	h.mu.Lock()
	t.setBlockedLocked(set)
	h.mu.Unlock()
}
