package kernel

// A task is one user thread: its registers and FPU state, its id, the
// per-thread kernel state Linux keeps in task_struct and thread_struct
// (clear_child_tid, the robust list, TLS descriptors in UserRegs.TLS), and
// the fs.Caller through which it reaches files. Its loop is task_run.go.

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/mm"
	"github.com/ringo-os/ringo/syscall"
)

// Task is one user thread.
type Task struct {
	// fpu comes first: FXSAVE/FXRSTOR need 16-byte alignment, which the
	// first field of a heap object larger than 16 bytes has.
	fpu  amd64.FPUState
	regs amd64.UserRegs
	// trap is why the CPU last came back from user mode; the platform
	// writes it in place (task_run.go).
	trap amd64.TrapInfo
	// sysArgs are the system call's arguments: the registers, converted
	// in place by the dispatcher and read by the handler (task_run.go).
	sysArgs syscall.Args

	k      *Kernel
	proc   *Process
	tid    int32
	caller *fs.Caller
	// ia32 is an i386 program (TIF_ADDR32): its address space ends at
	// 4 GiB and it starts in 32-bit mode.
	ia32 bool
	// vsyscallLanding is the landing pad of the process's SYSCALL-flavoured
	// __kernel_vsyscall, 0 if it has none (compat_syscall.go).
	vsyscallLanding uint64

	clearChildTID uint64 // set_tid_address / CLONE_CHILD_CLEARTID
	robustList    uint64 // set_robust_list head
	robustLen     uint64

	cpuTime   time.Duration // time on the CPU, in user mode and in syscalls (cputime.go)
	startTime time.Time
	// slept is the time the current system call has waited so far,
	// sleepStart when its current wait began (cputime.go).
	slept      time.Duration
	sleepStart int64

	// exiting is set by exit/exit_group (or a fatal signal) and ends the
	// loop; only the task's own goroutine touches it.
	exiting bool
	// execed is set by a successful execve: the registers are the new
	// image's and the syscall return must not clobber them.
	execed bool

	// rwBuf is the bounce buffer of read/write (ioBuffer).
	rwBuf []byte

	// syscallSince is when the current system call began (k.mono: the
	// trap's timestamp), 0 outside one. The hung-task check reads it, and
	// so do the clock reads of clock_gettime and gettimeofday
	// (syscallStart). hungReported belongs to the housekeeping goroutine.
	syscallSince atomic.Int64
	hungReported bool

	sigMu     sync.Mutex
	fatalSig  int           // a pending signal whose default action kills
	interrupt chan struct{} // closed while a signal is pending (Caller.Interrupt)
	// sigPending is true while interrupt is closed, so the trap loop
	// tests TIF_SIGPENDING with one load (raiseSigPending, getSignal).
	sigPending atomic.Bool
	sig        taskSignals // mask, pending queue, altstack (signal_state.go)
}

// TID implements syscall.Context.
func (t *Task) TID() int32 { return t.tid }

// Regs is the thread's register state while it is stopped in the kernel.
func (t *Task) Regs() *amd64.UserRegs { return &t.regs }

// Process is the thread group the task belongs to.
func (t *Task) Process() *Process { return t.proc }

// CopyInString implements syscall.UserStringReader for the tracer.
func (t *Task) CopyInString(addr uint64, max int) (string, error) {
	return t.mm().CopyInString(addr, max)
}

// mm is the task's address space.
func (t *Task) mm() *mm.AddressSpace { return t.proc.addressSpace() }

// userFPU is the thread's x87/SSE state, taken back from the CPU first
// (Platform.ReleaseFPU): use it, never t.fpu, to read or replace the state.
func (t *Task) userFPU() *amd64.FPUState {
	t.k.platform.ReleaseFPU(&t.fpu)
	return &t.fpu
}

// newTaskLocked creates the first thread of p with a fresh file table at the
// VFS root.
// Preconditions: k.mu held (the tid is allocated here).
func (k *Kernel) newTaskLocked(p *Process) *Task {
	t := &Task{k: k, proc: p, tid: p.pid, startTime: time.Now(), interrupt: make(chan struct{})}
	t.fpu.Reset()
	c := k.vfs.NewCaller()
	c.Mem = userMemory{t}
	c.Proc = p
	c.Privileged = true
	c.Umask = 0o022
	c.Interrupt = t.interrupt
	c.SendSig = t.sendSig // signal_pipe.go
	c.Sleep = t.sleeping  // cputime.go
	t.caller = c
	k.tasks[t.tid] = t
	p.tasks = append(p.tasks, t)
	return t
}

// syscallStart is when the task's current system call began: the trap's
// timestamp (k.mono's scale), or now outside a system call.
func (t *Task) syscallStart() int64 {
	if ns := t.syscallSince.Load(); ns != 0 {
		return ns
	}
	return t.k.mono()
}

// blockedFor reports how long the task's current system call has run.
func (t *Task) blockedFor() (time.Duration, bool) {
	ns := t.syscallSince.Load()
	return time.Duration(t.k.mono() - ns), ns != 0
}
