package fs

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
)

type readOnlyDrv struct{}

func (readOnlyDrv) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) { return 0, nil }

type seenPriv struct{ priv any }

func (s *seenPriv) Open(inode *Inode, f *File) error { s.priv = f.PrivateData; return nil }

func TestMiscRegisterRules(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a := &MiscDevice{Minor: 200, Name: "a", Fops: struct{}{}}
	require.NoError(t, v.MiscRegister(a))
	tests := []struct {
		name string
		m    *MiscDevice
		want error
	}{
		{"FixedMinorTakenIsEBUSY", &MiscDevice{Minor: 200, Name: "b"}, abi.EBUSY},
		{"FixedMinorAbove255IsEINVAL", &MiscDevice{Minor: 300, Name: "b"}, abi.EINVAL},
		{"EmptyNameIsEINVAL", &MiscDevice{Minor: MiscDynamicMinor, Name: ""}, abi.EINVAL},
		{"NameWithNULIsEINVAL", &MiscDevice{Minor: MiscDynamicMinor, Name: "x\x00y"}, abi.EINVAL},
		{"NameWithDotDotIsEINVAL", &MiscDevice{Minor: MiscDynamicMinor, Name: "../x"}, abi.EINVAL},
		{"ExistingNodeIsEEXIST", &MiscDevice{Minor: MiscDynamicMinor, Name: "null"}, abi.EEXIST},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, v.MiscRegister(tt.m), tt.name)
	}
	d1 := &MiscDevice{Minor: MiscDynamicMinor, Name: "d1"}
	d2 := &MiscDevice{Minor: MiscDynamicMinor, Name: "net/d2"}
	require.NoError(t, v.MiscRegister(d1))
	require.NoError(t, v.MiscRegister(d2))
	require.EqualValues(t, 256, d1.Minor, "dynamic minors from 256 up")
	require.EqualValues(t, 257, d2.Minor)
	st, err := v.Fstatat(c, AT_FDCWD, "/dev/net/d2", 0)
	require.Equal(t, abi.Errno(0), err)
	require.EqualValues(t, S_IFCHR|0o600, st.Mode)
	require.Equal(t, MkDev(10, 257).Encode(), st.Rdev)
	require.Equal(t, "257 net/d2\n256 d1\n200 a\n", v.procMisc(), "newest first, %3i")
	v.MiscDeregister(d1)
	require.EqualValues(t, MiscDynamicMinor, d1.Minor)
	_, err = v.Fstatat(c, AT_FDCWD, "/dev/d1", 0)
	require.Equal(t, abi.ENOENT, err)
}

func TestCharDeviceOpenRules(t *testing.T) {
	v, c, _ := newTestVFS(t)
	c.Privileged = true
	require.Equal(t, abi.Errno(0), v.Mknodat(c, AT_FDCWD, "/nodrv", S_IFCHR|0o600, MkDev(99, 0)))
	require.Equal(t, abi.Errno(0), v.Mknodat(c, AT_FDCWD, "/nominor", S_IFCHR|0o600, MkDev(MiscMajor, 77)))
	_, err := v.Openat(c, AT_FDCWD, "/nodrv", O_RDWR, 0)
	require.Equal(t, abi.ENXIO, err, "no cdev for the major")
	_, err = v.Openat(c, AT_FDCWD, "/nominor", O_RDWR, 0)
	require.Equal(t, abi.ENODEV, err, "misc minor not registered")

	seen := &seenPriv{}
	m := &MiscDevice{Minor: MiscDynamicMinor, Name: "ro", Fops: readOnlyDrv{}}
	require.NoError(t, v.MiscRegister(m))
	fd := mustOpen(t, v, c, "/dev/ro", O_RDWR)
	_, err = Write(c, fd, []byte{1})
	require.Equal(t, abi.EINVAL, err, "no write method")
	_, err = Lseek(c, fd, 0, SEEK_SET)
	require.Equal(t, abi.ESPIPE, err, "driver fops lack llseek")
	ro := mustOpen(t, v, c, "/dev/null", O_RDONLY)
	_, err = Write(c, ro, []byte{1})
	require.Equal(t, abi.EBADF, err, "wrong access mode")

	m2 := &MiscDevice{Minor: MiscDynamicMinor, Name: "pv", Fops: seen}
	require.NoError(t, v.MiscRegister(m2))
	mustOpen(t, v, c, "/dev/pv", O_RDONLY)
	require.Same(t, m2, seen.priv, "private_data = miscdevice before the driver's open")

	_, rerr := v.RegisterChrdev(MiscMajor, "dup", nil)
	require.Equal(t, abi.EBUSY, rerr)
	_, rerr = v.RegisterChrdev(600, "big", nil)
	require.Equal(t, abi.EINVAL, rerr)
	major, rerr := v.RegisterChrdev(0, "dyn", nullFops{})
	require.NoError(t, rerr)
	require.EqualValues(t, 254, major)
}

func TestMemoryDevices(t *testing.T) {
	v, c, _ := newTestVFS(t)
	buf := []byte{1, 2, 3}
	null := mustOpen(t, v, c, "/dev/null", O_RDWR)
	n, _ := Read(c, null, buf)
	require.Equal(t, 0, n)
	n, _ = Write(c, null, buf)
	require.Equal(t, 3, n)
	zero := mustOpen(t, v, c, "/dev/zero", O_RDONLY)
	Read(c, zero, buf)
	require.Equal(t, []byte{0, 0, 0}, buf)
	full := mustOpen(t, v, c, "/dev/full", O_WRONLY)
	_, err := Write(c, full, buf)
	require.Equal(t, abi.ENOSPC, err)
	ur := mustOpen(t, v, c, "/dev/urandom", O_RDONLY)
	n, _ = Read(c, ur, make([]byte, 64))
	require.Equal(t, 64, n)
	tty := mustOpen(t, v, c, "/dev/console", O_RDWR)
	_, err = Ioctl(c, tty, TIOCGWINSZ, memBase)
	require.Equal(t, abi.Errno(0), err)
	_, err = CompatIoctl(c, tty, TCGETS, memBase)
	require.Equal(t, abi.Errno(0), err, "termios layout is ABI-independent")
	_, err = Ioctl(c, null, TIOCGWINSZ, memBase)
	require.Equal(t, abi.ENOTTY, err, "musl's isatty probe on a non-tty")
}

func TestPathLookupErrnos(t *testing.T) {
	v, c, _ := newTestVFS(t)
	require.Equal(t, abi.Errno(0), v.Mkdirat(c, AT_FDCWD, "/d", 0o755))
	mustOpen(t, v, c, "/d/file", O_CREAT|O_WRONLY)
	v.Symlinkat(c, "/d/file", AT_FDCWD, "/link")
	v.Symlinkat(c, "loop2", AT_FDCWD, "/loop1")
	v.Symlinkat(c, "loop1", AT_FDCWD, "/loop2")
	long := make([]byte, 256)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		name  string
		path  string
		flags uint32
		want  abi.Errno
	}{
		{"MissingIsENOENT", "/nope", O_RDONLY, abi.ENOENT},
		{"EmptyIsENOENT", "", O_RDONLY, abi.ENOENT},
		{"FileAsDirIsENOTDIR", "/d/file/x", O_RDONLY, abi.ENOTDIR},
		{"TrailingSlashOnFileIsENOTDIR", "/d/file/", O_RDONLY, abi.ENOTDIR},
		{"ODirectoryOnFileIsENOTDIR", "/d/file", O_RDONLY | O_DIRECTORY, abi.ENOTDIR},
		{"LongComponentIsENAMETOOLONG", "/" + string(long), O_RDONLY, abi.ENAMETOOLONG},
		{"SymlinkLoopIsELOOP", "/loop1", O_RDONLY, abi.ELOOP},
		{"NofollowOnSymlinkIsELOOP", "/link", O_RDONLY | O_NOFOLLOW, abi.ELOOP},
		{"WriteOpenOfDirIsEISDIR", "/d", O_WRONLY, abi.EISDIR},
		{"CreatExclExistingIsEEXIST", "/d/file", O_CREAT | O_EXCL | O_WRONLY, abi.EEXIST},
		{"CreatInProcIsEACCES", "/proc/newfile", O_CREAT | O_WRONLY, abi.EACCES},
		{"TmpfileIsEOPNOTSUPP", "/d", O_TMPFILE | O_RDWR, abi.EOPNOTSUPP},
		{"FollowedSymlinkOpens", "/link", O_RDONLY, 0},
		{"DotDotAtRootStays", "/../../d/./file", O_RDONLY, 0},
		{"NULEndsThePath", "/d/file\x00garbage", O_RDONLY, 0},
	}
	for _, tt := range tests {
		_, err := v.Openat(c, AT_FDCWD, tt.path, tt.flags, 0o644)
		require.Equal(t, tt.want, err, tt.name)
	}
	require.Equal(t, abi.EEXIST, v.Mkdirat(c, AT_FDCWD, "/d", 0o755))
	require.Equal(t, abi.ENOTEMPTY, v.Unlinkat(c, AT_FDCWD, "/d", AT_REMOVEDIR))
	require.Equal(t, abi.EISDIR, v.Unlinkat(c, AT_FDCWD, "/d", 0))
	require.Equal(t, abi.ENOTDIR, v.Unlinkat(c, AT_FDCWD, "/d/file", AT_REMOVEDIR))
	require.Equal(t, abi.EINVAL, v.Unlinkat(c, AT_FDCWD, "/d/file", 0x8000))
	require.Equal(t, abi.EBUSY, v.Unlinkat(c, AT_FDCWD, "/dev", AT_REMOVEDIR))
	_, err := v.Readlinkat(c, AT_FDCWD, "/link", 0)
	require.Equal(t, abi.EINVAL, err, "bufsiz 0")
	s, _ := v.Readlinkat(c, AT_FDCWD, "/link", 5)
	require.Equal(t, "/d/fi", s, "truncated, no NUL")
	_, err = v.Readlinkat(c, AT_FDCWD, "/d/file", 64)
	require.Equal(t, abi.EINVAL, err, "not a symlink")

	fd := mustOpen(t, v, c, "/d/file", O_RDWR)
	require.Equal(t, abi.Errno(0), v.Unlinkat(c, AT_FDCWD, "/d/file", 0))
	f, _ := c.Files.Fget(fd)
	require.Equal(t, "/d/file (deleted)", f.PathName())
	f.DecRef()
	n, err := Write(c, fd, []byte("still works"))
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, 11, n)
	_, err = v.Fstatat(c, AT_FDCWD, "/d", 0x4000)
	require.Equal(t, abi.EINVAL, err)
	cwd, _ := v.Chdir(c, "/d")
	c.Cwd = cwd
	got, _ := v.Getcwd(c, 100)
	require.Equal(t, "/d", got)
	_, err = v.Getcwd(c, 2)
	require.Equal(t, abi.ERANGE, err)
}

func TestRegularFileIO(t *testing.T) {
	v, c, _ := newTestVFS(t)
	fd := mustOpen(t, v, c, "/f", O_CREAT|O_RDWR)
	Write(c, fd, []byte("hello world"))
	_, err := Pread(c, fd, make([]byte, 1), -1)
	require.Equal(t, abi.EINVAL, err)
	b := make([]byte, 5)
	Pread(c, fd, b, 6)
	require.Equal(t, "world", string(b))
	_, err = Lseek(c, fd, 0, 5)
	require.Equal(t, abi.EINVAL, err, "whence > SEEK_HOLE")
	_, err = Lseek(c, fd, -1, SEEK_SET)
	require.Equal(t, abi.EINVAL, err)
	_, err = Lseek(c, fd, 100, SEEK_DATA)
	require.Equal(t, abi.ENXIO, err)
	pos, _ := Lseek(c, fd, -5, SEEK_END)
	require.EqualValues(t, 6, pos)
	ap := mustOpen(t, v, c, "/f", O_WRONLY|O_APPEND)
	Write(c, ap, []byte("!"))
	st, _ := Fstat(c, fd)
	require.EqualValues(t, 12, st.Size)
	tr := mustOpen(t, v, c, "/f", O_WRONLY|O_TRUNC)
	st, _ = Fstat(c, tr)
	require.EqualValues(t, 0, st.Size)
	_, err = Read(c, mustOpen(t, v, c, "/", O_RDONLY), b)
	require.Equal(t, abi.EISDIR, err)
	ents, _ := v.Getdents64(c, mustOpen(t, v, c, "/", O_RDONLY|O_DIRECTORY), 100)
	names := []string{}
	for _, e := range ents {
		names = append(names, e.Name)
	}
	require.Equal(t, []string{".", "..", "dev", "f", "proc"}, names)
}
