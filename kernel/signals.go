package kernel

// Sending and delivering signals (kernel/signal.c, arch/x86/kernel/
// signal.c). A signal is queued on a thread or on its process
// (send_signal), a thread that does not block it is woken
// (complete_signal), and on its way back to user mode the thread takes
// pending signals one by one (get_signal): ignored ones vanish, default
// actions terminate the process or do nothing, and a handler gets a signal
// frame on the user stack (signal_frame_64.go, signal_frame_32.go).
// Stop signals have no job control to stop: their default action is
// treated as "ignore", which is also what SIGCONT's would then be.
//
// Locking: Process.sighand.mu (siglock) guards the actions, both pending
// queues and every thread's blocked mask; Task.sigMu, taken inside it,
// guards the wake-up channel (Task.interrupt, TIF_SIGPENDING) and
// fatalSig. Process.mu is never held together with siglock.

import (
	"fmt"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// sigKernelIgnore is sig_kernel_ignore: the default action is to ignore.
func sigKernelIgnore(sig int) bool {
	switch sig {
	case abi.SIGCHLD, abi.SIGCONT, abi.SIGURG, abi.SIGWINCH:
		return true
	}
	return false
}

// sigKernelStop is sig_kernel_stop: the default action stops the process
// (Ringo: ignored, see the file comment).
func sigKernelStop(sig int) bool {
	switch sig {
	case abi.SIGSTOP, abi.SIGTSTP, abi.SIGTTIN, abi.SIGTTOU:
		return true
	}
	return false
}

// defaultIgnored reports whether SIG_DFL means "nothing happens".
func defaultIgnored(sig int) bool { return sigKernelIgnore(sig) || sigKernelStop(sig) }

// exceptionSignal maps a CPU exception vector to its signal, si_code and,
// when Linux logs the event (show_signal), the trap's name
// (arch/x86/kernel/traps.c: do_error_trap callers, exc_general_protection).
func exceptionSignal(vec uint64) (sig int, code int32, logName string) {
	switch vec {
	case amd64.VecDivide:
		return abi.SIGFPE, fpeINTDIV, "divide error"
	case amd64.VecDebug, amd64.VecBreakpoint:
		return abi.SIGTRAP, trapBRKPT, ""
	case amd64.VecOverflow:
		return abi.SIGSEGV, siKERNEL, "overflow"
	case amd64.VecBound:
		return abi.SIGSEGV, siKERNEL, "bounds"
	case amd64.VecInvalidOp:
		return abi.SIGILL, illILLOPN, "invalid opcode"
	case amd64.VecSegNP:
		return abi.SIGBUS, siKERNEL, "segment not present"
	case amd64.VecStack:
		return abi.SIGBUS, siKERNEL, "stack segment"
	case amd64.VecGP:
		return abi.SIGSEGV, siKERNEL, "general protection fault"
	case amd64.VecX87:
		return abi.SIGFPE, 0, ""
	case amd64.VecAlignment:
		return abi.SIGBUS, busADRERR, "alignment check"
	case amd64.VecSIMD:
		return abi.SIGFPE, 0, ""
	}
	return abi.SIGSEGV, siKERNEL, fmt.Sprintf("exception %d", vec)
}

// faultAddr is si_addr for a trap: the faulting instruction for #UD, #DE
// and the x87/SIMD errors (do_error_trap passes the ip), 0 otherwise.
func faultAddr(vec, ip uint64) uint64 {
	switch vec {
	case amd64.VecDivide, amd64.VecInvalidOp, amd64.VecX87, amd64.VecSIMD, amd64.VecAlignment:
		return ip
	}
	return 0
}

// logSegfault prints Linux's line for an unhandled SIGSEGV from a page
// fault (arch/x86/mm/fault.c:show_signal_msg).
func (t *Task) logSegfault(addr, errCode uint64) {
	t.k.vfs.Log.PrInfo("%s[%d]: segfault at %x ip %016x sp %016x error %x",
		t.proc.Comm(), t.proc.pid, addr, t.regs.RIP, t.regs.RSP, errCode)
}

// logTrap prints Linux's line for a fatal trap (arch/x86/kernel/traps.c:
// show_signal, pr_fmt "traps: ").
func (t *Task) logTrap(what string, errCode uint64) {
	t.k.vfs.Log.PrInfo("traps: %s[%d] %s ip:%x sp:%x error:%x",
		t.proc.Comm(), t.proc.pid, trapLogName(what), t.regs.RIP, t.regs.RSP, errCode)
}

// trapLogName: do_trap prints "trap <name>", #GP prints its name alone.
func trapLogName(what string) string {
	if what == "general protection fault" {
		return what
	}
	return "trap " + what
}

// faultSignal is the end of an unresolved page fault
// (do_user_addr_fault -> bad_area / do_sigbus): record the trap for the
// signal frame, log the line Linux prints when nobody handles the signal,
// and force the signal with its si_code and si_addr.
func (t *Task) faultSignal(sig int, code int32, addr uint64, info amd64.TrapInfo) {
	t.sig.trapNo, t.sig.trapErr, t.sig.cr2 = amd64.VecPageFault, info.ErrorCode, info.CR2
	if sig == abi.SIGSEGV && t.unhandledSignal(sig) {
		t.logSegfault(info.CR2, info.ErrorCode)
	}
	t.forceSigInfo(sigInfo{signo: int32(sig), code: code, addr: addr})
}

// trapSignal is the signal of any other CPU exception (do_trap,
// do_error_trap, exc_general_protection).
func (t *Task) trapSignal(info amd64.TrapInfo) {
	sig, code, what := exceptionSignal(info.Vector)
	t.sig.trapNo, t.sig.trapErr = info.Vector, info.ErrorCode
	if what != "" && t.unhandledSignal(sig) {
		t.logTrap(what, info.ErrorCode)
	}
	t.forceSigInfo(sigInfo{signo: int32(sig), code: code, addr: faultAddr(info.Vector, t.regs.RIP)})
}

// unhandledSignal mirrors unhandled_signal: no handler will run.
func (t *Task) unhandledSignal(sig int) bool {
	h := &t.proc.sighand
	h.mu.Lock()
	defer h.mu.Unlock()
	a := h.actionOf(sig)
	return a.handler == sigDFL || a.handler == sigIGN || t.sig.blocked&sigMask(sig) != 0
}

// forceSignal sends a synchronous signal from the kernel (force_sig,
// si_code SI_KERNEL).
func (t *Task) forceSignal(sig int) { t.forceSigInfo(sigInfo{signo: int32(sig), code: siKERNEL}) }

// forceSigInfo mirrors force_sig_info_to_task: a signal the task caused
// cannot be blocked or ignored away — if it is, its action becomes
// SIG_DFL (and it is unblocked), so the fault kills instead of looping.
func (t *Task) forceSigInfo(info sigInfo) {
	sig := int(info.signo)
	h := &t.proc.sighand
	h.mu.Lock()
	a := h.actionOf(sig)
	blocked := t.sig.blocked&sigMask(sig) != 0
	if a.handler == sigIGN || blocked {
		a.handler = sigDFL
		t.sig.blocked &^= sigMask(sig)
	}
	t.sig.pending.add(info)
	fatal := t.completeSignalLocked(sig)
	h.mu.Unlock()
	if fatal {
		t.proc.zapThreads(sig)
	}
}

// forceSigsegv mirrors force_sigsegv: a signal frame could not be built.
// If the failed signal was SIGSEGV itself its handler is reset so the
// next attempt kills.
func (t *Task) forceSigsegv(sig int) {
	if sig == abi.SIGSEGV {
		h := &t.proc.sighand
		h.mu.Lock()
		h.actionOf(abi.SIGSEGV).handler = sigDFL
		h.mu.Unlock()
	}
	t.forceSignal(abi.SIGSEGV)
}

// sendSigInfo queues a signal on the process (target nil: any thread may
// take it) or on one of its threads. Mirrors send_signal_locked:
// prepare_signal's ignore test, legacy_queue, then complete_signal.
func (p *Process) sendSigInfo(info sigInfo, target *Task) {
	sig := int(info.signo)
	if sig <= 0 || sig > abi.SIGRTMAX {
		return
	}
	p.mu.Lock()
	if p.exited {
		p.mu.Unlock()
		return
	}
	tasks := append([]*Task(nil), p.tasks...)
	p.mu.Unlock()
	if len(tasks) == 0 {
		return
	}
	h := &p.sighand
	h.mu.Lock()
	probe := target
	if probe == nil {
		probe = tasks[0]
	}
	if h.ignoredLocked(sig, probe) {
		h.mu.Unlock()
		return
	}
	if target != nil {
		target.sig.pending.add(info)
	} else {
		h.shared.add(info)
	}
	var fatal bool
	if target != nil {
		fatal = target.completeSignalLocked(sig)
	} else {
		for _, t := range tasks { // the leader first, as complete_signal
			if t.sig.blocked&sigMask(sig) == 0 {
				fatal = t.completeSignalLocked(sig)
				break
			}
		}
	}
	h.mu.Unlock()
	if fatal {
		p.zapThreads(sig)
	}
}

// ignoredLocked mirrors sig_ignored: a signal is dropped at send time if
// its action ignores it — unless the thread blocks it, because the action
// may change before it is unblocked.
// Preconditions: h.mu held.
func (h *signalHandlers) ignoredLocked(sig int, t *Task) bool {
	if t.sig.blocked&sigMask(sig) != 0 {
		return false
	}
	a := h.actionOf(sig)
	return a.handler == sigIGN || a.handler == sigDFL && defaultIgnored(sig)
}

// completeSignalLocked mirrors complete_signal for the thread t that
// takes sig: a signal that is fatal (default action terminate, and the
// thread does not block it) reports true, for the caller to bring down
// the whole process; otherwise the thread is woken if it can take it.
// Preconditions: t.proc.sighand.mu held.
func (t *Task) completeSignalLocked(sig int) bool {
	if t.sig.blocked&sigMask(sig) != 0 {
		return false
	}
	a := t.proc.sighand.actionOf(sig)
	if a.handler == sigDFL && !defaultIgnored(sig) {
		return true
	}
	t.signalWakeUp()
	return false
}

// signalWakeUp mirrors signal_wake_up: set TIF_SIGPENDING (close the
// interrupt channel) so that a blocking call returns and the trap loop
// runs the signal step.
// Preconditions: t.proc.sighand.mu held.
func (t *Task) signalWakeUp() {
	t.sigMu.Lock()
	t.raiseSigPending()
	t.sigMu.Unlock()
}

// zapThreads ends the process with sig as its status: every thread stops
// at its next kernel entry, or at once if it is blocked in a call.
func (p *Process) zapThreads(sig int) {
	p.mu.Lock()
	tasks := append([]*Task(nil), p.tasks...)
	p.mu.Unlock()
	for _, t := range tasks {
		t.sigMu.Lock()
		if t.fatalSig == 0 {
			t.fatalSig = sig
		}
		t.raiseSigPending()
		t.sigMu.Unlock()
	}
}

// sendSignal sends sig from the kernel to the process (SI_KERNEL).
func (p *Process) sendSignal(sig int) { p.sendSigInfo(sigInfo{signo: int32(sig), code: siKERNEL}, nil) }

// interruptSyscall makes a blocked system call return as if a signal
// with a handler that did not ask for SA_RESTART had arrived and run:
// the call fails with EINTR. Only tests use it.
func (t *Task) interruptSyscall() {
	h := &t.proc.sighand
	h.mu.Lock()
	t.sig.injected = true
	t.signalWakeUp()
	h.mu.Unlock()
}

// raiseSigPending sets TIF_SIGPENDING: the interrupt channel closes (a
// blocked call wakes) and sigPending tells the trap loop with one load.
// Preconditions: t.sigMu held.
func (t *Task) raiseSigPending() {
	closeOnce(t.interrupt)
	t.sigPending.Store(true)
}

func closeOnce(c chan struct{}) {
	select {
	case <-c:
	default:
		close(c)
	}
}

// Kill sends sig to the process from the kernel (the suite runner's
// timeout), as kill(2) from outside would.
func (p *Process) Kill(sig int) { p.sendSignal(sig) }

// isRestartCode reports a kernel-internal restart errno in rax.
func isRestartCode(rax uint64) bool {
	switch abi.Errno(-int64(rax)) {
	case abi.ERESTARTSYS, abi.ERESTARTNOINTR, abi.ERESTARTNOHAND, abi.ERESTART_RESTARTBLOCK:
		return true
	}
	return false
}

// signalWork is the test of the signal step of the return to user mode
// (_TIF_SIGPENDING in exit_to_user_mode_loop): a signal is pending, or an
// interrupted system call left a restart code to settle. It is small
// enough to inline into the trap loop, which calls handleSignals only when
// it holds; sigPending is false while the interrupt channel is open.
func (t *Task) signalWork(afterSyscall bool) bool {
	return t.sigPending.Load() || afterSyscall && int64(t.regs.RAX) < 0 && isRestartCode(t.regs.RAX)
}

// handleSignals is the signal step itself (arch_do_signal_or_restart):
// deliver every pending signal the thread does not block, then settle an
// interrupted system call (restart it or make it fail with EINTR).
func (t *Task) handleSignals(afterSyscall bool) {
	// A system call whose result may still be turned into a restart
	// (syscall_get_nr >= 0; sigreturn sets orig_ax to -1).
	inSyscall := afterSyscall && int32(uint32(t.regs.OrigRAX)) >= 0
	delivered := false
	for {
		sig, info, act, fatal, injected := t.getSignal()
		if fatal != 0 {
			t.proc.exitGroup(fatal)
			t.exiting = true
			return
		}
		if sig == 0 {
			if injected && inSyscall && !delivered {
				t.restartAfterHandler(saNONE)
				delivered = true
			}
			break
		}
		if inSyscall && !delivered {
			t.restartAfterHandler(act.flags)
		}
		if !t.setupFrame(sig, &info, &act) {
			t.forceSigsegv(sig)
			continue
		}
		delivered = true
	}
	if inSyscall && !delivered {
		t.restartWithoutHandler()
	}
	// sigsuspend's mask goes back now unless a frame took it along.
	t.restoreSavedSigmask()
}

// saNONE stands for the flags of a handler that does not restart.
const saNONE = 0

// restartAfterHandler mirrors handle_signal's syscall fix-up: a call
// interrupted by a handler fails with EINTR, unless the handler has
// SA_RESTART and the call may be restarted (ERESTARTSYS), or the call
// always restarts (ERESTARTNOINTR).
func (t *Task) restartAfterHandler(flags uint64) {
	r := &t.regs
	switch abi.Errno(-int64(r.RAX)) {
	case abi.ERESTART_RESTARTBLOCK, abi.ERESTARTNOHAND:
		r.RAX = abi.EINTR.Neg()
	case abi.ERESTARTSYS:
		if flags&saRESTART == 0 {
			r.RAX = abi.EINTR.Neg()
			return
		}
		r.RAX, r.RIP = r.OrigRAX, r.RIP-2
	case abi.ERESTARTNOINTR:
		r.RAX, r.RIP = r.OrigRAX, r.RIP-2 // SYSCALL and int $0x80 are both two bytes
	}
}

// restartWithoutHandler mirrors arch_do_signal_or_restart when no handler
// ran: the call is made again. ERESTART_RESTARTBLOCK would continue
// through restart_syscall; Ringo has no restart blocks, so that code
// (which no Ringo call returns today) becomes EINTR.
func (t *Task) restartWithoutHandler() {
	r := &t.regs
	switch abi.Errno(-int64(r.RAX)) {
	case abi.ERESTARTNOHAND, abi.ERESTARTSYS, abi.ERESTARTNOINTR:
		r.RAX, r.RIP = r.OrigRAX, r.RIP-2
	case abi.ERESTART_RESTARTBLOCK:
		r.RAX = abi.EINTR.Neg()
	}
}

// getSignal mirrors get_signal: take the next deliverable signal and
// decide its fate under siglock. It returns a signal with a handler to
// run (with a copy of its action, taken before SA_RESETHAND resets it),
// or fatal != 0 when the process must exit with that status, or sig 0
// when nothing is left — then TIF_SIGPENDING is cleared (a fresh
// interrupt channel) and injected reports a test interruption.
func (t *Task) getSignal() (sig int, info sigInfo, act sigAction, fatal int, injected bool) {
	h := &t.proc.sighand
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		t.sigMu.Lock()
		fatal = t.fatalSig
		t.sigMu.Unlock()
		if fatal != 0 {
			return 0, sigInfo{}, sigAction{}, fatal, false
		}
		deliverable := (t.sig.pending.set | h.shared.set) &^ t.sig.blocked
		if deliverable == 0 {
			injected, t.sig.injected = t.sig.injected, false
			t.sigMu.Lock()
			if t.fatalSig == 0 {
				t.interrupt = make(chan struct{})
				t.sigPending.Store(false)
				t.caller.Interrupt = t.interrupt
			}
			t.sigMu.Unlock()
			return 0, sigInfo{}, sigAction{}, 0, injected
		}
		sig = nextSignal(deliverable)
		if t.sig.pending.set&sigMask(sig) != 0 {
			info = t.sig.pending.take(sig)
		} else {
			info = h.shared.take(sig)
		}
		a := h.actionOf(sig)
		switch {
		case a.handler == sigIGN:
			continue
		case a.handler != sigDFL:
			act = *a
			if a.flags&saRESETHAND != 0 {
				a.handler = sigDFL
			}
			return sig, info, act, 0, false
		case defaultIgnored(sig):
			continue
		}
		// Default action: terminate (with a core dump for SIGSEGV and
		// friends on Linux; Ringo writes no core, as Linux with
		// RLIMIT_CORE 0, so the status has no 0x80 bit).
		t.sigMu.Lock()
		if t.fatalSig == 0 {
			t.fatalSig = sig
		}
		t.sigMu.Unlock()
	}
}

// signalDelivered mirrors signal_delivered: after a frame is built the
// handler's mask (and the signal itself, unless SA_NODEFER) is blocked,
// and a saved sigsuspend mask has been stored in the frame.
func (t *Task) signalDelivered(sig int, act *sigAction) {
	h := &t.proc.sighand
	h.mu.Lock()
	blocked := t.sig.blocked | act.mask
	if act.flags&saNODEFER == 0 {
		blocked |= sigMask(sig)
	}
	t.setBlockedLocked(blocked)
	t.sig.restoreMask = false
	h.mu.Unlock()
}

// maskToSave is sigmask_to_save: the mask the frame must restore — the
// one sigsuspend replaced, if any.
func (t *Task) maskToSave() sigSet {
	h := &t.proc.sighand
	h.mu.Lock()
	defer h.mu.Unlock()
	if t.sig.restoreMask {
		return t.sig.savedMask
	}
	return t.sig.blocked
}

// setUserSigmask mirrors set_user_sigmask: a call that waits with a
// temporary mask (rt_sigsuspend, epoll_pwait) installs it and keeps the
// old one for restoreSavedSigmask or the next handler's frame. SIGKILL
// and SIGSTOP stay unblocked (setBlockedLocked).
func (t *Task) setUserSigmask(set sigSet) {
	h := &t.proc.sighand
	h.mu.Lock()
	t.sig.savedMask = t.sig.blocked
	t.sig.restoreMask = true
	t.setBlockedLocked(set)
	h.mu.Unlock()
}

// restoreSavedSigmaskUnless mirrors restore_saved_sigmask_unless: after
// an interrupted wait the signal step restores the old mask (after a
// handler's frame saved it); otherwise it goes back now.
func (t *Task) restoreSavedSigmaskUnless(interrupted bool) {
	if !interrupted {
		t.restoreSavedSigmask()
	}
}

// restoreSavedSigmask mirrors restore_saved_sigmask: sigsuspend's mask
// is undone when no handler ran.
func (t *Task) restoreSavedSigmask() {
	h := &t.proc.sighand
	h.mu.Lock()
	if t.sig.restoreMask {
		t.sig.restoreMask = false
		t.setBlockedLocked(t.sig.savedMask)
	}
	h.mu.Unlock()
}

// setBlockedLocked mirrors __set_task_blocked + recalc_sigpending: a
// newly unblocked pending signal wakes the thread.
// Preconditions: t.proc.sighand.mu held.
func (t *Task) setBlockedLocked(set sigSet) {
	t.sig.blocked = set &^ unblockable
	if (t.sig.pending.set|t.proc.sighand.shared.set)&^t.sig.blocked != 0 {
		t.signalWakeUp()
	}
}
