package fs

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
)

func TestTruncateShrinksAndGrowsWithZeros(t *testing.T) {
	v, c, _ := newTestVFS(t)
	fd := mustOpen(t, v, c, "/t", O_CREAT|O_RDWR)
	data := bytes.Repeat([]byte("x"), 10000)
	_, err := Write(c, fd, data)
	require.Equal(t, abi.Errno(0), err)

	require.Equal(t, abi.Errno(0), Ftruncate(c, fd, 5000, true))
	st, _ := Fstat(c, fd)
	require.Equal(t, int64(5000), st.Size)
	require.Equal(t, abi.Errno(0), v.Truncate(c, "/t", 9000), "grow by path")
	buf := make([]byte, 9000)
	n, err := Pread(c, fd, buf, 0)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, 9000, n)
	require.Equal(t, data[:5000], buf[:5000])
	require.Equal(t, make([]byte, 4000), buf[5000:], "the bytes cut off come back as zeros")

	require.Equal(t, abi.Errno(0), Ftruncate(c, fd, 0, true))
	n, _ = Pread(c, fd, buf, 0)
	require.Equal(t, 0, n)
}

func TestTruncateErrorsAsLinux(t *testing.T) {
	v, c, _ := newTestVFS(t)
	rw := mustOpen(t, v, c, "/f", O_CREAT|O_RDWR)
	ro := mustOpen(t, v, c, "/f", O_RDONLY)
	dir := mustOpen(t, v, c, "/", O_RDONLY|O_DIRECTORY)
	opath := mustOpen(t, v, c, "/f", O_PATH)
	pipe, perr := v.Pipe2(c, 0)
	require.Equal(t, abi.Errno(0), perr)
	c.Compat = true
	small := mustOpen(t, v, c, "/f", O_RDWR) // an i386 open without O_LARGEFILE
	c.Compat = false

	ftests := []struct {
		name   string
		fd     int
		length int64
		small  bool
		want   abi.Errno
	}{
		{"negative length first", 999, -1, true, abi.EINVAL},
		{"bad fd", 999, 0, true, abi.EBADF},
		{"negative fd", -1, 0, true, abi.EBADF},
		{"O_PATH fd", opath, 0, true, abi.EBADF},
		{"read-only fd", ro, 0, true, abi.EINVAL},
		{"directory", dir, 0, true, abi.EINVAL},
		{"pipe", pipe[1], 0, true, abi.EINVAL},
		{"past 2 GiB without O_LARGEFILE", small, 1 << 31, true, abi.EINVAL},
		{"past 2 GiB with ftruncate64", small, 1 << 31, false, 0},
		{"past 2 GiB on a large-file open", rw, 1 << 32, true, 0},
	}
	for _, tc := range ftests {
		t.Run("ftruncate "+tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Ftruncate(c, tc.fd, tc.length, tc.small))
		})
	}
	require.Equal(t, abi.Errno(0), v.Mkdirat(c, AT_FDCWD, "/d", 0o755))
	require.Equal(t, abi.Errno(0), v.Symlinkat(c, "/f", AT_FDCWD, "/l"))
	ptests := []struct {
		name, path string
		length     int64
		want       abi.Errno
	}{
		{"negative length", "/f", -5, abi.EINVAL},
		{"missing", "/nope", 0, abi.ENOENT},
		{"empty path", "", 0, abi.ENOENT},
		{"directory", "/d", 0, abi.EISDIR},
		{"character device", "/dev/null", 0, abi.EINVAL},
		{"file in the path", "/f/x", 0, abi.ENOTDIR},
		{"symlink is followed", "/l", 10, 0},
		{"procfs file", "/proc/meminfo", 0, abi.EPERM},
	}
	for _, tc := range ptests {
		t.Run("truncate "+tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, v.Truncate(c, tc.path, tc.length))
		})
	}
	st, _ := v.Fstatat(c, AT_FDCWD, "/f", 0)
	require.Equal(t, int64(10), st.Size, "truncate through the symlink resized its target")
}

func TestReadlinkatEmptyPathOnFilesWithoutAPathIsENOENT(t *testing.T) {
	v, c, _ := newTestVFS(t)
	pipe, err := v.Pipe2(c, 0)
	require.Equal(t, abi.Errno(0), err)
	efd, err := v.Eventfd2(c, 0, 0)
	require.Equal(t, abi.Errno(0), err)
	reg := mustOpen(t, v, c, "/f", O_CREAT|O_RDWR)
	require.Equal(t, abi.Errno(0), v.Symlinkat(c, "/f", AT_FDCWD, "/l"))
	lnk := mustOpen(t, v, c, "/l", O_PATH|O_NOFOLLOW)
	tests := []struct {
		name string
		fd   int
		path string
		want abi.Errno
		text string
	}{
		{"pipe", pipe[0], "", abi.ENOENT, ""},
		{"anon inode", efd, "", abi.ENOENT, ""},
		{"regular file", reg, "", abi.ENOENT, ""},
		{"regular file by name", AT_FDCWD, "/f", abi.EINVAL, ""},
		{"O_PATH symlink fd", lnk, "", 0, "/f"},
		{"bad fd", 77, "", abi.EBADF, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text, err := v.Readlinkat(c, tc.fd, tc.path, 64)
			require.Equal(t, tc.want, err)
			require.Equal(t, tc.text, text)
		})
	}
}

// open(O_TRUNC) is do_truncate like ftruncate: the size goes to 0 and
// mtime/ctime move, even when the file was already empty; a new file
// (O_CREAT made it) is not truncated again, and procfs keeps its data.
func TestOpenTruncUpdatesTimes(t *testing.T) {
	v, c, _ := newTestVFS(t)
	now := time.Unix(1000, 0)
	v.Now = func() time.Time { return now }
	fd := mustOpen(t, v, c, "/t", O_CREAT|O_RDWR|O_TRUNC)
	st, _ := Fstat(c, fd)
	require.Equal(t, now, st.Mtime, "created at 1000")
	_, err := Write(c, fd, []byte("hello"))
	require.Equal(t, abi.Errno(0), err)
	for _, at := range []int64{2000, 3000} { // the second open finds it empty
		now = time.Unix(at, 0)
		fd2 := mustOpen(t, v, c, "/t", O_WRONLY|O_TRUNC)
		st, _ = Fstat(c, fd2)
		require.Equal(t, int64(0), st.Size)
		require.Equal(t, now, st.Mtime, "O_TRUNC at %d sets mtime", at)
		require.Equal(t, now, st.Ctime, "O_TRUNC at %d sets ctime", at)
		require.Equal(t, abi.Errno(0), Close(c, fd2))
	}
	now = time.Unix(4000, 0)
	fd3 := mustOpen(t, v, c, "/t", O_RDONLY)
	st, _ = Fstat(c, fd3)
	require.Equal(t, time.Unix(3000, 0), st.Mtime, "no O_TRUNC: no change")
}
