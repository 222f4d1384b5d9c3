package kernel

// The i386 signal frames and their returns (arch/x86/kernel/signal_32.c:
// ia32_setup_rt_frame, ia32_setup_frame, ia32_restore_sigcontext,
// sys32_rt_sigreturn, sys32_sigreturn). Used for actions installed
// through the i386 table (SA_IA32_ABI). Layouts, from the frame address:
//
//	rt_sigframe_ia32 (SA_SIGINFO)       sigframe_ia32 (no SA_SIGINFO)
//	  0 pretcode                          0 pretcode
//	  4 sig                               4 sig
//	  8 pinfo (-> info)                   8 sigcontext_32 (88)
//	 12 puc (-> uc)                      96 _fpstate_32, unused (624)
//	 16 compat siginfo (128)            720 extramask (high mask word)
//	144 ucontext_ia32 (116):            724 retcode (8)
//	    flags, link, stack (12),        732
//	    sigcontext_32 (88), sigmask (8)
//	260 retcode (8)
//	268
//
// Above each frame: the legacy i387 header (112) and the FXSAVE image.
// Without SA_RESTORER (and with no vDSO) the handler returns into
// retcode: "movl $173, %eax; int $0x80" (rt) or "popl %eax; movl $119,
// %eax; int $0x80". The handler starts with eax = signal, and for rt
// frames edx = &info, ecx = &uc; its arguments are also on the stack.

import (
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/syscall"
)

const (
	rtFrame32Size  = 268
	rt32InfoOff    = 16
	rt32UcOff      = 144
	rt32StackOff   = rt32UcOff + 8
	rt32McontextOf = rt32UcOff + 20
	rt32SigmaskOff = rt32UcOff + 108
	rt32RetcodeOff = 260

	frame32Size       = 732
	fr32ScOff         = 8
	fr32ExtramaskOff  = 720
	fr32RetcodeOff    = 724
	nrIA32Sigreturn   = 119
	nrIA32RtSigreturn = 173
)

// Offsets inside struct sigcontext_32.
const (
	sc32GS      = 0
	sc32FS      = 4
	sc32ES      = 8
	sc32DS      = 12
	sc32EDI     = 16
	sc32ESI     = 20
	sc32EBP     = 24
	sc32ESP     = 28
	sc32EBX     = 32
	sc32EDX     = 36
	sc32ECX     = 40
	sc32EAX     = 44
	sc32Trapno  = 48
	sc32Err     = 52
	sc32EIP     = 56
	sc32CS      = 60
	sc32Flags   = 64
	sc32SPAtSig = 68
	sc32SS      = 72
	sc32Fpstate = 76
	sc32Oldmask = 80
	sc32CR2     = 84
)

// The return trampolines Linux writes into retcode (still there for
// debuggers that recognise them, and used when there is no restorer).
var (
	rtRetcode32 = [8]byte{0xb8, nrIA32RtSigreturn, 0, 0, 0, 0xcd, 0x80, 0}
	retcode32   = [8]byte{0x58, 0xb8, nrIA32Sigreturn, 0, 0, 0, 0xcd, 0x80}
)

// setupRTFrame32 mirrors ia32_setup_rt_frame.
func (t *Task) setupRTFrame32(sig int, info *sigInfo, act *sigAction, oldmask sigSet) bool {
	frame, fpstate, bufFx, ok := t.sigframePlace(true, rtFrame32Size, act)
	if !ok {
		return false
	}
	f := newFrameBuf(frame, bufFx+fxsaveSize)
	pretcode := frame + rt32RetcodeOff
	switch {
	case act.flags&saRESTORER != 0:
		pretcode = act.restorer
	case t.proc.vdso != 0: // glibc i386 relies on the vDSO's trampoline
		pretcode = t.proc.vdso + vdsoCodeOff + vdso32RtSigretOff
	}
	f.put32(frame, uint32(pretcode))
	f.put32(frame+4, uint32(sig))
	f.put32(frame+8, uint32(frame+rt32InfoOff))
	f.put32(frame+12, uint32(frame+rt32UcOff))
	info.encode32(f.at(frame + rt32InfoOff))
	f.put32(frame+rt32UcOff, ucFlags32)
	f.put32(frame+rt32UcOff+4, 0) // uc_link
	t.saveAltstack(f, frame+rt32StackOff, true)
	t.putSigcontext32(f, frame+rt32McontextOf, fpstate, oldmask)
	f.put64(frame+rt32SigmaskOff, uint64(oldmask))
	copy(f.at(frame+rt32RetcodeOff), rtRetcode32[:])
	t.putFPState32(f, fpstate, bufFx)
	if !t.writeFrame(f) {
		return false
	}
	t.enterHandler32(act.handler, frame, uint64(sig), frame+rt32InfoOff, frame+rt32UcOff)
	return true
}

// setupSigframe32 mirrors ia32_setup_frame: the pre-rt frame of signal()
// users, whose handler gets only the signal number.
func (t *Task) setupSigframe32(sig int, act *sigAction, oldmask sigSet) bool {
	frame, fpstate, bufFx, ok := t.sigframePlace(true, frame32Size, act)
	if !ok {
		return false
	}
	f := newFrameBuf(frame, bufFx+fxsaveSize)
	pretcode := frame + fr32RetcodeOff
	switch {
	case act.flags&saRESTORER != 0:
		pretcode = act.restorer
	case t.proc.vdso != 0:
		pretcode = t.proc.vdso + vdsoCodeOff + vdso32SigretOff
	}
	f.put32(frame, uint32(pretcode))
	f.put32(frame+4, uint32(sig))
	t.putSigcontext32(f, frame+fr32ScOff, fpstate, oldmask)
	f.put32(frame+fr32ExtramaskOff, uint32(oldmask>>32))
	copy(f.at(frame+fr32RetcodeOff), retcode32[:])
	t.putFPState32(f, fpstate, bufFx)
	if !t.writeFrame(f) {
		return false
	}
	t.enterHandler32(act.handler, frame, uint64(sig), 0, 0)
	return true
}

// enterHandler32 sets the registers an ia32 handler starts with.
func (t *Task) enterHandler32(handler, frame, eax, edx, ecx uint64) {
	r := &t.regs
	r.RAX, r.RDX, r.RCX = eax, edx, ecx
	r.RIP, r.RSP = uint64(uint32(handler)), frame
	r.DS, r.ES = amd64.UserDS, amd64.UserDS
	r.CS, r.SS = amd64.UserCS32, amd64.UserDS
}

// putSigcontext32 mirrors ia32_setup_sigcontext.
func (t *Task) putSigcontext32(f frameBuf, sc, fpstate uint64, oldmask sigSet) {
	r := &t.regs
	f.put32(sc+sc32GS, uint32(r.GS))
	f.put32(sc+sc32FS, uint32(r.FS))
	f.put32(sc+sc32ES, uint32(r.ES))
	f.put32(sc+sc32DS, uint32(r.DS))
	for _, w := range [...]struct{ off, v uint64 }{
		{sc32EDI, r.RDI}, {sc32ESI, r.RSI}, {sc32EBP, r.RBP}, {sc32ESP, r.RSP}, {sc32EBX, r.RBX},
		{sc32EDX, r.RDX}, {sc32ECX, r.RCX}, {sc32EAX, r.RAX}, {sc32Trapno, t.sig.trapNo},
		{sc32Err, t.sig.trapErr}, {sc32EIP, r.RIP}, {sc32CS, r.CS}, {sc32Flags, r.RFLAGS},
		{sc32SPAtSig, r.RSP}, {sc32SS, r.SS}, {sc32Fpstate, fpstate},
		{sc32Oldmask, uint64(oldmask)}, {sc32CR2, t.sig.cr2},
	} { // an array, not a map: no allocation and a fixed order per delivery
		f.put32(sc+w.off, uint32(w.v))
	}
}

// putFPState32 writes the legacy header and the FXSAVE image.
func (t *Task) putFPState32(f frameBuf, fpstate, bufFx uint64) {
	putFXSAVE(f.at(bufFx), t.userFPU())
	putFregs32(f.at(fpstate), t.fpu.Image(), uint16(t.regs.CS), t.regs.DS)
}

// sysCompatRtSigreturn is the i386 rt_sigreturn (173): the frame starts
// 4 bytes under esp (the handler's ret popped pretcode).
func (t *Task) sysCompatRtSigreturn(a *syscall.Args) (uint64, error) {
	r := &t.regs
	frame := uint64(uint32(r.RSP)) - 4
	f, ok := t.readFrame(frame, rt32RetcodeOff)
	if !ok {
		t.badFrame("32bit rt sigreturn", frame)
		return 0, nil
	}
	t.setCurrentBlocked(sigSet(f.get64(frame + rt32SigmaskOff)))
	if !t.restoreSigcontext32(f, frame+rt32McontextOf) {
		t.badFrame("32bit rt sigreturn", frame)
		return 0, nil
	}
	t.restoreAltstack(f, frame+rt32StackOff, true)
	return r.RAX, nil
}

// sysCompatSigreturn is the i386 sigreturn (119) of the old frame: 8
// bytes under esp (pretcode and the signal number were popped). The mask
// is sigcontext.oldmask plus extramask.
func (t *Task) sysCompatSigreturn(a *syscall.Args) (uint64, error) {
	r := &t.regs
	frame := uint64(uint32(r.RSP)) - 8
	f, ok := t.readFrame(frame, fr32RetcodeOff)
	if !ok {
		t.badFrame("32bit sigreturn", frame)
		return 0, nil
	}
	mask := uint64(f.get32(frame+fr32ScOff+sc32Oldmask)) | uint64(f.get32(frame+fr32ExtramaskOff))<<32
	t.setCurrentBlocked(sigSet(mask))
	if !t.restoreSigcontext32(f, frame+fr32ScOff) {
		t.badFrame("32bit sigreturn", frame)
		return 0, nil
	}
	return r.RAX, nil
}

// restoreSigcontext32 mirrors ia32_restore_sigcontext: the 32-bit
// registers (zero-extended; r8-r15 keep their values), the user flags,
// CS/SS with RPL 3, the data selectors with RPL 3 (one that cannot be
// loaded becomes 0 on entry, as loadsegment's fixup does), and the FPU.
func (t *Task) restoreSigcontext32(f frameBuf, sc uint64) bool {
	r := &t.regs
	get := func(off uint64) uint64 { return uint64(f.get32(sc + off)) }
	r.RDI, r.RSI, r.RBP, r.RSP = get(sc32EDI), get(sc32ESI), get(sc32EBP), get(sc32ESP)
	r.RBX, r.RDX, r.RCX, r.RAX = get(sc32EBX), get(sc32EDX), get(sc32ECX), get(sc32EAX)
	r.RIP = get(sc32EIP)
	r.RFLAGS = r.RFLAGS&^fixEflags | get(sc32Flags)&fixEflags
	r.OrigRAX = ^uint64(0)
	r.GS, r.FS = f.get16(sc+sc32GS)|3, f.get16(sc+sc32FS)|3
	// loadsegment(gs/fs): the bases become the descriptors' (the nucleus
	// sets them from UserRegs after loading the selectors).
	r.GSBase, r.FSBase = segmentBase(r, r.GS), segmentBase(r, r.FS)
	r.ES, r.DS = f.get16(sc+sc32ES)|3, f.get16(sc+sc32DS)|3
	cs, ss := uint64(f.get16(sc+sc32CS))|3, uint64(f.get16(sc+sc32SS))|3
	return t.restoreSegmentsAndFPU(cs, ss, amd64.UserCS32, get(sc32Fpstate), true)
}
