package fs

import (
	"time"

	"github.com/ringo-os/ringo/abi"
)

// This file is rename(2), renameat(2) and renameat2(2) (fs/namei.c:
// do_renameat2, vfs_rename; fs/libfs.c: simple_rename, which ramfs and
// devtmpfs use) on ramfs-style directories.

// renameat2 flags (include/uapi/linux/fs.h).
const (
	RENAME_NOREPLACE = 1 << 0
	RENAME_EXCHANGE  = 1 << 1
	RENAME_WHITEOUT  = 1 << 2
)

// Renameat2 mirrors do_renameat2. The checks come in Linux's order:
//
//   - flags: unknown bits, or EXCHANGE with NOREPLACE/WHITEOUT, EINVAL;
//   - both parents are walked (ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP);
//   - different mounts EXDEV; a last component that is ".", ".." or "/"
//     EBUSY (EEXIST for the new name with RENAME_NOREPLACE);
//   - the old name must exist (ENOENT); NOREPLACE with an existing new
//     name EEXIST; EXCHANGE with a missing new name ENOENT;
//   - a trailing slash on a non-directory ENOTDIR;
//   - moving a directory below itself EINVAL, onto one of its ancestors
//     ENOTEMPTY;
//   - vfs_rename: the same inode is a no-op; may_delete's ENOTDIR (a
//     directory over a non-directory) and EISDIR (the reverse); a mount
//     point EBUSY; a non-empty target directory ENOTEMPTY;
//   - filesystems without ->rename (procfs) EPERM; RENAME_WHITEOUT is
//     EINVAL from simple_rename.
func (v *VFS) Renameat2(c *Caller, olddirfd int, oldpath string, newdirfd int, newpath string, flags uint32) abi.Errno {
	if flags&^(RENAME_NOREPLACE|RENAME_EXCHANGE|RENAME_WHITEOUT) != 0 {
		return abi.EINVAL
	}
	if flags&(RENAME_NOREPLACE|RENAME_WHITEOUT) != 0 && flags&RENAME_EXCHANGE != 0 {
		return abi.EINVAL
	}
	oldpath, newpath = cString(oldpath), cString(newpath)
	oldStart, err := v.startPath(c, olddirfd, oldpath)
	if err != 0 {
		return err
	}
	newStart, err := v.startPath(c, newdirfd, newpath)
	if err != 0 {
		return err
	}
	v.ns.Lock()
	defer v.ns.Unlock()
	oldParent, oldLast, oldTrailing, err := v.lookupParent(c, oldStart, oldpath)
	if err != 0 {
		return err
	}
	newParent, newLast, newTrailing, err := v.lookupParent(c, newStart, newpath)
	if err != 0 {
		return err
	}
	if oldParent.Mnt != newParent.Mnt {
		return abi.EXDEV
	}
	if !normalName(oldLast) {
		return abi.EBUSY
	}
	if !normalName(newLast) {
		if flags&RENAME_NOREPLACE != 0 {
			return abi.EEXIST
		}
		return abi.EBUSY
	}
	oldDir, newDir := oldParent.Dentry, newParent.Dentry
	if oldDir.children == nil || newDir.children == nil {
		return v.noOpOnDynamicDir(c, oldParent, oldLast)
	}
	old := oldDir.children[oldLast]
	if old == nil || newDir.deleted { // IS_DEADDIR: may_create says ENOENT
		return abi.ENOENT
	}
	target := newDir.children[newLast]
	if flags&RENAME_NOREPLACE != 0 && target != nil {
		return abi.EEXIST
	}
	if flags&RENAME_EXCHANGE != 0 {
		if target == nil {
			return abi.ENOENT
		}
		if !target.Inode.IsDir() && newTrailing {
			return abi.ENOTDIR
		}
	}
	if !old.Inode.IsDir() {
		if oldTrailing || flags&RENAME_EXCHANGE == 0 && newTrailing {
			return abi.ENOTDIR
		}
	}
	// lock_rename's "trap": the old dentry may not be an ancestor of the
	// new parent, nor the target an ancestor of the old parent.
	if isAncestor(old, newDir) {
		return abi.EINVAL
	}
	if target != nil && isAncestor(target, oldDir) {
		if flags&RENAME_EXCHANGE != 0 {
			return abi.EINVAL
		}
		return abi.ENOTEMPTY
	}
	if target != nil && target.Inode == old.Inode {
		return 0 // vfs_rename: source == target does nothing
	}
	if target != nil && flags&RENAME_EXCHANGE == 0 {
		if old.Inode.IsDir() && !target.Inode.IsDir() {
			return abi.ENOTDIR
		}
		if !old.Inode.IsDir() && target.Inode.IsDir() {
			return abi.EISDIR
		}
	}
	if v.isMountpoint(oldParent.Mnt, old) || target != nil && v.isMountpoint(newParent.Mnt, target) {
		return abi.EBUSY
	}
	if flags&RENAME_WHITEOUT != 0 {
		return abi.EINVAL // simple_rename accepts only NOREPLACE and EXCHANGE
	}
	if flags&RENAME_EXCHANGE != 0 {
		v.exchangeLocked(old, target)
		return 0
	}
	if target != nil && target.Inode.IsDir() && len(target.children) != 0 {
		return abi.ENOTEMPTY
	}
	v.moveLocked(old, newDir, newLast, target)
	return 0
}

// normalName reports whether a last component is LAST_NORM.
func normalName(last string) bool { return last != "." && last != ".." && last != "/" }

// isAncestor reports whether a is d or one of d's ancestors.
// Preconditions: v.ns held.
func isAncestor(a, d *Dentry) bool {
	for {
		if d == a {
			return true
		}
		if d.Parent == d {
			return false
		}
		d = d.Parent
	}
}

// moveLocked mirrors simple_rename without RENAME_EXCHANGE: an existing
// target is unlinked (as unlink or rmdir would), the dentry moves, and
// the link counts of the two parents follow a moved directory's "..".
// Preconditions: v.ns held (write).
func (v *VFS) moveLocked(old *Dentry, newDir *Dentry, name string, target *Dentry) {
	oldDir := old.Parent
	isDir := old.Inode.IsDir()
	if target != nil {
		dropDentryLocked(newDir, target)
	}
	delete(oldDir.children, old.Name)
	old.Name, old.Parent = name, newDir
	newDir.children[name] = old
	if isDir && oldDir != newDir {
		oldDir.Inode.addLinks(-1)
		newDir.Inode.addLinks(1)
	}
	now := v.Now()
	old.Inode.touchCtime(now)
	oldDir.Inode.touchMCtime(now)
	newDir.Inode.touchMCtime(now)
}

// exchangeLocked mirrors simple_rename_exchange: the two names swap
// inodes' places; parents' link counts change when exactly one is a
// directory and the parents differ.
// Preconditions: v.ns held (write).
func (v *VFS) exchangeLocked(a, b *Dentry) {
	aDir, bDir := a.Parent, b.Parent
	aName, bName := a.Name, b.Name
	aDir.children[aName], bDir.children[bName] = b, a
	a.Name, a.Parent, b.Name, b.Parent = bName, bDir, aName, aDir
	if aDir != bDir && a.Inode.IsDir() != b.Inode.IsDir() {
		if a.Inode.IsDir() { // a moved from aDir to bDir
			aDir.Inode.addLinks(-1)
			bDir.Inode.addLinks(1)
		} else {
			bDir.Inode.addLinks(-1)
			aDir.Inode.addLinks(1)
		}
	}
	now := v.Now()
	a.Inode.touchCtime(now)
	b.Inode.touchCtime(now)
	aDir.Inode.touchMCtime(now)
	bDir.Inode.touchMCtime(now)
}

// addLinks changes i_nlink by n (inc_nlink/drop_nlink on a parent whose
// ".." count changes).
func (i *Inode) addLinks(n int) {
	i.mu.Lock()
	i.nlink = uint32(int(i.nlink) + n)
	i.mu.Unlock()
}

// touchCtime and touchMCtime mirror inode_set_ctime_current and the
// directory timestamps simple_rename updates.
func (i *Inode) touchCtime(now time.Time) {
	i.mu.Lock()
	i.ctime = now
	i.mu.Unlock()
}

func (i *Inode) touchMCtime(now time.Time) {
	i.mu.Lock()
	i.mtime, i.ctime = now, now
	i.mu.Unlock()
}
