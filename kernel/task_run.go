package kernel

// The user-trap loop: every user thread is a goroutine running this file
// top to bottom, like xv6's trap.c. Enter user mode, see why the CPU came
// back, handle it, deliver what is pending, loop.

import (
	"runtime"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/syscall"
)

// run is the goroutine of one user thread.
func (t *Task) run() {
	defer t.exit()
	for !t.exiting {
		t.trapLoop() // returns early only after an oops (task_oops.go)
	}
}

// trapLoop is the loop itself. The system calls of both entries share
// one short path here, with one call site for syscall (inlined once):
// under TCG every branch to another page of code, every call and every
// return is a lookup of QEMU's jump cache, and the other traps would
// spread this path across more of them (otherTrap).
func (t *Task) trapLoop() {
	defer t.oops()
	last := t.k.mono()
	for !t.exiting {
		cr3 := t.mm().PageTable().Root()
		info := &t.trap
		t.k.platform.SwitchToUser(&t.regs, &t.fpu, cr3, info)
		// One clock reading per trap, taken by the platform as the CPU
		// left user mode: the thread's CPU time is everything since the
		// previous trap, in user mode and in the kernel on its behalf,
		// less the waits (cputime.go); now also stamps a system call's
		// start for the hung-task check.
		now := info.Time
		t.chargeCPU(now, last)
		last = now
		if kind := info.Kind; kind == amd64.TrapSyscall || kind == amd64.TrapInt80 {
			// SYSCALL from 64-bit code: the x86_64 table; int $0x80:
			// the i386 table, also for 64-bit tasks (§1.2).
			via := syscall.EntrySyscall
			if kind == amd64.TrapInt80 {
				via = syscall.EntryInt80
			}
			t.syscall(via, now)
			if t.signalWork(true) {
				t.handleSignals(true)
			}
			continue
		}
		t.otherTrap(info, now)
	}
}

// otherTrap handles every trap but SYSCALL and int $0x80 from ring 3, then
// delivers what is pending.
//
//go:noinline
func (t *Task) otherTrap(info *amd64.TrapInfo, now int64) {
	syscalled := false
	switch info.Kind {
	case amd64.TrapSyscall32: // SYSCALL from 32-bit code: the vDSO's (compat_syscall.go)
		syscalled = t.compatSyscall(info, now)
	case amd64.TrapPageFault:
		t.pageFault(*info)
	case amd64.TrapException:
		t.exception(*info)
	case amd64.TrapInterrupt: // timer or device: let other goroutines run
		t.sleeping(true) // their time is not this task's (cputime.go)
		runtime.Gosched()
		t.sleeping(false)
	default:
		t.k.vfs.Log.PrErr("%s[%d]: unknown trap kind %d from user mode", t.proc.Comm(), t.proc.pid, info.Kind)
		t.forceSignal(abi.SIGKILL)
	}
	if t.signalWork(syscalled) {
		t.handleSignals(syscalled)
	}
	if syscalled {
		t.compatSysret()
	}
}

// syscall runs one system call and puts the result in rax (§1.1, §1.2).
// now is the monotonic time of the trap.
func (t *Task) syscall(via syscall.Entry, now int64) {
	r := &t.regs
	// The argument registers in the entry's order, into the task's Args,
	// which the dispatcher converts in place and hands to the handler:
	// no copy of them is made on the way.
	args := &t.sysArgs.V
	if via == syscall.EntrySyscall {
		// rcx and r11 already hold the return address and RFLAGS:
		// SYSCALL put them there and the exit stored them (the host
		// tests' fake CPUs do the same), and SYSRET will load them.
		args[0], args[1], args[2], args[3], args[4], args[5] = r.RDI, r.RSI, r.RDX, r.R10, r.R8, r.R9
	} else {
		args[0], args[1], args[2], args[3], args[4], args[5] = r.RBX, r.RCX, r.RDX, r.RSI, r.RDI, r.RBP
	}
	r.OrigRAX = r.RAX                           // orig_ax, pushed by entry_SYSCALL_64 (the nucleus's fast exit leaves it to us)
	t.caller.Compat = via == syscall.EntryInt80 // in_compat_syscall()
	t.caller.NoFile = t.proc.nofile.Load()      // RLIMIT_NOFILE, maybe set by prlimit64 from elsewhere
	t.syscallSince.Store(now)
	ret := t.k.disp.Dispatch(t, via, r.RAX, &t.sysArgs)
	t.syscallSince.Store(0)
	if t.execed { // execve replaced every register; rax is its 0
		t.execed = false
		r.RAX = 0
		return
	}
	r.RAX = ret
}

// pageFault asks mm to resolve a #PF; what it cannot resolve becomes the
// signal Linux would send (§6.4), for a handler or to kill.
func (t *Task) pageFault(info amd64.TrapInfo) {
	res := t.mm().HandleFault(info.CR2, uint32(info.ErrorCode))
	if res.OK() {
		return
	}
	if res.OOM { // Linux's OOM killer picks the faulting task here
		t.k.vfs.Log.PrErr("Out of memory: Killed process %d (%s)", t.proc.pid, t.proc.Comm())
		t.forceSignal(abi.SIGKILL)
		return
	}
	t.faultSignal(int(res.Signo), res.Code, res.Addr, info) // signals.go
}

// exception turns any other CPU exception into its signal
// (arch/x86/kernel/traps.c), for a handler or to kill.
func (t *Task) exception(info amd64.TrapInfo) {
	t.trapSignal(info) // signals.go
}
