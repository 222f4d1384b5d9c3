package drivers

// This file is seed 000, the fd_test module ("return an ioctl-able fd to
// user space", as KVM does for VMs and vCPUs), ported line by line. A misc
// device /dev/fd_test (10:243) answers ioctl(fd, 0, id) with a new
// close-on-exec fd on an anon inode whose private data holds id; on that fd
// ioctl(anon_fd, 0, 0) returns id. One handler serves unlocked_ioctl and
// compat_ioctl, as in the seed. Differences from the seed, each explained
// in README.md: unknown commands return ENOIOCTLCMD (user space sees
// ENOTTY), the fd is reserved before the file is made (so EMFILE reaches
// user space and nothing leaks), and the anon name has no trailing "\n".

import (
	"fmt"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
)

// fdTestMinor is the seed's fixed misc minor.
const fdTestMinor = 243

// fdTestData mirrors struct fd_test_data: what the anon file remembers.
type fdTestData struct {
	id uint64 // unsigned long id
}

// prFmt mirrors `#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt`: every log
// line of a module starts with its name.
func prFmt(module, format string) string { return module + ": " + format }

// fdTestAnonFdIoctl mirrors fd_test_anon_fd_ioctl. entry names the
// file_operations member that brought us here ("unlocked_ioctl",
// "compat_ioctl" or "ioctl"), so the log shows which path ran.
func fdTestAnonFdIoctl(filp *fs.File, ioctl uint32, arg uintptr, entry string) (int64, error) {
	log := &filp.VFS().Log
	p := filp.PrivateData.(*fdTestData)

	log.PrInfo(prFmt("fd_test", "%s: ioctl is %d (via %s)"), "fd_test_anon_fd_ioctl", ioctl, entry)

	switch ioctl {
	case 0:
		// The seed's `int r = p->id;`: the id comes back truncated to
		// an int, so an id whose low 32 bits read as -1..-4095 is seen
		// by user space as that errno. We keep the seed's int.
		r := int32(p.id)
		return int64(r), nil
	}
	log.PrWarn(prFmt("fd_test", "unknown ioctl %d"), ioctl)
	return 0, abi.ENOIOCTLCMD // the seed's -1 would reach user space as EPERM
}

// fdTestAnonFdFops mirrors fd_test_anon_fd_fops: unlocked_ioctl and
// compat_ioctl are the same function, llseek is noop_llseek.
type fdTestAnonFdFops struct{ fs.NoopLlseek }

func (fdTestAnonFdFops) UnlockedIoctl(c *fs.Caller, f *fs.File, cmd uint32, arg uintptr) (int64, error) {
	return fdTestAnonFdIoctl(f, cmd, arg, "unlocked_ioctl")
}

func (fdTestAnonFdFops) CompatIoctl(c *fs.Caller, f *fs.File, cmd uint32, arg uintptr) (int64, error) {
	return fdTestAnonFdIoctl(f, cmd, arg, "compat_ioctl")
}

// fdTestAnonName is the seed's snprintf(name, ..., "fd_test-%ld\n", id)
// without the newline (a typo in the seed: it would end up in readlink).
func fdTestAnonName(id uint64) string { return fmt.Sprintf("fd_test-%d", int64(id)) }

// fdTestCreateFile mirrors create_file: reserve an fd (get_unused_fd_flags
// with O_CLOEXEC), make the anon file holding id (anon_inode_getfile with
// O_RDWR), publish it (fd_install). The seed made the file first and
// returned -1 when no fd was free, leaking the file and hiding EMFILE; as
// the seed's own text says, the order should be fd, file, install.
func fdTestCreateFile(c *fs.Caller, filp *fs.File, id uint64, anonFops fs.FileOperations) (int64, error) {
	p := &fdTestData{id: id}

	fd, err := c.GetUnusedFdFlags(fs.O_CLOEXEC)
	if err != nil {
		return 0, err // EMFILE
	}
	anon, err := filp.VFS().AnonInodeGetFile(fdTestAnonName(id), anonFops, p, fs.O_RDWR)
	if err != nil {
		c.PutUnusedFd(fd)
		return 0, err
	}
	c.FdInstall(fd, anon)
	// After fd_install another thread may close fd: anon is not ours any more.
	return int64(fd), nil
}

// fdTestIoctl mirrors fd_test_ioctl, the device's handler: command 0
// creates the anon fd; anything else is not ours.
func fdTestIoctl(c *fs.Caller, filp *fs.File, ioctl uint32, arg uintptr, entry string, anonFops fs.FileOperations) (int64, error) {
	log := &filp.VFS().Log
	log.PrInfo(prFmt("fd_test", "%s: ioctl is %d (via %s)"), "fd_test_ioctl", ioctl, entry)

	switch ioctl {
	case 0:
		return fdTestCreateFile(c, filp, uint64(arg), anonFops)
	}
	log.PrWarn(prFmt("fd_test", "unknown ioctl %d"), ioctl)
	return 0, abi.ENOIOCTLCMD // the seed said -EINVAL; Linux's convention is ENOTTY
}

// fdTestChardevFops mirrors fd_test_chardev_fops.
type fdTestChardevFops struct{ fs.NoopLlseek }

func (fdTestChardevFops) UnlockedIoctl(c *fs.Caller, f *fs.File, cmd uint32, arg uintptr) (int64, error) {
	return fdTestIoctl(c, f, cmd, arg, "unlocked_ioctl", fdTestAnonFdFops{})
}

func (fdTestChardevFops) CompatIoctl(c *fs.Caller, f *fs.File, cmd uint32, arg uintptr) (int64, error) {
	return fdTestIoctl(c, f, cmd, arg, "compat_ioctl", fdTestAnonFdFops{})
}

// FdTest is one loaded instance of the fd_test module (its struct
// miscdevice lives here, so every VFS gets its own).
type FdTest struct {
	misc fs.MiscDevice
}

// Name implements Module.
func (*FdTest) Name() string { return "fd_test" }

// Init mirrors fd_test_init: register the misc device.
func (d *FdTest) Init(v *fs.VFS) error {
	d.misc = fs.MiscDevice{Minor: fdTestMinor, Name: "fd_test", Fops: fdTestChardevFops{}}
	return miscInit(v, "fd_test", &d.misc)
}

// Exit mirrors fd_test_exit.
func (d *FdTest) Exit(v *fs.VFS) { miscExit(v, "fd_test", &d.misc) }

// miscInit is the body every fd_test variant's module_init shares.
func miscInit(v *fs.VFS, module string, m *fs.MiscDevice) error {
	if err := v.MiscRegister(m); err != nil {
		v.Log.PrWarn("%s: failed to create miscdevice", module)
		return err
	}
	v.Log.PrInfo("%s: device file created", module)
	return nil
}

// miscExit is the body every fd_test variant's module_exit shares.
func miscExit(v *fs.VFS, module string, m *fs.MiscDevice) {
	v.MiscDeregister(m)
	v.Log.PrInfo("%s: finish %s_exit", module, module)
}
