package fs

import (
	"fmt"

	"github.com/ringo-os/ringo/abi"
)

// This file is the part of net/socket.c Ringo has: socket(2),
// socketpair(2) and shutdown(2); sock_alloc, which puts every socket on
// an inode of the internal sockfs; sock_alloc_file; and socket_file_ops,
// which hands read, write, poll and ioctl to the protocol family. The
// only family is AF_UNIX, SOCK_STREAM (af_unix.go). bind, connect,
// listen, accept, send/recv with flags and socket options are not here.

// Address families (include/linux/socket.h, 6.12).
const (
	AF_UNSPEC = 0
	AF_UNIX   = 1
	AF_LOCAL  = AF_UNIX
	AF_INET   = 2
	AF_INET6  = 10
	AF_PACKET = 17
	AF_MAX    = 46 // AF_MCTP (45) + 1; NPROTO
	PF_UNIX   = AF_UNIX
)

// Socket types and the flags that share the type argument
// (include/linux/net.h).
const (
	SOCK_STREAM    = 1
	SOCK_DGRAM     = 2
	SOCK_RAW       = 3
	SOCK_RDM       = 4
	SOCK_SEQPACKET = 5
	SOCK_DCCP      = 6
	SOCK_PACKET    = 10
	SOCK_MAX       = SOCK_PACKET + 1
	SOCK_TYPE_MASK = 0xf
	SOCK_CLOEXEC   = O_CLOEXEC
	SOCK_NONBLOCK  = O_NONBLOCK
)

// shutdown(2) modes.
const (
	SHUT_RD   = 0
	SHUT_WR   = 1
	SHUT_RDWR = 2
)

// Socket ioctls answered by AF_UNIX (include/uapi/linux/sockios.h).
const (
	SIOCINQ  = FIONREAD // bytes waiting to be read
	SIOCOUTQ = 0x5411   // TIOCOUTQ: bytes sent but not yet read by the peer
)

// protoOps mirrors struct proto_ops together with the struct sock it
// works on: a family implements it on its per-socket state, so
// sock->ops->sendmsg(sock, ...) becomes s.sk.sendmsg(...). Each method
// takes the socket's own locks.
type protoOps interface {
	// socketpair connects two fresh sockets of the family (->socketpair).
	socketpair(peer protoOps) abi.Errno
	sendmsg(c *Caller, src []byte, nonblock bool) (int, abi.Errno)
	recvmsg(c *Caller, dst []byte, nonblock bool) (int, abi.Errno)
	poll(pt *PollTable) PollMask
	// ioctl returns ENOIOCTLCMD for a command it does not know.
	ioctl(c *Caller, cmd uint32, arg uintptr) (int64, error)
	shutdown(how int) abi.Errno
	// release runs once, when the last reference to the file goes.
	release()
	showFdinfo() string
}

// socket mirrors struct socket: the VFS side of a socket, reachable from
// its inode (SOCKET_I) and from its file's private_data.
type socket struct {
	typ   int    // sock->type: SOCK_STREAM, ...
	inode *Inode // SOCK_INODE
	sk    protoOps
}

// sockAlloc mirrors sock_alloc: a new inode on sockfs, S_IFSOCK|0777
// (S_IRWXUGO), with its own number from get_next_ino.
func (v *VFS) sockAlloc(typ int) *socket {
	inode := v.newInode(v.sockSb, S_IFSOCK|0o777)
	s := &socket{typ: typ, inode: inode}
	inode.Private = s
	v.socketsInUse.Add(1)
	return s
}

// sockRelease mirrors sock_release: the family's release, then the
// socket is gone.
func (v *VFS) sockRelease(s *socket) {
	if s.sk != nil {
		s.sk.release()
		s.sk = nil
	}
	v.socketsInUse.Add(-1)
}

// SocketsInUse is the number of live sockets, the "sockets: used" line of
// /proc/net/sockstat (sock_inuse_get). Tests use it to see that a socket
// is released exactly once.
func (v *VFS) SocketsInUse() int64 { return v.socketsInUse.Load() }

// sockCreate mirrors __sock_create: range checks, then the family's
// ->create. Ringo's net_families holds AF_UNIX only; every other family
// in range is EAFNOSUPPORT, as on a kernel built without it.
func (v *VFS) sockCreate(family, typ, protocol int) (*socket, abi.Errno) {
	if family < 0 || family >= AF_MAX {
		return nil, abi.EAFNOSUPPORT
	}
	if typ < 0 || typ >= SOCK_MAX {
		return nil, abi.EINVAL
	}
	if family != AF_UNIX {
		return nil, abi.EAFNOSUPPORT // net_families[family] == NULL
	}
	s := v.sockAlloc(typ)
	if err := unixCreate(s, protocol); err != 0 {
		v.sockRelease(s)
		return nil, err
	}
	return s, 0
}

// sockAllocFile mirrors sock_alloc_file: an O_RDWR file (plus
// O_NONBLOCK if asked) named "socket:[ino]". It has no llseek (lseek is
// ESPIPE), no pread (ESPIPE) and no mmap (sock_no_mmap: ENODEV).
func (v *VFS) sockAllocFile(s *socket, flags uint32) *File {
	f := v.newFile(s.inode, socketFops{}, O_RDWR|flags&O_NONBLOCK)
	f.pseudoName = fmt.Sprintf("socket:[%d]", s.inode.Ino)
	f.PrivateData = s
	f.Mode |= FModeStream
	f.setCanReadWrite()
	return f
}

// socketTypeFlags splits socket(2)'s type argument as __sys_socket does:
// flags other than SOCK_CLOEXEC|SOCK_NONBLOCK are EINVAL.
func socketTypeFlags(typ int) (int, uint32, abi.Errno) {
	flags := typ &^ SOCK_TYPE_MASK
	if flags&^(SOCK_CLOEXEC|SOCK_NONBLOCK) != 0 {
		return 0, 0, abi.EINVAL
	}
	return typ & SOCK_TYPE_MASK, uint32(flags), 0
}

// Socket mirrors socket(2) (__sys_socket): the socket is created before
// a descriptor is reserved, so a bad family is reported even when the
// table is full. For AF_UNIX SOCK_STREAM the result is a real unbound
// socket: read is EINVAL and write ENOTCONN (nothing can connect it,
// Ringo has no bind/connect), poll says EPOLLOUT|EPOLLHUP, shutdown works.
func (v *VFS) Socket(c *Caller, family, typ, protocol int) (int, abi.Errno) {
	typ, flags, err := socketTypeFlags(typ)
	if err != 0 {
		return -1, err
	}
	s, err := v.sockCreate(family, typ, protocol)
	if err != 0 {
		return -1, err
	}
	fd, err := c.Files.GetUnusedFdFlags(flags, c.NoFile)
	if err != 0 {
		v.sockRelease(s)
		return -1, err
	}
	c.Files.FdInstall(fd, v.sockAllocFile(s, flags))
	return fd, 0
}

// Socketpair mirrors socketpair(2) (__sys_socketpair), in Linux's order:
// the flags, then two descriptors (EMFILE comes before any family or
// type error), then the two sockets and the family's ->socketpair. The
// syscall layer stores the pair; Linux does that put_user before
// creating the sockets, so there a bad pointer is EFAULT even for a bad
// family.
func (v *VFS) Socketpair(c *Caller, family, typ, protocol int) ([2]int, abi.Errno) {
	bad := [2]int{-1, -1}
	typ, flags, err := socketTypeFlags(typ)
	if err != 0 {
		return bad, err
	}
	fd1, err := c.Files.GetUnusedFdFlags(flags, c.NoFile)
	if err != 0 {
		return bad, err
	}
	fd2, err := c.Files.GetUnusedFdFlags(flags, c.NoFile)
	if err != 0 {
		c.Files.PutUnusedFd(fd1)
		return bad, err
	}
	s1, err := v.sockCreate(family, typ, protocol)
	if err != 0 {
		c.Files.PutUnusedFd(fd1)
		c.Files.PutUnusedFd(fd2)
		return bad, err
	}
	s2, err := v.sockCreate(family, typ, protocol)
	if err == 0 {
		err = s1.sk.socketpair(s2.sk)
		if err != 0 {
			v.sockRelease(s2)
		}
	}
	if err != 0 {
		v.sockRelease(s1)
		c.Files.PutUnusedFd(fd1)
		c.Files.PutUnusedFd(fd2)
		return bad, err
	}
	c.Files.FdInstall(fd1, v.sockAllocFile(s1, flags))
	c.Files.FdInstall(fd2, v.sockAllocFile(s2, flags))
	return [2]int{fd1, fd2}, 0
}

// Shutdown mirrors shutdown(2): EBADF for a bad descriptor, ENOTSOCK for
// a file that is not a socket (sockfd_lookup_light), then the family's
// ->shutdown (AF_UNIX: how outside SHUT_RD..SHUT_RDWR is EINVAL).
func Shutdown(c *Caller, fd int, how int) abi.Errno {
	f, err := c.Files.Fget(fd)
	if err != 0 {
		return err
	}
	defer f.DecRef()
	s := sockFromFile(f)
	if s == nil {
		return abi.ENOTSOCK
	}
	return s.sk.shutdown(how)
}

// sockFromFile mirrors sock_from_file: the socket behind f, or nil if f
// is not a socket (its f_op is not socket_file_ops).
func sockFromFile(f *File) *socket {
	if _, ok := f.Op.(socketFops); !ok {
		return nil
	}
	return f.PrivateData.(*socket)
}

// socketFops mirrors socket_file_ops.
type socketFops struct{}

// Read mirrors sock_read_iter: an empty read returns 0 at once; the
// family's recvmsg gets MSG_DONTWAIT from O_NONBLOCK.
func (socketFops) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) {
	if len(dst) == 0 {
		return 0, nil
	}
	n, err := sockFromFile(f).sk.recvmsg(c, dst, f.Nonblocking())
	return n, errOrNil(err)
}

// Write mirrors sock_write_iter. A zero-length write still reaches
// sendmsg (and so still fails with ENOTCONN or EPIPE).
func (socketFops) Write(c *Caller, f *File, src []byte, pos *int64) (int, error) {
	n, err := sockFromFile(f).sk.sendmsg(c, src, f.Nonblocking())
	return n, errOrNil(err)
}

// Poll mirrors sock_poll.
func (socketFops) Poll(f *File, pt *PollTable) PollMask {
	return sockFromFile(f).sk.poll(pt)
}

// UnlockedIoctl mirrors sock_ioctl for the commands the family answers
// (FIONREAD/SIOCINQ, SIOCOUTQ); anything else is ENOTTY (see README).
func (socketFops) UnlockedIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	return sockFromFile(f).sk.ioctl(c, cmd, arg)
}

// CompatIoctl mirrors compat_sock_ioctl: unix_compat_ioctl is unix_ioctl
// with compat_ptr(arg).
func (o socketFops) CompatIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	return o.UnlockedIoctl(c, f, cmd, uintptr(uint32(arg)))
}

// Release mirrors sock_close: the socket goes with the last reference to
// its file, not with every close(2).
func (socketFops) Release(inode *Inode, f *File) {
	f.vfs.sockRelease(sockFromFile(f))
}

// ShowFdinfo mirrors sock_show_fdinfo.
func (socketFops) ShowFdinfo(f *File) string {
	return sockFromFile(f).sk.showFdinfo()
}
