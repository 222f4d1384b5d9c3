package fs

import (
	"testing"
)

func BenchmarkFdAllocClose(b *testing.B) {
	v, c, _ := newTestVFS(b)
	f, _ := v.AnonInodeGetFile("[b]", struct{}{}, nil, O_RDWR)
	for b.Loop() {
		fd, _ := c.Files.GetUnusedFdFlags(0, c.NoFile)
		f.IncRef()
		c.Files.FdInstall(fd, f)
		c.Files.Close(fd)
	}
}

func BenchmarkFdLookup(b *testing.B) {
	v, c, _ := newTestVFS(b)
	fd := mustOpen(b, v, c, "/dev/null", O_RDONLY)
	for b.Loop() {
		f, _ := c.Files.Fget(fd)
		f.DecRef()
	}
}

func BenchmarkAnonFdCreateRelease(b *testing.B) {
	v, c, _ := newTestVFS(b)
	for b.Loop() {
		fd, _ := v.AnonInodeGetFd(c, "[b]", struct{}{}, nil, O_RDWR|O_CLOEXEC)
		c.Files.Close(fd)
	}
}

func BenchmarkIoctlNative(b *testing.B) {
	v, c, _ := newTestVFS(b)
	fd, _ := v.AnonInodeGetFd(c, "[b]", ioctlDrvCompat{}, nil, O_RDWR)
	for b.Loop() {
		Ioctl(c, fd, 1, 0)
	}
}

func BenchmarkIoctlCompat(b *testing.B) {
	v, c, _ := newTestVFS(b)
	fd, _ := v.AnonInodeGetFd(c, "[b]", ioctlDrvCompat{}, nil, O_RDWR)
	for b.Loop() {
		CompatIoctl(c, fd, 1, 0)
	}
}

func BenchmarkPipe1ByteWriteRead(b *testing.B) {
	v, c, _ := newTestVFS(b)
	p, _ := v.Pipe2(c, 0)
	in, out := []byte{1}, make([]byte, 1)
	for b.Loop() {
		Write(c, p[1], in)
		Read(c, p[0], out)
	}
}

func BenchmarkSocketpair1ByteWriteRead(b *testing.B) {
	v, c, _ := newTestVFS(b)
	sv, _ := v.Socketpair(c, AF_UNIX, SOCK_STREAM, 0)
	in, out := []byte{1}, make([]byte, 1)
	for b.Loop() {
		Write(c, sv[0], in)
		Read(c, sv[1], out)
	}
}

func BenchmarkSocketpair64KiBWriteRead(b *testing.B) {
	v, c, _ := newTestVFS(b)
	sv, _ := v.Socketpair(c, AF_UNIX, SOCK_STREAM, 0)
	in, out := make([]byte, 64<<10), make([]byte, 64<<10)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Write(c, sv[0], in)
		for got := 0; got < len(in); {
			n, _ := Read(c, sv[1], out[got:])
			got += n
		}
	}
}
