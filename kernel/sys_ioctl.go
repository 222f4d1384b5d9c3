package kernel

// ioctl: the native path (sys_ioctl: do_vfs_ioctl, then unlocked_ioctl)
// and the compat path (compat_sys_ioctl: then compat_ioctl only), both in
// fs (LINUX-SEMANTICS §5). The console answers TCGETS and TIOCGWINSZ, so
// isatty() is true for programs started on it.

import (
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

func (t *Task) sysIoctl(a *syscall.Args) (uint64, error) {
	r, e := fs.Ioctl(t.caller, int(a.Fd(0)), a.Uint(1), uintptr(a.Ulong(2)))
	return uint64(r), errOf(e)
}

// sysCompatIoctl: the argument is a 32-bit value, zero-extended
// (compat_ptr) where fs treats it as a pointer.
func (t *Task) sysCompatIoctl(a *syscall.Args) (uint64, error) {
	r, e := fs.CompatIoctl(t.caller, int(a.Fd(0)), a.Uint(1), a.Uint(2))
	return uint64(r), errOf(e)
}
