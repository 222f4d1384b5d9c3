package fs

import (
	"strings"

	"github.com/ringo-os/ringo/abi"
)

// This file is path lookup (fs/namei.c): walking components from the root
// or a starting directory, "." and "..", crossing mounts, and following
// symlinks up to MAXSYMLINKS.

// maxSymlinks is MAXSYMLINKS (include/linux/namei.h).
const maxSymlinks = 40

// AT_FDCWD and the *at flags (include/uapi/linux/fcntl.h).
const (
	AT_FDCWD            = -100
	AT_SYMLINK_NOFOLLOW = 0x100
	AT_REMOVEDIR        = 0x200
	AT_SYMLINK_FOLLOW   = 0x400
	AT_NO_AUTOMOUNT     = 0x800
	AT_EMPTY_PATH       = 0x1000
)

// dirLookuper is implemented by the Private object of a directory whose
// entries are computed on demand (procfs) instead of kept in the tree.
type dirLookuper interface {
	lookup(c *Caller, dir *Dentry, name string) *Dentry
	readdir(c *Caller, dir *Dentry) []DirEntry
}

// linkGetter is implemented by the Private object of a symlink whose
// target is computed (procfs "self", "fd/N", "exe"). If target is set the
// link is a "magic" link: following it jumps to that path.
type linkGetter interface {
	getLink(c *Caller) (text string, target Path, magic bool, err abi.Errno)
}

// cString cuts a path at its first NUL, which is all Linux ever sees of it
// (strncpy_from_user stops there).
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// nameidata is the state of one walk (struct nameidata).
type nameidata struct {
	v     *VFS
	c     *Caller
	root  Path
	links int // symlinks followed so far
}

// startPath resolves dirfd for a relative path (path_init).
func (v *VFS) startPath(c *Caller, dirfd int, path string) (Path, abi.Errno) {
	if strings.HasPrefix(path, "/") {
		return v.callerRoot(c), 0
	}
	if dirfd == AT_FDCWD {
		if c.Cwd.IsZero() {
			return v.root, 0
		}
		return c.Cwd, 0
	}
	f, err := c.Files.FgetRaw(dirfd)
	if err != 0 {
		return Path{}, err
	}
	defer f.DecRef()
	if f.Path.IsZero() || !f.Inode.IsDir() {
		return Path{}, abi.ENOTDIR
	}
	return f.Path, 0
}

func (v *VFS) callerRoot(c *Caller) Path {
	if c == nil || c.Root.IsZero() {
		return v.root
	}
	return c.Root
}

// lookupChild finds name in dir. Preconditions: v.ns held.
func (nd *nameidata) lookupChild(dir Path, name string) (Path, abi.Errno) {
	if len(name) > NAME_MAX {
		return Path{}, abi.ENAMETOOLONG
	}
	if !dir.Dentry.Inode.IsDir() {
		return Path{}, abi.ENOTDIR
	}
	switch name {
	case ".":
		return dir, 0
	case "..":
		for dir.Dentry == dir.Mnt.Root && dir.Mnt.Parent != nil && dir != nd.root {
			dir = Path{dir.Mnt.Parent, dir.Mnt.Mountpoint}
		}
		if dir == nd.root {
			return dir, 0
		}
		return Path{dir.Mnt, dir.Dentry.Parent}, 0
	}
	var child *Dentry
	if dl, ok := dir.Dentry.Inode.Private.(dirLookuper); ok {
		child = dl.lookup(nd.c, dir.Dentry, name)
	} else {
		child = dir.Dentry.children[name]
	}
	if child == nil {
		return Path{}, abi.ENOENT
	}
	return nd.v.followMount(Path{dir.Mnt, child}), 0
}

// walk resolves path from start. With follow, a final symlink is followed.
// Preconditions: v.ns held (read).
func (nd *nameidata) walk(start Path, path string, follow bool) (Path, abi.Errno) {
	if path == "" {
		return Path{}, abi.ENOENT
	}
	if len(path) >= PATH_MAX {
		return Path{}, abi.ENAMETOOLONG
	}
	cur := start
	if path[0] == '/' {
		cur = nd.root
	}
	comps := strings.Split(path, "/")
	trailingSlash := strings.HasSuffix(path, "/")
	for i, name := range comps {
		if name == "" {
			continue
		}
		last := true
		for _, rest := range comps[i+1:] {
			if rest != "" {
				last = false
				break
			}
		}
		next, err := nd.lookupChild(cur, name)
		if err != 0 {
			return Path{}, err
		}
		if next.Dentry.Inode.IsLnk() && (!last || follow || trailingSlash) {
			if next, err = nd.followLink(cur, next); err != 0 {
				return Path{}, err
			}
		}
		cur = next
	}
	if trailingSlash && !cur.Dentry.Inode.IsDir() {
		return Path{}, abi.ENOTDIR
	}
	return cur, 0
}

// followLink mirrors pick_link + step_into: resolve link (found in dir).
// Preconditions: v.ns held.
func (nd *nameidata) followLink(dir, link Path) (Path, abi.Errno) {
	nd.links++
	if nd.links > maxSymlinks {
		return Path{}, abi.ELOOP
	}
	inode := link.Dentry.Inode
	text := inode.Link
	if lg, ok := inode.Private.(linkGetter); ok {
		t, target, magic, err := lg.getLink(nd.c)
		if err != 0 {
			return Path{}, err
		}
		if !target.IsZero() {
			return target, 0
		}
		if magic {
			// /proc/PID/fd/N of a file without a path (anon inode,
			// pipe, socket): readable, but it cannot be reopened.
			return Path{}, abi.ENXIO
		}
		text = t
	}
	return nd.walk(dir, text, true)
}

// Lookup resolves path relative to dirfd for the caller (filename_lookup).
// flags may hold AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH. An empty path with
// AT_EMPTY_PATH names the fd's own file; for a file without a path (pipe,
// socket, anon inode: Linux's pseudo-filesystem dentries) the result is
// the zero Path with no error, and callers must check IsZero.
func (v *VFS) Lookup(c *Caller, dirfd int, path string, flags int) (Path, abi.Errno) {
	path = cString(path)
	if path == "" && flags&AT_EMPTY_PATH != 0 {
		if dirfd == AT_FDCWD {
			return v.startPath(c, dirfd, ".")
		}
		f, err := c.Files.FgetRaw(dirfd)
		if err != 0 {
			return Path{}, err
		}
		defer f.DecRef()
		return f.Path, 0
	}
	start, err := v.startPath(c, dirfd, path)
	if err != 0 {
		return Path{}, err
	}
	v.ns.RLock()
	defer v.ns.RUnlock()
	nd := &nameidata{v: v, c: c, root: v.callerRoot(c)}
	return nd.walk(start, path, flags&AT_SYMLINK_NOFOLLOW == 0)
}

// lookupParent resolves all but the last component (filename_parentat).
// Preconditions: v.ns held.
func (v *VFS) lookupParent(c *Caller, start Path, path string) (parent Path, last string, trailing bool, err abi.Errno) {
	if path == "" {
		return Path{}, "", false, abi.ENOENT
	}
	if len(path) >= PATH_MAX {
		return Path{}, "", false, abi.ENAMETOOLONG
	}
	trimmed := strings.TrimRight(path, "/")
	trailing = len(trimmed) != len(path)
	if trimmed == "" { // "/" or "///"
		return v.callerRoot(c), "/", trailing, 0
	}
	dirPart, last := "", trimmed
	if i := strings.LastIndexByte(trimmed, '/'); i >= 0 {
		dirPart, last = trimmed[:i+1], trimmed[i+1:]
	}
	if len(last) > NAME_MAX {
		return Path{}, "", false, abi.ENAMETOOLONG
	}
	nd := &nameidata{v: v, c: c, root: v.callerRoot(c)}
	parent = start
	if dirPart != "" {
		if dirPart[0] == '/' && strings.Trim(dirPart, "/") == "" {
			parent = nd.root
		} else if parent, err = nd.walk(start, dirPart, true); err != 0 {
			return Path{}, "", false, err
		}
	}
	if !parent.Dentry.Inode.IsDir() {
		return Path{}, "", false, abi.ENOTDIR
	}
	return parent, last, trailing, 0
}
