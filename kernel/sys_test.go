package kernel

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/fs"
)

const (
	buf     = scratch + 0x1000
	buf2    = scratch + 0x8000
	pathBuf = scratch + 0x100
)

func TestWriteReachesConsoleAndBadInputGivesErrno(t *testing.T) {
	u, k := newUser(t, false)
	u.poke(buf, []byte("hello, world\n"))
	tests := []struct {
		name string
		args []uint64
		want int64
	}{
		{"write to stdout", []uint64{1, buf, 13}, 13},
		{"zero length", []uint64{1, buf, 0}, 0},
		{"fd with garbage upper half is fd 1", []uint64{0x1_0000_0001, buf, 1}, 1},
		{"unopened fd", []uint64{77, buf, 1}, errno(abi.EBADF)},
		{"negative fd", []uint64{0xffffffff, buf, 1}, errno(abi.EBADF)},
		{"NULL buffer", []uint64{1, 0, 5}, errno(abi.EFAULT)},
		{"kernel-address buffer", []uint64{1, 0xffff880000000000, 5}, errno(abi.EFAULT)},
		{"count running past TASK_SIZE", []uint64{1, buf, 1 << 47}, errno(abi.EFAULT)},
		{"a fault after some bytes returns the count", []uint64{1, scratch + scratchSize - 3, 1 << 40}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { require.Equal(t, tc.want, u.syscall(1, tc.args...)) })
	}
	require.Equal(t, "hello, world\nh\x00\x00\x00", k.console.String())
}

func TestWritevNativeAndCompatIovecs(t *testing.T) {
	for _, ia32 := range []bool{false, true} {
		u, k := newUser(t, ia32)
		u.poke(buf, []byte("hello"))
		u.poke(buf+16, []byte("\n"))
		iov := make([]byte, 32)
		if ia32 {
			binary.LittleEndian.PutUint32(iov[0:], buf)
			binary.LittleEndian.PutUint32(iov[4:], 5)
			binary.LittleEndian.PutUint32(iov[8:], buf+16)
			binary.LittleEndian.PutUint32(iov[12:], 1)
			u.poke(buf2, iov)
			require.Equal(t, int64(6), u.int80(146, 1, buf2, 2))
			require.Equal(t, errno(abi.EINVAL), u.int80(146, 1, buf2, 1025), "more than UIO_MAXIOV")
		} else {
			binary.LittleEndian.PutUint64(iov[0:], buf)
			binary.LittleEndian.PutUint64(iov[8:], 5)
			binary.LittleEndian.PutUint64(iov[16:], buf+16)
			binary.LittleEndian.PutUint64(iov[24:], 1)
			u.poke(buf2, iov)
			require.Equal(t, int64(6), u.syscall(20, 1, buf2, 2))
			require.Equal(t, errno(abi.EFAULT), u.syscall(20, 1, 0x10, 2), "unreadable iovec array")
			binary.LittleEndian.PutUint64(iov[8:], 1<<63)
			u.poke(buf2, iov)
			require.Equal(t, errno(abi.EINVAL), u.syscall(20, 1, buf2, 2), "negative length")
		}
		require.Equal(t, "hello\n", k.console.String())
	}
}

func TestFileIOThroughTheVFS(t *testing.T) {
	u, _ := newUser(t, false)
	p := u.str(pathBuf, "/data.txt")
	fd := u.syscall(257, 0xffffff9c, p, fs.O_RDWR|fs.O_CREAT, 0o644)
	require.Equal(t, int64(3), fd)
	u.poke(buf, []byte("0123456789"))
	require.Equal(t, int64(10), u.syscall(1, 3, buf, 10))
	require.Equal(t, int64(2), u.syscall(8, 3, 2, fs.SEEK_SET))
	require.Equal(t, int64(3), u.syscall(0, 3, buf2, 3))
	require.Equal(t, "234", string(u.peek(buf2, 3)))
	require.Equal(t, int64(4), u.syscall(17, 3, buf2, 4, 6), "pread64")
	require.Equal(t, "6789", string(u.peek(buf2, 4)))
	require.Equal(t, errno(abi.EINVAL), u.syscall(17, 3, buf2, 4, 1<<63), "negative pread offset")
	require.Equal(t, errno(abi.EINVAL), u.syscall(8, 3, 0, 9), "bad whence")
	require.Equal(t, int64(0), u.syscall(0, 3, buf2, 0), "zero-length read")
	require.Equal(t, int64(0), u.syscall(5, 3, buf2), "fstat")
	require.Equal(t, uint64(10), u.u64(buf2+48), "st_size")
	require.Equal(t, uint32(fs.S_IFREG|0o644), u.u32(buf2+24), "st_mode")
	require.Equal(t, int64(0), u.syscall(3, 3))
	require.Equal(t, errno(abi.EBADF), u.syscall(3, 3), "double close")
	require.Equal(t, errno(abi.ENOENT), u.syscall(2, u.str(pathBuf, "/nope"), 0, 0))
	require.Equal(t, errno(abi.EFAULT), u.syscall(2, 0, 0, 0), "NULL path")
	long := strings.Repeat("a", 5000)
	u.poke(buf, append([]byte(long), 0))
	require.Equal(t, errno(abi.ENAMETOOLONG), u.syscall(2, buf, 0, 0))
}

func TestI386SplitOffsetsAndStat64(t *testing.T) {
	u, _ := newUser(t, true)
	fd := u.int80(5, u.str(pathBuf, "/f32"), fs.O_RDWR|fs.O_CREAT, 0o600) // compat open
	require.Equal(t, int64(3), fd)
	u.poke(buf, []byte("abcdefgh"))
	require.Equal(t, int64(8), u.int80(4, 3, buf, 8))
	require.Equal(t, int64(2), u.int80(180, 3, buf2, 2, 5, 0), "pread64 offset in esi/edi")
	require.Equal(t, "fg", string(u.peek(buf2, 2)))
	require.Equal(t, int64(0), u.int80(140, 3, 0, 1, buf2, fs.SEEK_SET), "_llseek high word first")
	require.Equal(t, uint64(1), u.u64(buf2))
	require.Equal(t, int64(0), u.int80(197, 3, buf2), "fstat64")
	require.Equal(t, uint32(fs.S_IFREG|0o600), u.u32(buf2+16))
	require.Equal(t, uint64(8), u.u64(buf2+44), "packed st_size")
	require.Equal(t, u.u64(buf2+88)&0xffffffff, uint64(u.u32(buf2+12)), "__st_ino and st_ino agree")
	require.Equal(t, int64(0), u.int80(300, 0xffffff9c, u.str(pathBuf, "/f32"), buf2, 0), "fstatat64")
	require.Equal(t, uint64(8), u.u64(buf2+44))
	// glibc i386's fstat: statx(fd, "", AT_EMPTY_PATH|AT_NO_AUTOMOUNT, STATX_BASIC_STATS)
	require.Equal(t, int64(0), u.int80(383, 1, u.str(pathBuf, ""), fs.AT_EMPTY_PATH|fs.AT_NO_AUTOMOUNT, 0x7ff, buf2))
	require.Equal(t, uint16(fs.S_IFCHR), binary.LittleEndian.Uint16(u.peek(buf2+28, 2))&fs.S_IFMT)
	require.Equal(t, errno(abi.EINVAL), u.int80(383, 1, pathBuf, 0x6000, 0x7ff, buf2), "both sync types")
	require.Equal(t, errno(abi.EINVAL), u.int80(383, 1, pathBuf, fs.AT_EMPTY_PATH, 0x80000000, buf2), "reserved mask bit")
}

func TestConsoleIsATerminalForBothABIs(t *testing.T) {
	for _, ia32 := range []bool{false, true} {
		u, _ := newUser(t, ia32)
		call := u.syscall
		if ia32 {
			call = u.int80
		}
		ioctl := uint64(16)
		if ia32 {
			ioctl = 54
		}
		require.Equal(t, int64(0), call(ioctl, 1, fs.TCGETS, buf), "TCGETS")
		require.Equal(t, int64(0), call(ioctl, 1, fs.TIOCGWINSZ, buf), "TIOCGWINSZ")
		require.Equal(t, errno(abi.EBADF), call(ioctl, 0xffffffff, 0, 0x4d2), "ioctl(-1, 0, 1234)")
		if !ia32 {
			require.Equal(t, int64(0), u.syscall(262, 1, u.str(pathBuf, ""), buf, fs.AT_EMPTY_PATH), "glibc's newfstatat")
			require.Equal(t, uint32(fs.S_IFCHR), u.u32(buf+24)&fs.S_IFMT)
		}
	}
}

func TestMemoryCalls(t *testing.T) {
	u, _ := newUser(t, false)
	b0 := u.syscall(12, 0)
	require.Greater(t, b0, int64(0))
	require.Equal(t, b0+0x21000, u.syscall(12, uint64(b0)+0x21000), "brk grows")
	require.Equal(t, b0+0x21000, u.syscall(12, 1<<60), "a failed brk returns the old break")
	a := u.syscall(9, 0, 8192, 3, 0x22, 0xffffffff, 0)
	require.Greater(t, a, int64(0))
	u.poke(uint64(a), []byte{1, 2, 3})
	require.Equal(t, errno(abi.EINVAL), u.syscall(9, 0, 8192, 3, 0x22, 0xffffffff, 1), "unaligned offset")
	require.Equal(t, errno(abi.EINVAL), u.syscall(9, 0, 0, 3, 0x22, 0xffffffff, 0), "zero length")
	require.Equal(t, errno(abi.EBADF), u.syscall(9, 0, 4096, 3, 0x02, 99, 0), "file map of a bad fd")
	require.Equal(t, int64(0), u.syscall(10, uint64(a), 4096, 1), "mprotect")
	require.Equal(t, errno(abi.EINVAL), u.syscall(10, uint64(a), 4096, 0x100), "unknown prot bit")
	require.Equal(t, int64(0), u.syscall(11, uint64(a), 8192))
	require.Equal(t, errno(abi.EINVAL), u.syscall(11, uint64(a)+1, 4096))
}

func TestI386Mmap2AndOldMmap(t *testing.T) {
	u, _ := newUser(t, true)
	a := uint32(u.int80(192, 0, 4096, 3, 0x22, 0xffffffff, 0))
	require.Greater(t, a, uint32(0x10000000))
	require.Less(t, a, uint32(0xffffe000), "below the compat TASK_SIZE")
	args := make([]byte, 24)
	for i, v := range []uint32{0, 4096, 3, 0x22, 0xffffffff, 0} {
		binary.LittleEndian.PutUint32(args[4*i:], v)
	}
	u.poke(buf, args)
	require.Less(t, uint32(u.int80(90, buf)), uint32(0xffffe000))
	binary.LittleEndian.PutUint32(args[20:], 100)
	u.poke(buf, args)
	require.Equal(t, errno(abi.EINVAL), u.int80(90, buf), "old mmap with an unaligned offset")
	require.Equal(t, errno(abi.EFAULT), u.int80(90, 0))
}

func TestArchPrctl(t *testing.T) {
	u, _ := newUser(t, false)
	tests := []struct {
		name       string
		code, addr uint64
		want       int64
	}{
		{"set fs", archSetFS, 0x7f0000001000, 0},
		{"fs at TASK_SIZE_MAX", archSetFS, 1<<47 - 4096, errno(abi.EPERM)},
		{"kernel address", archSetGS, 0xffff880000000000, errno(abi.EPERM)},
		{"get fs into bad memory", archGetFS, 0, errno(abi.EFAULT)},
		{"unknown option", 0x1234, 0, errno(abi.EINVAL)},
		{"cpuid enabled", archGetCPUID, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { require.Equal(t, tc.want, u.syscall(158, tc.code, tc.addr)) })
	}
	require.Equal(t, uint64(0x7f0000001000), u.regs.FSBase)
	require.Equal(t, int64(0), u.syscall(158, archGetFS, buf))
	require.Equal(t, uint64(0x7f0000001000), u.u64(buf))
}

// userDescBytes builds struct user_desc.
func userDescBytes(entry int32, base, limit, flags uint32) []byte {
	b := make([]byte, 16)
	binary.LittleEndian.PutUint32(b, uint32(entry))
	binary.LittleEndian.PutUint32(b[4:], base)
	binary.LittleEndian.PutUint32(b[8:], limit)
	binary.LittleEndian.PutUint32(b[12:], flags)
	return b
}

func TestSetThreadAreaAllocatesSlots12To14(t *testing.T) {
	u, _ := newUser(t, true)
	const glibcFlags = 0x51 // seg_32bit | limit_in_pages | useable
	for i, want := range []uint32{12, 13, 14} {
		u.poke(buf, userDescBytes(-1, 0x1000*uint32(i+1), 0xfffff, glibcFlags))
		require.Equal(t, int64(0), u.int80(243, buf))
		require.Equal(t, want, u.u32(buf), "entry_number written back")
	}
	u.poke(buf, userDescBytes(-1, 0x5000, 0xfffff, glibcFlags))
	require.Equal(t, errno(abi.ESRCH), u.int80(243, buf), "no free slot")
	d := u.regs.TLS[0]
	require.NotZero(t, d&(1<<47), "present")
	require.Equal(t, uint64(3), d>>45&3, "DPL 3")
	tests := []struct {
		name string
		desc []byte
		want int64
	}{
		{"slot below the TLS range", userDescBytes(11, 0, 0xfffff, glibcFlags), errno(abi.EINVAL)},
		{"slot above the TLS range", userDescBytes(15, 0, 0xfffff, glibcFlags), errno(abi.EINVAL)},
		{"16-bit segment", userDescBytes(12, 0, 0xfffff, 0x50), errno(abi.EINVAL)},
		{"code segment", userDescBytes(12, 0, 0xfffff, 0x51|2<<1), errno(abi.EINVAL)},
		{"not present", userDescBytes(12, 0, 0xfffff, 0x51|1<<5), errno(abi.EINVAL)},
		{"empty descriptor clears", userDescBytes(13, 0, 0, 1<<3|1<<5), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u.poke(buf, tc.desc)
			require.Equal(t, tc.want, u.int80(243, buf))
		})
	}
	require.Zero(t, u.regs.TLS[1])
	require.Equal(t, errno(abi.EFAULT), u.int80(243, 0))
	u.poke(buf, userDescBytes(12, 0, 0, 0))
	require.Equal(t, int64(0), u.int80(244, buf), "get_thread_area")
	require.Equal(t, userDescBytes(12, 0x1000, 0xfffff, glibcFlags), u.peek(buf, 16))
	u.poke(buf, userDescBytes(3, 0, 0, 0))
	require.Equal(t, errno(abi.EINVAL), u.int80(244, buf))
}

func TestStartupCallsOfStaticLibcs(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(u.task.tid), u.syscall(218, buf), "set_tid_address returns the tid")
	require.Equal(t, int64(0), u.syscall(273, buf, 24), "set_robust_list")
	require.Equal(t, errno(abi.EINVAL), u.syscall(273, buf, 12))
	require.Equal(t, int64(0), u.syscall(302, 0, rlimitStack, 0, buf), "prlimit64(RLIMIT_STACK)")
	require.Equal(t, uint64(8<<20), u.u64(buf))
	require.Equal(t, ^uint64(0), u.u64(buf+8))
	require.Equal(t, int64(len("/bin/usertest")), u.syscall(89, u.str(pathBuf, "/proc/self/exe"), buf, 100))
	require.Equal(t, "/bin/usertest", string(u.peek(buf, 13)))
	require.Equal(t, int64(8), u.syscall(318, buf, 8, grndNonblock), "getrandom")
	require.Equal(t, errno(abi.EINVAL), u.syscall(318, buf, 8, 8))
	require.Equal(t, int64(0), u.syscall(63, buf), "uname")
	require.Equal(t, "Linux", strings.TrimRight(string(u.peek(buf, 65)), "\x00"))
	require.Equal(t, "x86_64", strings.TrimRight(string(u.peek(buf+4*65, 65)), "\x00"))
	require.Equal(t, int64(0), u.syscall(102), "getuid: root")
	require.Equal(t, int64(0), u.syscall(110), "getppid: started by the kernel")
	require.Equal(t, errno(abi.ECHILD), u.syscall(61, 0xffffffff, 0, 0, 0), "wait4 without children")
	require.Equal(t, errno(abi.EINVAL), u.syscall(61, 0xffffffff, 0, 0x100, 0), "wait4 unknown option")
	require.Equal(t, int64(0), u.syscall(24), "sched_yield")
}

func TestI386StartupCalls(t *testing.T) {
	u, _ := newUser(t, true)
	require.Equal(t, int64(0), u.int80(311, buf, 12), "compat set_robust_list takes 12 bytes")
	require.Equal(t, errno(abi.EINVAL), u.int80(311, buf, 24))
	require.Equal(t, int64(0), u.int80(191, rlimitStack, buf), "ugetrlimit")
	require.Equal(t, uint32(8<<20), u.u32(buf))
	require.Equal(t, uint32(0xffffffff), u.u32(buf+4), "RLIM_INFINITY as COMPAT_RLIM_INFINITY")
	require.Equal(t, int64(0), u.int80(76, rlimitStack, buf), "old getrlimit")
	require.Equal(t, uint32(0x7fffffff), u.u32(buf+4))
	require.Equal(t, int64(0), u.int80(24), "getuid16")
	require.Equal(t, int64(0), u.int80(199), "getuid32")
	require.Equal(t, errno(abi.EINVAL), u.int80(384, archSetFS, 0), "compat arch_prctl has no ARCH_SET_FS")
}

func TestRlimitRules(t *testing.T) {
	u, _ := newUser(t, false)
	lim := func(cur, max uint64) uint64 {
		b := make([]byte, 16)
		binary.LittleEndian.PutUint64(b, cur)
		binary.LittleEndian.PutUint64(b[8:], max)
		u.poke(buf2, b)
		return buf2
	}
	require.Equal(t, errno(abi.EINVAL), u.syscall(160, 99, lim(1, 1)), "unknown resource")
	require.Equal(t, errno(abi.EINVAL), u.syscall(160, rlimitNofile, lim(10, 5)), "cur > max")
	require.Equal(t, errno(abi.EPERM), u.syscall(160, rlimitNofile, lim(10, 1<<21)), "max > nr_open")
	require.Equal(t, errno(abi.EFAULT), u.syscall(160, rlimitNofile, 0))
	require.Equal(t, int64(0), u.syscall(160, rlimitNofile, lim(3, 3)))
	require.Equal(t, errno(abi.EMFILE), u.syscall(32, 1), "dup past RLIMIT_NOFILE")
	require.Equal(t, errno(abi.ESRCH), u.syscall(302, 99999, rlimitNofile, 0, buf))
}

func TestDescriptorCalls(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, errno(abi.EINVAL), u.syscall(292, 1, 1, 0), "dup3 same fd")
	require.Equal(t, errno(abi.EINVAL), u.syscall(292, 1, 5, fs.O_NONBLOCK), "dup3 flags")
	require.Equal(t, int64(5), u.syscall(33, 1, 5), "dup2")
	require.Equal(t, int64(3), u.syscall(32, 1), "dup takes the lowest free fd")
	require.Equal(t, int64(0), u.syscall(293, buf, fs.O_CLOEXEC), "pipe2")
	r, w := u.u32(buf), u.u32(buf+4)
	require.Equal(t, []uint32{4, 6}, []uint32{r, w})
	u.poke(buf2, []byte("ping"))
	require.Equal(t, int64(4), u.syscall(1, uint64(w), buf2, 4))
	require.Equal(t, int64(4), u.syscall(0, uint64(r), buf2+100, 100), "a pipe read returns what is there")
	require.Equal(t, errno(abi.ESPIPE), u.syscall(17, uint64(r), buf2, 1, 0), "pread on a pipe")
	require.Equal(t, int64(1), u.syscall(72, uint64(r), fs.F_GETFD, 0), "close-on-exec from pipe2")
	require.Equal(t, errno(abi.EFAULT), u.syscall(22, 0), "pipe to NULL")
	require.Equal(t, int64(7), u.syscall(290, 0, 0), "eventfd2")
	require.Equal(t, errno(abi.EINVAL), u.syscall(290, 0, 0x1234))
	require.Equal(t, int64(8), u.syscall(291, 0), "epoll_create1")
	ev := make([]byte, 12)
	binary.LittleEndian.PutUint32(ev, uint32(fs.EPOLLIN))
	binary.LittleEndian.PutUint64(ev[4:], 0xfeed)
	u.poke(buf, ev)
	require.Equal(t, int64(0), u.syscall(233, 8, fs.EPOLL_CTL_ADD, uint64(r), buf))
	require.Equal(t, int64(0), u.syscall(232, 8, buf2, 4, 0), "nothing ready")
	require.Equal(t, int64(1), u.syscall(1, uint64(w), buf2, 1))
	require.Equal(t, int64(1), u.syscall(232, 8, buf2, 4, 0))
	require.Equal(t, uint64(0xfeed), u.u64(buf2+4), "packed 12-byte epoll_event")
	require.Equal(t, errno(abi.EINVAL), u.syscall(232, 8, buf2, 0, 0), "maxevents 0")
	require.Equal(t, int64(0), u.syscall(233, 8, fs.EPOLL_CTL_DEL, uint64(r), 0), "DEL takes NULL")
}

func TestDirectoryCalls(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.syscall(83, u.str(pathBuf, "/d"), 0o755))
	require.Equal(t, errno(abi.EEXIST), u.syscall(83, pathBuf, 0o755))
	for _, n := range []string{"/d/a", "/d/bb", "/d/ccc"} {
		fd := u.syscall(2, u.str(pathBuf, n), fs.O_CREAT|fs.O_WRONLY, 0o644)
		require.GreaterOrEqual(t, fd, int64(3))
		u.syscall(3, uint64(fd))
	}
	require.Equal(t, int64(0), u.syscall(80, u.str(pathBuf, "/d")), "chdir")
	require.Equal(t, int64(3), u.syscall(79, buf, 100), "getcwd returns the length with NUL")
	require.Equal(t, "/d\x00", string(u.peek(buf, 3)))
	require.Equal(t, errno(abi.ERANGE), u.syscall(79, buf, 2))
	fd := u.syscall(257, 0xffffff9c, u.str(pathBuf, "."), fs.O_RDONLY|fs.O_DIRECTORY, 0)
	require.Equal(t, errno(abi.EINVAL), u.syscall(217, uint64(fd), buf, 10), "buffer too small for one record")
	var names []string
	for {
		n := u.syscall(217, uint64(fd), buf, 48) // two short records at most
		require.GreaterOrEqual(t, n, int64(0))
		if n == 0 {
			break
		}
		b := u.peek(buf, int(n))
		for off := 0; off < len(b); {
			reclen := int(binary.LittleEndian.Uint16(b[off+16:]))
			names = append(names, strings.TrimRight(string(b[off+19:off+reclen]), "\x00"))
			off += reclen
		}
	}
	require.Equal(t, []string{".", "..", "a", "bb", "ccc"}, names)
	require.Equal(t, errno(abi.ENOTDIR), u.syscall(217, 1, buf, 100))
	require.Equal(t, int64(0), u.syscall(87, u.str(pathBuf, "a")), "unlink relative to cwd")
	require.Equal(t, errno(abi.EINVAL), u.syscall(263, 0xffffff9c, u.str(pathBuf, "bb"), 1), "unlinkat flags")
	require.Equal(t, errno(abi.EACCES), u.syscall(21, u.str(pathBuf, "bb"), 1), "X_OK on a 0644 file")
	require.Equal(t, int64(0), u.syscall(21, pathBuf, 4), "R_OK")
	require.Equal(t, errno(abi.EINVAL), u.syscall(21, pathBuf, 8), "bad mode")
	require.Equal(t, errno(abi.EINVAL), u.syscall(89, pathBuf, buf, 0), "readlink bufsiz 0")
	require.Equal(t, int64(0), u.syscall(82, pathBuf, pathBuf), "rename onto itself does nothing")
}

func TestTimeCalls(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.syscall(228, clockRealtime, buf))
	require.Equal(t, uint64(1700000000), u.u64(buf))
	require.Equal(t, uint64(123456789), u.u64(buf+8))
	require.Equal(t, int64(0), u.syscall(228, clockMonotonic, buf))
	require.Equal(t, errno(abi.EINVAL), u.syscall(228, 99, buf))
	require.Equal(t, errno(abi.EINVAL), u.syscall(228, 0xffffffff, buf), "negative clock id")
	require.Equal(t, errno(abi.EFAULT), u.syscall(228, clockRealtime, 0))
	require.Equal(t, int64(0), u.syscall(96, buf, buf+16), "gettimeofday")
	require.Equal(t, uint64(123456), u.u64(buf+8))
	require.Equal(t, int64(1700000000), u.syscall(201, 0), "time(NULL)")
	ts := make([]byte, 16)
	binary.LittleEndian.PutUint64(ts[8:], 1000000000)
	u.poke(buf, ts)
	require.Equal(t, errno(abi.EINVAL), u.syscall(35, buf, 0), "tv_nsec = 1e9")
	binary.LittleEndian.PutUint64(ts[8:], 1000)
	u.poke(buf, ts)
	require.Equal(t, int64(0), u.syscall(35, buf, 0), "nanosleep 1µs")
	require.Equal(t, errno(abi.EOPNOTSUPP), u.syscall(230, clockMonotonicRaw, 0, buf, 0))
	require.Equal(t, int64(0), u.syscall(230, clockMonotonic, 0, buf, 0))

	u32, _ := newUser(t, true)
	require.Equal(t, int64(0), u32.int80(265, clockRealtime, buf), "clock_gettime time32")
	require.Equal(t, uint32(1700000000), u32.u32(buf))
	require.Equal(t, uint32(123456789), u32.u32(buf+4))
	require.Equal(t, int64(0), u32.int80(403, clockRealtime, buf), "clock_gettime64")
	require.Equal(t, uint64(1700000000), u32.u64(buf))
	require.Equal(t, int64(0), u32.int80(78, buf, 0), "compat gettimeofday")
	require.Equal(t, uint32(123456), u32.u32(buf+4))
}

// clock_gettime and gettimeofday read the clocks at the trap that began
// the call (sys_time.go: clockGettime): a trap stamped 30 ms before the
// kernel sees it gets the stamp back, not the time of the handler.
func TestClockReadsAreTheTrapsTime(t *testing.T) {
	u, tk := newUser(t, false)
	tk.fixedNow = false // the wall clock runs (newTestKernel fixes it)
	call := func(nr, a0, a1 uint64) (stamp int64) {
		r := u.regs
		r.RAX, r.RDI, r.RSI = nr, a0, a1
		r.RIP += 2
		stamp = testMono()
		time.Sleep(30 * time.Millisecond)
		u.trap(amd64.TrapInfo{Kind: amd64.TrapSyscall, Time: stamp})
		require.Zero(t, u.regs.RAX)
		return stamp
	}
	ts := func(at uint64) int64 { return int64(u.u64(at))*nsecPerSec + int64(u.u64(at+8)) }
	stamp := call(228, clockMonotonic, buf)
	require.Equal(t, stamp, ts(buf), "CLOCK_MONOTONIC")
	stamp = call(228, clockBoottime, buf)
	require.Equal(t, stamp, ts(buf), "CLOCK_BOOTTIME")
	stamp = call(228, clockRealtime, buf)
	require.Equal(t, tk.wallBase+stamp, ts(buf), "CLOCK_REALTIME")
	stamp = call(96, buf, 0)
	require.Equal(t, (tk.wallBase+stamp)/1000, int64(u.u64(buf))*1000000+int64(u.u64(buf+8)), "gettimeofday")

	// Outside a system call's trap (the kernel's own reads) the clock is now.
	before := testMono()
	n, err := u.task.clockNow(clockMonotonic)
	require.NoError(t, err)
	require.GreaterOrEqual(t, n, before)
}

func TestBlockedCallIsInterruptedBySignal(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.syscall(22, buf))
	r := u.u32(buf)
	u.regs.RAX, u.regs.RDI, u.regs.RSI, u.regs.RDX = 0, uint64(r), buf2, 10
	u.cpu.trap <- amdSyscall
	u.task.interruptSyscall() // a signal arrives while read blocks
	u.wait()
	require.Equal(t, errno(abi.EINTR), int64(u.regs.RAX))
	require.Equal(t, int64(u.p.pid), u.syscall(39), "the task goes on")
}

var amdSyscall = amd64.TrapInfo{Kind: amd64.TrapSyscall}

// A segment register that holds a TLS selector takes the new base when
// set_thread_area rewrites its descriptor (Linux reloads it at once); one
// that holds another selector keeps its base.
func TestSetThreadAreaMovesTheBaseOfALoadedSelector(t *testing.T) {
	u, _ := newUser(t, true)
	const glibcFlags = 0x51
	u.poke(buf, userDescBytes(12, 0x12345678, 0xfffff, glibcFlags))
	require.Equal(t, int64(0), u.int80(243, buf))
	u.poke(buf, userDescBytes(13, 0x9abc0000, 0xfffff, glibcFlags))
	require.Equal(t, int64(0), u.int80(243, buf))

	u.regs.GS, u.regs.GSBase = 12<<3|3, 0x12345678 // as the exit reads it back
	u.regs.FS, u.regs.FSBase = 13<<3|3, 0x9abc0000
	u.poke(buf, userDescBytes(12, 0xf00d0000, 0xfffff, glibcFlags))
	require.Equal(t, int64(0), u.int80(243, buf))
	require.Equal(t, uint64(0xf00d0000), u.regs.GSBase, "GS holds slot 12: its base follows")
	require.Equal(t, uint64(0x9abc0000), u.regs.FSBase, "FS holds slot 13: unchanged")

	u.poke(buf, userDescBytes(13, 0, 0, 1<<3|1<<5)) // empty: clears slot 13
	require.Equal(t, int64(0), u.int80(243, buf))
	require.Zero(t, u.regs.FSBase, "a cleared descriptor loads as null")
}

func TestSegmentBase(t *testing.T) {
	var r amd64.UserRegs
	r.TLS[0] = userDesc{base: 0xdeadbeef, limit: 0xfffff, seg32: 1, limitInPages: 1, useable: 1}.descriptor()
	r.TLS[2] = userDesc{base: 0x1000, limit: 0xfffff, seg32: 1, notPresent: 1}.descriptor()
	for _, tc := range []struct {
		sel  uint16
		want uint64
	}{
		{12<<3 | 3, 0xdeadbeef},
		{12 << 3, 0},       // RPL 0: the nucleus nulls it
		{12<<3 | 4 | 3, 0}, // LDT
		{13<<3 | 3, 0},     // empty slot
		{14<<3 | 3, 0},     // not present
		{amd64.UserDS, 0},  // flat
		{0, 0},             // null
		{11<<3 | 3, 0},     // below the TLS slots
	} {
		require.Equal(t, tc.want, segmentBase(&r, tc.sel), "selector %#x", tc.sel)
	}
}
