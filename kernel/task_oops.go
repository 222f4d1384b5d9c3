package kernel

// The trap loop's safety net. A Go panic while the kernel serves a user
// thread (a system call, a page fault) is a kernel bug; like a Linux oops
// in process context it is logged with the goroutine's stack and kills
// only the task that hit it (make_task_dead). Nothing relies on it. It is
// armed once per trap loop (task_run.go), not once per system call: a
// deferred recover costs a call on every return.

import (
	"runtime/debug"
	"strings"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
)

// oops is deferred by trapLoop: it recovers a panic, logs it, fails the
// system call in progress with EFAULT and kills the process with SIGSEGV
// as make_task_dead does: no handler runs (the task's state is not to be
// trusted any more) and no signal lock is taken (the panic may have
// happened under one). run then enters trapLoop again, which ends at
// once.
func (t *Task) oops() {
	v := recover()
	if v == nil {
		return
	}
	log := &t.k.vfs.Log
	inSyscall := t.syscallSince.Load() != 0
	if inSyscall {
		log.Printk(fs.KernEmerg, "Oops: kernel panic in system call %d from %s[%d]: %v", int32(uint32(t.regs.OrigRAX)), t.proc.Comm(), t.proc.pid, v)
	} else {
		log.Printk(fs.KernEmerg, "Oops: kernel panic handling a trap from %s[%d]: %v", t.proc.Comm(), t.proc.pid, v)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(debug.Stack())), "\n") {
		log.Printk(fs.KernEmerg, "%s", line)
	}
	if inSyscall {
		t.syscallSince.Store(0)
		t.regs.RAX = abi.EFAULT.Neg()
	}
	t.proc.exitGroup(abi.SIGSEGV)
	t.exiting = true
}
