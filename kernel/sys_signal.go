package kernel

// The signal system calls (kernel/signal.c, kernel/compat.c): kill,
// tgkill, tkill, rt_sigaction, rt_sigprocmask, rt_sigpending,
// rt_sigsuspend and sigaltstack, each with its i386 compat entry (the
// layouts of §1.3: 32-bit pointers and words, the same 8-byte sigset).
// The only sigsetsize the rt_ calls accept is sizeof(sigset_t), 8, which
// is also sizeof(compat_sigset_t) (sigsetSize). The
// sigreturns are with their frames (signal_frame_64.go,
// signal_frame_32.go).

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/syscall"
)

// sigsetSize is sizeof(sigset_t) in the kernel (and compat_sigset_t).
const sigsetSize = 8

func validSignal(sig int32) bool { return sig >= 0 && sig <= abi.SIGRTMAX }

// userInfo is the siginfo of kill(2) (SI_USER) or tkill/tgkill
// (SI_TKILL) from t.
func (t *Task) userInfo(sig int32, code int32) sigInfo {
	return sigInfo{signo: sig, code: code, pid: t.proc.pid, uid: t.proc.cred.UID}
}

// sysKill mirrors kill_something_info: pid > 0 one process, 0 the
// caller's group, -1 everyone but init and the caller, < -1 group -pid.
// Root may signal anyone; sig 0 only checks that a target exists.
func (t *Task) sysKill(a *syscall.Args) (uint64, error) {
	pid, sig := a.Int(0), a.Int(1)
	if !validSignal(sig) {
		return 0, abi.EINVAL
	}
	if pid == -2147483648 { // -INT_MIN
		return 0, abi.ESRCH
	}
	var targets []*Process
	if pid > 0 {
		p := t.k.process(pid)
		if p == nil || isZombie(p) {
			return 0, abi.ESRCH
		}
		targets = append(targets, p)
	} else {
		group := t.proc.pgid
		if pid < -1 {
			group = -pid
		}
		for _, p := range t.k.allProcesses() {
			if isZombie(p) {
				continue
			}
			if pid == -1 && (p.pid == 1 || p == t.proc) || pid != -1 && p.pgid != group {
				continue
			}
			targets = append(targets, p)
		}
		if len(targets) == 0 {
			return 0, abi.ESRCH
		}
	}
	for _, p := range targets {
		p.sendSigInfo(t.userInfo(sig, siUSER), nil)
	}
	return 0, nil
}

func isZombie(p *Process) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exited
}

// signalThread is do_tkill: the thread must exist (and belong to tgid
// when tgid > 0); the signal is queued on that thread.
func (t *Task) signalThread(tgid, tid, sig int32) (uint64, error) {
	if !validSignal(sig) {
		return 0, abi.EINVAL
	}
	target := t.k.task(tid)
	if target == nil || tgid > 0 && target.proc.pid != tgid {
		return 0, abi.ESRCH
	}
	if sig != 0 {
		target.proc.sendSigInfo(t.userInfo(sig, siTKILL), target)
	}
	return 0, nil
}

func (t *Task) sysTgkill(a *syscall.Args) (uint64, error) {
	tgid, tid := a.Int(0), a.Int(1)
	if tgid <= 0 || tid <= 0 {
		return 0, abi.EINVAL
	}
	return t.signalThread(tgid, tid, a.Int(2))
}

func (t *Task) sysTkill(a *syscall.Args) (uint64, error) {
	tid := a.Int(0)
	if tid <= 0 {
		return 0, abi.EINVAL
	}
	return t.signalThread(0, tid, a.Int(1))
}

// sigaction layouts: struct sigaction of the x86_64 kernel (handler,
// flags, restorer, mask: 32 bytes) and struct compat_sigaction (20
// bytes of 32-bit words: handler, flags, restorer, mask as two words).
const (
	sigaction64Size = 32
	sigaction32Size = 20
)

func decodeSigaction(b []byte, compat bool) sigAction {
	le := binary.LittleEndian
	if compat {
		return sigAction{handler: uint64(le.Uint32(b)), flags: uint64(le.Uint32(b[4:])),
			restorer: uint64(le.Uint32(b[8:])), mask: sigSet(le.Uint64(b[12:]))}
	}
	return sigAction{handler: le.Uint64(b), flags: le.Uint64(b[8:]), restorer: le.Uint64(b[16:]), mask: sigSet(le.Uint64(b[24:]))}
}

func encodeSigaction(a sigAction, compat bool) []byte {
	le := binary.LittleEndian
	if compat {
		b := make([]byte, sigaction32Size)
		le.PutUint32(b, uint32(a.handler))
		le.PutUint32(b[4:], uint32(a.flags))
		le.PutUint32(b[8:], uint32(a.restorer))
		le.PutUint64(b[12:], uint64(a.mask))
		return b
	}
	b := make([]byte, sigaction64Size)
	le.PutUint64(b, a.handler)
	le.PutUint64(b[8:], a.flags)
	le.PutUint64(b[16:], a.restorer)
	le.PutUint64(b[24:], uint64(a.mask))
	return b
}

// sysRtSigaction is rt_sigaction (13) and compat_sys_rt_sigaction (174).
// Order as Linux: sigsetsize != 8 EINVAL; the new action is read (EFAULT)
// before anything changes; do_sigaction; the old action is written last,
// so a bad oact pointer reports EFAULT after the change took effect.
func (t *Task) sysRtSigaction(a *syscall.Args) (uint64, error) {
	sig, act, oact, size := a.Int(0), a.Ptr(1), a.Ptr(2), a.Size(3)
	compat := a.InCompatSyscall()
	if size != sigsetSize {
		return 0, abi.EINVAL
	}
	var newAct *sigAction
	if act != 0 {
		n := sigaction64Size
		if compat {
			n = sigaction32Size
		}
		b := make([]byte, n)
		if err := t.copyIn(act, b); err != nil {
			return 0, err
		}
		na := decodeSigaction(b, compat)
		newAct = &na
	}
	old, err := t.doSigaction(int(sig), newAct, a.InIA32Syscall())
	if err != nil {
		return 0, err
	}
	if oact != 0 {
		if err := t.copyOut(oact, encodeSigaction(old, compat)); err != nil {
			return 0, err
		}
	}
	return 0, nil
}

// doSigaction mirrors do_sigaction + sigaction_compat_abi: signals out of
// 1..64 EINVAL; SIGKILL and SIGSTOP may be queried but not changed
// (EINVAL). Unknown flag bits are dropped (UAPI_SA_FLAGS), SIGKILL and
// SIGSTOP leave the mask, and the action remembers the ABI it came
// through. Setting an action that ignores the signal discards its pending
// instances (POSIX 3.3.1.3), in the process and in every thread.
func (t *Task) doSigaction(sig int, act *sigAction, ia32 bool) (sigAction, error) {
	if sig < 1 || sig > abi.SIGRTMAX || act != nil && (sig == abi.SIGKILL || sig == abi.SIGSTOP) {
		return sigAction{}, abi.EINVAL
	}
	p := t.proc
	p.mu.Lock()
	tasks := append([]*Task(nil), p.tasks...)
	p.mu.Unlock()
	h := &p.sighand
	h.mu.Lock()
	defer h.mu.Unlock()
	cur := h.actionOf(sig)
	old := *cur
	old.flags &= uapiSAFlags
	if act == nil {
		return old, nil
	}
	na := *act
	na.flags &= uapiSAFlags
	if ia32 {
		na.flags |= saIA32ABI
	}
	na.mask &^= unblockable
	*cur = na
	if na.handler == sigIGN || na.handler == sigDFL && defaultIgnored(sig) {
		h.shared.flush(sigMask(sig))
		for _, x := range tasks {
			x.sig.pending.flush(sigMask(sig))
		}
	}
	return old, nil
}

// Sigprocmask's how (include/uapi/asm-generic/signal-defs.h).
const (
	sigBLOCK   = 0
	sigUNBLOCK = 1
	sigSETMASK = 2
)

// sysRtSigprocmask is rt_sigprocmask (14) and its compat twin (175; the
// compat sigset has the same bytes). With a NULL set, how is not looked
// at. The old mask is taken before the change and written after it.
func (t *Task) sysRtSigprocmask(a *syscall.Args) (uint64, error) {
	how, set, oset, size := a.Int(0), a.Ptr(1), a.Ptr(2), a.Size(3)
	if size != sigsetSize {
		return 0, abi.EINVAL
	}
	h := &t.proc.sighand
	h.mu.Lock()
	old := t.sig.blocked
	h.mu.Unlock()
	if set != 0 {
		s, err := t.readSigset(set)
		if err != nil {
			return 0, err
		}
		if err := t.sigprocmask(how, s); err != nil {
			return 0, err
		}
	}
	if oset != 0 {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(old))
		if err := t.copyOut(oset, b[:]); err != nil {
			return 0, err
		}
	}
	return 0, nil
}

// sigprocmask mirrors kernel/signal.c:sigprocmask.
func (t *Task) sigprocmask(how int32, set sigSet) error {
	h := &t.proc.sighand
	h.mu.Lock()
	defer h.mu.Unlock()
	nb := t.sig.blocked
	switch how {
	case sigBLOCK:
		nb |= set
	case sigUNBLOCK:
		nb &^= set
	case sigSETMASK:
		nb = set
	default:
		return abi.EINVAL
	}
	t.setBlockedLocked(nb)
	return nil
}

// sysRtSigpending is rt_sigpending (127) and compat (176): the pending
// signals (the thread's and the process's) that are blocked. sigsetsize
// above 8 is EINVAL; a smaller one copies only that many bytes, as Linux.
func (t *Task) sysRtSigpending(a *syscall.Args) (uint64, error) {
	uset, size := a.Ptr(0), a.Size(1)
	if size > sigsetSize {
		return 0, abi.EINVAL
	}
	h := &t.proc.sighand
	h.mu.Lock()
	set := (t.sig.pending.set | h.shared.set) & t.sig.blocked
	h.mu.Unlock()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(set))
	return 0, t.copyOut(uset, b[:size])
}

// sysRtSigsuspend is rt_sigsuspend (130) and compat (179): replace the
// mask, sleep until a signal is delivered, return -ERESTARTNOHAND. The
// signal step restores the old mask — through the handler's frame, or
// at once when no handler runs (then the call restarts, as in Linux, and
// keeps waiting).
func (t *Task) sysRtSigsuspend(a *syscall.Args) (uint64, error) {
	set, err := t.readSigsetArg(a.Ptr(0), a.Size(1))
	if err != nil {
		return 0, err
	}
	t.setUserSigmask(set)
	t.caller.Wait(nil, nil) // only a signal ends it
	return 0, abi.ERESTARTNOHAND
}

// readSigsetArg reads a sigset_t argument whose size the caller passed:
// anything but sizeof(sigset_t) is EINVAL, an unreadable one EFAULT.
func (t *Task) readSigsetArg(addr, size uint64) (sigSet, error) {
	if size != sigsetSize {
		return 0, abi.EINVAL
	}
	return t.readSigset(addr)
}

// readSigset reads a sigset_t (EFAULT if it cannot be read).
func (t *Task) readSigset(addr uint64) (sigSet, error) {
	var b [sigsetSize]byte
	if err := t.copyIn(addr, b[:]); err != nil {
		return 0, err
	}
	return sigSet(binary.LittleEndian.Uint64(b[:])), nil
}

// stackT is stack_t: ss_sp, ss_flags, ss_size.
type stackT struct {
	sp    uint64
	flags uint32
	size  uint64
}

// stackTSize is sizeof(stack_t): 24 bytes (sp, an int of flags and its
// padding, size), 12 for compat_stack_t (three 32-bit words).
func stackTSize(compat bool) int {
	if compat {
		return 12
	}
	return 24
}

// encode stores s in the layout of stack_t or compat_stack_t.
func (s stackT) encode(b []byte, compat bool) {
	le := binary.LittleEndian
	if compat {
		le.PutUint32(b, uint32(s.sp))
		le.PutUint32(b[4:], s.flags)
		le.PutUint32(b[8:], uint32(s.size))
		return
	}
	le.PutUint64(b, s.sp)
	le.PutUint32(b[8:], s.flags)
	clear(b[12:16])
	le.PutUint64(b[16:], s.size)
}

// decodeStackT reads a stack_t or compat_stack_t.
func decodeStackT(b []byte, compat bool) stackT {
	le := binary.LittleEndian
	if compat {
		return stackT{sp: uint64(le.Uint32(b)), flags: le.Uint32(b[4:]), size: uint64(le.Uint32(b[8:]))}
	}
	return stackT{sp: le.Uint64(b), flags: le.Uint32(b[8:]), size: le.Uint64(b[16:])}
}

// doSigaltstack mirrors do_sigaltstack. oss (if wanted) is filled first;
// then a change is refused while running on the alternate stack (EPERM),
// a mode other than 0, SS_ONSTACK or SS_DISABLE (plus SS_AUTODISARM) is
// EINVAL, and a stack below MINSIGSTKSZ is ENOMEM. SS_DISABLE clears it.
// Only this thread's goroutine touches its alternate stack.
func (t *Task) doSigaltstack(ss, oss *stackT, sp uint64) error {
	if oss != nil {
		*oss = stackT{sp: t.sig.altSP, size: t.sig.altSize, flags: t.sasSSFlags(sp) | t.sig.altFlags&ssFlagBits}
	}
	if ss == nil {
		return nil
	}
	if t.onSigStack(sp) {
		return abi.EPERM
	}
	mode := ss.flags &^ ssFlagBits
	if mode != ssDISABLE && mode != ssONSTACK && mode != 0 {
		return abi.EINVAL
	}
	if t.sig.altSP == ss.sp && t.sig.altSize == ss.size && t.sig.altFlags == ss.flags {
		return nil
	}
	if mode == ssDISABLE {
		ss.sp, ss.size = 0, 0
	} else if ss.size < sigaltstackMin {
		return abi.ENOMEM
	}
	t.sig.altSP, t.sig.altSize, t.sig.altFlags = ss.sp, ss.size, ss.flags
	return nil
}

// sysSigaltstack is sigaltstack (131) and compat_sys_sigaltstack (186):
// stack_t is 24 bytes (sp, int flags + padding, size), compat_stack_t 12
// (three 32-bit words). The old stack is reported as it was before the
// change; a bad uoss is EFAULT after the change took effect.
func (t *Task) sysSigaltstack(a *syscall.Args) (uint64, error) {
	uss, uoss := a.Ptr(0), a.Ptr(1)
	compat := a.InCompatSyscall()
	size := stackTSize(compat)
	var ss *stackT
	if uss != 0 {
		b := make([]byte, size)
		if err := t.copyIn(uss, b); err != nil {
			return 0, err
		}
		s := decodeStackT(b, compat)
		ss = &s
	}
	var old stackT
	oss := &old
	if uoss == 0 {
		oss = nil
	}
	sp := t.regs.RSP
	if compat {
		sp = uint64(uint32(sp))
	}
	if err := t.doSigaltstack(ss, oss, sp); err != nil {
		return 0, err
	}
	if oss != nil {
		b := make([]byte, size)
		old.encode(b, compat)
		if err := t.copyOut(uoss, b); err != nil {
			return 0, err
		}
	}
	return 0, nil
}
