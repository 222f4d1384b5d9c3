package kernel

// Signals, as far as Ringo has them: no user handlers yet, so every signal
// takes its default action (kernel/signal.c sig_kernel_* tables): terminate
// the process, or be ignored. Stop signals are ignored too (no job
// control). A killed process's wait status is the signal number.

import (
	"fmt"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// Signal numbers (x86 Linux, include/uapi/asm-generic/signal.h).
const (
	sigHUP   = 1
	sigILL   = 4
	sigTRAP  = 5
	sigBUS   = 7
	sigFPE   = 8
	sigKILL  = 9
	sigSEGV  = 11
	sigCHLD  = 17
	sigCONT  = 18
	sigSTOP  = 19
	sigTSTP  = 20
	sigTTIN  = 21
	sigTTOU  = 22
	sigURG   = 23
	sigWINCH = 28
	sigRTMAX = 64 // _NSIG
)

// defaultIgnored reports whether a signal's default action is to do
// nothing: SIGCHLD, SIGCONT, SIGURG, SIGWINCH (sig_kernel_ignore), and the
// stop signals, which would stop the process if Ringo had job control.
func defaultIgnored(sig int) bool {
	switch sig {
	case sigCHLD, sigCONT, sigURG, sigWINCH, sigSTOP, sigTSTP, sigTTIN, sigTTOU:
		return true
	}
	return false
}

// exceptionSignal maps a CPU exception vector to its signal and, when
// Linux logs the event (show_signal), the trap's name.
func exceptionSignal(vec uint64) (sig int, logName string) {
	switch vec {
	case amd64.VecDivide:
		return sigFPE, "divide error"
	case amd64.VecDebug, amd64.VecBreakpoint:
		return sigTRAP, ""
	case amd64.VecOverflow:
		return sigSEGV, "overflow"
	case amd64.VecBound:
		return sigSEGV, "bounds"
	case amd64.VecInvalidOp:
		return sigILL, "invalid opcode"
	case amd64.VecSegNP:
		return sigBUS, "segment not present"
	case amd64.VecStack:
		return sigBUS, "stack segment"
	case amd64.VecGP:
		return sigSEGV, "general protection fault"
	case amd64.VecX87:
		return sigFPE, ""
	case amd64.VecAlignment:
		return sigBUS, "alignment check"
	case amd64.VecSIMD:
		return sigFPE, ""
	}
	return sigSEGV, fmt.Sprintf("exception %d", vec)
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

// forceSignal sends a synchronous signal to the task (force_sig): with no
// handlers it kills the process.
func (t *Task) forceSignal(sig int) { t.proc.sendSignal(sig) }

// sendSignal delivers sig to the process with its default action
// (kernel/signal.c:send_signal + complete_signal): ignored, or fatal to
// every thread, which then stops at its next kernel entry or at once if it
// is blocked in a system call.
func (p *Process) sendSignal(sig int) {
	if sig == 0 || defaultIgnored(sig) {
		return
	}
	p.mu.Lock()
	tasks := append([]*Task(nil), p.tasks...)
	p.mu.Unlock()
	for _, t := range tasks {
		t.sigMu.Lock()
		if t.fatalSig == 0 {
			t.fatalSig = sig
			closeOnce(t.interrupt)
		}
		t.sigMu.Unlock()
	}
}

// interruptSyscall makes a blocked system call return as if a signal
// whose action is not fatal arrived (signal_pending without a fatal
// signal). Without user handlers only the tests use it.
func (t *Task) interruptSyscall() {
	t.sigMu.Lock()
	closeOnce(t.interrupt)
	t.sigMu.Unlock()
}

func closeOnce(c chan struct{}) {
	select {
	case <-c:
	default:
		close(c)
	}
}

// handleSignals is the exit-to-user signal step
// (arch_do_signal_or_restart): a fatal signal ends the task; a restart
// code of an interrupted call becomes EINTR (there is no handler to run,
// and Linux restarts only when the signal is ignored, which cannot
// interrupt a call here); ERESTARTNOINTR always restarts.
func (t *Task) handleSignals(afterSyscall bool) {
	t.sigMu.Lock()
	sig := t.fatalSig
	pending := isClosed(t.interrupt)
	if pending && sig == 0 {
		t.interrupt = make(chan struct{})
		t.caller.Interrupt = t.interrupt
	}
	t.sigMu.Unlock()
	if sig != 0 {
		t.proc.exitGroup(sig)
		t.exiting = true
		return
	}
	if !afterSyscall {
		return
	}
	switch abi.Errno(-int64(t.regs.RAX)) {
	case abi.ERESTARTSYS, abi.ERESTARTNOHAND, abi.ERESTART_RESTARTBLOCK:
		t.regs.RAX = abi.EINTR.Neg()
	case abi.ERESTARTNOINTR:
		t.regs.RAX = t.regs.OrigRAX
		t.regs.RIP -= 2 // SYSCALL and int $0x80 are both two bytes
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// Kill sends sig to the process from the kernel (the suite runner's
// timeout), as kill(2) from outside would.
func (p *Process) Kill(sig int) { p.sendSignal(sig) }
