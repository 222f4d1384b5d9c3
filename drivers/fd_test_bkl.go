package drivers

// This file is fd_test written the way a driver was written before 2.6.36:
// the legacy ->ioctl(inode, file, cmd, arg), which the VFS called with the
// Big Kernel Lock held (seed 003), and no unlocked_ioctl or compat_ioctl.
// Registered as /dev/fd_test_bkl (dynamic minor) next to /dev/fd_test so a
// course can run the same user program against both and compare:
//
//   - fs.IoctlHistoric (2.6.35): native calls run under VFS.BKL, one at a
//     time for the whole kernel; 32-bit callers get EINVAL and an
//     "ioctl32(...): Unknown cmd" line, because command 0 is in no
//     COMPATIBLE_IOCTL table and the driver has no compat_ioctl.
//   - fs.IoctlModern (2.6.36+): the member no longer exists, so the VFS
//     finds no ioctl method at all: ENOTTY for everyone.

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
)

// fdTestBKLAnonFops is the anon file's fops with the locked ->ioctl.
type fdTestBKLAnonFops struct{ fs.NoopLlseek }

// Ioctl implements fs.LockedIoctler (the historical ->ioctl). A legacy
// driver returned ENOTTY itself for a foreign command: ENOIOCTLCMD was
// not translated on this path and would have leaked to user space as 515.
func (fdTestBKLAnonFops) Ioctl(c *fs.Caller, inode *fs.Inode, f *fs.File, cmd uint32, arg uintptr) (int64, error) {
	r, err := fdTestAnonFdIoctl(f, cmd, arg, "ioctl")
	return legacyResult(r, err)
}

// fdTestBKLFops is the device's fops with the locked ->ioctl.
type fdTestBKLFops struct{ fs.NoopLlseek }

// Ioctl implements fs.LockedIoctler.
func (fdTestBKLFops) Ioctl(c *fs.Caller, inode *fs.Inode, f *fs.File, cmd uint32, arg uintptr) (int64, error) {
	r, err := fdTestIoctl(c, f, cmd, arg, "ioctl", fdTestBKLAnonFops{})
	return legacyResult(r, err)
}

// legacyResult turns the modern "not mine" (ENOIOCTLCMD) into the ENOTTY a
// pre-2.6.36 driver returned itself.
func legacyResult(r int64, err error) (int64, error) {
	if err == abi.ENOIOCTLCMD {
		return 0, abi.ENOTTY
	}
	return r, err
}

// FdTestBKL is the module /dev/fd_test_bkl.
type FdTestBKL struct {
	misc fs.MiscDevice
}

// Name implements Module.
func (*FdTestBKL) Name() string { return "fd_test_bkl" }

// Init registers the misc device.
func (d *FdTestBKL) Init(v *fs.VFS) error {
	d.misc = fs.MiscDevice{Minor: fs.MiscDynamicMinor, Name: "fd_test_bkl", Fops: fdTestBKLFops{}}
	return miscInit(v, "fd_test_bkl", &d.misc)
}

// Exit deregisters it.
func (d *FdTestBKL) Exit(v *fs.VFS) { miscExit(v, "fd_test_bkl", &d.misc) }
