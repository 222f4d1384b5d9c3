package fs

import (
	"github.com/ringo-os/ringo/abi"
)

// This file is open(2)/openat(2) (fs/open.c:do_sys_openat2, fs/namei.c:
// path_openat, do_open, fs/open.c:do_dentry_open).

// openPathFlags is O_PATH_FLAGS: what survives on an O_PATH open.
const openPathFlags = O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC

// Openat mirrors openat(2): reserve a descriptor, open the file, install
// it. mode is used when O_CREAT creates the file.
func (v *VFS) Openat(c *Caller, dirfd int, path string, flags uint32, mode uint32) (int, abi.Errno) {
	fd, err := c.Files.GetUnusedFdFlags(flags, c.NoFile)
	if err != 0 {
		return -1, err
	}
	f, err := v.OpenFile(c, dirfd, path, flags, mode)
	if err != 0 {
		c.Files.PutUnusedFd(fd)
		return -1, err
	}
	c.Files.FdInstall(fd, f)
	return fd, 0
}

// OpenFile mirrors do_filp_open: a referenced file that no table holds yet
// (the kernel uses it for exec; Openat installs it).
func (v *VFS) OpenFile(c *Caller, dirfd int, path string, flags uint32, mode uint32) (*File, abi.Errno) {
	path = cString(path)
	if !c.Compat {
		flags |= O_LARGEFILE // force_o_largefile
	}
	if flags&O_PATH != 0 {
		flags &= openPathFlags
	}
	if flags&O_TMPFILE == O_TMPFILE {
		return nil, abi.EOPNOTSUPP // no Ringo filesystem has ->tmpfile
	}
	start, err := v.startPath(c, dirfd, path)
	if err != 0 {
		return nil, err
	}
	p, created, err := v.openLookup(c, start, path, flags, mode)
	if err != 0 {
		return nil, err
	}
	return v.doOpen(c, p, flags, created)
}

// openLookup finds (or with O_CREAT creates) the target of an open.
func (v *VFS) openLookup(c *Caller, start Path, path string, flags, mode uint32) (Path, bool, abi.Errno) {
	nd := &nameidata{v: v, c: c, root: v.callerRoot(c)}
	if flags&O_CREAT == 0 {
		v.ns.RLock()
		defer v.ns.RUnlock()
		p, err := nd.walk(start, path, flags&O_NOFOLLOW == 0)
		if err != 0 {
			return Path{}, false, err
		}
		if p.Dentry.Inode.IsLnk() && flags&O_PATH == 0 {
			return Path{}, false, abi.ELOOP // O_NOFOLLOW on a symlink
		}
		return p, false, 0
	}
	v.ns.Lock()
	defer v.ns.Unlock()
	parent, last, trailing, err := v.lookupParent(c, start, path)
	if err != 0 {
		return Path{}, false, err
	}
	if trailing || last == "/" || last == "." || last == ".." {
		return Path{}, false, abi.EISDIR
	}
	existing, err := nd.lookupChild(parent, last)
	switch err {
	case 0:
		if flags&O_EXCL != 0 {
			return Path{}, false, abi.EEXIST
		}
		if existing.Dentry.Inode.IsLnk() {
			if flags&O_NOFOLLOW != 0 {
				return Path{}, false, abi.ELOOP
			}
			if existing, err = nd.followLink(parent, existing); err != 0 {
				return Path{}, false, err
			}
		}
		return existing, false, 0
	case abi.ENOENT:
		d, err := v.createLocked(c, parent, last, S_IFREG|(mode&0o7777&^c.Umask), 0)
		if err != 0 {
			return Path{}, false, err
		}
		return Path{parent.Mnt, d}, true, 0
	}
	return Path{}, false, err
}

// doOpen mirrors do_open + vfs_open + do_dentry_open.
func (v *VFS) doOpen(c *Caller, p Path, flags uint32, created bool) (*File, abi.Errno) {
	inode := p.Dentry.Inode
	if flags&O_PATH != 0 {
		if flags&O_DIRECTORY != 0 && !inode.IsDir() {
			return nil, abi.ENOTDIR
		}
		f := v.newFile(inode, nil, flags)
		f.Mode = FModePath
		f.Path = p
		return f, 0
	}
	acc := flags & O_ACCMODE
	if flags&O_DIRECTORY != 0 && !inode.IsDir() {
		return nil, abi.ENOTDIR
	}
	if inode.IsDir() && (acc != O_RDONLY || flags&O_TRUNC != 0 || flags&O_CREAT != 0 && !created) {
		return nil, abi.EISDIR
	}
	if inode.IsChr() && p.Mnt != nil && p.Mnt.Flags&MS_NODEV != 0 {
		return nil, abi.EACCES
	}
	f := v.newFile(inode, inode.Fops, flags&^(O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_CLOEXEC))
	f.Path = p
	f.Mode |= FModeLseek | FModePread | FModePwrite
	if inode.IsReg() || inode.IsDir() {
		f.Mode |= FModeAtomicPos
	}
	// handle_truncate: do_truncate to 0, which also sets mtime and ctime,
	// even for a file that was empty already. Files without a page cache
	// (procfs) keep their contents, as proc's setattr ignores the size.
	if _, ok := inode.Private.(*ramfsData); ok && flags&O_TRUNC != 0 && !created {
		if err := doTruncate(inode, 0); err != 0 {
			return nil, err
		}
	}
	if op, ok := f.Op.(Opener); ok {
		if err := op.Open(inode, f); err != nil {
			return nil, abi.ErrnoOf(err)
		}
	}
	if _, ok := f.Op.(Llseeker); !ok {
		f.Mode &^= FModeLseek
	}
	f.setCanReadWrite()
	f.Mode |= fmodeCountedOpen
	inode.openFile()
	return f, 0
}

// createLocked mirrors vfs_create/vfs_mknod/vfs_mkdir on a ramfs-style
// directory. Directories of other filesystems (procfs) have no ->create:
// EACCES, as may_o_create reports. Preconditions: v.ns held (write).
func (v *VFS) createLocked(c *Caller, parent Path, name string, mode uint32, rdev DevT) (*Dentry, abi.Errno) {
	dir := parent.Dentry
	if dir.children == nil || dir.deleted {
		if dir.deleted {
			return nil, abi.ENOENT
		}
		return nil, abi.EACCES
	}
	if _, exists := dir.children[name]; exists {
		return nil, abi.EEXIST
	}
	inode := v.newRamfsInode(dir.Inode.Sb, mode, rdev)
	d := newDentry(name, dir, inode)
	dir.children[name] = d
	if inode.IsDir() {
		dir.Inode.mu.Lock()
		dir.Inode.nlink++
		dir.Inode.mu.Unlock()
	}
	return d, 0
}

// Close mirrors close(2) for the caller.
func Close(c *Caller, fd int) abi.Errno { return c.Files.Close(fd) }
