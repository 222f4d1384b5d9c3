package fs

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/cavaliergopher/cpio"
	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
)

type fakeProc struct {
	pid   int
	files *FDTable
}

func (p *fakeProc) Pid() int         { return p.pid }
func (p *fakeProc) Files() *FDTable  { return p.files }
func (p *fakeProc) MapsText() string { return "00400000-00401000 r-xp 00000000 00:02 5    /bin/t\n" }
func (p *fakeProc) ExePath() string  { return "/bin/t" }
func (p *fakeProc) Status() ProcStatus {
	return ProcStatus{Name: "t", State: "R (running)", Tgid: p.pid, Pid: p.pid, Threads: 1}
}
func (p *fakeProc) ReadPagemap(off int64, buf []byte) (int, error) {
	for i := range buf {
		buf[i] = byte(off/8 + int64(i/8))
	}
	return len(buf), nil
}

type fakeSources struct{ p *fakeProc }

func (s fakeSources) Process(pid int) ProcProcess {
	if pid == s.p.pid {
		return s.p
	}
	return nil
}
func (s fakeSources) Pids() []int      { return []int{s.p.pid} }
func (s fakeSources) MemInfo() MemInfo { return MemInfo{MemTotal: 1024, MemFree: 512} }

func readAll(t *testing.T, v *VFS, c *Caller, path string) string {
	fd, err := v.Openat(c, AT_FDCWD, path, O_RDONLY, 0)
	require.Equal(t, abi.Errno(0), err, path)
	defer c.Files.Close(fd)
	var out []byte
	b := make([]byte, 4096)
	for {
		n, err := Read(c, fd, b)
		require.Equal(t, abi.Errno(0), err)
		if n == 0 {
			return string(out)
		}
		out = append(out, b[:n]...)
	}
}

// newProcVFS is a VFS whose /proc shows one process, pid, which is the
// caller's.
func newProcVFS(pid int) (*VFS, *Caller) {
	proc := &fakeProc{pid: pid}
	v := NewVFS(Config{Proc: fakeSources{proc}})
	c := v.NewCaller()
	c.Mem = &fakeMem{}
	c.Proc = proc
	proc.files = c.Files
	return v, c
}

func TestProcfs(t *testing.T) {
	v, c := newProcVFS(42)

	pipe, _ := v.Pipe2(c, 0)
	efd, _ := v.Eventfd2(c, 5, EFD_NONBLOCK)
	reg := mustOpen(t, v, c, "/f", O_CREAT|O_RDWR|O_CLOEXEC)

	self, _ := v.Readlinkat(c, AT_FDCWD, "/proc/self", 64)
	require.Equal(t, "42", self)
	for fd, want := range map[int]string{pipe[0]: "pipe:[", efd: "anon_inode:[eventfd]", reg: "/f"} {
		got, err := v.Readlinkat(c, AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", fd), 64)
		require.Equal(t, abi.Errno(0), err)
		require.Contains(t, got, want)
	}
	_, err := v.Readlinkat(c, AT_FDCWD, "/proc/self/fd/99", 64)
	require.Equal(t, abi.ENOENT, err)
	st, _ := v.Fstatat(c, AT_FDCWD, "/proc/42/fd/"+fmt.Sprint(pipe[1]), AT_SYMLINK_NOFOLLOW)
	require.EqualValues(t, S_IFLNK|0o300, st.Mode, "l-wx------ for a write-only fd")
	_, err = v.Openat(c, AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", efd), O_RDONLY, 0)
	require.Equal(t, abi.ENXIO, err, "anon targets cannot be reopened")
	fd, err := v.Openat(c, AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", reg), O_RDONLY, 0)
	require.Equal(t, abi.Errno(0), err, "regular targets are reopened")
	c.Files.Close(fd)

	info := readAll(t, v, c, fmt.Sprintf("/proc/self/fdinfo/%d", reg))
	require.Contains(t, info, "flags:\t02100002", "O_CLOEXEC shown for a close-on-exec fd")
	require.Contains(t, readAll(t, v, c, fmt.Sprintf("/proc/self/fdinfo/%d", efd)), "eventfd-count:                5")
	require.Contains(t, readAll(t, v, c, "/proc/42/status"), "Pid:\t42\n")
	require.Contains(t, readAll(t, v, c, "/proc/self/maps"), "/bin/t")
	require.Equal(t, "MemTotal:           1024 kB\n", readAll(t, v, c, "/proc/meminfo")[:28])
	require.Regexp(t, `^\d+\.\d\d \d+\.\d\d\n$`, readAll(t, v, c, "/proc/uptime"))
	exe, _ := v.Readlinkat(c, AT_FDCWD, "/proc/self/exe", 64)
	require.Equal(t, "/bin/t", exe)

	pm := mustOpen(t, v, c, "/proc/self/pagemap", O_RDONLY)
	_, err = Pread(c, pm, make([]byte, 4), 0)
	require.Equal(t, abi.EINVAL, err, "count not a multiple of 8")
	_, err = Pread(c, pm, make([]byte, 8), 3)
	require.Equal(t, abi.EINVAL, err, "offset not a multiple of 8")
	n, _ := Pread(c, pm, nil, 0)
	require.Equal(t, 0, n)
	b := make([]byte, 8)
	Pread(c, pm, b, 8*7)
	require.EqualValues(t, 7, b[0])

	_, err = v.Openat(c, AT_FDCWD, "/proc/43/status", O_RDONLY, 0)
	require.Equal(t, abi.ENOENT, err)
	require.Equal(t, abi.EPERM, v.Mkdirat(c, AT_FDCWD, "/proc/x", 0o755))
	_, err = v.Openat(c, AT_FDCWD, "/proc/meminfo", O_WRONLY, 0)
	require.Equal(t, abi.EACCES, err)
}

func TestProcCreate(t *testing.T) {
	v, c, _ := newTestVFS(t)
	e, err := v.ProcCreate("lkmc_mmap", 0, nil, nullFops{})
	require.NoError(t, err)
	require.NotNil(t, e)
	mustOpen(t, v, c, "/proc/lkmc_mmap", O_RDWR)
	for _, tt := range []struct {
		name string
		want error
	}{{"lkmc_mmap", abi.EEXIST}, {"", abi.EINVAL}, {"a\x00b", abi.EINVAL}, {"nodir/x", abi.ENOENT},
		{"self", abi.EEXIST}, {string(bytes.Repeat([]byte{'a'}, 256)), abi.ENAMETOOLONG}} {
		_, err := v.ProcCreate(tt.name, 0, nil, nil)
		require.Equal(t, tt.want, err, tt.name)
	}
	dir, _ := v.ProcMkdir("drv", nil)
	_, err = v.ProcCreate("drv/x", 0o600, nil, nullFops{})
	require.NoError(t, err)
	_ = dir
	st, err := v.Fstatat(c, AT_FDCWD, "/proc/drv/x", 0)
	require.Equal(t, abi.Errno(0), err)
	require.EqualValues(t, S_IFREG|0o600, st.Mode)
	v.RemoveProcEntry("lkmc_mmap", nil)
	_, err2 := v.Openat(c, AT_FDCWD, "/proc/lkmc_mmap", O_RDONLY, 0)
	require.Equal(t, abi.ENOENT, err2)
}

func TestUnpackInitramfs(t *testing.T) {
	var buf bytes.Buffer
	w := cpio.NewWriter(&buf)
	add := func(h *cpio.Header, body string) {
		h.Size = int64(len(body))
		require.NoError(t, w.WriteHeader(h))
		w.Write([]byte(body))
	}
	add(&cpio.Header{Name: "bin", Mode: cpio.TypeDir | 0o755}, "")
	add(&cpio.Header{Name: "bin/hello", Mode: cpio.TypeReg | 0o755}, "#!hello")
	add(&cpio.Header{Name: "etc/motd", Mode: cpio.TypeReg | 0o644}, "hi\n")
	add(&cpio.Header{Name: "init", Mode: cpio.TypeSymlink | 0o777, Linkname: "/bin/hello"}, "/bin/hello")
	require.NoError(t, w.Close())
	v, c, _ := newTestVFS(t)
	require.NoError(t, v.UnpackInitramfs(&buf))
	require.Equal(t, "#!hello", readAll(t, v, c, "/init"))
	require.Equal(t, "hi\n", readAll(t, v, c, "/etc/motd"))
	st, _ := v.Fstatat(c, AT_FDCWD, "/bin/hello", 0)
	require.EqualValues(t, S_IFREG|0o755, st.Mode)
	require.Equal(t, abi.EINVAL, v.UnpackInitramfs(bytes.NewReader([]byte("garbage, not cpio"))))
}

// glibc's readdir drops entries whose d_ino is 0: every /proc entry made
// up at readdir time needs a real number.
func TestProcReaddirInodesAreNonZero(t *testing.T) {
	for _, fakeIno := range []uint64{procFakeIno(1, procInoFd, 0), procFakeIno(0, procInoSelf, 0), procFakeIno(99999, procInoPidDir, 0)} {
		require.NotZero(t, fakeIno)
	}
	require.NotEqual(t, procFakeIno(1, procInoFd, 3), procFakeIno(1, procInoFdinfo, 3))
	require.NotEqual(t, procFakeIno(1, procInoFd, 3), procFakeIno(2, procInoFd, 3))
	require.Less(t, procFakeIno(32767, procInoFdinfo, 4095), uint64(1)<<32, "i386 readdir needs 32-bit inode numbers")
}

// Every entry readdir lists under /proc, /proc/PID and its fd
// directories stats with the same inode number (getdents64's d_ino is
// stat's st_ino), and looking one up twice gives the same number.
func TestProcReaddirInodesMatchStat(t *testing.T) {
	v, c := newProcVFS(42)
	mustOpen(t, v, c, "/f", O_CREAT|O_RDWR)

	checked := 0
	for _, dir := range []string{"/proc", "/proc/42", "/proc/42/fd", "/proc/42/fdinfo", "/proc/self/fd"} {
		fd := mustOpen(t, v, c, dir, O_RDONLY|O_DIRECTORY)
		ents, err := v.Getdents64(c, fd, 1000)
		require.Equal(t, abi.Errno(0), err, dir)
		for _, e := range ents {
			if e.Name == ".." && dir == "/proc" {
				continue // a mount root's ".." is itself in readdir (parent_ino), "/" to stat, in Linux too
			}
			st, err := v.Fstatat(c, fd, e.Name, AT_SYMLINK_NOFOLLOW)
			require.Equal(t, abi.Errno(0), err, "%s/%s", dir, e.Name)
			require.Equal(t, e.Ino, st.Ino, "%s/%s: d_ino is st_ino", dir, e.Name)
			again, _ := v.Fstatat(c, fd, e.Name, AT_SYMLINK_NOFOLLOW)
			require.Equal(t, st.Ino, again.Ino, "%s/%s: the same number at every lookup", dir, e.Name)
			checked++
		}
		require.Equal(t, abi.Errno(0), c.Files.Close(fd))
	}
	require.Greater(t, checked, 20)
}
