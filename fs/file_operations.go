package fs

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/mm"
)

// This file is struct file_operations, the driver API of the seeds. In C
// every member is an optional function pointer the VFS tests for NULL. In
// Go each member is a one-method interface; a driver implements the ones it
// has, and the VFS's type assertion is the `if (f_op->read)` of Linux.
// Defaults a driver may embed (NoopLlseek, CompatPtrIoctl) stand in for
// Linux's noop_llseek and compat_ptr_ioctl.

// FileOperations is any value implementing some of the interfaces below.
// A value implementing none of them is a valid, empty file_operations.
type FileOperations any

// Opener is ->open, called when a file is opened on the inode.
type Opener interface {
	Open(inode *Inode, f *File) error
}

// Releaser is ->release, called once, when the last reference to the file
// goes (not on every close).
type Releaser interface {
	Release(inode *Inode, f *File)
}

// Flusher is ->flush, called on every close of a descriptor.
type Flusher interface {
	Flush(f *File) error
}

// Reader is ->read. pos is the position to read at (f_pos, or pread's
// offset); the method advances it by what it read. For FMODE_STREAM files
// (pipes, sockets, ttys) pos is nil, as Linux's file_ppos gives NULL.
type Reader interface {
	Read(c *Caller, f *File, dst []byte, pos *int64) (int, error)
}

// Writer is ->write, with the same position contract as Reader.
type Writer interface {
	Write(c *Caller, f *File, src []byte, pos *int64) (int, error)
}

// Llseeker is ->llseek: given the current position, return the new one.
// The VFS holds the position lock and stores the result.
type Llseeker interface {
	Llseek(f *File, pos, offset int64, whence int) (int64, error)
}

// UnlockedIoctler is ->unlocked_ioctl (2.6.11+): called without any
// global lock. Returning ENOIOCTLCMD means "not my command".
type UnlockedIoctler interface {
	UnlockedIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error)
}

// CompatIoctler is ->compat_ioctl: the entry for 32-bit callers on a
// 64-bit kernel. arg is the raw 32-bit value.
type CompatIoctler interface {
	CompatIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error)
}

// LockedIoctler is the historical ->ioctl(inode, file, cmd, arg) that the
// VFS called under the Big Kernel Lock until 2.6.35. Only the historical
// dispatch (IoctlHistoric) calls it; the modern VFS ignores it, exactly as
// a 2.6.36+ kernel no longer has the member.
type LockedIoctler interface {
	Ioctl(c *Caller, inode *Inode, f *File, cmd uint32, arg uintptr) (int64, error)
}

// Mmapper is ->mmap: set vma.Ops, vma.Flags, vma.PrivateData (or insert
// pages). An error aborts the mmap.
type Mmapper interface {
	Mmap(f *File, vma *mm.VMA) error
}

// Poller is ->poll: report the ready events now, and register on the
// wait queues that will announce changes (poll_wait).
type Poller interface {
	Poll(f *File, pt *PollTable) PollMask
}

// FdinfoShower is ->show_fdinfo: extra lines of /proc/PID/fdinfo/N.
type FdinfoShower interface {
	ShowFdinfo(f *File) string
}

// NoopLlseek mirrors fs/read_write.c:noop_llseek: lseek succeeds and
// returns the unchanged position. Embed it to get that behaviour.
type NoopLlseek struct{}

// Llseek implements Llseeker.
func (NoopLlseek) Llseek(f *File, pos, offset int64, whence int) (int64, error) {
	return pos, nil
}

// CompatPtrIoctl mirrors fs/ioctl.c:compat_ptr_ioctl (5.5+): a driver
// whose structures have the same layout for 32- and 64-bit callers embeds
// it, and compat calls reach its UnlockedIoctl with a zero-extended arg.
type CompatPtrIoctl struct{}

// CompatIoctl implements CompatIoctler.
func (CompatPtrIoctl) CompatIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	u, ok := f.Op.(UnlockedIoctler)
	if !ok {
		return 0, abi.ENOIOCTLCMD
	}
	return u.UnlockedIoctl(c, f, cmd, uintptr(uint32(arg)))
}

// NonseekableOpen mirrors fs/open.c:nonseekable_open: the file refuses
// lseek, pread and pwrite with ESPIPE.
func NonseekableOpen(inode *Inode, f *File) error {
	f.Mode &^= FModeLseek | FModePread | FModePwrite
	return nil
}
