package drivers

// This file is fd_test as a 64-bit-only driver of the 2.6.11..5.5 era
// would have been written: .unlocked_ioctl but no .compat_ioctl (seed 002's
// story). A 64-bit caller gets its anon fd and its id back; a 32-bit caller
// on the same kernel never reaches the driver: compat_sys_ioctl finds no
// compat_ioctl and answers ENOTTY (5.6+; LINUX-SEMANTICS §5.3). The anon
// files it hands out lack compat_ioctl too, so a 64-bit parent passing one
// to a 32-bit child would see the same ENOTTY.

import "github.com/ringo-os/ringo/fs"

// fdTestNocompatAnonFops is fd_test_anon_fd_fops without .compat_ioctl.
type fdTestNocompatAnonFops struct{ fs.NoopLlseek }

func (fdTestNocompatAnonFops) UnlockedIoctl(c *fs.Caller, f *fs.File, cmd uint32, arg uintptr) (int64, error) {
	return fdTestAnonFdIoctl(f, cmd, arg, "unlocked_ioctl")
}

// fdTestNocompatFops is fd_test_chardev_fops without .compat_ioctl.
type fdTestNocompatFops struct{ fs.NoopLlseek }

func (fdTestNocompatFops) UnlockedIoctl(c *fs.Caller, f *fs.File, cmd uint32, arg uintptr) (int64, error) {
	return fdTestIoctl(c, f, cmd, arg, "unlocked_ioctl", fdTestNocompatAnonFops{})
}

// FdTestNocompat is the module /dev/fd_test_nocompat (dynamic minor).
type FdTestNocompat struct {
	misc fs.MiscDevice
}

// Name implements Module.
func (*FdTestNocompat) Name() string { return "fd_test_nocompat" }

// Init registers the misc device.
func (d *FdTestNocompat) Init(v *fs.VFS) error {
	d.misc = fs.MiscDevice{Minor: fs.MiscDynamicMinor, Name: "fd_test_nocompat", Fops: fdTestNocompatFops{}}
	return miscInit(v, "fd_test_nocompat", &d.misc)
}

// Exit deregisters it.
func (d *FdTestNocompat) Exit(v *fs.VFS) { miscExit(v, "fd_test_nocompat", &d.misc) }
