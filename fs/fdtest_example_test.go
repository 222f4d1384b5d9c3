package fs

// The seeds' fd_test driver (seed 000), ported line for line: a misc
// device whose ioctl(fd, 0, id) returns a new close-on-exec fd, and whose
// ioctl(newfd, 0, 0) returns id.

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
)

type fdTestData struct {
	id uint64
}

func fdTestAnonFdIoctl(c *Caller, filp *File, ioctl uint32, arg uintptr) (int64, error) {
	r := int64(-1) // the seed's -1 reaches user space as -EPERM
	p := filp.PrivateData.(*fdTestData)

	filp.VFS().Log.PrInfo("%s: ioctl is %d", "fd_test_anon_fd_ioctl", ioctl)

	switch ioctl {
	case 0:
		r = int64(p.id)
	default:
		filp.VFS().Log.PrWarn("unkown ioctl %dd", ioctl)
	}
	return r, nil
}

type fdTestAnonFdFops struct{ NoopLlseek } // .llseek = noop_llseek

func (fdTestAnonFdFops) UnlockedIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	return fdTestAnonFdIoctl(c, f, cmd, arg)
}
func (fdTestAnonFdFops) CompatIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	return fdTestAnonFdIoctl(c, f, cmd, arg)
}

func createFile(c *Caller, filp *File, id uint64) (int64, error) {
	p := &fdTestData{}
	p.id = id

	name := fmt.Sprintf("fd_test-%d\n", id)

	anon, err := filp.VFS().AnonInodeGetFile(name, fdTestAnonFdFops{}, p, O_RDWR)
	if err != nil {
		return -1, nil
	}
	fd, err := c.GetUnusedFdFlags(O_CLOEXEC)
	if err != nil {
		return -1, nil // (the seed leaks anon here; so do we, for fidelity)
	}
	c.FdInstall(fd, anon)

	return int64(fd), nil
}

func fdTestIoctl(c *Caller, filp *File, ioctl uint32, arg uintptr) (int64, error) {
	r, err := int64(0), error(abi.EINVAL)

	filp.VFS().Log.PrInfo("%s: ioctl is %d", "fd_test_ioctl", ioctl)

	switch ioctl {
	case 0:
		r, err = createFile(c, filp, uint64(arg))
	default:
		filp.VFS().Log.PrWarn("unkown ioctl %dd", ioctl)
	}
	return r, err
}

type fdTestChardevFops struct{ NoopLlseek }

func (fdTestChardevFops) UnlockedIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	return fdTestIoctl(c, f, cmd, arg)
}
func (fdTestChardevFops) CompatIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	return fdTestIoctl(c, f, cmd, arg)
}

var fdTestChardev = MiscDevice{Minor: 243, Name: "fd_test", Fops: fdTestChardevFops{}}

func fdTestInit(v *VFS) error {
	if err := v.MiscRegister(&fdTestChardev); err != nil {
		v.Log.PrWarn("failed to create miscdevice")
		return err
	}
	v.Log.PrInfo("device file created")
	return nil
}

func fdTestExit(v *VFS) {
	v.MiscDeregister(&fdTestChardev)
	v.Log.PrInfo("finish %s", "fd_test_exit")
}

// TestFdTestSeedEndToEnd runs the seed's user program against the port,
// natively and as a 32-bit caller.
func TestFdTestSeedEndToEnd(t *testing.T) {
	for _, compat := range []bool{false, true} {
		t.Run(map[bool]string{false: "native", true: "compat"}[compat], func(t *testing.T) {
			v, c, _ := newTestVFS(t)
			require.NoError(t, fdTestInit(v))
			defer fdTestExit(v)
			c.Compat = compat
			ioctl := func(fd int, cmd uint32, arg uintptr) (int64, abi.Errno) {
				if compat {
					return CompatIoctl(c, fd, cmd, uint32(arg))
				}
				return Ioctl(c, fd, cmd, arg)
			}
			fd := mustOpen(t, v, c, "/dev/fd_test", O_RDWR)
			anonFd, err := ioctl(fd, 0, 1234)
			require.Equal(t, abi.Errno(0), err)
			require.True(t, c.Files.IsCloseOnExec(int(anonFd)))
			r, err := ioctl(int(anonFd), 0, 0)
			require.Equal(t, abi.Errno(0), err)
			require.EqualValues(t, 1234, r)
			_, err = ioctl(int(anonFd), 7, 0)
			require.Equal(t, abi.EPERM, err, "the seed's r = -1")
			link, _ := v.Readlinkat(c, AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", anonFd), 256)
			_ = link // /proc/self needs a process; checked in the procfs tests
			require.NotEmpty(t, v.Log.Records())
		})
	}
}

func TestFdTestSeedWithoutDeviceIsENOENTThenEBADF(t *testing.T) {
	v, c, _ := newTestVFS(t)
	_, err := v.Openat(c, AT_FDCWD, "/dev/fd_test", O_RDWR, 0)
	require.Equal(t, abi.ENOENT, err)
	_, err = Ioctl(c, -1, 0, 1234)
	require.Equal(t, abi.EBADF, err)
}
