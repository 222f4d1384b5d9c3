package fs

import (
	"github.com/ringo-os/ringo/abi"
)

// This file is ioctl dispatch as Linux 2.6.35 did it (fs/ioctl.c and
// fs/compat_ioctl.c before b19dd42faf41 removed the locked ->ioctl), so a
// course can run the same driver under both and see what changed:
//
//   - ->unlocked_ioctl is preferred; its ENOIOCTLCMD becomes EINVAL
//     (ENOTTY only from 3.3).
//   - otherwise ->ioctl(inode, file, cmd, arg) runs under the Big Kernel
//     Lock, its result passed through unchanged (ENOIOCTLCMD leaks out).
//   - compat: ->compat_ioctl first; then a file with no native method gets
//     the VFS commands; then the COMPATIBLE_IOCTL table reaches the native
//     handler; anything else is logged and EINVAL.
//
// Not modelled: the BKL was recursive and dropped when its holder slept;
// here it is a plain mutex. The structure translations of do_ioctl_trans
// (SG_IO, HDIO, PPP, ...) are absent, so those commands take the
// "unknown" path.

// historicCompatibleIoctls is the COMPATIBLE_IOCTL table subset Ringo
// knows: commands whose layout is identical for 32-bit callers.
var historicCompatibleIoctls = map[uint32]bool{
	TCGETS: true, TCSETS: true, TCSETSW: true, TCSETSF: true,
	TIOCGPGRP: true, TIOCGWINSZ: true, TIOCSWINSZ: true,
}

// historicDoVfsIoctl mirrors 2.6.35's do_vfs_ioctl + file_ioctl: FIGETBSZ
// and FIONREAD are VFS commands only on regular files.
func historicDoVfsIoctl(c *Caller, f *File, fd int, cmd uint32, arg uintptr) (int64, abi.Errno) {
	switch cmd {
	case FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIOQSIZE, FIFREEZE, FITHAW:
		return doVfsIoctl(c, f, fd, cmd, arg)
	case FIBMAP, FIGETBSZ, FIONREAD:
		if f.Inode.IsReg() {
			return doVfsIoctl(c, f, fd, cmd, arg)
		}
	}
	return historicVfsIoctl(c, f, cmd, arg)
}

// historicVfsIoctl mirrors 2.6.35's vfs_ioctl.
func historicVfsIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, abi.Errno) {
	if u, ok := f.Op.(UnlockedIoctler); ok {
		r, err := longResult(u.UnlockedIoctl(c, f, cmd, arg))
		if err == abi.ENOIOCTLCMD {
			err = abi.EINVAL
		}
		return r, err
	}
	if l, ok := f.Op.(LockedIoctler); ok {
		v := f.vfs
		v.BKL.Lock() // lock_kernel()
		defer v.BKL.Unlock()
		return longResult(l.Ioctl(c, f.Inode, f, cmd, arg))
	}
	return 0, abi.ENOTTY
}

func historicIoctl(c *Caller, f *File, fd int, cmd uint32, arg uintptr) (int64, abi.Errno) {
	return historicDoVfsIoctl(c, f, fd, cmd, arg)
}

// historicCompatIoctl mirrors 2.6.35's compat_sys_ioctl.
func historicCompatIoctl(c *Caller, f *File, fd int, cmd uint32, arg uint32) (int64, abi.Errno) {
	switch cmd {
	case FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIOQSIZE:
		return historicDoVfsIoctl(c, f, fd, cmd, uintptr(arg))
	case FIBMAP, FIGETBSZ, FIONREAD:
		if f.Inode.IsReg() {
			return historicDoVfsIoctl(c, f, fd, cmd, uintptr(arg))
		}
	}
	if ci, ok := f.Op.(CompatIoctler); ok {
		r, err := longResult(ci.CompatIoctl(c, f, cmd, uintptr(arg)))
		if err != abi.ENOIOCTLCMD {
			return r, err
		}
	}
	_, hasUnlocked := f.Op.(UnlockedIoctler)
	_, hasLocked := f.Op.(LockedIoctler)
	if !hasUnlocked && !hasLocked {
		return historicDoVfsIoctl(c, f, fd, cmd, uintptr(arg))
	}
	if historicCompatibleIoctls[cmd] {
		return historicDoVfsIoctl(c, f, fd, cmd, uintptr(arg)) // compat_ptr(arg)
	}
	// compat_ioctl_error: rate-limited in Linux; Ringo logs the first 10.
	if f.vfs.ioctl32Warned.Add(1) <= 10 {
		f.vfs.Log.Printk(KernErr, "ioctl32(%d): Unknown cmd fd(%d) cmd(%08x){t:%q;sz:%d} arg(%08x) on %s",
			callerPid(c), fd, cmd, rune(cmd>>8&0xff), cmd>>16&0x3fff, arg, f.PathName())
	}
	return 0, abi.EINVAL
}

func callerPid(c *Caller) int {
	if c != nil && c.Proc != nil {
		return c.Proc.Pid()
	}
	return 0
}
