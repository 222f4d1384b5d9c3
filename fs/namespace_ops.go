package fs

import (
	"slices"
	"strings"

	"github.com/ringo-os/ringo/abi"
)

// This file is the directory-changing calls (fs/namei.c: do_mkdirat,
// do_mknodat, do_symlinkat, do_unlinkat, do_rmdir; fs/stat.c:
// do_readlinkat; fs/readdir.c: getdents64; fs/open.c: chdir; fs/d_path.c:
// getcwd) on ramfs-style directories.

// Mkdirat mirrors mkdirat(2).
func (v *VFS) Mkdirat(c *Caller, dirfd int, path string, mode uint32) abi.Errno {
	return v.mknodCommon(c, dirfd, path, S_IFDIR|(mode&0o7777&^c.Umask), 0, true)
}

// Mknodat mirrors mknodat(2) for regular files, FIFOs and character
// devices (block devices and sockets: EPERM/EINVAL as Linux without them).
func (v *VFS) Mknodat(c *Caller, dirfd int, path string, mode uint32, dev DevT) abi.Errno {
	switch mode & S_IFMT {
	case 0:
		mode |= S_IFREG
	case S_IFREG, S_IFIFO:
	case S_IFCHR:
		if !c.Privileged {
			return abi.EPERM
		}
	case S_IFBLK, S_IFSOCK:
		return abi.EPERM
	default:
		return abi.EINVAL
	}
	return v.mknodCommon(c, dirfd, path, mode&^(c.Umask&0o777), dev, false)
}

// createTarget is the common part of filename_create: the parent of the
// name to create and its last component, which must be a real name ("/",
// "." and ".." already exist).
//
// Preconditions: v.ns is held.
func (v *VFS) createTarget(c *Caller, start Path, path string) (parent Path, last string, trailing bool, err abi.Errno) {
	parent, last, trailing, err = v.lookupParent(c, start, path)
	if err == 0 && !normalName(last) {
		err = abi.EEXIST
	}
	return parent, last, trailing, err
}

func (v *VFS) mknodCommon(c *Caller, dirfd int, path string, mode uint32, dev DevT, dirOK bool) abi.Errno {
	path = cString(path)
	start, err := v.startPath(c, dirfd, path)
	if err != 0 {
		return err
	}
	v.ns.Lock()
	defer v.ns.Unlock()
	parent, last, trailing, err := v.createTarget(c, start, path)
	if err != 0 {
		return err
	}
	if trailing && !dirOK {
		return abi.ENOENT
	}
	if parent.Dentry.children == nil && !parent.Dentry.deleted {
		if _, ok := parent.Dentry.Inode.Private.(dirLookuper); ok {
			if _, err := (&nameidata{v: v, c: c}).lookupChild(parent, last); err == 0 {
				return abi.EEXIST
			}
			return abi.EPERM // procfs directories have no ->mkdir/->mknod
		}
	}
	_, err = v.createLocked(c, parent, last, mode, dev)
	return err
}

// Symlinkat mirrors symlinkat(2).
func (v *VFS) Symlinkat(c *Caller, target string, dirfd int, path string) abi.Errno {
	target, path = cString(target), cString(path)
	if target == "" {
		return abi.ENOENT
	}
	if len(target) >= PATH_MAX {
		return abi.ENAMETOOLONG
	}
	start, err := v.startPath(c, dirfd, path)
	if err != 0 {
		return err
	}
	v.ns.Lock()
	defer v.ns.Unlock()
	parent, last, trailing, err := v.createTarget(c, start, path)
	if err != 0 {
		return err
	}
	if trailing {
		return abi.ENOENT
	}
	d, err := v.createLocked(c, parent, last, S_IFLNK|0o777, 0)
	if err != 0 {
		return err
	}
	d.Inode.Link = target
	d.Inode.size = int64(len(target))
	return 0
}

// Unlinkat mirrors unlinkat(2); AT_REMOVEDIR makes it rmdir.
func (v *VFS) Unlinkat(c *Caller, dirfd int, path string, flags int) abi.Errno {
	if flags&^AT_REMOVEDIR != 0 {
		return abi.EINVAL
	}
	path = cString(path)
	start, err := v.startPath(c, dirfd, path)
	if err != 0 {
		return err
	}
	v.ns.Lock()
	defer v.ns.Unlock()
	parent, last, trailing, err := v.lookupParent(c, start, path)
	if err != 0 {
		return err
	}
	rmdir := flags&AT_REMOVEDIR != 0
	switch last {
	case ".":
		if rmdir {
			return abi.EINVAL
		}
		return abi.EISDIR
	case "..", "/":
		if rmdir {
			return abi.ENOTEMPTY
		}
		return abi.EISDIR
	}
	if parent.Dentry.children == nil {
		if _, ok := parent.Dentry.Inode.Private.(dirLookuper); ok {
			return v.noOpOnDynamicDir(c, parent, last)
		}
		return abi.ENOENT
	}
	d := parent.Dentry.children[last]
	if d == nil {
		return abi.ENOENT
	}
	if v.isMountpoint(parent.Mnt, d) {
		return abi.EBUSY
	}
	if rmdir {
		if !d.Inode.IsDir() {
			return abi.ENOTDIR
		}
		if len(d.children) != 0 {
			return abi.ENOTEMPTY
		}
	} else {
		if d.Inode.IsDir() {
			return abi.EISDIR
		}
		if trailing {
			return abi.ENOTDIR
		}
	}
	delete(parent.Dentry.children, last)
	dropDentryLocked(parent.Dentry, d)
	now := v.Now()
	d.Inode.touchCtime(now)
	parent.Dentry.Inode.touchMCtime(now)
	return 0
}

// dropDentryLocked is the link-count half of simple_unlink/simple_rmdir,
// for unlink and for the target a rename replaces: the name is dead, the
// inode loses a link, and a directory also loses its "." and its
// parent the ".." pointing back.
// Preconditions: v.ns held (write); d is no longer in dir.children, or
// is about to be replaced there.
func dropDentryLocked(dir, d *Dentry) {
	d.deleted = true
	if d.Inode.IsDir() {
		d.Inode.dropLink() // its "."
		dir.Inode.addLinks(-1)
	}
	d.Inode.dropLink()
}

// isMountpoint reports whether d is mounted on in m.
// Preconditions: v.ns held.
func (v *VFS) isMountpoint(m *Mount, d *Dentry) bool {
	_, ok := v.mounts[mountKey{m, d}]
	return ok
}

// noOpOnDynamicDir answers unlink, rmdir or rename in a directory whose
// entries are computed (procfs): a missing name is ENOENT, otherwise the
// directory has no such operation: EPERM (vfs_unlink, vfs_rmdir,
// vfs_rename).
// Preconditions: v.ns held.
func (v *VFS) noOpOnDynamicDir(c *Caller, parent Path, last string) abi.Errno {
	if _, err := (&nameidata{v: v, c: c}).lookupChild(parent, last); err != 0 {
		return err
	}
	return abi.EPERM
}

// Readlinkat mirrors readlinkat(2) (fs/stat.c:do_readlinkat): the link
// text, cut to bufsiz bytes (no NUL). bufsiz <= 0 is EINVAL. A
// non-symlink is EINVAL, except for the empty name (AT_EMPTY_PATH on the
// fd itself), which is ENOENT: that covers fds of files without a path
// (pipes, sockets, anon inodes), whose Lookup result is the zero Path.
func (v *VFS) Readlinkat(c *Caller, dirfd int, path string, bufsiz int) (string, abi.Errno) {
	if bufsiz <= 0 {
		return "", abi.EINVAL
	}
	p, err := v.Lookup(c, dirfd, path, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH)
	if err != 0 {
		return "", err
	}
	empty := cString(path) == ""
	if p.IsZero() || !p.Dentry.Inode.IsLnk() {
		if empty {
			return "", abi.ENOENT
		}
		return "", abi.EINVAL
	}
	inode := p.Dentry.Inode
	text := inode.Link
	if lg, ok := inode.Private.(linkGetter); ok {
		t, target, _, err := lg.getLink(c)
		if err != 0 {
			return "", err
		}
		text = t
		if t == "" && !target.IsZero() {
			text = target.String()
		}
	}
	if len(text) > bufsiz {
		text = text[:bufsiz]
	}
	return text, 0
}

// DirEntry is one record of getdents64 (struct linux_dirent64 without the
// record framing, which the syscall layer adds).
type DirEntry struct {
	Ino  uint64
	Type uint8 // DT_* (d_type)
	Name string
}

// DT_* values of d_type.
const (
	DT_UNKNOWN = 0
	DT_FIFO    = 1
	DT_CHR     = 2
	DT_DIR     = 4
	DT_REG     = 8
	DT_LNK     = 10
	DT_SOCK    = 12
)

func dtype(mode uint32) uint8 { return uint8(mode & S_IFMT >> 12) }

// Getdents64 mirrors getdents64(2) at the record level: it returns the
// entries after the file position ("." and ".." first) and advances the
// position by the number returned. max limits how many (the syscall layer
// derives it from the buffer size; 0 → EINVAL as a too-small buffer).
func (v *VFS) Getdents64(c *Caller, fd int, max int) ([]DirEntry, abi.Errno) {
	f, err := c.Files.Fget(fd)
	if err != 0 {
		return nil, err
	}
	defer f.DecRef()
	if !f.Inode.IsDir() || f.Path.IsZero() {
		return nil, abi.ENOTDIR
	}
	if max <= 0 {
		return nil, abi.EINVAL
	}
	all := v.readdir(c, f.Path)
	f.posMu.Lock()
	defer f.posMu.Unlock()
	if f.pos < 0 || f.pos >= int64(len(all)) {
		return nil, 0
	}
	out := all[f.pos:min(int64(len(all)), f.pos+int64(max))]
	f.pos += int64(len(out))
	return out, 0
}

func (v *VFS) readdir(c *Caller, p Path) []DirEntry {
	v.ns.RLock()
	defer v.ns.RUnlock()
	d := p.Dentry
	parent := d.Parent
	out := []DirEntry{{d.Inode.Ino, DT_DIR, "."}, {parent.Inode.Ino, DT_DIR, ".."}}
	if dl, ok := d.Inode.Private.(dirLookuper); ok {
		return append(out, dl.readdir(c, d)...)
	}
	names := make([]string, 0, len(d.children))
	for name := range d.children {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		ch := d.children[name]
		out = append(out, DirEntry{ch.Inode.Ino, dtype(ch.Inode.Mode), name})
	}
	return out
}

// Chdir mirrors chdir(2): the new cwd for the caller to store.
func (v *VFS) Chdir(c *Caller, path string) (Path, abi.Errno) {
	p, err := v.Lookup(c, AT_FDCWD, path, 0)
	if err != 0 {
		return Path{}, err
	}
	if !p.Dentry.Inode.IsDir() {
		return Path{}, abi.ENOTDIR
	}
	return p, 0
}

// Getcwd mirrors getcwd(2): ERANGE if size is too small for the path and
// its NUL; ENOENT if the cwd was removed.
func (v *VFS) Getcwd(c *Caller, size int) (string, abi.Errno) {
	cwd := c.Cwd
	if cwd.IsZero() {
		cwd = v.root
	}
	s := cwd.String()
	if strings.HasSuffix(s, " (deleted)") {
		return "", abi.ENOENT
	}
	if len(s)+1 > size {
		return "", abi.ERANGE
	}
	return s, 0
}
