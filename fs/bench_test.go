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
