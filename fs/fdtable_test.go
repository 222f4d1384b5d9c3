package fs

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
)

func TestFdCallErrnos(t *testing.T) {
	tests := []struct {
		name string
		call func(v *VFS, c *Caller) abi.Errno
		want abi.Errno
	}{
		{"CloseUnopenedIsEBADF", func(v *VFS, c *Caller) abi.Errno { return c.Files.Close(7) }, abi.EBADF},
		{"CloseNegativeIsEBADF", func(v *VFS, c *Caller) abi.Errno { return c.Files.Close(-1) }, abi.EBADF},
		{"CloseHugeIsEBADF", func(v *VFS, c *Caller) abi.Errno { return c.Files.Close(1 << 40) }, abi.EBADF},
		{"CloseReservedOnlyIsEBADF", func(v *VFS, c *Caller) abi.Errno {
			fd, _ := c.Files.GetUnusedFdFlags(0, c.NoFile)
			return c.Files.Close(fd)
		}, abi.EBADF},
		{"DupBadIsEBADF", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.Dup(-5, c.NoFile); return e }, abi.EBADF},
		{"DupFullIsEMFILE", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.Dup(0, 1); return e }, abi.EMFILE},
		{"Dup2SameInvalidIsEBADF", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.Dup2(9, 9, c.NoFile); return e }, abi.EBADF},
		{"Dup2NewAboveRlimitIsEBADF", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.Dup2(0, 1024, c.NoFile); return e }, abi.EBADF},
		{"Dup2NegativeNewIsEBADF", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.Dup2(0, -1, c.NoFile); return e }, abi.EBADF},
		{"Dup2BadOldIsEBADF", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.Dup2(50, 3, c.NoFile); return e }, abi.EBADF},
		{"Dup2GrowthEMFILEIsEBADF", func(v *VFS, c *Caller) abi.Errno {
			c.Files.nrOpen = 64
			_, e := c.Files.Dup2(0, 100, c.NoFile)
			return e
		}, abi.EBADF},
		{"Dup2OntoReservedIsEBUSY", func(v *VFS, c *Caller) abi.Errno {
			fd, _ := c.Files.GetUnusedFdFlags(0, c.NoFile)
			_, e := c.Files.Dup2(0, fd, c.NoFile)
			return e
		}, abi.EBUSY},
		{"Dup3NonblockIsEINVAL", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.Dup3(0, 1, O_NONBLOCK, c.NoFile); return e }, abi.EINVAL},
		{"Dup3SameFdIsEINVAL", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.Dup3(0, 0, 0, c.NoFile); return e }, abi.EINVAL},
		{"Dup3SameInvalidFdIsEINVAL", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.Dup3(999, 999, 0, c.NoFile); return e }, abi.EINVAL},
		{"FcntlDupfdAtRlimitIsEINVAL", func(v *VFS, c *Caller) abi.Errno { _, e := Fcntl(c, 0, F_DUPFD, 1024); return e }, abi.EINVAL},
		{"FcntlDupfdNegativeIsEINVAL", func(v *VFS, c *Caller) abi.Errno { _, e := Fcntl(c, 0, F_DUPFD, ^uint64(0)); return e }, abi.EINVAL},
		{"FcntlBadFdIsEBADF", func(v *VFS, c *Caller) abi.Errno { _, e := Fcntl(c, 77, F_GETFD, 0); return e }, abi.EBADF},
		{"FcntlUnknownCmdIsEINVAL", func(v *VFS, c *Caller) abi.Errno { _, e := Fcntl(c, 0, 0xdead, 0); return e }, abi.EINVAL},
		{"FcntlSetlkIsENOLCK", func(v *VFS, c *Caller) abi.Errno { _, e := Fcntl(c, 0, fSetLk, 0); return e }, abi.ENOLCK},
		{"FcntlSetflODirectIsEINVAL", func(v *VFS, c *Caller) abi.Errno { _, e := Fcntl(c, 0, F_SETFL, O_DIRECT); return e }, abi.EINVAL},
		{"FcntlGetpipeszOnFileIsEBADF", func(v *VFS, c *Caller) abi.Errno { _, e := Fcntl(c, 0, F_GETPIPE_SZ, 0); return e }, abi.EBADF},
		{"CloseRangeBadFlagsIsEINVAL", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.CloseRange(0, 10, 1); return e }, abi.EINVAL},
		{"CloseRangeFirstAboveLastIsEINVAL", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.CloseRange(5, 4, 0); return e }, abi.EINVAL},
		{"CloseRangeToMaxIsOK", func(v *VFS, c *Caller) abi.Errno { _, e := c.Files.CloseRange(3, ^uint32(0), 0); return e }, 0},
		{"PipeWithOneFreeSlotIsEMFILE", func(v *VFS, c *Caller) abi.Errno { c.NoFile = 2; _, e := v.Pipe2(c, 0); return e }, abi.EMFILE},
		{"Pipe2UnknownFlagIsEINVAL", func(v *VFS, c *Caller) abi.Errno { _, e := v.Pipe2(c, O_APPEND); return e }, abi.EINVAL},
		{"RlimitAboveNrOpenIsEPERM", func(v *VFS, c *Caller) abi.Errno { return c.Files.CheckNofileRlimit(10, 1<<30) }, abi.EPERM},
		{"RlimitCurAboveMaxIsEINVAL", func(v *VFS, c *Caller) abi.Errno { return c.Files.CheckNofileRlimit(10, 5) }, abi.EINVAL},
		{"OpenBeyondNrOpenIsEMFILE", func(v *VFS, c *Caller) abi.Errno {
			c.Files.nrOpen = 64
			c.NoFile = 1 << 20
			_, e := c.Files.AllocFd(64, c.NoFile, 0)
			return e
		}, abi.EMFILE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, c, _ := newTestVFS(t)
			mustOpen(t, v, c, "/dev/null", O_RDWR) // fd 0
			require.Equal(t, tt.want, tt.call(v, c))
		})
	}
}

func TestDupReturnsLowestFreeAfterClose(t *testing.T) {
	v, c, _ := newTestVFS(t)
	for range 8 {
		mustOpen(t, v, c, "/dev/null", O_RDONLY)
	}
	require.Equal(t, abi.Errno(0), c.Files.Close(5))
	fd, err := c.Files.Dup(0, c.NoFile)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, 5, fd)
	fd, _ = c.Files.Dup(0, c.NoFile)
	require.Equal(t, 8, fd)
}

func TestTableGrowsToNextPowerOfTwo(t *testing.T) {
	v, c, _ := newTestVFS(t)
	require.Equal(t, 64, c.Files.MaxFds())
	mustOpen(t, v, c, "/dev/null", O_RDONLY)
	fd, err := c.Files.Dup2(0, 64, c.NoFile)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, 64, fd)
	require.Equal(t, 128, c.Files.MaxFds())
	_, err = c.Files.Dup2(0, 600, c.NoFile)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, 1024, c.Files.MaxFds())
}

func TestCloexecBitsFollowTheDescriptor(t *testing.T) {
	v, c, _ := newTestVFS(t)
	fd := mustOpen(t, v, c, "/dev/null", O_RDONLY|O_CLOEXEC)
	r, _ := Fcntl(c, fd, F_GETFD, 0)
	require.EqualValues(t, FD_CLOEXEC, r)
	d, _ := c.Files.Dup(fd, c.NoFile)
	r, _ = Fcntl(c, d, F_GETFD, 0)
	require.EqualValues(t, 0, r, "dup never sets close-on-exec")
	Fcntl(c, d, F_SETFD, 3)
	r, _ = Fcntl(c, d, F_GETFD, 0)
	require.EqualValues(t, 1, r, "only bit 0 counts")
	d3, err := c.Files.Dup3(fd, 10, O_CLOEXEC, c.NoFile)
	require.Equal(t, abi.Errno(0), err)
	require.True(t, c.Files.IsCloseOnExec(d3))
	d4, _ := Fcntl(c, fd, F_DUPFD_CLOEXEC, 20)
	require.EqualValues(t, 20, d4)
	require.True(t, c.Files.IsCloseOnExec(20))
}

func TestGetflStripsOpenOnlyFlags(t *testing.T) {
	v, c, _ := newTestVFS(t)
	fd := mustOpen(t, v, c, "/f", O_RDWR|O_APPEND|O_CREAT|O_EXCL|O_TRUNC|O_NOCTTY|O_CLOEXEC)
	fl, _ := Fcntl(c, fd, F_GETFL, 0)
	require.EqualValues(t, 0o102002, fl)
	_, err := Fcntl(c, fd, F_SETFL, O_NONBLOCK|O_WRONLY)
	require.Equal(t, abi.Errno(0), err)
	fl, _ = Fcntl(c, fd, F_GETFL, 0)
	require.EqualValues(t, 0o104002, fl, "access mode and O_APPEND-less arg: only SETFL bits change")
	c.Compat = true
	fd2 := mustOpen(t, v, c, "/f", O_RDONLY)
	fl, _ = Fcntl(c, fd2, F_GETFL, 0)
	require.EqualValues(t, 0, fl, "compat open does not add O_LARGEFILE")
	fd3 := mustOpen(t, v, c, "/f", O_PATH)
	fl, _ = Fcntl(c, fd3, F_GETFL, 0)
	require.EqualValues(t, O_PATH, fl)
	_, err = Fcntl(c, fd3, F_SETFL, 0)
	require.Equal(t, abi.EBADF, err, "O_PATH allows only dup/getfd/setfd/getfl")
	_, err = Read(c, fd3, make([]byte, 1))
	require.Equal(t, abi.EBADF, err, "fdget hides O_PATH files")
}

func TestCloseRangeClosesAndCloexecs(t *testing.T) {
	v, c, _ := newTestVFS(t)
	for range 6 {
		mustOpen(t, v, c, "/dev/null", O_RDONLY)
	}
	_, err := c.Files.CloseRange(4, ^uint32(0), CLOSE_RANGE_CLOEXEC)
	require.Equal(t, abi.Errno(0), err)
	require.True(t, c.Files.IsCloseOnExec(5))
	require.False(t, c.Files.IsCloseOnExec(3))
	_, err = c.Files.CloseRange(1, 2, 0)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, []int{0, 3, 4, 5}, c.Files.OpenFds())
	shared := c.Files.Share()
	own, err := shared.CloseRange(0, 0, CLOSE_RANGE_UNSHARE)
	require.Equal(t, abi.Errno(0), err)
	require.NotSame(t, c.Files, own)
	require.Equal(t, []int{3, 4, 5}, own.OpenFds())
	require.Equal(t, []int{0, 3, 4, 5}, c.Files.OpenFds(), "the other sharer is untouched")
}

func TestForkCopiesAndCloneFilesShares(t *testing.T) {
	v, c, _ := newTestVFS(t)
	fd := mustOpen(t, v, c, "/dev/null", O_RDONLY)
	reserved, _ := c.Files.GetUnusedFdFlags(0, c.NoFile)
	child := c.Files.Fork()
	require.Equal(t, []int{fd}, child.OpenFds(), "a reserved slot appears closed in the child")
	f, _ := c.Files.Fget(fd)
	require.EqualValues(t, 3, f.Count(), "parent table + child table + our fget")
	f.DecRef()
	require.Equal(t, abi.Errno(0), child.Close(fd))
	require.Equal(t, []int{fd}, c.Files.OpenFds(), "private copy: the parent keeps its fd")
	sh := c.Files.Share()
	require.Equal(t, abi.Errno(0), sh.Close(fd))
	require.Empty(t, c.Files.OpenFds(), "CLONE_FILES: the close is visible to both")
	c.Files.PutUnusedFd(reserved)
}

func TestExecClosesCloexecAndUnshares(t *testing.T) {
	v, c, _ := newTestVFS(t)
	a := mustOpen(t, v, c, "/dev/null", O_RDONLY)
	b := mustOpen(t, v, c, "/dev/null", O_RDONLY|O_CLOEXEC)
	other := c.Files.Share()
	after := c.Files.Exec()
	require.NotSame(t, other, after)
	require.Equal(t, []int{a}, after.OpenFds())
	require.Equal(t, []int{a, b}, other.OpenFds())
}

func TestReleaseRunsOnLastReferenceOnly(t *testing.T) {
	v, c, _ := newTestVFS(t)
	var n int64
	f, _ := v.AnonInodeGetFile("[t]", countingFops{&n}, nil, O_RDWR)
	fd, _ := c.Files.GetUnusedFdFlags(0, c.NoFile)
	c.Files.FdInstall(fd, f)
	d, _ := c.Files.Dup(fd, c.NoFile)
	held, _ := c.Files.Fget(fd)
	c.Files.Close(fd)
	c.Files.Close(d)
	require.EqualValues(t, 0, n, "a syscall still holds the file")
	held.DecRef()
	require.EqualValues(t, 1, n)
}

func TestFdInstallIntoUnreservedSlotDropsFile(t *testing.T) {
	v, c, _ := newTestVFS(t)
	var n int64
	f, _ := v.AnonInodeGetFile("[t]", countingFops{&n}, nil, O_RDWR)
	require.False(t, c.Files.FdInstall(5, f))
	require.EqualValues(t, 1, n)
}

// Fdget lends the file of an unshared table without a reference (as
// __fget_light does) and takes one from a shared table, where another
// task could close the descriptor under the caller.
func TestFdgetBorrowsOnlyFromAnUnsharedTable(t *testing.T) {
	v, c, _ := newTestVFS(t)
	var n int64
	f, _ := v.AnonInodeGetFile("[t]", countingFops{&n}, nil, O_RDWR)
	fd, _ := c.Files.GetUnusedFdFlags(0, c.NoFile)
	c.Files.FdInstall(fd, f)
	path := mustOpen(t, v, c, "/dev/null", O_PATH)

	d, err := c.Files.Fdget(fd)
	require.Equal(t, abi.Errno(0), err)
	require.Same(t, f, d.File)
	require.EqualValues(t, 1, f.Count(), "borrowed: the table's reference only")
	d.Put()
	require.EqualValues(t, 1, f.Count())

	for _, bad := range []int{-1, 1 << 40, fd + 100, path} {
		_, err := c.Files.Fdget(bad)
		require.Equal(t, abi.EBADF, err, "fd %d", bad)
	}

	other := c.Files.Share()
	d, err = c.Files.Fdget(fd)
	require.Equal(t, abi.Errno(0), err)
	require.EqualValues(t, 2, f.Count(), "shared: Fdget holds its own reference")
	require.Equal(t, abi.Errno(0), other.Close(fd))
	require.EqualValues(t, 0, n, "the other task's close leaves our reference")
	d.Put()
	require.EqualValues(t, 1, n, "released at our fdput")
	_, err = c.Files.Fdget(path)
	require.Equal(t, abi.EBADF, err, "O_PATH is EBADF on the shared path too")
}

// findNextFd is the lowest clear open_fds bit at or above start, whatever
// the bitmaps hold: checked against a linear scan over random tables.
func TestFindNextFdAgainstALinearScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{64, 128, 256, 1024} {
		for round := 0; round < 200; round++ {
			fdt := newFdtable(size)
			density := rng.IntN(101)
			for fd := 0; fd < size; fd++ {
				if rng.IntN(100) < density {
					fdt.setOpenFd(fd)
				}
			}
			for start := 0; start <= size; start += 1 + rng.IntN(7) {
				want := size
				for fd := start; fd < size; fd++ {
					if !testBit(fdt.openFds, fd) {
						want = fd
						break
					}
				}
				require.Equal(t, want, fdt.findNextFd(start), "size %d start %d", size, start)
			}
		}
	}
}
