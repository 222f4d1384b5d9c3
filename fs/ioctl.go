package fs

import (
	"github.com/ringo-os/ringo/abi"
)

// This file is ioctl(2) (fs/ioctl.c): the commands the VFS answers itself
// (do_vfs_ioctl), then the driver's ->unlocked_ioctl (vfs_ioctl), and the
// 32-bit entry (compat_sys_ioctl). compat_ioctl_historic.go has the
// 2.6.35 behaviour a course can switch to.

// IoctlMode selects which kernel's ioctl dispatch the VFS reproduces.
type IoctlMode int

const (
	// IoctlModern is 5.6+ (6.12, 6.18): no BKL, no locked ->ioctl,
	// ENOIOCTLCMD -> ENOTTY, compat without ->compat_ioctl -> ENOTTY.
	IoctlModern IoctlMode = iota
	// IoctlHistoric is 2.6.35, the last kernel with the BKL-locked
	// ->ioctl: unlocked_ioctl's ENOIOCTLCMD -> EINVAL, ->ioctl under the
	// BKL with its result unchanged, and fs/compat_ioctl.c's compat path.
	IoctlHistoric
)

// The VFS's own ioctl numbers (include/uapi/asm-generic/ioctls.h,
// include/uapi/linux/fs.h).
const (
	FIBMAP            = 1
	FIGETBSZ          = 2
	FIONCLEX          = 0x5450
	FIOCLEX           = 0x5451
	FIOASYNC          = 0x5452
	FIOQSIZE          = 0x5460
	FIFREEZE          = 0xC0045877
	FITHAW            = 0xC0045878
	FS_IOC_FIEMAP     = 0xC020660B
	FS_IOC_GETFLAGS   = 0x80086601
	FS_IOC_SETFLAGS   = 0x40086602
	FS_IOC32_GETFLAGS = 0x80046601
	FS_IOC32_SETFLAGS = 0x40046602
)

// Ioctl mirrors the native ioctl(2) (SYSCALL_DEFINE3(ioctl)).
//
// The fdput is not deferred, as in Linux: a deferred call is a call and a
// return more on every ioctl, each a lookup of QEMU's jump cache (and
// the two collided there: bench/README.md). If a driver panicked, the
// oops kills the task (kernel/task_oops.go) and a reference Fdget took on
// a shared table would stay taken, as one does after a Linux oops.
func Ioctl(c *Caller, fd int, cmd uint32, arg uintptr) (int64, abi.Errno) {
	d, err := c.Files.Fdget(fd)
	if err != 0 {
		return 0, err
	}
	f := d.File
	var r int64
	if f.vfs != nil && f.vfs.IoctlMode == IoctlHistoric {
		r, err = historicIoctl(c, f, fd, cmd, arg)
	} else if r, err = doVfsIoctl(c, f, fd, cmd, arg); err == abi.ENOIOCTLCMD {
		r, err = vfsIoctl(c, f, cmd, arg)
	}
	d.Put()
	return r, err
}

// CompatIoctl mirrors COMPAT_SYSCALL_DEFINE3(ioctl) (5.6+): the VFS
// commands with a zero-extended pointer, then ->compat_ioctl with the raw
// 32-bit arg. A driver without compat_ioctl gives ENOTTY: its
// unlocked_ioctl is never called for 32-bit callers. The fdput is not
// deferred (Ioctl says why).
func CompatIoctl(c *Caller, fd int, cmd uint32, arg uint32) (int64, abi.Errno) {
	d, err := c.Files.Fdget(fd)
	if err != 0 {
		return 0, err
	}
	f := d.File
	var r int64
	switch {
	case f.vfs != nil && f.vfs.IoctlMode == IoctlHistoric:
		r, err = historicCompatIoctl(c, f, fd, cmd, arg)
	default:
		switch cmd {
		case FS_IOC32_GETFLAGS:
			cmd = FS_IOC_GETFLAGS
		case FS_IOC32_SETFLAGS:
			cmd = FS_IOC_SETFLAGS
		}
		r, err = doVfsIoctl(c, f, fd, cmd, uintptr(arg)) // compat_ptr: zero extension
		if err != abi.ENOIOCTLCMD {
			break
		}
		ci, ok := f.Op.(CompatIoctler)
		if !ok {
			r, err = 0, abi.ENOTTY
			break
		}
		r, err = longResult(ci.CompatIoctl(c, f, cmd, uintptr(arg)))
		if err == abi.ENOIOCTLCMD {
			err = abi.ENOTTY
		}
	}
	d.Put()
	return r, err
}

// vfsIoctl mirrors fs/ioctl.c:vfs_ioctl (3.3+): no method or ENOIOCTLCMD
// is ENOTTY; anything else (a new fd, say) is returned unchanged.
func vfsIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, abi.Errno) {
	u, ok := f.Op.(UnlockedIoctler)
	if !ok {
		return 0, abi.ENOTTY
	}
	r, err := longResult(u.UnlockedIoctl(c, f, cmd, arg))
	if err == abi.ENOIOCTLCMD {
		err = abi.ENOTTY
	}
	return r, err
}

// doVfsIoctl mirrors do_vfs_ioctl (5.6+): ENOIOCTLCMD means "not a VFS
// command, ask the driver".
func doVfsIoctl(c *Caller, f *File, fd int, cmd uint32, arg uintptr) (int64, abi.Errno) {
	inode := f.Inode
	switch cmd {
	case FIOCLEX:
		return 0, c.Files.SetCloseOnExec(fd, true)
	case FIONCLEX:
		return 0, c.Files.SetCloseOnExec(fd, false)
	case FIONBIO:
		on, err := c.getUserInt32(arg)
		if err != 0 {
			return 0, err
		}
		if on != 0 {
			f.setFlagsMasked(O_NONBLOCK, O_NONBLOCK)
		} else {
			f.setFlagsMasked(O_NONBLOCK, 0)
		}
		return 0, 0
	case FIOASYNC:
		on, err := c.getUserInt32(arg)
		if err != 0 {
			return 0, err
		}
		want := uint32(0)
		if on != 0 {
			want = FASYNC
		}
		if (want^f.Flags())&FASYNC != 0 {
			return 0, abi.ENOTTY // no Ringo file has ->fasync
		}
		return 0, 0
	case FIOQSIZE:
		if inode.IsReg() || inode.IsDir() || inode.IsLnk() {
			st := Getattr(inode)
			return 0, c.putUserInt64(arg, st.Blocks*512)
		}
		return 0, abi.ENOTTY
	case FIFREEZE, FITHAW:
		if !c.Privileged {
			return 0, abi.EPERM
		}
		return 0, abi.EOPNOTSUPP // no Ringo filesystem can freeze
	case FIGETBSZ:
		if inode.Sb == nil || inode.Sb.BlockSize == 0 {
			return 0, abi.EINVAL
		}
		return 0, c.putUserInt32(arg, int32(inode.Sb.BlockSize))
	case FS_IOC_FIEMAP:
		return 0, abi.EOPNOTSUPP // no ->fiemap
	case FIONREAD:
		if !inode.IsReg() {
			return vfsIoctl(c, f, cmd, arg)
		}
		return 0, c.putUserInt32(arg, int32(inode.Size()-f.Pos()))
	}
	if inode != nil && inode.IsReg() && cmd == FIBMAP {
		return 0, abi.EINVAL // ramfs has no ->bmap
	}
	return 0, abi.ENOIOCTLCMD
}
