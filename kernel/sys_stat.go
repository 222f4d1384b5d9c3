package kernel

// The stat family (fs/stat.c, arch/x86/kernel/sys_ia32.c): stat, lstat,
// fstat, newfstatat, statx for x86_64; stat64, lstat64, fstat64,
// fstatat64 for i386 (statx is shared).

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

// AT_STATX_SYNC_TYPE and STATX__RESERVED (include/uapi/linux/fcntl.h, stat.h).
const (
	atStatxSyncType = 0x6000
	statxReserved   = 0x80000000
)

// statAt resolves (dirfd, path, flags) to a kstat: fs.Fstatat applies
// AT_EMPTY_PATH and the flag checks (vfs_fstatat).
func (t *Task) statAt(dirfd int32, pathAddr uint64, flags int32) (fs.Stat, error) {
	path, err := t.copyInPath(pathAddr)
	if err != nil {
		return fs.Stat{}, err
	}
	st, e := t.k.vfs.Fstatat(t.caller, int(dirfd), path, int(flags))
	return st, errOf(e)
}

func (t *Task) storeStat(addr uint64, st fs.Stat, compat64 bool) (uint64, error) {
	if compat64 {
		b := encodeStat64(st)
		return 0, t.copyOut(addr, b[:])
	}
	b := encodeStat(st)
	return 0, t.copyOut(addr, b[:])
}

// pathStat serves stat/lstat (native) and stat64/lstat64 (compat).
func (t *Task) pathStat(a *syscall.Args, flags int32, compat64 bool) (uint64, error) {
	st, err := t.statAt(fs.AT_FDCWD, a.Ptr(0), flags)
	if err != nil {
		return 0, err
	}
	return t.storeStat(a.Ptr(1), st, compat64)
}

func (t *Task) fdStat(a *syscall.Args, compat64 bool) (uint64, error) {
	st, e := fs.Fstat(t.caller, int(a.Fd(0)))
	if e != 0 {
		return 0, e
	}
	return t.storeStat(a.Ptr(1), st, compat64)
}

func (t *Task) atStat(a *syscall.Args, compat64 bool) (uint64, error) {
	st, err := t.statAt(a.Fd(0), a.Ptr(1), a.Int(3))
	if err != nil {
		return 0, err
	}
	return t.storeStat(a.Ptr(2), st, compat64)
}

func (t *Task) sysNewstat(a *syscall.Args) (uint64, error) { return t.pathStat(a, 0, false) }
func (t *Task) sysNewlstat(a *syscall.Args) (uint64, error) {
	return t.pathStat(a, fs.AT_SYMLINK_NOFOLLOW, false)
}
func (t *Task) sysNewfstat(a *syscall.Args) (uint64, error)   { return t.fdStat(a, false) }
func (t *Task) sysNewfstatat(a *syscall.Args) (uint64, error) { return t.atStat(a, false) }
func (t *Task) sysStat64(a *syscall.Args) (uint64, error)     { return t.pathStat(a, 0, true) }
func (t *Task) sysLstat64(a *syscall.Args) (uint64, error) {
	return t.pathStat(a, fs.AT_SYMLINK_NOFOLLOW, true)
}
func (t *Task) sysFstat64(a *syscall.Args) (uint64, error)   { return t.fdStat(a, true) }
func (t *Task) sysFstatat64(a *syscall.Args) (uint64, error) { return t.atStat(a, true) }

// sysStatx is statx(dirfd, path, flags, mask, buf). The sync-type bits
// are accepted (there is nothing remote to sync with) but both together
// are EINVAL, as are reserved mask bits (fs/stat.c:do_statx).
func (t *Task) sysStatx(a *syscall.Args) (uint64, error) {
	flags, mask := a.Int(2), a.Uint(3)
	if mask&statxReserved != 0 || flags&atStatxSyncType == atStatxSyncType {
		return 0, abi.EINVAL
	}
	if flags&^(fs.AT_SYMLINK_NOFOLLOW|fs.AT_NO_AUTOMOUNT|fs.AT_EMPTY_PATH|atStatxSyncType) != 0 {
		return 0, abi.EINVAL
	}
	st, err := t.statAt(a.Fd(0), a.Ptr(1), flags&^atStatxSyncType)
	if err != nil {
		return 0, err
	}
	b := encodeStatx(st)
	return 0, t.copyOut(a.Ptr(4), b[:])
}
