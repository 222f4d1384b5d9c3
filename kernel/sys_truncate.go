package kernel

// truncate, ftruncate and the i386 variants (fs/open.c: do_sys_truncate,
// do_sys_ftruncate; arch/x86/kernel/sys_ia32.c: truncate64/ftruncate64
// with the length split over two registers, joined by the table).

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

// truncatePath is do_sys_truncate: a negative length is EINVAL before the
// path is read.
func (t *Task) truncatePath(pathAddr uint64, length int64) (uint64, error) {
	if length < 0 {
		return 0, abi.EINVAL
	}
	path, err := t.copyInPath(pathAddr)
	if err != nil {
		return 0, err
	}
	return 0, errOf(t.k.vfs.Truncate(t.caller, path, length))
}

// sysTruncate serves truncate (x86_64 76, long length), the compat
// truncate (i386 92, a 32-bit off_t the table sign-extends) and
// truncate64 (i386 193, a joined 64-bit length).
func (t *Task) sysTruncate(a *syscall.Args) (uint64, error) {
	return t.truncatePath(a.Ptr(0), a.Long(1))
}

// sysFtruncate serves ftruncate (x86_64 77) and the compat ftruncate
// (i386 93): do_sys_ftruncate with small = 1, which matters only for
// files opened without O_LARGEFILE (i386 opens).
func (t *Task) sysFtruncate(a *syscall.Args) (uint64, error) {
	return 0, errOf(fs.Ftruncate(t.caller, int(a.Fd(0)), a.Long(1), true))
}

// sysFtruncate64 is i386 ftruncate64 (194): small = 0.
func (t *Task) sysFtruncate64(a *syscall.Args) (uint64, error) {
	return 0, errOf(fs.Ftruncate(t.caller, int(a.Fd(0)), a.Loff(1), false))
}
