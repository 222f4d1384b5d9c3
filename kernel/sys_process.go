package kernel

// Identity and life cycle: getpid and friends, the credential getters
// (and i386's 16-bit ones), set_tid_address, set_robust_list, exit,
// exit_group, wait4, uname, sched_yield (kernel/sys.c, kernel/exit.c,
// kernel/futex/syscalls.c, kernel/uid16.c).

import (
	"runtime"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

func (t *Task) sysGetpid(*syscall.Args) (uint64, error) { return uint64(t.proc.pid), nil }
func (t *Task) sysGettid(*syscall.Args) (uint64, error) { return uint64(t.tid), nil }

// sysGetppid is 0 for a process the kernel started (its parent is
// outside the pid namespace, like init's).
func (t *Task) sysGetppid(*syscall.Args) (uint64, error) {
	t.proc.mu.Lock()
	defer t.proc.mu.Unlock()
	if t.proc.parent == nil {
		return 0, nil
	}
	return uint64(t.proc.parent.pid), nil
}

func (t *Task) cred() Cred {
	t.proc.mu.Lock()
	defer t.proc.mu.Unlock()
	return t.proc.cred
}

func (t *Task) sysGetuid(*syscall.Args) (uint64, error)  { return uint64(t.cred().UID), nil }
func (t *Task) sysGeteuid(*syscall.Args) (uint64, error) { return uint64(t.cred().EUID), nil }
func (t *Task) sysGetgid(*syscall.Args) (uint64, error)  { return uint64(t.cred().GID), nil }
func (t *Task) sysGetegid(*syscall.Args) (uint64, error) { return uint64(t.cred().EGID), nil }

// high2lowid is kernel/uid16.c's high2lowuid: ids that do not fit in 16
// bits read as the overflow id 65534.
func high2lowid(id uint32) uint64 {
	if id > 0xffff {
		return 65534
	}
	return uint64(id)
}

func (t *Task) sysGetuid16(*syscall.Args) (uint64, error)  { return high2lowid(t.cred().UID), nil }
func (t *Task) sysGeteuid16(*syscall.Args) (uint64, error) { return high2lowid(t.cred().EUID), nil }
func (t *Task) sysGetgid16(*syscall.Args) (uint64, error)  { return high2lowid(t.cred().GID), nil }
func (t *Task) sysGetegid16(*syscall.Args) (uint64, error) { return high2lowid(t.cred().EGID), nil }

// sysSetTidAddress stores clear_child_tid and returns the caller's tid.
func (t *Task) sysSetTidAddress(a *syscall.Args) (uint64, error) {
	t.clearChildTID = a.Ptr(0)
	return uint64(t.tid), nil
}

// robust_list_head is three words: 24 bytes native, 12 compat.
func (t *Task) setRobustList(head, size, want uint64) (uint64, error) {
	if size != want {
		return 0, abi.EINVAL
	}
	t.robustList, t.robustLen = head, size
	return 0, nil
}

func (t *Task) sysSetRobustList(a *syscall.Args) (uint64, error) {
	want := uint64(24)
	if a.InCompatSyscall() {
		want = 12
	}
	return t.setRobustList(a.Ptr(0), a.Size(1), want)
}

func (t *Task) sysCompatSetRobustList(a *syscall.Args) (uint64, error) {
	return t.setRobustList(a.Ptr(0), uint64(a.Uint(1)), 12)
}

// sysExit ends the calling thread; a single-threaded process exits with
// it (do_exit). The status is the low 8 bits of the argument.
func (t *Task) sysExit(a *syscall.Args) (uint64, error) {
	t.proc.exitGroup(exitedStatus(int(a.Int(0))))
	t.exiting = true
	return 0, nil
}

// sysExitGroup ends every thread of the process (do_group_exit).
func (t *Task) sysExitGroup(a *syscall.Args) (uint64, error) {
	t.proc.exitGroup(exitedStatus(int(a.Int(0))))
	t.exiting = true
	return 0, nil
}

// wait4 options (include/uapi/linux/wait.h).
const (
	wNOHANG    = 1
	wUNTRACED  = 2
	wCONTINUED = 8
	wNOTHREAD  = 0x20000000
	wALL       = 0x40000000
	wCLONE     = 0x80000000
	rusageSize = 144 // struct rusage; compat_rusage is 72
)

// wait4 mirrors kernel/exit.c:kernel_wait4 + do_wait for exited
// children: pid > 0 one child, -1 any, 0 or < -1 a process group.
// Stopped/continued children do not exist here (no job control).
func (t *Task) wait4(pid int32, statusAddr uint64, options uint32, rusageAddr uint64, compat bool) (uint64, error) {
	if options&^(wNOHANG|wUNTRACED|wCONTINUED|wNOTHREAD|wALL|wCLONE) != 0 {
		return 0, abi.EINVAL
	}
	if pid == -2147483648 { // -INT_MIN is undefined
		return 0, abi.ESRCH
	}
	p := t.proc
	for {
		p.mu.Lock()
		var match, zombie *Process
		for _, c := range p.children {
			if pid > 0 && c.pid != pid || pid == 0 && c.pgid != p.pgid || pid < -1 && c.pgid != -pid {
				continue
			}
			match = c
			c.mu.Lock()
			z := c.zombie
			c.mu.Unlock()
			if z {
				zombie = c
				break
			}
		}
		if zombie != nil {
			for i, c := range p.children {
				if c == zombie {
					p.children = append(p.children[:i], p.children[i+1:]...)
					break
				}
			}
		}
		p.mu.Unlock()
		if zombie != nil {
			t.k.reap(zombie)
			if statusAddr != 0 {
				if err := t.putU32(statusAddr, uint32(zombie.status)); err != nil {
					return 0, err
				}
			}
			if rusageAddr != 0 {
				size := rusageSize
				if compat {
					size = 72
				}
				if err := t.copyOut(rusageAddr, make([]byte, size)); err != nil {
					return 0, err
				}
			}
			return uint64(zombie.pid), nil
		}
		if match == nil {
			return 0, abi.ECHILD
		}
		if options&wNOHANG != 0 {
			return 0, nil
		}
		if t.caller.Wait(p.childExit, nil) == fs.Interrupted {
			return 0, abi.ERESTARTSYS
		}
	}
}

func (t *Task) sysWait4(a *syscall.Args) (uint64, error) {
	return t.wait4(a.Int(0), a.Ptr(1), uint32(a.Int(2)), a.Ptr(3), false)
}

func (t *Task) sysCompatWait4(a *syscall.Args) (uint64, error) {
	return t.wait4(a.Int(0), a.Ptr(1), uint32(a.Int(2)), a.Ptr(3), true)
}

// utsname fields: 6 × 65 bytes (struct new_utsname).
var utsname = [6]string{"Linux", "ringo", "6.12.0-ringo", "#1 SMP PREEMPT_DYNAMIC Ringo", "x86_64", "(none)"}

// sysNewuname fills struct new_utsname. The release is modern so that no
// libc refuses to start (§8.4); machine is x86_64 for ia32 tasks too
// (no PER_LINUX32 personality).
func (t *Task) sysNewuname(a *syscall.Args) (uint64, error) {
	var b [6 * 65]byte
	for i, s := range utsname {
		copy(b[i*65:i*65+64], s)
	}
	return 0, t.copyOut(a.Ptr(0), b[:])
}

func (t *Task) sysSchedYield(*syscall.Args) (uint64, error) {
	runtime.Gosched()
	return 0, nil
}
