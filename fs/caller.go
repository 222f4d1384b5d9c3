package fs

import (
	"time"

	"github.com/ringo-os/ringo/abi"
)

// This file is the caller's side of every VFS call: what Linux reads from
// `current` (files, fs root and cwd, rlimits, in_compat_syscall(),
// capabilities, pending signals) handed over explicitly, because a Go
// kernel has no implicit current task. The syscall layer builds one per
// call from its task; tests build them by hand.

// UserMemory is the task's address space as the VFS needs it:
// copy_from_user and copy_to_user, and get_user/put_user of one word (a
// buffer handed through an interface escapes to the heap, so a one-int
// ioctl result would otherwise cost an allocation). All fail with
// abi.EFAULT on a bad address; the VFS never touches user memory any other
// way.
type UserMemory interface {
	CopyIn(addr uintptr, dst []byte) error
	CopyOut(addr uintptr, src []byte) error
	GetUser32(addr uintptr) (uint32, error)
	PutUser32(addr uintptr, v uint32) error
	PutUser64(addr uintptr, v uint64) error
}

// Caller is the calling task's state.
type Caller struct {
	Files      *FDTable
	Root, Cwd  Path
	NoFile     uint64 // RLIMIT_NOFILE soft limit
	Compat     bool   // in_compat_syscall(): a 32-bit caller
	Mem        UserMemory
	Proc       ProcProcess // the calling process, for /proc/self
	Privileged bool        // capable(CAP_SYS_ADMIN) and friends
	Umask      uint32

	// Interrupt is closed when a signal is pending: blocking calls then
	// return ERESTARTSYS (signal_pending in Linux's wait loops).
	Interrupt <-chan struct{}

	// SendSig is send_sig(sig, current, 0): pipe_write and
	// unix_stream_sendmsg send the writer SIGPIPE through it themselves,
	// at the moment they find no reader, as in Linux. Nil sends nothing
	// (a caller that is no user thread).
	SendSig func(sig int)

	// Sleep, if set, is told when a blocking call starts waiting (true)
	// and when it stops (false), by Wait, so that the task layer keeps
	// the wait out of the task's CPU time, which Linux's scheduler does
	// not charge a sleeping task.
	Sleep func(sleeping bool)
}

// Wake says what ended a Caller.Wait.
type Wake uint8

const (
	Woken       Wake = iota // ch delivered
	Interrupted             // a signal is pending (Caller.Interrupt)
	TimedOut                // deadline fired
)

// Wait is the sleep of every blocking call, the schedule() inside
// wait_event_interruptible and its kin: it blocks until ch delivers, the
// caller is interrupted, or deadline fires (a nil channel never does), and
// tells Sleep when the wait starts and ends, so that the task layer keeps
// it out of the task's CPU time.
func (c *Caller) Wait(ch <-chan struct{}, deadline <-chan time.Time) Wake {
	c.sleep(true)
	w := Woken
	select {
	case <-ch:
	case <-c.interrupt():
		w = Interrupted
	case <-deadline:
		w = TimedOut
	}
	c.sleep(false)
	return w
}

// sleep reports a wait starting or ending (Caller.Sleep).
func (c *Caller) sleep(sleeping bool) {
	if c != nil && c.Sleep != nil {
		c.Sleep(sleeping)
	}
}

// sendSig sends the calling thread sig, if it can receive one.
func (c *Caller) sendSig(sig int) {
	if c != nil && c.SendSig != nil {
		c.SendSig(sig)
	}
}

// GetUnusedFdFlags mirrors get_unused_fd_flags for a driver: reserve a
// descriptor in the caller's table.
func (c *Caller) GetUnusedFdFlags(flags uint32) (int, error) {
	fd, err := c.Files.GetUnusedFdFlags(flags, c.NoFile)
	if err != 0 {
		return -1, err
	}
	return fd, nil
}

// FdInstall mirrors fd_install for a driver: publish f at the reserved fd,
// consuming the driver's reference.
func (c *Caller) FdInstall(fd int, f *File) { c.Files.FdInstall(fd, f) }

// PutUnusedFd mirrors put_unused_fd for a driver.
func (c *Caller) PutUnusedFd(fd int) { c.Files.PutUnusedFd(fd) }

func (c *Caller) copyIn(addr uintptr, dst []byte) abi.Errno {
	if c == nil || c.Mem == nil {
		return abi.EFAULT
	}
	if err := c.Mem.CopyIn(addr, dst); err != nil {
		return abi.EFAULT
	}
	return 0
}

func (c *Caller) copyOut(addr uintptr, src []byte) abi.Errno {
	if c == nil || c.Mem == nil {
		return abi.EFAULT
	}
	if err := c.Mem.CopyOut(addr, src); err != nil {
		return abi.EFAULT
	}
	return 0
}

// getUserInt32 and putUserInt32/64 mirror get_user/put_user of an int
// and a loff_t (little endian, as on x86).
func (c *Caller) getUserInt32(addr uintptr) (int32, abi.Errno) {
	if c == nil || c.Mem == nil {
		return 0, abi.EFAULT
	}
	v, err := c.Mem.GetUser32(addr)
	if err != nil {
		return 0, abi.EFAULT
	}
	return int32(v), 0
}

func (c *Caller) putUserInt32(addr uintptr, v int32) abi.Errno {
	if c == nil || c.Mem == nil || c.Mem.PutUser32(addr, uint32(v)) != nil {
		return abi.EFAULT
	}
	return 0
}

func (c *Caller) putUserInt64(addr uintptr, v int64) abi.Errno {
	if c == nil || c.Mem == nil || c.Mem.PutUser64(addr, uint64(v)) != nil {
		return abi.EFAULT
	}
	return 0
}

func (c *Caller) interrupt() <-chan struct{} {
	if c == nil {
		return nil
	}
	return c.Interrupt
}
