package fs

import (
	"time"

	"github.com/ringo-os/ringo/abi"
)

// This file is stat(2) and friends (fs/stat.c: vfs_getattr, generic_fillattr),
// as a layout-free struct the syscall layer packs into struct stat,
// stat64 or statx.

// Stat is struct kstat.
type Stat struct {
	Dev     uint64 // new_encode_dev(s_dev)
	Ino     uint64
	Mode    uint32
	Nlink   uint32
	Uid     uint32
	Gid     uint32
	Rdev    uint64
	Size    int64
	Blksize int64
	Blocks  int64 // 512-byte units
	Atime   time.Time
	Mtime   time.Time
	Ctime   time.Time
}

// Getattr mirrors vfs_getattr + generic_fillattr (anon inodes mask the
// type bits, anon_inode_getattr).
func Getattr(inode *Inode) Stat {
	inode.mu.Lock()
	defer inode.mu.Unlock()
	st := Stat{
		Ino: inode.Ino, Mode: inode.Mode, Nlink: inode.nlink, Uid: inode.Uid, Gid: inode.Gid,
		Rdev: inode.Rdev.Encode(), Size: inode.size, Blksize: pageSize,
		Atime: inode.atime, Mtime: inode.mtime, Ctime: inode.ctime,
	}
	if inode.Sb != nil {
		st.Dev = inode.Sb.Dev.Encode()
		if inode.Sb.BlockSize > 0 {
			st.Blksize = inode.Sb.BlockSize
		}
	}
	if d, ok := inode.Private.(*ramfsData); ok {
		d.mu.Lock()
		st.Blocks = int64(len(d.pages)) * (pageSize / 512)
		d.mu.Unlock()
	}
	if inode.Sb != nil && inode.Sb.Type == "anon_inodefs" {
		st.Mode &^= S_IFMT
	}
	return st
}

// Fstat mirrors fstat(2) (fdget_raw: O_PATH files may be stat'ed).
func Fstat(c *Caller, fd int) (Stat, abi.Errno) {
	f, err := c.Files.FgetRaw(fd)
	if err != 0 {
		return Stat{}, err
	}
	defer f.DecRef()
	return Getattr(f.Inode), 0
}

// Fstatat mirrors newfstatat(2)/fstatat64: flags may be
// AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH and AT_NO_AUTOMOUNT; others EINVAL.
func (v *VFS) Fstatat(c *Caller, dirfd int, path string, flags int) (Stat, abi.Errno) {
	if flags&^(AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|AT_NO_AUTOMOUNT) != 0 {
		return Stat{}, abi.EINVAL
	}
	if cString(path) == "" && flags&AT_EMPTY_PATH != 0 && dirfd != AT_FDCWD {
		return Fstat(c, dirfd)
	}
	p, err := v.Lookup(c, dirfd, path, flags)
	if err != 0 {
		return Stat{}, err
	}
	return Getattr(p.Dentry.Inode), 0
}
