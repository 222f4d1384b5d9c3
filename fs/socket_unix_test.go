package fs

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
)

// socketpair makes an AF_UNIX stream pair or fails the test.
func socketpair(t testing.TB, v *VFS, c *Caller, flags int) (int, int) {
	sv, err := v.Socketpair(c, AF_UNIX, SOCK_STREAM|flags, 0)
	require.Equal(t, abi.Errno(0), err)
	return sv[0], sv[1]
}

// pollFd is vfs_poll(file, NULL) on a descriptor.
func pollFd(t testing.TB, c *Caller, fd int) PollMask {
	f, err := c.Files.Fget(fd)
	require.Equal(t, abi.Errno(0), err)
	defer f.DecRef()
	return f.Op.(Poller).Poll(f, nil)
}

func TestSocketpairArgumentErrors(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		family, typ, protocol int
		want                  abi.Errno
	}{
		{"unknown type flag", AF_UNIX, SOCK_STREAM | 0x10, 0, abi.EINVAL},
		{"negative type", AF_UNIX, -1, 0, abi.EINVAL},
		{"O_APPEND is not a socket flag", AF_UNIX, SOCK_STREAM | O_APPEND, 0, abi.EINVAL},
		{"AF_INET not built in", AF_INET, SOCK_STREAM, 0, abi.EAFNOSUPPORT},
		{"AF_INET6 not built in", AF_INET6, SOCK_STREAM, 0, abi.EAFNOSUPPORT},
		{"negative family", -1, SOCK_STREAM, 0, abi.EAFNOSUPPORT},
		{"family AF_MAX", AF_MAX, SOCK_STREAM, 0, abi.EAFNOSUPPORT},
		{"huge family", 1 << 30, SOCK_STREAM, 0, abi.EAFNOSUPPORT},
		{"type >= SOCK_MAX before family lookup", AF_INET, 12, 0, abi.EINVAL},
		{"family range before type", 99, 12, 0, abi.EAFNOSUPPORT},
		{"AF_UNIX type 0", AF_UNIX, 0, 0, abi.ESOCKTNOSUPPORT},
		{"AF_UNIX SOCK_RDM", AF_UNIX, SOCK_RDM, 0, abi.ESOCKTNOSUPPORT},
		{"AF_UNIX SOCK_PACKET", AF_UNIX, SOCK_PACKET, 0, abi.ESOCKTNOSUPPORT},
		{"AF_UNIX type 15", AF_UNIX, 15, 0, abi.EINVAL},
		{"AF_UNIX SOCK_DGRAM not in Ringo", AF_UNIX, SOCK_DGRAM, 0, abi.EOPNOTSUPP},
		{"AF_UNIX SOCK_SEQPACKET not in Ringo", AF_UNIX, SOCK_SEQPACKET, 0, abi.EOPNOTSUPP},
		{"AF_UNIX SOCK_RAW (an alias of DGRAM)", AF_UNIX, SOCK_RAW, 0, abi.EOPNOTSUPP},
		{"protocol 2", AF_UNIX, SOCK_STREAM, 2, abi.EPROTONOSUPPORT},
		{"negative protocol", AF_UNIX, SOCK_STREAM, -1, abi.EPROTONOSUPPORT},
		{"protocol check before type", AF_UNIX, SOCK_DGRAM, 7, abi.EPROTONOSUPPORT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, c, _ := newTestVFS(t)
			sv, err := v.Socketpair(c, tc.family, tc.typ, tc.protocol)
			require.Equal(t, tc.want, err, "socketpair")
			require.Equal(t, [2]int{-1, -1}, sv)
			fd, err := v.Socket(c, tc.family, tc.typ, tc.protocol)
			require.Equal(t, tc.want, err, "socket")
			require.Equal(t, -1, fd)
			require.Empty(t, c.Files.OpenFds(), "no descriptor leaks")
			require.Zero(t, v.SocketsInUse(), "no socket leaks")
		})
	}
}

func TestSocketpairProtocolPFUnixIsAccepted(t *testing.T) {
	v, c, _ := newTestVFS(t)
	_, err := v.Socketpair(c, AF_LOCAL, SOCK_STREAM, PF_UNIX)
	require.Equal(t, abi.Errno(0), err)
	require.EqualValues(t, 2, v.SocketsInUse())
}

func TestSocketpairEMFILE(t *testing.T) {
	for _, tc := range []struct {
		name   string
		nofile uint64
		family int
		want   abi.Errno
	}{
		{"no slot", 0, AF_UNIX, abi.EMFILE},
		{"one slot", 1, AF_UNIX, abi.EMFILE},
		{"descriptors come before the family", 1, AF_INET, abi.EMFILE},
		{"two slots", 2, AF_UNIX, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, c, _ := newTestVFS(t)
			c.NoFile = tc.nofile
			_, err := v.Socketpair(c, tc.family, SOCK_STREAM, 0)
			require.Equal(t, tc.want, err)
			if err != 0 {
				require.Empty(t, c.Files.OpenFds(), "the first reservation is given back")
				require.Zero(t, v.SocketsInUse())
			}
		})
	}
}

func TestSocketCreatesBeforeReservingAnFd(t *testing.T) {
	v, c, _ := newTestVFS(t)
	c.NoFile = 0
	_, err := v.Socket(c, AF_INET, SOCK_STREAM, 0)
	require.Equal(t, abi.EAFNOSUPPORT, err, "family error wins over EMFILE")
	_, err = v.Socket(c, AF_UNIX, SOCK_STREAM, 0)
	require.Equal(t, abi.EMFILE, err)
	require.Zero(t, v.SocketsInUse(), "the created socket is released")
}

func TestSocketpairFlags(t *testing.T) {
	for _, tc := range []struct {
		name      string
		flags     int
		wantFL    int64
		wantCloex bool
	}{
		{"none", 0, O_RDWR, false},
		{"SOCK_NONBLOCK", SOCK_NONBLOCK, O_RDWR | O_NONBLOCK, false},
		{"SOCK_CLOEXEC", SOCK_CLOEXEC, O_RDWR, true},
		{"both", SOCK_NONBLOCK | SOCK_CLOEXEC, O_RDWR | O_NONBLOCK, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, c, _ := newTestVFS(t)
			a, b := socketpair(t, v, c, tc.flags)
			for _, fd := range []int{a, b} {
				fl, err := Fcntl(c, fd, F_GETFL, 0)
				require.Equal(t, abi.Errno(0), err)
				require.Equal(t, tc.wantFL, fl)
				require.Equal(t, tc.wantCloex, c.Files.IsCloseOnExec(fd))
			}
			fd, err := v.Socket(c, AF_UNIX, SOCK_STREAM|tc.flags, 0)
			require.Equal(t, abi.Errno(0), err)
			fl, _ := Fcntl(c, fd, F_GETFL, 0)
			require.Equal(t, tc.wantFL, fl)
			require.Equal(t, tc.wantCloex, c.Files.IsCloseOnExec(fd))
		})
	}
}

func TestSocketpairFstatAndProcLink(t *testing.T) {
	proc := &fakeProc{pid: 7}
	v := NewVFS(Config{Proc: fakeSources{proc}})
	c := v.NewCaller()
	c.Mem = &fakeMem{}
	c.Proc = proc
	proc.files = c.Files
	a, b := socketpair(t, v, c, 0)

	sa, err := Fstat(c, a)
	require.Equal(t, abi.Errno(0), err)
	sb, _ := Fstat(c, b)
	require.EqualValues(t, S_IFSOCK|0o777, sa.Mode)
	require.NotEqual(t, sa.Ino, sb.Ino, "one sockfs inode per socket")
	require.Equal(t, sa.Dev, sb.Dev, "both on sockfs")
	require.EqualValues(t, 1, sa.Nlink)
	require.EqualValues(t, 0, sa.Size)
	require.EqualValues(t, 4096, sa.Blksize)

	link, err := v.Readlinkat(c, AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", a), 64)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, fmt.Sprintf("socket:[%d]", sa.Ino), link)
	_, err = v.Openat(c, AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", b), O_RDWR, 0)
	require.Equal(t, abi.ENXIO, err, "a socket cannot be reopened through /proc")
	info := readAll(t, v, c, fmt.Sprintf("/proc/self/fdinfo/%d", a))
	require.Contains(t, info, "flags:\t02")
	require.Contains(t, info, "scm_fds: 0\n")
}

func TestSocketpairRoundTripBothDirections(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, b := socketpair(t, v, c, 0)
	for _, dir := range [][2]int{{a, b}, {b, a}} {
		msg := []byte(fmt.Sprintf("hello from %d", dir[0]))
		n, err := Write(c, dir[0], msg)
		require.Equal(t, abi.Errno(0), err)
		require.Equal(t, len(msg), n)
		buf := make([]byte, 64)
		n, err = Read(c, dir[1], buf)
		require.Equal(t, abi.Errno(0), err)
		require.Equal(t, msg, buf[:n])
	}
	// writev/readv: a stream keeps no boundaries.
	n, err := Writev(c, a, [][]byte{[]byte("ab"), nil, []byte("cde")})
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, 5, n)
	x, y := make([]byte, 4), make([]byte, 4)
	n, err = Readv(c, b, [][]byte{x, y})
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, 5, n)
	require.Equal(t, "abcde", string(x)+string(y[:1]))
	n, err = Read(c, b, nil)
	require.Equal(t, abi.Errno(0), err, "a zero-length read returns 0 at once")
	require.Zero(t, n)
}

func TestSocketpairLargeTransferKeepsByteOrder(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, b := socketpair(t, v, c, 0)
	src := make([]byte, 3<<20) // many times sk_sndbuf: the writer must block
	for i := range src {
		src[i] = byte(i * 7 / 3)
	}
	done := make(chan abi.Errno)
	go func() {
		n, err := Write(c, a, src)
		if n != len(src) {
			err = abi.EIO
		}
		done <- err
	}()
	got := make([]byte, 0, len(src))
	buf := make([]byte, 5000) // not a multiple of a page
	for len(got) < len(src) {
		n, err := Read(c, b, buf)
		require.Equal(t, abi.Errno(0), err)
		got = append(got, buf[:n]...)
	}
	require.Equal(t, abi.Errno(0), <-done)
	require.True(t, bytes.Equal(src, got))
}

func TestSocketpairBlockingReadIsWokenByWrite(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, b := socketpair(t, v, c, 0)
	got := make(chan string)
	go func() {
		buf := make([]byte, 16)
		n, _ := Read(c, b, buf)
		got <- string(buf[:n])
	}()
	time.Sleep(10 * time.Millisecond)
	select {
	case s := <-got:
		t.Fatalf("read returned %q before any write", s)
	default:
	}
	Write(c, a, []byte("wake"))
	require.Equal(t, "wake", <-got)
}

func TestSocketpairBlockingReadIsInterrupted(t *testing.T) {
	v, c, _ := newTestVFS(t)
	_, b := socketpair(t, v, c, 0)
	intr := make(chan struct{})
	c.Interrupt = intr
	go func() { time.Sleep(5 * time.Millisecond); close(intr) }()
	_, err := Read(c, b, make([]byte, 1))
	require.Equal(t, abi.ERESTARTSYS, err)
}

func TestSocketpairEOFAfterPeerClose(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, b := socketpair(t, v, c, 0)
	Write(c, a, []byte("last"))
	require.Equal(t, abi.Errno(0), c.Files.Close(a))
	buf := make([]byte, 16)
	n, err := Read(c, b, buf)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, "last", string(buf[:n]), "queued data survives the close")
	for i := 0; i < 2; i++ {
		n, err = Read(c, b, buf)
		require.Equal(t, abi.Errno(0), err)
		require.Zero(t, n, "EOF, every time")
	}
}

func TestSocketpairBlockedReaderSeesEOFWhenPeerCloses(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, b := socketpair(t, v, c, 0)
	res := make(chan [2]int)
	go func() {
		n, err := Read(c, b, make([]byte, 4))
		res <- [2]int{n, int(err)}
	}()
	time.Sleep(5 * time.Millisecond)
	c.Files.Close(a)
	require.Equal(t, [2]int{0, 0}, <-res)
}

func TestSocketpairWriteAfterPeerCloseIsEPIPE(t *testing.T) {
	v, c, _ := newTestVFS(t)
	sigs := 0
	c.SendSig = func(sig int) { require.Equal(t, abi.SIGPIPE, sig); sigs++ }
	a, b := socketpair(t, v, c, 0)
	c.Files.Close(b)
	for i, size := range []int{1, 0, 100000} {
		_, err := Write(c, a, make([]byte, size))
		require.Equal(t, abi.EPIPE, err, "write of %d bytes", size)
		require.Equal(t, i+1, sigs, "and SIGPIPE (unix_stream_sendmsg's pipe_err)")
	}
}

func TestSocketpairPeerClosingWithUnreadDataIsECONNRESET(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, b := socketpair(t, v, c, SOCK_NONBLOCK)
	Write(c, b, []byte("never read"))
	Write(c, a, []byte("for b"))
	c.Files.Close(a) // a goes with b's bytes unread
	require.NotZero(t, pollFd(t, c, b)&EPOLLERR)
	buf := make([]byte, 16)
	n, err := Read(c, b, buf)
	require.Equal(t, abi.Errno(0), err, "queued data first")
	require.Equal(t, "for b", string(buf[:n]))
	_, err = Read(c, b, buf)
	require.Equal(t, abi.ECONNRESET, err, "then the error, once")
	n, err = Read(c, b, buf)
	require.Equal(t, abi.Errno(0), err)
	require.Zero(t, n, "then EOF")
	require.Zero(t, pollFd(t, c, b)&EPOLLERR)
}

// waitQueued waits until fd has at least n bytes unread by its peer (SIOCOUTQ).
func waitQueued(t *testing.T, c *Caller, m *fakeMem, fd, n int) {
	for {
		_, err := Ioctl(c, fd, SIOCOUTQ, memBase+64)
		require.Equal(t, abi.Errno(0), err)
		if int(m.i32(memBase+64)) >= n {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSocketpairBlockedWriterGetsECONNRESETWhenReaderCloses(t *testing.T) {
	v, c, m := newTestVFS(t)
	a, b := socketpair(t, v, c, SOCK_NONBLOCK)
	Write(c, a, make([]byte, 1<<20)) // fill the queue without blocking
	Fcntl(c, a, F_SETFL, 0)
	res := make(chan abi.Errno)
	go func() {
		_, err := Write(c, a, []byte("x")) // nothing sent yet: blocks
		res <- err
	}()
	waitQueued(t, c, m, a, unixSndbuf)
	time.Sleep(5 * time.Millisecond)
	c.Files.Close(b) // with a's bytes unread
	require.Equal(t, abi.ECONNRESET, <-res)
	_, err := Write(c, a, []byte("x"))
	require.Equal(t, abi.EPIPE, err, "the error was reported once; now it is shutdown")
}

func TestSocketpairBlockedWriterReturnsTheCountWhenReaderCloses(t *testing.T) {
	v, c, m := newTestVFS(t)
	a, b := socketpair(t, v, c, 0)
	type result struct {
		n   int
		err abi.Errno
	}
	res := make(chan result)
	go func() {
		n, err := Write(c, a, make([]byte, 1<<20)) // blocks with the queue full
		res <- result{n, err}
	}()
	waitQueued(t, c, m, a, unixSndbuf)
	c.Files.Close(b)
	r := <-res
	require.Equal(t, abi.Errno(0), r.err, "bytes already queued are reported, not the error")
	require.GreaterOrEqual(t, r.n, unixSndbuf)
	require.Less(t, r.n, 1<<20)
}

func TestSocketpairNonblockingFlowControl(t *testing.T) {
	v, c, m := newTestVFS(t)
	a, b := socketpair(t, v, c, SOCK_NONBLOCK)
	_, err := Read(c, b, make([]byte, 8))
	require.Equal(t, abi.EAGAIN, err, "empty and O_NONBLOCK")
	require.Equal(t, EPOLLOUT|EPOLLWRNORM|EPOLLWRBAND, pollFd(t, c, a))

	n, err := Write(c, a, make([]byte, 1<<20))
	require.Equal(t, abi.Errno(0), err)
	require.GreaterOrEqual(t, n, unixSndbuf, "room for sk_sndbuf")
	require.Less(t, n, unixSndbuf+unixMaxChunk, "at most one chunk beyond it")
	_, err = Write(c, a, []byte{1})
	require.Equal(t, abi.EAGAIN, err, "full")
	require.Zero(t, pollFd(t, c, a)&EPOLLOUT)

	_, err = Ioctl(c, b, FIONREAD, memBase)
	require.Equal(t, abi.Errno(0), err)
	require.EqualValues(t, n, m.i32(memBase), "FIONREAD/SIOCINQ: unread bytes")
	_, err = Ioctl(c, a, SIOCOUTQ, memBase+4)
	require.Equal(t, abi.Errno(0), err)
	require.EqualValues(t, n, m.i32(memBase+4), "SIOCOUTQ: sent, not yet read")
	_, err = CompatIoctl(c, b, FIONREAD, memBase+8)
	require.Equal(t, abi.Errno(0), err)
	require.EqualValues(t, n, m.i32(memBase+8), "same for 32-bit callers")

	// Writable again only once at most a quarter of sk_sndbuf is queued.
	left := n
	buf := make([]byte, 4096)
	for left*4 > unixSndbuf {
		require.Zero(t, pollFd(t, c, a)&EPOLLOUT, "%d bytes still queued", left)
		r, err := Read(c, b, buf)
		require.Equal(t, abi.Errno(0), err)
		left -= r
	}
	require.NotZero(t, pollFd(t, c, a)&EPOLLOUT)
}

func TestSocketIoctlErrors(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, _ := socketpair(t, v, c, 0)
	for _, tc := range []struct {
		name string
		cmd  uint32
		arg  uintptr
		want abi.Errno
	}{
		{"FIONREAD to a bad pointer", FIONREAD, 8, abi.EFAULT},
		{"SIOCOUTQ to a bad pointer", SIOCOUTQ, 8, abi.EFAULT},
		{"unknown command", 0x1234, memBase, abi.ENOTTY},
		{"tty command", TCGETS, memBase, abi.ENOTTY},
		{"FIONBIO is the VFS's", FIONBIO, memBase, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Ioctl(c, a, tc.cmd, tc.arg)
			require.Equal(t, tc.want, err)
		})
	}
}

func TestSocketSeekPreadMmapAreRefused(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, _ := socketpair(t, v, c, 0)
	_, err := Lseek(c, a, 0, SEEK_CUR)
	require.Equal(t, abi.ESPIPE, err)
	_, err = Pread(c, a, make([]byte, 1), 0)
	require.Equal(t, abi.ESPIPE, err)
	_, err = Pwrite(c, a, make([]byte, 1), 0)
	require.Equal(t, abi.ESPIPE, err)
	_, err = Pread(c, a, make([]byte, 1), -1)
	require.Equal(t, abi.EINVAL, err, "negative offset is checked first")
	f, _ := c.Files.Fget(a)
	defer f.DecRef()
	require.Equal(t, abi.ENODEV, f.Mmap(nil), "sock_no_mmap")
}

func TestShutdownErrors(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, _ := socketpair(t, v, c, 0)
	p, _ := v.Pipe2(c, 0)
	for _, tc := range []struct {
		name    string
		fd, how int
		want    abi.Errno
	}{
		{"bad fd", 99, SHUT_RD, abi.EBADF},
		{"negative fd", -1, SHUT_RD, abi.EBADF},
		{"not a socket", p[0], SHUT_RD, abi.ENOTSOCK},
		{"not a socket beats a bad how", p[0], 7, abi.ENOTSOCK},
		{"how 3", a, 3, abi.EINVAL},
		{"how -1", a, -1, abi.EINVAL},
		{"SHUT_RDWR", a, SHUT_RDWR, 0},
		{"again", a, SHUT_RDWR, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Shutdown(c, tc.fd, tc.how))
		})
	}
}

func TestShutdownDirections(t *testing.T) {
	type io struct{ readA, writeA, readB, writeB abi.Errno }
	for _, tc := range []struct {
		name string
		how  int
		want io // after draining: 0 = EOF for reads / success for writes
	}{
		{"SHUT_WR: our EOF at the peer, our EPIPE", SHUT_WR, io{abi.EAGAIN, abi.EPIPE, 0, 0}},
		{"SHUT_RD: our EOF, the peer's EPIPE", SHUT_RD, io{0, 0, abi.EAGAIN, abi.EPIPE}},
		{"SHUT_RDWR: both", SHUT_RDWR, io{0, abi.EPIPE, 0, abi.EPIPE}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, c, _ := newTestVFS(t)
			a, b := socketpair(t, v, c, SOCK_NONBLOCK)
			require.Equal(t, abi.Errno(0), Shutdown(c, a, tc.how))
			// rd drains fd and reports how the read that found nothing ended:
			// 0 for EOF, EAGAIN for "connected, nothing yet".
			rd := func(fd int) abi.Errno {
				for {
					n, err := Read(c, fd, make([]byte, 8))
					if err != 0 || n == 0 {
						return err
					}
				}
			}
			wr := func(fd int) abi.Errno { _, err := Write(c, fd, []byte("x")); return err }
			got := io{writeA: wr(a), writeB: wr(b)}
			got.readA, got.readB = rd(a), rd(b)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestShutdownPollBits(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, b := socketpair(t, v, c, 0)
	Shutdown(c, a, SHUT_WR)
	require.Equal(t, EPOLLOUT|EPOLLWRNORM|EPOLLWRBAND, pollFd(t, c, a), "only our sending side is shut")
	require.Equal(t, EPOLLRDHUP|EPOLLIN|EPOLLRDNORM|EPOLLOUT|EPOLLWRNORM|EPOLLWRBAND, pollFd(t, c, b))
	Shutdown(c, a, SHUT_RD)
	require.Equal(t, EPOLLHUP|EPOLLRDHUP|EPOLLIN|EPOLLRDNORM|EPOLLOUT|EPOLLWRNORM|EPOLLWRBAND, pollFd(t, c, a))
}

func TestSocketpairEpollReadiness(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, b := socketpair(t, v, c, 0)
	ep, _ := v.EpollCreate1(c, 0)
	require.Equal(t, abi.Errno(0), EpollCtl(c, ep, EPOLL_CTL_ADD, b, EpollEvent{Events: EPOLLIN | EPOLLOUT | EPOLLRDHUP, Data: 42}))
	wait := func() PollMask {
		evs, err := EpollWait(c, ep, 4, 0)
		require.Equal(t, abi.Errno(0), err)
		if len(evs) == 0 {
			return 0
		}
		require.Len(t, evs, 1)
		require.EqualValues(t, 42, evs[0].Data)
		return evs[0].Events
	}
	require.Equal(t, EPOLLOUT, wait(), "connected and empty: writable only")

	// A blocked epoll_wait is woken by the peer's write.
	require.Equal(t, abi.Errno(0), EpollCtl(c, ep, EPOLL_CTL_MOD, b, EpollEvent{Events: EPOLLIN, Data: 42}))
	wrote := make(chan struct{})
	go func() { time.Sleep(5 * time.Millisecond); Write(c, a, []byte("x")); close(wrote) }()
	evs, err := EpollWait(c, ep, 4, 2000)
	require.Equal(t, abi.Errno(0), err)
	require.Len(t, evs, 1)
	require.Equal(t, EPOLLIN, evs[0].Events)
	<-wrote // the writer's file reference is gone: close(a) below is the last one

	require.Equal(t, abi.Errno(0), EpollCtl(c, ep, EPOLL_CTL_MOD, b, EpollEvent{Events: EPOLLIN | EPOLLOUT | EPOLLRDHUP, Data: 42}))
	require.Equal(t, EPOLLIN|EPOLLOUT, wait())
	Read(c, b, make([]byte, 1))
	c.Files.Close(a)
	require.Equal(t, EPOLLIN|EPOLLOUT|EPOLLHUP|EPOLLRDHUP, wait(), "peer gone: EOF readable, hung up")
}

func TestSocketpairCloseReleasesExactlyOnce(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, b := socketpair(t, v, c, SOCK_NONBLOCK)
	require.EqualValues(t, 2, v.SocketsInUse())
	dup, err := c.Files.Dup(a, c.NoFile)
	require.Equal(t, abi.Errno(0), err)
	held, _ := c.Files.Fget(a) // like a thread inside read(2)

	c.Files.Close(a)
	c.Files.Close(dup)
	require.EqualValues(t, 2, v.SocketsInUse(), "a reference is still held")
	_, err = Read(c, b, make([]byte, 1))
	require.Equal(t, abi.EAGAIN, err, "the peer is still connected")

	held.DecRef() // the last reference: sock_close runs now, once
	require.True(t, held.Released())
	require.EqualValues(t, 1, v.SocketsInUse())
	n, err := Read(c, b, make([]byte, 1))
	require.Equal(t, abi.Errno(0), err)
	require.Zero(t, n, "EOF")

	c.Files.Close(b)
	require.Zero(t, v.SocketsInUse())
}

func TestUnboundSocketSemantics(t *testing.T) {
	v, c, m := newTestVFS(t)
	fd, err := v.Socket(c, AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK, 0)
	require.Equal(t, abi.Errno(0), err)
	st, _ := Fstat(c, fd)
	require.EqualValues(t, S_IFSOCK|0o777, st.Mode)
	_, err = Read(c, fd, make([]byte, 1))
	require.Equal(t, abi.EINVAL, err, "read on an unconnected stream socket")
	_, err = Write(c, fd, []byte("x"))
	require.Equal(t, abi.ENOTCONN, err)
	_, err = Write(c, fd, nil)
	require.Equal(t, abi.ENOTCONN, err, "even a zero-length write")
	require.Equal(t, EPOLLOUT|EPOLLWRNORM|EPOLLWRBAND|EPOLLHUP, pollFd(t, c, fd))
	m.b[0] = 0xff
	_, err = Ioctl(c, fd, FIONREAD, memBase)
	require.Equal(t, abi.Errno(0), err)
	require.Zero(t, m.i32(memBase))
	require.Equal(t, abi.Errno(0), Shutdown(c, fd, SHUT_RDWR))
	c.Files.Close(fd)
	require.Zero(t, v.SocketsInUse())
}

// TestSocketpairConcurrentPingPong exercises the pair lock from both
// ends at once, and a close racing with a blocked reader (-race).
func TestSocketpairConcurrentPingPong(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a, b := socketpair(t, v, c, 0)
	const rounds = 2000
	var wg sync.WaitGroup
	echo := func(fd int, first bool) {
		defer wg.Done()
		buf := make([]byte, 8)
		for i := 0; i < rounds; i++ {
			msg := []byte(fmt.Sprintf("%08d", i))
			if first {
				Write(c, fd, msg)
			}
			got := 0
			for got < 8 {
				n, err := Read(c, fd, buf[got:])
				if err != 0 || n == 0 {
					t.Errorf("read: n=%d err=%v", n, err)
					return
				}
				got += n
			}
			if string(buf) != string(msg) {
				t.Errorf("round %d: got %q", i, buf)
				return
			}
			if !first {
				Write(c, fd, msg)
			}
		}
	}
	wg.Add(2)
	go echo(a, true)
	go echo(b, false)
	wg.Wait()

	res := make(chan int)
	go func() { n, _ := Read(c, b, make([]byte, 1)); res <- n }()
	go c.Files.Close(a)
	require.Zero(t, <-res, "EOF for the blocked reader")
}

func TestPipeBufferReuseKeepsTheByteStream(t *testing.T) {
	v, c, _ := newTestVFS(t)
	p, _ := v.Pipe2(c, O_NONBLOCK)
	var want, got []byte
	seq := byte(0)
	for i, size := range []int{1, 4095, 2, 4096, 5000, 3, 10000, 7} {
		chunk := make([]byte, size)
		for j := range chunk {
			chunk[j] = seq
			seq++
		}
		n, err := Write(c, p[1], chunk)
		require.Equal(t, abi.Errno(0), err)
		want = append(want, chunk[:n]...)
		buf := make([]byte, 1+i*1500)
		n, _ = Read(c, p[0], buf)
		got = append(got, buf[:n]...)
	}
	for {
		buf := make([]byte, 333)
		n, err := Read(c, p[0], buf)
		if err == abi.EAGAIN {
			break
		}
		got = append(got, buf[:n]...)
	}
	require.True(t, bytes.Equal(want, got), "reused pages never leak stale bytes")
}

func TestPipeResizeKeepsOrderOfAWrappedRing(t *testing.T) {
	v, c, _ := newTestVFS(t)
	p, _ := v.Pipe2(c, O_NONBLOCK)
	page := func(b byte) []byte { return bytes.Repeat([]byte{b}, 4096) }
	for i := 0; i < 12; i++ { // move head/tail so that the ring wraps
		Write(c, p[1], page(0))
		Read(c, p[0], make([]byte, 4096))
	}
	for i := byte(1); i <= 10; i++ {
		Write(c, p[1], page(i))
	}
	got, err := Fcntl(c, p[0], F_SETPIPE_SZ, 1<<20)
	require.Equal(t, abi.Errno(0), err)
	require.EqualValues(t, 1<<20, got)
	for i := byte(1); i <= 10; i++ {
		buf := make([]byte, 4096)
		n, _ := Read(c, p[0], buf)
		require.Equal(t, page(i), buf[:n], "page %d", i)
	}
}
