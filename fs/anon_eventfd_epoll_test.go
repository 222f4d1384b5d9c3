package fs

import (
	"encoding/binary"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/mm"
)

func u64(v uint64) []byte { b := make([]byte, 8); binary.LittleEndian.PutUint64(b, v); return b }

func TestAnonInodeSemantics(t *testing.T) {
	v, c, _ := newTestVFS(t)
	e1, _ := v.Eventfd2(c, 0, 0)
	e2, _ := v.EpollCreate1(c, 0)
	s1, _ := Fstat(c, e1)
	s2, _ := Fstat(c, e2)
	require.EqualValues(t, 0o600, s1.Mode, "no type bits")
	require.Equal(t, s1.Ino, s2.Ino, "one singleton inode")
	require.EqualValues(t, 1, s1.Nlink)
	require.EqualValues(t, 0, s1.Size)
	f, _ := c.Files.Fget(e1)
	require.Equal(t, "anon_inode:[eventfd]", f.PathName())
	require.Equal(t, abi.ENODEV, f.Mmap(&mm.VMA{}))
	f.DecRef()
	pos, err := Lseek(c, e1, 100, SEEK_SET)
	require.Equal(t, abi.Errno(0), err)
	require.EqualValues(t, 0, pos, "noop_llseek")
	_, err = Pread(c, e1, make([]byte, 8), 0)
	require.Equal(t, abi.ESPIPE, err)
	_, err = Lseek(c, e2, 0, SEEK_SET)
	require.Equal(t, abi.ESPIPE, err, "no llseek method")

	fl, _ := Fcntl(c, e1, F_GETFL, 0)
	require.EqualValues(t, O_RDWR, fl)
	ro, _ := v.AnonInodeGetFile("x", struct{}{}, nil, O_RDONLY|O_CLOEXEC|O_APPEND|O_NONBLOCK)
	require.EqualValues(t, O_NONBLOCK, ro.Flags(), "only O_ACCMODE|O_NONBLOCK kept")
	ro.DecRef()

	c.NoFile = 3
	_, err = v.Eventfd2(c, 0, 0)
	require.Equal(t, abi.Errno(0), err)
	_, err = v.Eventfd2(c, 0, 0)
	require.Equal(t, abi.EMFILE, err)
}

func TestEventfdRules(t *testing.T) {
	v, c, _ := newTestVFS(t)
	_, err := v.Eventfd2(c, 0, 0x8)
	require.Equal(t, abi.EINVAL, err)
	fd, _ := v.Eventfd2(c, 3, EFD_NONBLOCK)
	_, err = Read(c, fd, make([]byte, 7))
	require.Equal(t, abi.EINVAL, err, "buffer < 8")
	_, err = Write(c, fd, u64(^uint64(0)))
	require.Equal(t, abi.EINVAL, err)
	b := make([]byte, 8)
	Read(c, fd, b)
	require.EqualValues(t, 3, binary.LittleEndian.Uint64(b))
	_, err = Read(c, fd, b)
	require.Equal(t, abi.EAGAIN, err)
	Write(c, fd, u64(^uint64(0)-1))
	_, err = Write(c, fd, u64(1))
	require.Equal(t, abi.EAGAIN, err, "would overflow")

	sem, _ := v.Eventfd2(c, 2, EFD_SEMAPHORE|EFD_NONBLOCK)
	Read(c, sem, b)
	require.EqualValues(t, 1, binary.LittleEndian.Uint64(b))
	Read(c, sem, b)
	_, err = Read(c, sem, b)
	require.Equal(t, abi.EAGAIN, err)

	blk, _ := v.Eventfd2(c, 0, 0)
	go func() { time.Sleep(5 * time.Millisecond); Write(c, blk, u64(9)) }()
	Read(c, blk, b)
	require.EqualValues(t, 9, binary.LittleEndian.Uint64(b))
}

// An eventfd is one allocation, its file and context together (eventfd.go);
// EMFILE leaves no reservation behind, and the file works as two would.
func TestEventfdFileAndContextShareOneAllocation(t *testing.T) {
	v, c, _ := newTestVFS(t)
	allocs := testing.AllocsPerRun(100, func() {
		fd, err := v.Eventfd2(c, 0, 0)
		if err != 0 {
			panic(err)
		}
		c.Files.Close(fd)
	})
	require.EqualValues(t, 1, allocs, "allocations per eventfd create+close")

	fd, _ := v.Eventfd2(c, 7, EFD_NONBLOCK)
	f, _ := c.Files.Fget(fd)
	ef := f.PrivateData.(*eventfdCtx)
	require.Equal(t, uintptr(unsafe.Pointer(f))+unsafe.Offsetof(eventfdFile{}.ctx), uintptr(unsafe.Pointer(ef)),
		"the context is the file's neighbour in one eventfdFile")
	f.DecRef()
	b := make([]byte, 8)
	n, err := Read(c, fd, b)
	require.Zero(t, err)
	require.Equal(t, 8, n)
	require.EqualValues(t, 7, binary.LittleEndian.Uint64(b))

	// fd was the lowest free descriptor, so 0..fd are all taken now.
	c.NoFile = uint64(fd + 1)
	_, err2 := v.Eventfd2(c, 0, 0)
	require.Equal(t, abi.EMFILE, err2)
	c.NoFile = NrOpenDefault
	next, _ := v.Eventfd2(c, 0, 0)
	require.Equal(t, fd+1, next, "EMFILE left no descriptor reserved")
}

func TestEpollRules(t *testing.T) {
	v, c, _ := newTestVFS(t)
	_, err := v.EpollCreate1(c, 1)
	require.Equal(t, abi.EINVAL, err)
	_, err = v.EpollCreate(c, 0)
	require.Equal(t, abi.EINVAL, err)
	ep, _ := v.EpollCreate1(c, EPOLL_CLOEXEC)
	require.True(t, c.Files.IsCloseOnExec(ep))
	efd, _ := v.Eventfd2(c, 0, EFD_NONBLOCK)
	reg := mustOpen(t, v, c, "/f", O_RDWR|O_CREAT)
	ev := EpollEvent{Events: EPOLLIN, Data: 7}
	errs := []struct {
		name         string
		epfd, op, fd int
		ev           EpollEvent
		want         abi.Errno
	}{
		{"BadEpfdIsEBADF", 99, EPOLL_CTL_ADD, efd, ev, abi.EBADF},
		{"BadFdIsEBADF", ep, EPOLL_CTL_ADD, 99, ev, abi.EBADF},
		{"UnpollableIsEPERM", ep, EPOLL_CTL_ADD, reg, ev, abi.EPERM},
		{"NotEpollIsEINVAL", efd, EPOLL_CTL_ADD, efd, ev, abi.EINVAL},
		{"SelfIsEINVAL", ep, EPOLL_CTL_ADD, ep, ev, abi.EINVAL},
		{"DelMissingIsENOENT", ep, EPOLL_CTL_DEL, efd, ev, abi.ENOENT},
		{"ModMissingIsENOENT", ep, EPOLL_CTL_MOD, efd, ev, abi.ENOENT},
		{"UnknownOpIsEINVAL", ep, 9, efd, ev, abi.EINVAL},
		{"ExclusiveModIsEINVAL", ep, EPOLL_CTL_MOD, efd, EpollEvent{Events: EPOLLIN | EPOLLEXCLUSIVE}, abi.EINVAL},
		{"ExclusiveBadBitsIsEINVAL", ep, EPOLL_CTL_ADD, efd, EpollEvent{Events: EPOLLPRI | EPOLLEXCLUSIVE}, abi.EINVAL},
		{"AddIsOK", ep, EPOLL_CTL_ADD, efd, ev, 0},
		{"AddTwiceIsEEXIST", ep, EPOLL_CTL_ADD, efd, ev, abi.EEXIST},
	}
	for _, e := range errs {
		require.Equal(t, e.want, EpollCtl(c, e.epfd, e.op, e.fd, e.ev), e.name)
	}
	_, err = EpollWait(c, ep, 0, 0)
	require.Equal(t, abi.EINVAL, err, "maxevents 0")
	_, err = EpollWait(c, efd, 1, 0)
	require.Equal(t, abi.EINVAL, err, "not an epoll fd")

	evs, _ := EpollWait(c, ep, 4, 0)
	require.Empty(t, evs)
	start := time.Now()
	evs, _ = EpollWait(c, ep, 4, 20)
	require.Empty(t, evs)
	require.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond, "timeout honoured")

	Write(c, efd, u64(1))
	evs, _ = EpollWait(c, ep, 4, -1)
	require.Equal(t, []EpollEvent{{EPOLLIN, 7}}, evs)
	evs, _ = EpollWait(c, ep, 4, 0)
	require.Len(t, evs, 1, "level-triggered: reported while readable")

	require.Equal(t, abi.Errno(0), EpollCtl(c, ep, EPOLL_CTL_MOD, efd, EpollEvent{Events: EPOLLIN | EPOLLET, Data: 8}))
	evs, _ = EpollWait(c, ep, 4, 0)
	require.Len(t, evs, 1)
	evs, _ = EpollWait(c, ep, 4, 0)
	require.Empty(t, evs, "edge-triggered: once per event")
	Write(c, efd, u64(1))
	evs, _ = EpollWait(c, ep, 4, 0)
	require.Len(t, evs, 1, "new event, new edge")

	require.Equal(t, abi.Errno(0), EpollCtl(c, ep, EPOLL_CTL_MOD, efd, EpollEvent{Events: EPOLLIN | EPOLLONESHOT, Data: 9}))
	evs, _ = EpollWait(c, ep, 4, 0)
	require.Len(t, evs, 1)
	Write(c, efd, u64(1))
	evs, _ = EpollWait(c, ep, 4, 0)
	require.Empty(t, evs, "oneshot disarmed until MOD")

	// A dup keeps the item registered; the last close removes it.
	epf, _ := c.Files.Fget(ep)
	items := func() int {
		e := epf.PrivateData.(*eventpoll)
		e.mtx.Lock()
		defer e.mtx.Unlock()
		return len(e.items)
	}
	d, _ := c.Files.Dup(efd, c.NoFile)
	c.Files.Close(efd)
	require.Equal(t, 1, items(), "closing one fd of a dup'ed file keeps the item")
	c.Files.Close(d)
	require.Equal(t, 0, items(), "the last reference removes it")
	epf.DecRef()

	// Blocking wait woken by a pipe write from another goroutine.
	p, _ := v.Pipe2(c, 0)
	EpollCtl(c, ep, EPOLL_CTL_ADD, p[0], EpollEvent{Events: EPOLLIN, Data: 1})
	go func() { time.Sleep(5 * time.Millisecond); Write(c, p[1], []byte("x")) }()
	evs, _ = EpollWait(c, ep, 4, 1000)
	require.Equal(t, []EpollEvent{{EPOLLIN, 1}}, evs, "revents are masked by the interest set")
}
