package fs

import "github.com/ringo-os/ringo/abi"

// This file is the mount table (fs/namespace.c): which filesystem root
// hides which directory. One namespace per VFS.

// MS_NODEV mirrors the mount flag that forbids opening device nodes.
const MS_NODEV = 4

// Mount mirrors struct mount / vfsmount.
type Mount struct {
	ID         int
	Sb         *SuperBlock
	Root       *Dentry
	Parent     *Mount  // nil for the root mount
	Mountpoint *Dentry // the dentry in Parent this mount covers
	Flags      int     // MS_NODEV
	vfs        *VFS
}

type mountKey struct {
	parent *Mount
	dentry *Dentry
}

// Mount attaches a filesystem root at the directory path, as mount(2)
// does. Mounting on a non-directory is ENOTDIR; the mount point must not
// already be covered (Linux stacks mounts; Ringo keeps one per point,
// EBUSY otherwise).
func (v *VFS) Mount(at Path, sb *SuperBlock, root *Dentry, flags int) (*Mount, error) {
	v.ns.Lock()
	defer v.ns.Unlock()
	if !at.Dentry.Inode.IsDir() {
		return nil, abi.ENOTDIR
	}
	key := mountKey{at.Mnt, at.Dentry}
	if _, busy := v.mounts[key]; busy {
		return nil, abi.EBUSY
	}
	v.mountSeq++
	m := &Mount{ID: v.mountSeq, Sb: sb, Root: root, Parent: at.Mnt, Mountpoint: at.Dentry, Flags: flags, vfs: v}
	v.mounts[key] = m
	return m, nil
}

// Preconditions: v.ns held. followMount mirrors follow_mount: step onto
// whatever is mounted on p.
func (v *VFS) followMount(p Path) Path {
	for {
		m, ok := v.mounts[mountKey{p.Mnt, p.Dentry}]
		if !ok {
			return p
		}
		p = Path{m, m.Root}
	}
}
