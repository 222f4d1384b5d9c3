package fs

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
)

func TestPipeRules(t *testing.T) {
	v, c, _ := newTestVFS(t)
	p, err := v.Pipe2(c, O_NONBLOCK)
	require.Equal(t, abi.Errno(0), err)
	r, w := p[0], p[1]

	sz, _ := Fcntl(c, r, F_GETPIPE_SZ, 0)
	require.EqualValues(t, 65536, sz, "64 KiB default")

	_, err = Read(c, r, make([]byte, 10))
	require.Equal(t, abi.EAGAIN, err, "empty + O_NONBLOCK")

	n, err := Write(c, w, make([]byte, 70000))
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, 65536, n, "a big non-blocking write is partial")
	_, err = Write(c, w, []byte{1})
	require.Equal(t, abi.EAGAIN, err, "full")

	_, err = Lseek(c, r, 0, SEEK_SET)
	require.Equal(t, abi.ESPIPE, err)
	_, err = Pread(c, r, make([]byte, 1), 0)
	require.Equal(t, abi.ESPIPE, err)
	_, err = Write(c, r, []byte{1})
	require.Equal(t, abi.EBADF, err, "read end is not writable")

	_, err = Fcntl(c, r, F_SETPIPE_SZ, 4096)
	require.Equal(t, abi.EBUSY, err, "cannot shrink below the data held")
	n, _ = Read(c, r, make([]byte, 65536))
	require.Equal(t, 65536, n)
	got, _ := Fcntl(c, r, F_SETPIPE_SZ, 5000)
	require.EqualValues(t, 8192, got, "rounded up to a power-of-two of pages")
	got, _ = Fcntl(c, r, F_SETPIPE_SZ, 0)
	require.EqualValues(t, 4096, got, "at least one page")
	_, err = Fcntl(c, r, F_SETPIPE_SZ, 1<<31+1)
	require.Equal(t, abi.EINVAL, err)
	_, err = Fcntl(c, r, F_SETPIPE_SZ, 2<<20)
	require.Equal(t, abi.EPERM, err, "above pipe-max-size without CAP_SYS_RESOURCE")

	// Atomic writes: with 1 page of room left, a PIPE_BUF write is all or nothing.
	Fcntl(c, r, F_SETPIPE_SZ, 8192)
	Write(c, w, make([]byte, 4096))
	Write(c, w, make([]byte, 100))
	_, err = Write(c, w, make([]byte, 4096))
	require.Equal(t, abi.EAGAIN, err, "no partial PIPE_BUF write")

	c.Files.Close(r)
	_, err = Write(c, w, []byte{1})
	require.Equal(t, abi.EPIPE, err)

	p2, _ := v.Pipe2(c, 0)
	c.Files.Close(p2[1])
	n, err = Read(c, p2[0], make([]byte, 1))
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, 0, n, "EOF when no writer is left")
}

func TestPipeBlockingReadIsWokenByWriteAfterClose(t *testing.T) {
	v, c, _ := newTestVFS(t)
	p, _ := v.Pipe2(c, 0)
	f, _ := c.Files.Fget(p[0]) // the reader's own reference
	done := make(chan []byte)
	go func() {
		b := make([]byte, 8)
		n, _ := VfsRead(c, f, b, nil)
		done <- b[:n]
		f.DecRef()
	}()
	time.Sleep(10 * time.Millisecond)
	c.Files.Close(p[0]) // another thread closes the fd; the read goes on
	Write(c, p[1], []byte("x"))
	require.Equal(t, []byte("x"), <-done)
}

func TestPipeBlockingReadIsInterrupted(t *testing.T) {
	v, c, _ := newTestVFS(t)
	p, _ := v.Pipe2(c, 0)
	intr := make(chan struct{})
	c.Interrupt = intr
	go func() { time.Sleep(5 * time.Millisecond); close(intr) }()
	_, err := Read(c, p[0], make([]byte, 1))
	require.Equal(t, abi.ERESTARTSYS, err)
}

func TestPipePacketModeKeepsMessages(t *testing.T) {
	v, c, _ := newTestVFS(t)
	p, _ := v.Pipe2(c, O_DIRECT)
	Write(c, p[1], []byte("abc"))
	Write(c, p[1], []byte("de"))
	b := make([]byte, 2)
	n, _ := Read(c, p[0], b)
	require.Equal(t, "ab", string(b[:n]), "short read of a packet drops the rest")
	b = make([]byte, 10)
	n, _ = Read(c, p[0], b)
	require.Equal(t, "de", string(b[:n]))
}

func TestPipeNotificationIsENOPKGAndReadvWritev(t *testing.T) {
	v, c, _ := newTestVFS(t)
	_, err := v.Pipe2(c, O_NOTIFICATION_PIPE)
	require.Equal(t, errENOPKG, err)
	p, _ := v.Pipe2(c, 0)
	n, err := Writev(c, p[1], [][]byte{[]byte("ab"), nil, []byte("cd")})
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, 4, n)
	a, b := make([]byte, 1), make([]byte, 10)
	n, _ = Readv(c, p[0], [][]byte{a, b})
	require.Equal(t, 4, n)
	require.True(t, bytes.Equal([]byte("abcd"), append(a, b[:3]...)))
	_, err = Readv(c, p[0], make([][]byte, IOV_MAX+1))
	require.Equal(t, abi.EINVAL, err)
}

// pipe_write sends SIGPIPE whenever it finds no reader: at the start
// (EPIPE) and when the last reader leaves while the writer sleeps on a
// full pipe (the count so far, and the signal all the same).
func TestPipeWriteSendsSIGPIPE(t *testing.T) {
	v, c, _ := newTestVFS(t)
	var sent []int
	var mu sync.Mutex
	c.SendSig = func(sig int) { mu.Lock(); sent = append(sent, sig); mu.Unlock() }
	p, _ := v.Pipe2(c, 0)
	done := make(chan int)
	go func() {
		n, err := Write(c, p[1], make([]byte, 100<<10)) // 64 KiB fit, then it sleeps
		require.Equal(t, abi.Errno(0), err)
		done <- n
	}()
	time.Sleep(20 * time.Millisecond)
	mu.Lock()
	require.Empty(t, sent, "a reader is still there")
	mu.Unlock()
	require.Equal(t, abi.Errno(0), c.Files.Close(p[0]))
	require.Equal(t, 64<<10, <-done, "the bytes written before the reader left")
	require.Equal(t, []int{abi.SIGPIPE}, sent)

	_, err := Write(c, p[1], []byte("x"))
	require.Equal(t, abi.EPIPE, err)
	require.Equal(t, []int{abi.SIGPIPE, abi.SIGPIPE}, sent)
}
