package kernel

// The step between the trap loop and the syscall tables: dispatch with a
// safety net. A Go panic in a handler is a kernel bug; like a Linux oops in
// process context it is logged with the goroutine's stack and kills only
// the task that hit it (make_task_dead). Handlers never rely on it.

import (
	"runtime/debug"
	"strings"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

func (t *Task) dispatch(via syscall.Entry, rax uint64, args [syscall.MaxArgs]uint64) (ret uint64) {
	defer func() {
		if v := recover(); v != nil {
			log := &t.k.vfs.Log
			log.Printk(fs.KernEmerg, "Oops: kernel panic in system call %d from %s[%d]: %v", int32(uint32(rax)), t.proc.Comm(), t.proc.pid, v)
			for _, line := range strings.Split(strings.TrimSpace(string(debug.Stack())), "\n") {
				log.Printk(fs.KernEmerg, "%s", line)
			}
			t.forceSignal(sigSEGV)
			ret = abi.EFAULT.Neg()
		}
	}()
	return t.k.disp.Dispatch(t, via, rax, args)
}
