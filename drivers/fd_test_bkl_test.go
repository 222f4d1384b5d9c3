package drivers

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
)

// On a 2.6.36+ kernel the locked ->ioctl member does not exist: a driver
// that only has it answers no ioctl at all.
func TestFdTestBKLIsENOTTYOnAModernKernel(t *testing.T) {
	for _, a := range abis {
		t.Run(a.name, func(t *testing.T) {
			w := newWorld(t)
			fd := w.open("/dev/fd_test_bkl", fs.O_RDWR)
			w.v.Log.Reset()
			_, err := w.ioctl(a.compat, fd, 0, 1234)
			require.Equal(t, abi.ENOTTY, err)
			require.Zero(t, w.logCount("ioctl is"))
		})
	}
}

// Under 2.6.35's dispatch the same driver works for 64-bit callers (its
// ->ioctl runs under the BKL), while a 32-bit caller gets EINVAL and the
// "ioctl32 ... Unknown cmd" line: command 0 is in no COMPATIBLE_IOCTL table.
func TestFdTestBKLUnderHistoricDispatch(t *testing.T) {
	for _, id := range []uint64{0, 1234, 12345678, 1<<31 - 1} {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			w := newWorld(t)
			w.v.IoctlMode = fs.IoctlHistoric
			fd := w.open("/dev/fd_test_bkl", fs.O_RDWR)
			anon, err := w.ioctl(false, fd, 0, id)
			require.Equal(t, abi.Errno(0), err)
			r, err := w.ioctl(false, int(anon), 0, 0)
			require.Equal(t, abi.Errno(0), err)
			require.Equal(t, int64(id), r)
			require.Equal(t, 2, w.logCount("(via ioctl)"))

			_, err = w.ioctl(true, fd, 0, id)
			require.Equal(t, abi.EINVAL, err)
			require.Equal(t, 1, w.logCount("ioctl32("))
			require.Equal(t, 2, w.logCount("ioctl is"), "the compat call never reached the driver")

			_, err = w.ioctl(false, fd, 7, 0)
			require.Equal(t, abi.ENOTTY, err, "a legacy driver returned ENOTTY itself")
		})
	}
}

// The same unknown command on the unlocked driver under 2.6.35 rules:
// ENOIOCTLCMD from unlocked_ioctl became EINVAL before 3.3.
func TestFdTestUnknownCommandWasEINVALBefore33(t *testing.T) {
	w := newWorld(t)
	w.v.IoctlMode = fs.IoctlHistoric
	fd := w.open("/dev/fd_test", fs.O_RDWR)
	_, err := w.ioctl(false, fd, 7, 0)
	require.Equal(t, abi.EINVAL, err)
	anon, err := w.ioctl(true, fd, 0, 99)
	require.Equal(t, abi.Errno(0), err, "fd_test has compat_ioctl: 32-bit callers worked then too")
	r, _ := w.ioctl(true, int(anon), 0, 0)
	require.Equal(t, int64(99), r)
}

// The legacy ->ioctl really runs under the Big Kernel Lock: while someone
// else holds it, the call waits; fd_test's unlocked_ioctl does not.
func TestFdTestBKLIoctlWaitsForTheBigKernelLock(t *testing.T) {
	w := newWorld(t)
	w.v.IoctlMode = fs.IoctlHistoric
	bkl := w.open("/dev/fd_test_bkl", fs.O_RDWR)
	unlocked := w.open("/dev/fd_test", fs.O_RDWR)

	w.v.BKL.Lock()
	done := make(chan int64)
	go func() {
		r, _ := fs.Ioctl(w.c, bkl, 0, 5)
		done <- r
	}()
	r, err := fs.Ioctl(w.c, unlocked, 0, 6)
	require.Equal(t, abi.Errno(0), err, "unlocked_ioctl ignores the BKL")
	require.Positive(t, r)
	select {
	case <-done:
		t.Fatal("->ioctl ran while another holder had the BKL")
	case <-time.After(20 * time.Millisecond):
	}
	w.v.BKL.Unlock()
	require.Positive(t, <-done)
}

// The numbers a course compares: one anon-fd ioctl round trip through
// unlocked_ioctl, and through ->ioctl under the BKL, from many threads.
func BenchmarkIoctlParallelUnlocked(b *testing.B) { benchIoctlParallel(b, "/dev/fd_test") }
func BenchmarkIoctlParallelBKL(b *testing.B)      { benchIoctlParallel(b, "/dev/fd_test_bkl") }

func benchIoctlParallel(b *testing.B, dev string) {
	w := newWorld(b)
	w.v.IoctlMode = fs.IoctlHistoric
	fd := w.open(dev, fs.O_RDWR)
	anon, err := w.ioctl(false, fd, 0, 42)
	require.Equal(b, abi.Errno(0), err)
	w.v.Log.SetSink(nil)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if r, _ := fs.Ioctl(w.c, int(anon), 0, 0); r != 42 {
				b.Errorf("got %d", r)
				return
			}
		}
	})
}
