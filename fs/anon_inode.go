package fs

// This file is fs/anon_inodes.c: files without a path that share one
// inode, handed out by eventfd, epoll and drivers' ioctls (seed 000).

const anonInodeMagic = 0x09041934

// newAnonInode mirrors anon_inode_init: the boot-time singleton inode,
// mode 0600 with no type bits (as up to 6.14; 6.15 made it S_IFREG inside
// the kernel but stat still masks it), uid/gid 0. Having no type matters:
// a "regular" anon file would get do_vfs_ioctl's regular-file commands.
func (v *VFS) newAnonInode() *Inode {
	sb := &SuperBlock{Type: "anon_inodefs", Magic: anonInodeMagic, Dev: v.anonDev(), BlockSize: pageSize}
	return v.newInode(sb, 0o600)
}

// AnonInode returns the singleton inode (tests compare st_ino with it).
func (v *VFS) AnonInode() *Inode { return v.anonInode }

// AnonInodeGetFile mirrors anon_inode_getfile: a new file on the shared
// inode, named "anon_inode:"+name, with f_flags = flags &
// (O_ACCMODE|O_NONBLOCK). It has no descriptor; the caller owns the one
// reference. lseek works only if fops has Llseek; pread/pwrite never do.
func (v *VFS) AnonInodeGetFile(name string, fops FileOperations, priv any, flags uint32) (*File, error) {
	f := new(File)
	v.initAnonFile(f, name, fops, priv, flags)
	return f, nil
}

// initAnonFile makes the zeroed f what AnonInodeGetFile returns.
func (v *VFS) initAnonFile(f *File, name string, fops FileOperations, priv any, flags uint32) {
	v.initFile(f, v.anonInode, fops, flags&(O_ACCMODE|O_NONBLOCK))
	f.pseudoName, f.anonName = name, true
	f.PrivateData = priv
	if _, ok := fops.(Llseeker); ok {
		f.Mode |= FModeLseek
	}
	f.setCanReadWrite()
}

// AnonInodeGetFd mirrors anon_inode_getfd: reserve a descriptor in the
// caller's table (O_CLOEXEC honoured; EMFILE possible), create the file,
// install it. After this returns the fd may already be closed by another
// thread: the caller must not touch the file any more.
func (v *VFS) AnonInodeGetFd(c *Caller, name string, fops FileOperations, priv any, flags uint32) (int, error) {
	return v.anonInodeGetFdIn(c, new(File), name, fops, priv, flags)
}

// anonInodeGetFdIn is AnonInodeGetFd with the File supplied, zeroed, by
// the caller, which allocated it together with priv (eventfd.go says why).
// The new File is only written once the descriptor is reserved, so an
// EMFILE leaves f as it was.
func (v *VFS) anonInodeGetFdIn(c *Caller, f *File, name string, fops FileOperations, priv any, flags uint32) (int, error) {
	fd, err := c.Files.GetUnusedFdFlags(flags, c.NoFile)
	if err != 0 {
		return -1, err
	}
	v.initAnonFile(f, name, fops, priv, flags)
	c.Files.FdInstall(fd, f)
	return fd, nil
}
