package drivers

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
)

// Seed 002's story: a driver with unlocked_ioctl only works for 64-bit
// callers; a 32-bit caller on the same kernel gets ENOTTY without the
// driver ever running, and so does a 32-bit ioctl on an anon fd it made.
func TestFdTestNocompatWorksNativeAndIsENOTTYForCompat(t *testing.T) {
	for _, id := range []uint64{0, 1234, 12345678, 1<<31 - 1} {
		w := newWorld(t)
		fd := w.open("/dev/fd_test_nocompat", fs.O_RDWR)
		w.v.Log.Reset()

		_, err := w.ioctl(true, fd, 0, id)
		require.Equal(t, abi.ENOTTY, err, "compat caller, id %d", id)
		require.Zero(t, w.logCount("ioctl is"), "unlocked_ioctl is never called for 32-bit callers")

		anon, err := w.ioctl(false, fd, 0, id)
		require.Equal(t, abi.Errno(0), err)
		r, err := w.ioctl(false, int(anon), 0, 0)
		require.Equal(t, abi.Errno(0), err)
		require.Equal(t, int64(id), r)
		require.Equal(t, 2, w.logCount("(via unlocked_ioctl)"))

		_, err = w.ioctl(true, int(anon), 0, 0)
		require.Equal(t, abi.ENOTTY, err, "the anon file has no compat_ioctl either")
		require.Equal(t, 2, w.logCount("ioctl is"))

		// The VFS's own commands still work for 32-bit callers.
		_, err = w.ioctl(true, int(anon), fs.FIONCLEX, 0)
		require.Equal(t, abi.Errno(0), err)
		require.False(t, w.c.Files.IsCloseOnExec(int(anon)))
	}
}

func TestFdTestNocompatHasADynamicMinor(t *testing.T) {
	w := newWorld(t)
	st, err := w.v.Fstatat(w.c, fs.AT_FDCWD, "/dev/fd_test_nocompat", 0)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, uint32(fs.S_IFCHR|0o600), st.Mode)
	require.Contains(t, w.readFile("/proc/misc"), "fd_test_nocompat")
	require.NotContains(t, w.readFile("/proc/misc"), "243 fd_test_nocompat")
}
