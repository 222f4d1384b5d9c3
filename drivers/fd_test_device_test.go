package drivers

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
)

var abis = []struct {
	name   string
	compat bool
}{{"native", false}, {"compat", true}}

// The seed's user program, for the ids the seed's article ran plus the
// edges of an int: open, ioctl(fd, 0, id), ioctl(anon_fd, 0, 0) == id.
func TestFdTestAnonFdRoundTripReturnsTheId(t *testing.T) {
	for _, a := range abis {
		for _, id := range []uint64{0, 1234, 12345678, math.MaxInt32} {
			t.Run(fmt.Sprintf("%s/%d", a.name, id), func(t *testing.T) {
				w := newWorld(t)
				w.v.Log.Reset()
				fd := w.open("/dev/fd_test", fs.O_RDWR)
				anon, err := w.ioctl(a.compat, fd, 0, id)
				require.Equal(t, abi.Errno(0), err)
				require.Greater(t, anon, int64(fd))
				require.True(t, w.c.Files.IsCloseOnExec(int(anon)), "created with O_CLOEXEC")
				r, err := w.ioctl(a.compat, int(anon), 0, 0)
				require.Equal(t, abi.Errno(0), err)
				require.Equal(t, int64(id), r)

				link, err := w.readlink(int(anon))
				require.Equal(t, abi.Errno(0), err)
				require.Equal(t, fmt.Sprintf("anon_inode:fd_test-%d", id), link)

				entry := map[bool]string{false: "unlocked_ioctl", true: "compat_ioctl"}[a.compat]
				require.Equal(t, []string{
					"fd_test_ioctl: ioctl is 0 (via " + entry + ")",
					"fd_test_anon_fd_ioctl: ioctl is 0 (via " + entry + ")",
				}, w.logLines("fd_test: "), "the log shows which entry ran")
				require.Equal(t, abi.Errno(0), fs.Close(w.c, fd))
			})
		}
	}
}

// LINUX-SEMANTICS §3: an anon-inode file stats as mode 0600 with no type
// bits, on the one shared inode; fdinfo adds O_CLOEXEC to f_flags.
func TestFdTestAnonFdFstatIsTheSharedAnonInode(t *testing.T) {
	w := newWorld(t)
	fd := w.open("/dev/fd_test", fs.O_RDWR)
	a1, _ := w.ioctl(false, fd, 0, 1)
	a2, _ := w.ioctl(false, fd, 0, 2)
	st1, err := fs.Fstat(w.c, int(a1))
	require.Equal(t, abi.Errno(0), err)
	st2, _ := fs.Fstat(w.c, int(a2))
	require.Equal(t, uint32(0o600), st1.Mode, "no S_IFMT bits")
	require.Equal(t, w.v.AnonInode().Ino, st1.Ino)
	require.Equal(t, st1.Ino, st2.Ino, "one singleton inode")
	require.Equal(t, st1.Dev, st2.Dev)
	require.EqualValues(t, 1, st1.Nlink)
	require.Zero(t, st1.Uid)
	require.Zero(t, st1.Gid)
	require.Zero(t, st1.Size)
	require.EqualValues(t, 4096, st1.Blksize)
	devSt, _ := fs.Fstat(w.c, fd)
	require.Equal(t, uint32(fs.S_IFCHR), devSt.Mode&fs.S_IFMT)
	require.Equal(t, uint64(fs.MkDev(fs.MiscMajor, 243).Encode()), devSt.Rdev)

	fdinfo := w.readFile(fmt.Sprintf("/proc/self/fdinfo/%d", a1))
	require.Contains(t, fdinfo, "flags:\t02000002\n", "O_RDWR | O_CLOEXEC")
}

func TestFdTestClosedAnonFdNumberIsReusedLowestFirst(t *testing.T) {
	w := newWorld(t)
	fd := w.open("/dev/fd_test", fs.O_RDWR)
	var fds []int
	for id := uint64(10); id < 14; id++ {
		a, err := w.ioctl(false, fd, 0, id)
		require.Equal(t, abi.Errno(0), err)
		fds = append(fds, int(a))
	}
	require.Equal(t, []int{fd + 1, fd + 2, fd + 3, fd + 4}, fds)
	require.Equal(t, abi.Errno(0), fs.Close(w.c, fds[2]))
	require.Equal(t, abi.Errno(0), fs.Close(w.c, fds[1]))
	a, _ := w.ioctl(false, fd, 0, 99)
	require.Equal(t, int64(fds[1]), a, "lowest free number")
	r, _ := w.ioctl(false, int(a), 0, 0)
	require.Equal(t, int64(99), r, "the reused number is the new file")
	r, _ = w.ioctl(false, fds[3], 0, 0)
	require.Equal(t, int64(13), r, "the others are untouched")
}

func TestFdTestIoctlOnClosedOrHostileFdIsEBADF(t *testing.T) {
	for _, a := range abis {
		t.Run(a.name, func(t *testing.T) {
			w := newWorld(t)
			fd := w.open("/dev/fd_test", fs.O_RDWR)
			anon, _ := w.ioctl(a.compat, fd, 0, 7)
			require.Equal(t, abi.Errno(0), fs.Close(w.c, int(anon)))
			require.Equal(t, abi.Errno(0), fs.Close(w.c, fd))
			w.v.Log.Reset()
			for _, bad := range []int{int(anon), fd, -1, math.MinInt32, math.MaxInt32, 1 << 20} {
				_, err := w.ioctl(a.compat, bad, 0, 0)
				require.Equal(t, abi.EBADF, err, "fd %d", bad)
			}
			require.Zero(t, w.logCount("ioctl is"), "the driver was never reached")
		})
	}
}

// RLIMIT_NOFILE caps anon fds like any other: 1,000 fit, the next is
// EMFILE (not the seed's -1/EPERM), and no file is left half-made.
func TestFdTestThousandAnonFdsThenEMFILE(t *testing.T) {
	w := newWorld(t)
	fd := w.open("/dev/fd_test", fs.O_RDWR)
	w.c.NoFile = uint64(fd + 1 + 1000)
	for i := 0; i < 1000; i++ {
		a, err := w.ioctl(false, fd, 0, uint64(i))
		require.Equal(t, abi.Errno(0), err, "anon fd #%d", i)
		require.Equal(t, int64(fd+1+i), a)
	}
	_, err := w.ioctl(false, fd, 0, 1000)
	require.Equal(t, abi.EMFILE, err)
	_, err = w.ioctl(true, fd, 0, 1000)
	require.Equal(t, abi.EMFILE, err)
	for _, i := range []int{0, 499, 999} {
		r, _ := w.ioctl(false, fd+1+i, 0, 0)
		require.Equal(t, int64(i), r)
	}
	require.Equal(t, abi.Errno(0), fs.Close(w.c, fd+500))
	a, err := w.ioctl(false, fd, 0, 5000)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, int64(fd+500), a)
}

// The ENOTTY decision (README.md): a command the driver does not know is
// ENOIOCTLCMD, which the VFS turns into ENOTTY on both entries.
func TestFdTestUnknownCommandIsENOTTY(t *testing.T) {
	for _, a := range abis {
		for _, cmd := range []uint32{1, 0x5401 /* TCGETS */, 0x541B /* FIONREAD */, 0x80086601, math.MaxUint32} {
			t.Run(fmt.Sprintf("%s/%#x", a.name, cmd), func(t *testing.T) {
				w := newWorld(t)
				fd := w.open("/dev/fd_test", fs.O_RDWR)
				anon, _ := w.ioctl(a.compat, fd, 0, 5)
				for _, target := range []int{fd, int(anon)} {
					_, err := w.ioctl(a.compat, target, cmd, 0xdeadbeef)
					require.Equal(t, abi.ENOTTY, err, "fd %d", target)
				}
				require.Equal(t, 2, w.logCount(fmt.Sprintf("unknown ioctl %d", cmd)))
			})
		}
	}
}

// The seed keeps the id in an unsigned long but returns it through an
// int: user space sees the low 32 bits, and low bits that read as
// -1..-4095 come back as that errno. A 32-bit caller can only pass 32 bits.
func TestFdTestIdIsTruncatedToIntAsInTheSeed(t *testing.T) {
	cases := []struct {
		compat bool
		id     uint64
		want   int64
		errno  abi.Errno
	}{
		{false, 1<<32 + 1234, 1234, 0},
		{false, 1 << 31, math.MinInt32, 0},
		{false, math.MaxUint64, 0, abi.EPERM}, // int -1
		{false, 1<<32 - 25, 0, abi.ENOTTY},    // int -25
		{true, 1<<32 + 1234, 1234, 0},         // arg32 = 1234
		{true, math.MaxUint32, 0, abi.EPERM},  // int -1
		{true, 1<<32 - 4096, -4096, 0},        // just outside the errno range
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("compat=%v/%#x", tc.compat, tc.id), func(t *testing.T) {
			w := newWorld(t)
			fd := w.open("/dev/fd_test", fs.O_RDWR)
			anon, err := w.ioctl(tc.compat, fd, 0, tc.id)
			require.Equal(t, abi.Errno(0), err)
			r, err := w.ioctl(tc.compat, int(anon), 0, 0)
			require.Equal(t, tc.errno, err)
			require.Equal(t, tc.want, r)
		})
	}
}

// The anon file has only ioctl and llseek (noop_llseek): read and write
// are EINVAL, pread ESPIPE, mmap ENODEV; lseek "succeeds" at 0; the VFS's
// own FIOCLEX/FIONCLEX still work on it.
func TestFdTestAnonFdHasOnlyIoctlAndNoopLlseek(t *testing.T) {
	w := newWorld(t)
	fd := w.open("/dev/fd_test", fs.O_RDWR)
	a, _ := w.ioctl(false, fd, 0, 3)
	anon := int(a)
	buf := make([]byte, 8)
	_, err := fs.Read(w.c, anon, buf)
	require.Equal(t, abi.EINVAL, err)
	_, err = fs.Write(w.c, anon, buf)
	require.Equal(t, abi.EINVAL, err)
	_, err = fs.Pread(w.c, anon, buf, 0)
	require.Equal(t, abi.ESPIPE, err)
	pos, err := fs.Lseek(w.c, anon, 100, fs.SEEK_SET)
	require.Equal(t, abi.Errno(0), err)
	require.Zero(t, pos)
	_, merr := w.mmap(4096, 1, 1, anon, 0)
	require.Equal(t, abi.ENODEV, merr)
	_, merr = w.mmap(4096, 1, 1, fd, 0)
	require.Equal(t, abi.ENODEV, merr, "the device has no mmap either")
	_, err = w.ioctl(false, anon, fs.FIONCLEX, 0)
	require.Equal(t, abi.Errno(0), err)
	require.False(t, w.c.Files.IsCloseOnExec(anon))
}

// The anon file keeps its private data after the device fd is closed and
// even after the module is unloaded; new opens then fail with ENOENT.
func TestFdTestAnonFdOutlivesDeviceAndModule(t *testing.T) {
	w := newWorld(t)
	fd := w.open("/dev/fd_test", fs.O_RDWR)
	a, _ := w.ioctl(false, fd, 0, 4321)
	require.Equal(t, abi.Errno(0), fs.Close(w.c, fd))
	w.module("fd_test").Exit(w.v)
	require.Equal(t, 1, w.logCount("fd_test: finish fd_test_exit"))
	r, _ := w.ioctl(false, int(a), 0, 0)
	require.Equal(t, int64(4321), r)
	_, err := w.v.Openat(w.c, fs.AT_FDCWD, "/dev/fd_test", fs.O_RDWR, 0)
	require.Equal(t, abi.ENOENT, err)
}

// Many threads of one process creating, using and closing anon fds on a
// shared table (run with -race).
func TestFdTestConcurrentCreateUseClose(t *testing.T) {
	w := newWorld(t)
	fd := w.open("/dev/fd_test", fs.O_RDWR)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				id := uint64(g*1000 + i)
				a, err := fs.Ioctl(w.c, fd, 0, uintptr(id))
				if err != 0 {
					t.Errorf("create: %v", err)
					return
				}
				// Another goroutine may not close our fd: each closes only its own.
				r, err := fs.Ioctl(w.c, int(a), 0, 0)
				if err != 0 || r != int64(id) {
					t.Errorf("id %d: got %d, %v", id, r, err)
				}
				fs.Close(w.c, int(a))
			}
		}(g)
	}
	wg.Wait()
	require.Equal(t, []int{fd}, w.c.Files.OpenFds())
}

func (w *world) readFile(path string) string {
	w.t.Helper()
	fd := w.open(path, fs.O_RDONLY)
	defer fs.Close(w.c, fd)
	var out []byte
	buf := make([]byte, 512)
	for {
		n, err := fs.Read(w.c, fd, buf)
		require.Equal(w.t, abi.Errno(0), err)
		if n == 0 {
			return string(out)
		}
		out = append(out, buf[:n]...)
	}
}

func BenchmarkFdTestCreateAnonFd(b *testing.B) {
	w := newWorld(b)
	fd := w.open("/dev/fd_test", fs.O_RDWR)
	for b.Loop() {
		a, _ := fs.Ioctl(w.c, fd, 0, 1234)
		fs.Close(w.c, int(a))
	}
}
