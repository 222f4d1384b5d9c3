// Package fs is Ringo's virtual file system: files, inodes and dentries, the
// per-process file table (files_struct/fdtable), anonymous inodes, character
// and misc devices, ioctl dispatch (unlocked_ioctl, compat_ioctl and the
// historical BKL-locked ioctl), pipes, AF_UNIX stream socketpairs, eventfd
// and epoll, ramfs/initramfs, devtmpfs and procfs.
//
// It is ordinary Go, tested on the host (LINUX-SEMANTICS §2-5, §7). All
// state hangs off a *VFS (NewVFS); the calling task's state (file table,
// cwd, RLIMIT_NOFILE, compat-ness, user memory) is passed in a *Caller.
// Syscall-level functions return (result, abi.Errno); driver-facing
// methods and helpers return error values that are abi.Errno.
//
// Lock order, outermost first:
//
//	VFS.BKL (IoctlHistoric only, around a LockedIoctler call)
//	VFS.ns (dentry trees, mounts)
//	  -> VFS.devMu (char/misc device tables)
//	  -> eventpoll.mtx -> object locks (pipe.mu, unixSock.lock (one per
//	     socket pair), eventfdCtx.mu, Inode.mu -> ramfsData.mu)
//	  -> WaitQueue.mu -> eventpoll.lock
//	FDTable.mu and File.posMu are taken on their own; ->flush and
//	->release run with no fs lock held.
package fs
