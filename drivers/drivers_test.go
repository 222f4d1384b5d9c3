package drivers

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
)

func TestRegisterCreatesEveryDeviceAndProcEntry(t *testing.T) {
	v := fs.NewVFS(fs.Config{})
	c := v.NewCaller()
	require.NoError(t, Register(v))
	for _, path := range []string{"/dev/fd_test", "/dev/fd_test_bkl", "/dev/fd_test_nocompat", "/proc/lkmc_mmap"} {
		_, err := v.Fstatat(c, fs.AT_FDCWD, path, 0)
		require.Equal(t, abi.Errno(0), err, path)
	}
	st, _ := v.Fstatat(c, fs.AT_FDCWD, "/proc/lkmc_mmap", 0)
	require.Equal(t, uint32(fs.S_IFREG|0o444), st.Mode, "proc_create with mode 0")
	w := &world{t: t, v: v, c: c}
	misc := w.readFile("/proc/misc")
	require.Contains(t, misc, "243 fd_test\n")
	require.Contains(t, misc, " fd_test_bkl\n")
	require.Equal(t, 3, w.logCount("device file created"))
}

func TestRegisterTwiceIsEBUSYAndKeepsTheFirst(t *testing.T) {
	v := fs.NewVFS(fs.Config{})
	require.NoError(t, Register(v))
	require.Equal(t, abi.EBUSY, Register(v), "minor 243 is taken")
	c := v.NewCaller()
	fd, err := v.Openat(c, fs.AT_FDCWD, "/dev/fd_test", fs.O_RDWR, 0)
	require.Equal(t, abi.Errno(0), err)
	_, err = fs.Ioctl(c, fd, 0, 1)
	require.Equal(t, abi.Errno(0), err)
}

// A failing initcall leaves nothing half registered: the modules loaded
// before it are unloaded again.
func TestLoadRollsBackWhenAModuleFails(t *testing.T) {
	v := fs.NewVFS(fs.Config{})
	_, err := v.ProcCreate("lkmc_mmap", 0, nil, nil) // someone else has the name
	require.NoError(t, err)
	mods, err := Load(v)
	require.Equal(t, abi.EEXIST, err)
	require.Nil(t, mods)
	c := v.NewCaller()
	for _, path := range []string{"/dev/fd_test", "/dev/fd_test_bkl", "/dev/fd_test_nocompat"} {
		_, err := v.Fstatat(c, fs.AT_FDCWD, path, 0)
		require.Equal(t, abi.ENOENT, err, path)
	}
}

func TestUnloadThenLoadAgain(t *testing.T) {
	v := fs.NewVFS(fs.Config{})
	c := v.NewCaller()
	mods, err := Load(v)
	require.NoError(t, err)
	Unload(v, mods)
	for _, path := range []string{"/dev/fd_test", "/dev/fd_test_bkl", "/dev/fd_test_nocompat", "/proc/lkmc_mmap"} {
		_, err := v.Fstatat(c, fs.AT_FDCWD, path, 0)
		require.Equal(t, abi.ENOENT, err, path)
	}
	_, err = Load(v)
	require.NoError(t, err)
}
