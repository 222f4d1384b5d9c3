package nucleus

// Signals for the runtime: rt_sigaction, rt_sigprocmask and sigaltstack are
// recorded; faults in kernel Go code and tgkill (the runtime's async
// preemption, SIGURG) are delivered as Linux signals, with an rt_sigframe
// built on the thread's signal stack exactly as arch/x86/kernel/signal.c
// (x64_setup_rt_frame) lays it out; rt_sigreturn undoes it. This is how a
// nil dereference in the kernel becomes an ordinary Go panic.
//
// Runs on the trap path: //go:nosplit, no allocation.

import (
	"unsafe"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

const (
	segvMapErr = 1
	segvAccErr = 2
	siKernel   = 0x80
	siTkill    = -6
	fpeIntDiv  = 1
	illIllOpn  = 2

	saSiginfo   = 0x4
	saOnstack   = 0x08000000
	saRestart   = 0x10000000
	saNodefer   = 0x40000000
	saResethand = 0x80000000
	saRestorer  = 0x04000000

	ssOnstack = 1
	ssDisable = 2
	minSigStk = 2048

	// Sizes of the x86-64 signal frame (arch/x86/include/asm/sigframe.h).
	ucSize      = 304 // struct ucontext
	siginfoSize = 128
	rtFrameSize = 8 + ucSize + siginfoSize
	ucMcontext  = 40  // offset of uc_mcontext in ucontext
	ucSigmask   = 296 // offset of uc_sigmask
	fpstateSize = 512
)

// fatalSig is a signal whose default action is to kill: the kernel.
var fatalSig uint32

type sigaction struct{ handler, flags, restorer, mask uint64 }

var sigactions [65]sigaction

//go:nosplit
func sysRtSigaction(sig uintptr, act, oact uintptr, size uintptr) uintptr {
	if size != 8 || sig < 1 || sig > abi.SIGRTMAX {
		return errno(abi.EINVAL)
	}
	if act != 0 && (sig == abi.SIGKILL || sig == abi.SIGSTOP) {
		return errno(abi.EINVAL)
	}
	if oact != 0 {
		*(*sigaction)(unsafe.Add(nil, oact)) = sigactions[sig]
	}
	if act != 0 {
		sigactions[sig] = *(*sigaction)(unsafe.Add(nil, act))
		sigactions[sig].mask &^= 1<<(abi.SIGKILL-1) | 1<<(abi.SIGSTOP-1)
	}
	return 0
}

//go:nosplit
func sysRtSigprocmask(how uintptr, set, oset uintptr, size uintptr) uintptr {
	if size != 8 {
		return errno(abi.EINVAL)
	}
	t := cur()
	old := t.sigmask
	if set != 0 {
		s := *u64at(set) &^ (1<<(abi.SIGKILL-1) | 1<<(abi.SIGSTOP-1))
		switch how {
		case 0:
			t.sigmask |= s
		case 1:
			t.sigmask &^= s
		case 2:
			t.sigmask = s
		default:
			return errno(abi.EINVAL)
		}
	}
	if oset != 0 {
		*u64at(oset) = old
	}
	return 0
}

//go:nosplit
func onAltStack(t *thread, sp uint64) bool {
	return t.altSize != 0 && sp > uint64(t.altSP) && sp <= uint64(t.altSP+t.altSize)
}

//go:nosplit
func sysSigaltstack(ss, oss uintptr, tf *TrapFrame) uintptr {
	t := cur()
	if oss != 0 {
		*u64at(oss) = uint64(t.altSP)
		fl := uint32(0)
		switch {
		case t.altSize == 0:
			fl = ssDisable
		case onAltStack(t, tf.RSP):
			fl = ssOnstack
		}
		*u32at(oss + 8) = fl
		*u32at(oss + 12) = 0
		*u64at(oss + 16) = uint64(t.altSize)
	}
	if ss != 0 {
		if onAltStack(t, tf.RSP) {
			return errno(abi.EPERM)
		}
		sp, fl, size := uintptr(*u64at(ss)), *u32at(ss + 8), uintptr(*u64at(ss + 16))
		switch {
		case fl == ssDisable:
			t.altSP, t.altSize = 0, 0
		case fl != 0:
			return errno(abi.EINVAL)
		case size < minSigStk:
			return errno(abi.ENOMEM)
		default:
			t.altSP, t.altSize = sp, size
		}
	}
	return 0
}

// sysTgkill queues sig for thread tid. A thread blocked in the nucleus is
// interrupted (its call returns EINTR), as Linux's signal_wake_up does.
//
//go:nosplit
func sysTgkill(tid uintptr, sig uintptr) uintptr {
	if sig > abi.SIGRTMAX {
		return errno(abi.EINVAL)
	}
	for i := int32(1); i < threadSlots; i++ {
		t := &threads[i]
		if t.state == thFree || uintptr(t.tid) != tid {
			continue
		}
		if sig == 0 {
			return 0
		}
		t.pending |= 1 << (sig - 1)
		if t.state == thBlocked && t.sigmask&(1<<(sig-1)) == 0 {
			if t.wait == waitFutex {
				futexUnqueue(t)
			}
			t.deadline = 0
			wake(t, errno(abi.EINTR), false)
		}
		return 0
	}
	return errno(abi.ESRCH)
}

// deliverPending delivers the lowest pending, unblocked signal.
//
//go:nosplit
func deliverPending(t *thread, tf *TrapFrame) {
	for sig := uint32(1); sig <= abi.SIGRTMAX; sig++ {
		bit := uint64(1) << (sig - 1)
		if t.pending&bit != 0 && t.sigmask&bit == 0 {
			t.pending &^= bit
			if !setupFrame(t, tf, sig, siTkill, 0) {
				fatalSig = sig // trap() reports it, at a shallow stack depth
			}
			return
		}
	}
}

// deliverFault delivers a synchronous fault signal (force_sig_fault): if
// the handler is missing or the signal is blocked, the kernel dies.
//
//go:nosplit
func deliverFault(tf *TrapFrame, sig, code uint32, addr uint64) bool {
	t := cur()
	if t.sigmask&(1<<(sig-1)) != 0 {
		return false
	}
	return setupFrame(t, tf, sig, int32(code), addr)
}

// setupFrame builds the rt_sigframe and points tf at the handler. It
// returns false when the signal has no handler (SIG_DFL/SIG_IGN) or the
// stack for the frame is not usable.
//
//go:nosplit
func setupFrame(t *thread, tf *TrapFrame, sig uint32, code int32, addr uint64) bool {
	if sig >= uint32(len(sigactions)) {
		return false
	}
	act := &sigactions[sig]
	if act.handler <= 1 || act.flags&saRestorer == 0 {
		return sig == abi.SIGURG && act.handler <= 1 // SIGURG's default is to ignore
	}
	sp := uintptr(tf.RSP) - 128 // skip the red zone
	if act.flags&saOnstack != 0 && t.altSize != 0 && !onAltStack(t, tf.RSP) {
		sp = t.altSP + t.altSize
	}
	fp := (sp - fpstateSize) &^ 63
	frame := ((fp - rtFrameSize) &^ 15) - 8 // (frame+8) is 16-byte aligned, as after a CALL
	if !touchRange(frame, sp) {
		return false
	}
	amd64.Memcpy(fp, frameAddr(tf), fpstateSize)

	*u64at(frame) = act.restorer // pretcode
	uc := frame + 8
	*u64at(uc) = 0     // uc_flags
	*u64at(uc + 8) = 0 // uc_link
	*u64at(uc + 16) = uint64(t.altSP)
	*u64at(uc + 24) = 0
	if t.altSize == 0 {
		*u32at(uc + 24) = ssDisable
	} else if onAltStack(t, tf.RSP) {
		*u32at(uc + 24) = ssOnstack
	}
	*u64at(uc + 32) = uint64(t.altSize)
	saveSigcontext(uc+ucMcontext, tf, t.sigmask, fp, addr)
	*u64at(uc + ucSigmask) = t.sigmask

	info := uc + ucSize
	zeroBytes(info, siginfoSize)
	*u32at(info) = sig
	*u32at(info + 8) = uint32(code)
	if code == siTkill {
		*u32at(info + 16) = 1 // si_pid
	} else {
		*u64at(info + 16) = addr
	}

	tf.RIP = act.handler
	tf.RSP = uint64(frame)
	tf.RDI = uint64(sig)
	tf.RSI = uint64(info)
	tf.RDX = uint64(uc)
	tf.RAX = 0
	tf.RFLAGS &^= 0x500 // TF, DF
	t.sigmask |= act.mask
	if act.flags&saNodefer == 0 {
		t.sigmask |= 1 << (sig - 1)
	}
	if act.flags&saResethand != 0 {
		act.handler = 0
	}
	return true
}

// sysRtSigreturn restores the context saved by setupFrame (or changed by
// the handler: the runtime points RIP at sigpanic). The frame is at the
// caller's SP: the handler's RET popped pretcode.
//
//go:nosplit
func sysRtSigreturn(tf *TrapFrame) {
	uc := uintptr(tf.RSP)
	mc := uc + ucMcontext
	r := func(i uintptr) uint64 { return *u64at(mc + i*8) }
	tf.R8, tf.R9, tf.R10, tf.R11 = r(0), r(1), r(2), r(3)
	tf.R12, tf.R13, tf.R14, tf.R15 = r(4), r(5), r(6), r(7)
	tf.RDI, tf.RSI, tf.RBP, tf.RBX = r(8), r(9), r(10), r(11)
	tf.RDX, tf.RAX, tf.RCX, tf.RSP = r(12), r(13), r(14), r(15)
	tf.RIP = r(16)
	tf.RFLAGS = r(17)&0xdd5 | 0x202 // status flags and DF; IF stays on
	tf.CS, tf.SS = selKernelCS, selKernelDS
	if fp := uintptr(r(23)); fp != 0 {
		amd64.Memcpy(frameAddr(tf), fp, fpstateSize)
		*u32at(frameAddr(tf) + amd64.FxMXCSR) &= amd64.MXCSRFeatureMask // MXCSR: keep reserved bits clear
	}
	cur().sigmask = *u64at(uc + ucSigmask) &^ (1<<(abi.SIGKILL-1) | 1<<(abi.SIGSTOP-1))
}

// touchRange makes sure [lo, hi) of the mmap area has frames, so that
// writing a signal frame cannot fault inside the nucleus.
//
//go:nosplit
func touchRange(lo, hi uintptr) bool {
	for va := lo &^ (pageSize - 1); va < hi; va += pageSize {
		if va < MmapBase || va >= MmapEnd {
			continue // image or direct map: always present
		}
		e := walk(va, false)
		if e == 0 {
			return false
		}
		if *u64at(e)&1 == 0 && !demandFault(va, true) {
			return false
		}
	}
	return true
}

// killKernel is the default action of a fatal signal: the kernel is the
// process, so the machine stops with status 128+sig.
//
//go:nosplit
func killKernel(sig uint32, tf *TrapFrame) {
	printkDec("nucleus: the kernel was killed by signal ", uint64(sig), "")
	oops(tf, "fatal signal with no handler")
}

// saveSigcontext writes struct sigcontext (arch/x86/include/uapi/asm/
// sigcontext.h, 64-bit): r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp,
// rip, eflags, cs/gs/fs/ss, err, trapno, oldmask, cr2, fpstate, reserved.
//
//go:nosplit
func saveSigcontext(mc uintptr, tf *TrapFrame, oldmask uint64, fp uintptr, addr uint64) {
	w := func(i uintptr, v uint64) { *u64at(mc + i*8) = v }
	w(0, tf.R8)
	w(1, tf.R9)
	w(2, tf.R10)
	w(3, tf.R11)
	w(4, tf.R12)
	w(5, tf.R13)
	w(6, tf.R14)
	w(7, tf.R15)
	w(8, tf.RDI)
	w(9, tf.RSI)
	w(10, tf.RBP)
	w(11, tf.RBX)
	w(12, tf.RDX)
	w(13, tf.RAX)
	w(14, tf.RCX)
	w(15, tf.RSP)
	w(16, tf.RIP)
	w(17, tf.RFLAGS)
	w(18, tf.CS|tf.SS<<48)
	w(19, tf.ErrorCode)
	w(20, tf.Vector)
	w(21, oldmask)
	w(22, 0)
	if tf.Vector == amd64.VecPageFault {
		w(22, addr) // cr2
	}
	w(23, uint64(fp))
	for i := uintptr(24); i < 32; i++ {
		w(i, 0)
	}
}
