package fs

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
)

// ioctlDrv answers cmd 1 with 42, anything else ENOIOCTLCMD.
type ioctlDrv struct{}

func (ioctlDrv) UnlockedIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	if cmd == 1 {
		return 42, nil
	}
	return 0, abi.ENOIOCTLCMD
}

type ioctlDrvCompat struct{ ioctlDrv }

func (d ioctlDrvCompat) CompatIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	return d.UnlockedIoctl(c, f, cmd, arg)
}

type ioctlDrvPtr struct {
	ioctlDrv
	CompatPtrIoctl
}

// lockedDrv has only the historical BKL ->ioctl.
type lockedDrv struct{}

func (lockedDrv) Ioctl(c *Caller, inode *Inode, f *File, cmd uint32, arg uintptr) (int64, error) {
	if cmd == 1 {
		return 42, nil
	}
	return 0, abi.ENOIOCTLCMD
}

func TestIoctlDispatch(t *testing.T) {
	const good, bad = memBase + 16, 0x10
	tests := []struct {
		name    string
		mode    IoctlMode
		compat  bool
		file    string // "reg", "pipe", "eventfd", or an anon driver
		drv     FileOperations
		cmd     uint32
		arg     uintptr
		want    int64
		wantErr abi.Errno
	}{
		{"NativeBadFdIsEBADF", IoctlModern, false, "none", nil, 0, 0, 0, abi.EBADF},
		{"NativeCmd0OnRegularIsENOTTY", IoctlModern, false, "reg", nil, 0, 0, 0, abi.ENOTTY},
		{"NativeTCGETSOnPipeIsENOTTY", IoctlModern, false, "pipe", nil, TCGETS, good, 0, abi.ENOTTY},
		{"NativeFIOQSIZEOnPipeIsENOTTY", IoctlModern, false, "pipe", nil, FIOQSIZE, good, 0, abi.ENOTTY},
		{"NativeFIONREADOnEventfdIsENOTTY", IoctlModern, false, "eventfd", nil, FIONREAD, good, 0, abi.ENOTTY},
		{"NativeFIONBIOBadPointerIsEFAULT", IoctlModern, false, "reg", nil, FIONBIO, bad, 0, abi.EFAULT},
		{"NativeFIONREADBadPointerIsEFAULT", IoctlModern, false, "reg", nil, FIONREAD, bad, 0, abi.EFAULT},
		{"NativeFIGETBSZNullPointerIsEFAULT", IoctlModern, false, "anon", ioctlDrv{}, FIGETBSZ, 0, 0, abi.EFAULT},
		{"NativeFIGETBSZOnPipeIs4096", IoctlModern, false, "pipe", nil, FIGETBSZ, good, 0, 0},
		{"NativeFIFREEZEUnprivilegedIsEPERM", IoctlModern, false, "reg", nil, FIFREEZE, 0, 0, abi.EPERM},
		{"NativeFIBMAPOnRamfsIsEINVAL", IoctlModern, false, "reg", nil, FIBMAP, good, 0, abi.EINVAL},
		{"NativeFIOASYNCWithoutFasyncIsENOTTY", IoctlModern, false, "reg", nil, FIOASYNC, memBase + 100, 0, abi.ENOTTY},
		{"NativeDriverResultPassesThrough", IoctlModern, false, "anon", ioctlDrv{}, 1, 0, 42, 0},
		{"NativeDriverENOIOCTLCMDIsENOTTY", IoctlModern, false, "anon", ioctlDrv{}, 9, 0, 0, abi.ENOTTY},
		{"NativeNoMethodIsENOTTY", IoctlModern, false, "anon", struct{}{}, 1, 0, 0, abi.ENOTTY},
		{"NativeLockedIoctlIgnoredIsENOTTY", IoctlModern, false, "anon", lockedDrv{}, 1, 0, 0, abi.ENOTTY},
		{"CompatWithoutCompatIoctlIsENOTTY", IoctlModern, true, "anon", ioctlDrv{}, 1, 0, 0, abi.ENOTTY},
		{"CompatWithCompatIoctl", IoctlModern, true, "anon", ioctlDrvCompat{}, 1, 0, 42, 0},
		{"CompatENOIOCTLCMDIsENOTTY", IoctlModern, true, "anon", ioctlDrvCompat{}, 9, 0, 0, abi.ENOTTY},
		{"CompatPtrIoctlReachesUnlocked", IoctlModern, true, "anon", ioctlDrvPtr{}, 1, 0, 42, 0},
		{"CompatFIONBIOStillVFS", IoctlModern, true, "anon", ioctlDrv{}, FIONBIO, good, 0, 0},
		{"CompatFIONREADOnPipeReachesNative", IoctlModern, true, "pipe", nil, FIONREAD, good, 0, 0},
		{"CompatBadFdIsEBADF", IoctlModern, true, "none", nil, 0, 0, 0, abi.EBADF},
		{"HistoricUnlockedENOIOCTLCMDIsEINVAL", IoctlHistoric, false, "anon", ioctlDrv{}, 9, 0, 0, abi.EINVAL},
		{"HistoricLockedIoctlRunsUnderBKL", IoctlHistoric, false, "anon", lockedDrv{}, 1, 0, 42, 0},
		{"HistoricLockedENOIOCTLCMDLeaks515", IoctlHistoric, false, "anon", lockedDrv{}, 9, 0, 0, abi.ENOIOCTLCMD},
		{"HistoricNoMethodIsENOTTY", IoctlHistoric, false, "anon", struct{}{}, 1, 0, 0, abi.ENOTTY},
		{"HistoricCompatUnknownIsEINVAL", IoctlHistoric, true, "anon", ioctlDrv{}, 1, 0, 0, abi.EINVAL},
		{"HistoricCompatCompatibleTableReachesNativeWhoseENOIOCTLCMDIsEINVAL", IoctlHistoric, true, "anon", ioctlDrv{}, TIOCGWINSZ, 0, 0, abi.EINVAL},
		{"HistoricCompatNoNativeMethodGetsVFS", IoctlHistoric, true, "anon", struct{}{}, 1, 0, 0, abi.ENOTTY},
		{"HistoricCompatCompatIoctlFirst", IoctlHistoric, true, "anon", ioctlDrvCompat{}, 1, 0, 42, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, c, m := newTestVFS(t)
			m.b[100] = 1
			v.IoctlMode = tt.mode
			fd := -1
			switch tt.file {
			case "reg":
				fd = mustOpen(t, v, c, "/f", O_RDWR|O_CREAT)
			case "pipe":
				p, _ := v.Pipe2(c, 0)
				fd = p[0]
			case "eventfd":
				fd, _ = v.Eventfd2(c, 0, 0)
			case "anon":
				fd, _ = v.AnonInodeGetFd(c, "[drv]", tt.drv, nil, O_RDWR)
			}
			var r int64
			var err abi.Errno
			if tt.compat {
				r, err = CompatIoctl(c, fd, tt.cmd, uint32(tt.arg))
			} else {
				r, err = Ioctl(c, fd, tt.cmd, tt.arg)
			}
			require.Equal(t, tt.wantErr, err)
			require.Equal(t, tt.want, r)
		})
	}
}

func TestIoctlVFSCommandsAct(t *testing.T) {
	v, c, m := newTestVFS(t)
	fd := mustOpen(t, v, c, "/f", O_RDWR|O_CREAT)
	Write(c, fd, []byte("hello"))
	Lseek(c, fd, 1, SEEK_SET)
	_, err := Ioctl(c, fd, FIONREAD, memBase)
	require.Equal(t, abi.Errno(0), err)
	require.EqualValues(t, 4, m.i32(memBase), "FIONREAD = i_size - f_pos")
	Ioctl(c, fd, FIOCLEX, 0)
	require.True(t, c.Files.IsCloseOnExec(fd))
	Ioctl(c, fd, FIONCLEX, 0)
	require.False(t, c.Files.IsCloseOnExec(fd))
	m.b[0] = 1
	Ioctl(c, fd, FIONBIO, memBase)
	fl, _ := Fcntl(c, fd, F_GETFL, 0)
	require.NotZero(t, fl&O_NONBLOCK)
	Ioctl(c, fd, FIOQSIZE, memBase+8)
	require.EqualValues(t, 4096, m.i32(memBase+8))
	p, _ := v.Pipe2(c, 0)
	Write(c, p[1], []byte("abc"))
	_, err = CompatIoctl(c, p[0], FIONREAD, memBase+16)
	require.Equal(t, abi.Errno(0), err)
	require.EqualValues(t, 3, m.i32(memBase+16))
}
