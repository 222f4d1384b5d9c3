package fs

import "github.com/ringo-os/ringo/abi"

// This file is truncate(2) and ftruncate(2) (fs/open.c: do_sys_truncate,
// vfs_truncate, do_sys_ftruncate, do_truncate) over ramfs files.

// Truncate mirrors do_sys_truncate: a negative length is EINVAL before the
// path is looked at; the path is followed (LOOKUP_FOLLOW); then
// vfs_truncate's checks: a directory is EISDIR, any other non-regular
// file EINVAL.
func (v *VFS) Truncate(c *Caller, path string, length int64) abi.Errno {
	if length < 0 {
		return abi.EINVAL
	}
	p, err := v.Lookup(c, AT_FDCWD, path, 0)
	if err != 0 {
		return err
	}
	inode := p.Dentry.Inode
	if inode.IsDir() {
		return abi.EISDIR
	}
	if !inode.IsReg() {
		return abi.EINVAL
	}
	return doTruncate(inode, length)
}

// Ftruncate mirrors do_sys_ftruncate. small is true for the calls that
// take a 32-bit-era off_t (ftruncate, compat ftruncate): then a file not
// opened with O_LARGEFILE cannot be made larger than MAX_NON_LFS (EINVAL).
// ftruncate64 passes small = false. Order: negative length EINVAL, bad or
// O_PATH fd EBADF, not a regular file or not open for writing EINVAL,
// the 2 GiB rule EINVAL.
func Ftruncate(c *Caller, fd int, length int64, small bool) abi.Errno {
	if length < 0 {
		return abi.EINVAL
	}
	f, err := c.Files.Fget(fd)
	if err != 0 {
		return err
	}
	defer f.DecRef()
	if f.Flags()&O_LARGEFILE != 0 {
		small = false
	}
	if !f.Inode.IsReg() || f.Mode&FModeWrite == 0 {
		return abi.EINVAL
	}
	if small && length > maxNonLFS {
		return abi.EINVAL
	}
	return doTruncate(f.Inode, length)
}

// doTruncate mirrors do_truncate + notify_change + inode_newsize_ok +
// ramfs's simple_setattr (s_maxbytes is MAX_LFS_FILESIZE, which no int64
// length exceeds, so EFBIG cannot happen here): shrinking frees the pages
// past the end and zeroes the tail of the last one; growing leaves a hole
// that reads as zeros (bytes a shared mapping stored past the old end are
// cleared first, so they cannot reappear). mtime and ctime change.
// Regular files of other filesystems (procfs) have no page cache Ringo
// can resize: EPERM (Linux's procfs silently accepts and ignores it).
func doTruncate(inode *Inode, length int64) abi.Errno {
	d, ok := inode.Private.(*ramfsData)
	if !ok {
		return abi.EPERM
	}
	inode.mu.Lock()
	defer inode.mu.Unlock()
	if length > inode.size {
		d.truncate(inode, inode.size) // zero the old last page's tail
		inode.size = length
	} else {
		d.truncate(inode, length)
	}
	now := d.v.Now()
	inode.mtime, inode.ctime = now, now
	return 0
}
