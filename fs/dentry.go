package fs

import "strings"

// This file is struct dentry and struct path (include/linux/dcache.h,
// include/linux/path.h). Ramfs and devtmpfs live entirely in the dentry
// tree, as Linux's ramfs lives in the dcache; procfs builds dentries on
// each lookup.

// Dentry mirrors struct dentry: one name in one directory.
// Preconditions for every field but Inode: VFS.ns held.
type Dentry struct {
	Name     string
	Parent   *Dentry // the root is its own parent
	Inode    *Inode
	children map[string]*Dentry
	deleted  bool // unlinked: d_path appends " (deleted)"
}

func newDentry(name string, parent *Dentry, inode *Inode) *Dentry {
	d := &Dentry{Name: name, Parent: parent, Inode: inode}
	if parent == nil {
		d.Parent = d
	}
	if inode != nil && inode.IsDir() {
		if _, dynamic := inode.Private.(dirLookuper); !dynamic {
			d.children = map[string]*Dentry{}
		}
	}
	return d
}

// Path mirrors struct path: a dentry seen through one mount.
type Path struct {
	Mnt    *Mount
	Dentry *Dentry
}

// IsZero reports whether the path is unset.
func (p Path) IsZero() bool { return p.Dentry == nil }

// String mirrors d_path: the absolute path, crossing mount points, with
// " (deleted)" for an unlinked dentry.
func (p Path) String() string {
	if p.Dentry == nil {
		return ""
	}
	if p.Mnt != nil && p.Mnt.vfs != nil {
		p.Mnt.vfs.ns.RLock()
		defer p.Mnt.vfs.ns.RUnlock()
	}
	return p.stringLocked()
}

// Preconditions: VFS.ns held (read).
func (p Path) stringLocked() string {
	var parts []string
	d, m := p.Dentry, p.Mnt
	deleted := d.deleted
	for {
		if m != nil && d == m.Root {
			if m.Parent == nil {
				break
			}
			d, m = m.Mountpoint, m.Parent
			continue
		}
		if d.Parent == d {
			break
		}
		parts = append(parts, d.Name)
		d = d.Parent
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(parts[i])
	}
	if b.Len() == 0 {
		b.WriteByte('/')
	}
	if deleted {
		b.WriteString(" (deleted)")
	}
	return b.String()
}
