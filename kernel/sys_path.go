package kernel

// Calls on names: getcwd, chdir, fchdir, mkdir(at), rmdir, unlink(at),
// readlink(at), symlink(at), access/faccessat(2), umask (fs/namei.c,
// fs/open.c, fs/d_path.c, fs/stat.c). rename is in sys_rename.go.

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

// sysGetcwd stores the path and its NUL and returns the length with the
// NUL (the raw syscall's convention, fs/d_path.c).
func (t *Task) sysGetcwd(a *syscall.Args) (uint64, error) {
	size := a.Ulong(1)
	if size > pathMax*16 {
		size = pathMax * 16
	}
	s, e := t.k.vfs.Getcwd(t.caller, int(size))
	if e != 0 {
		return 0, e
	}
	b := append([]byte(s), 0)
	if err := t.copyOut(a.Ptr(0), b); err != nil {
		return 0, err
	}
	return uint64(len(b)), nil
}

func (t *Task) sysChdir(a *syscall.Args) (uint64, error) {
	path, err := t.copyInPath(a.Ptr(0))
	if err != nil {
		return 0, err
	}
	p, e := t.k.vfs.Chdir(t.caller, path)
	if e != 0 {
		return 0, e
	}
	t.caller.Cwd = p
	return 0, nil
}

// sysFchdir: fdget_raw (O_PATH directories are fine), ENOTDIR otherwise.
func (t *Task) sysFchdir(a *syscall.Args) (uint64, error) {
	f, e := t.caller.Files.FgetRaw(int(a.Fd(0)))
	if e != 0 {
		return 0, e
	}
	defer f.DecRef()
	if f.Path.IsZero() || !f.Inode.IsDir() {
		return 0, abi.ENOTDIR
	}
	t.caller.Cwd = f.Path
	return 0, nil
}

func (t *Task) mkdirAt(dirfd int32, pathAddr uint64, mode uint16) (uint64, error) {
	path, err := t.copyInPath(pathAddr)
	if err != nil {
		return 0, err
	}
	return 0, errOf(t.k.vfs.Mkdirat(t.caller, int(dirfd), path, uint32(mode)))
}

func (t *Task) sysMkdir(a *syscall.Args) (uint64, error) {
	return t.mkdirAt(fs.AT_FDCWD, a.Ptr(0), a.Mode(1))
}

func (t *Task) sysMkdirat(a *syscall.Args) (uint64, error) {
	return t.mkdirAt(a.Fd(0), a.Ptr(1), a.Mode(2))
}

func (t *Task) unlinkAt(dirfd int32, pathAddr uint64, flags int32) (uint64, error) {
	if flags&^fs.AT_REMOVEDIR != 0 { // checked before the name, as do_unlinkat's caller
		return 0, abi.EINVAL
	}
	path, err := t.copyInPath(pathAddr)
	if err != nil {
		return 0, err
	}
	return 0, errOf(t.k.vfs.Unlinkat(t.caller, int(dirfd), path, int(flags)))
}

func (t *Task) sysUnlink(a *syscall.Args) (uint64, error) {
	return t.unlinkAt(fs.AT_FDCWD, a.Ptr(0), 0)
}
func (t *Task) sysRmdir(a *syscall.Args) (uint64, error) {
	return t.unlinkAt(fs.AT_FDCWD, a.Ptr(0), fs.AT_REMOVEDIR)
}
func (t *Task) sysUnlinkat(a *syscall.Args) (uint64, error) {
	return t.unlinkAt(a.Fd(0), a.Ptr(1), a.Int(2))
}

// readlinkAt: bufsiz <= 0 is EINVAL before the name is read
// (do_readlinkat); the text is not NUL-terminated.
func (t *Task) readlinkAt(dirfd int32, pathAddr, buf uint64, bufsiz int32) (uint64, error) {
	if bufsiz <= 0 {
		return 0, abi.EINVAL
	}
	path, err := t.copyInPath(pathAddr)
	if err != nil {
		return 0, err
	}
	if path == "" {
		// An empty name reads the link an O_PATH fd refers to; anything
		// else is ENOENT (do_readlinkat: "empty ? -ENOENT : -EINVAL").
		if dirfd == fs.AT_FDCWD {
			return 0, abi.ENOENT
		}
		f, e := t.caller.Files.FgetRaw(int(dirfd))
		if e != 0 {
			return 0, e
		}
		isLink := !f.Path.IsZero() && f.Inode.IsLnk()
		f.DecRef()
		if !isLink {
			return 0, abi.ENOENT
		}
	}
	s, e := t.k.vfs.Readlinkat(t.caller, int(dirfd), path, int(bufsiz))
	if e != 0 {
		return 0, e
	}
	if err := t.copyOut(buf, []byte(s)); err != nil {
		return 0, err
	}
	return uint64(len(s)), nil
}

func (t *Task) sysReadlink(a *syscall.Args) (uint64, error) {
	return t.readlinkAt(fs.AT_FDCWD, a.Ptr(0), a.Ptr(1), a.Int(2))
}

func (t *Task) sysReadlinkat(a *syscall.Args) (uint64, error) {
	return t.readlinkAt(a.Fd(0), a.Ptr(1), a.Ptr(2), a.Int(3))
}

func (t *Task) symlinkAt(targetAddr uint64, dirfd int32, pathAddr uint64) (uint64, error) {
	target, err := t.copyInPath(targetAddr)
	if err != nil {
		return 0, err
	}
	path, err := t.copyInPath(pathAddr)
	if err != nil {
		return 0, err
	}
	return 0, errOf(t.k.vfs.Symlinkat(t.caller, target, int(dirfd), path))
}

func (t *Task) sysSymlink(a *syscall.Args) (uint64, error) {
	return t.symlinkAt(a.Ptr(0), fs.AT_FDCWD, a.Ptr(1))
}

func (t *Task) sysSymlinkat(a *syscall.Args) (uint64, error) {
	return t.symlinkAt(a.Ptr(0), a.Fd(1), a.Ptr(2))
}

// access modes and faccessat2 flags (include/uapi/linux/fcntl.h).
const (
	xOK       = 1
	atEaccess = 0x200
)

// faccessat mirrors do_faccessat for root: existence is checked by the
// lookup, R_OK and W_OK always pass (CAP_DAC_OVERRIDE), X_OK needs an
// execute bit somewhere unless the file is a directory.
func (t *Task) faccessat(dirfd int32, pathAddr uint64, mode, flags int32) (uint64, error) {
	if mode&^7 != 0 {
		return 0, abi.EINVAL
	}
	if flags&^(atEaccess|fs.AT_SYMLINK_NOFOLLOW|fs.AT_EMPTY_PATH) != 0 {
		return 0, abi.EINVAL
	}
	path, err := t.copyInPath(pathAddr)
	if err != nil {
		return 0, err
	}
	p, e := t.k.vfs.Lookup(t.caller, int(dirfd), path, int(flags&(fs.AT_SYMLINK_NOFOLLOW|fs.AT_EMPTY_PATH)))
	if e != 0 {
		return 0, e
	}
	var ino *fs.Inode
	if p.IsZero() { // AT_EMPTY_PATH on a file without a path (pipe, anon inode)
		f, e := t.caller.Files.FgetRaw(int(dirfd))
		if e != 0 {
			return 0, e
		}
		ino = f.Inode
		f.DecRef()
	} else {
		ino = p.Dentry.Inode
	}
	if mode&xOK != 0 && !ino.IsDir() && ino.Mode&0o111 == 0 {
		return 0, abi.EACCES
	}
	return 0, nil
}

func (t *Task) sysAccess(a *syscall.Args) (uint64, error) {
	return t.faccessat(fs.AT_FDCWD, a.Ptr(0), a.Int(1), 0)
}

func (t *Task) sysFaccessat(a *syscall.Args) (uint64, error) {
	return t.faccessat(a.Fd(0), a.Ptr(1), a.Int(2), 0)
}

func (t *Task) sysFaccessat2(a *syscall.Args) (uint64, error) {
	return t.faccessat(a.Fd(0), a.Ptr(1), a.Int(2), a.Int(3))
}

// sysUmask sets the file-creation mask and returns the old one.
func (t *Task) sysUmask(a *syscall.Args) (uint64, error) {
	old := t.caller.Umask
	t.caller.Umask = uint32(a.Int(0)) & 0o777
	return uint64(old), nil
}
