package fs

import (
	"sync"
	"sync/atomic"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/mm"
)

// This file is struct file (include/linux/fs.h) and its reference counting
// (fs/file_table.c): an open file description shared by every descriptor,
// fork copy and mapping that refers to it.

// FMode mirrors fmode_t: what an open file may do, fixed when it is opened.
type FMode uint32

const (
	FModeRead      FMode = 1 << 0  // FMODE_READ: opened for reading
	FModeWrite     FMode = 1 << 1  // FMODE_WRITE: opened for writing
	FModeLseek     FMode = 1 << 2  // FMODE_LSEEK: lseek is allowed
	FModePread     FMode = 1 << 3  // FMODE_PREAD: pread is allowed
	FModePwrite    FMode = 1 << 4  // FMODE_PWRITE: pwrite is allowed
	FModePath      FMode = 1 << 14 // FMODE_PATH: an O_PATH file
	FModeAtomicPos FMode = 1 << 15 // FMODE_ATOMIC_POS: f_pos updates are serialised
	FModeCanRead   FMode = 1 << 17 // FMODE_CAN_READ: f_op has a read method
	FModeCanWrite  FMode = 1 << 18 // FMODE_CAN_WRITE: f_op has a write method
	FModeStream    FMode = 1 << 21 // FMODE_STREAM: no position at all (pipes, sockets)
)

// File mirrors struct file. Position, status flags and PrivateData belong to
// the file and are shared by every descriptor that refers to it; the
// close-on-exec bit belongs to the descriptor (FDTable).
type File struct {
	count atomic.Int64  // f_count; the file is released when it drops to 0
	flags atomic.Uint32 // f_flags: access mode + status flags (F_GETFL)
	owner atomic.Int32  // f_owner pid (F_SETOWN); SIGIO delivery is not implemented

	// Mode is f_mode; set before the file is published, read-only after.
	Mode FMode

	posMu sync.Mutex // f_pos_lock
	pos   int64      // f_pos; guarded by posMu

	// Path is where the file was opened (f_path); zero for files of
	// pseudo filesystems (anon inodes, pipes, sockets), which use pseudoName.
	Path       Path
	pseudoName string
	anonName   bool // pseudoName is an anon inode's name: PathName prefixes "anon_inode:"

	// Inode is f_inode, Op is f_op (replaced once by chrdev/misc open, as
	// Linux's replace_fops).
	Inode *Inode
	Op    FileOperations

	// PrivateData is the driver's private_data.
	PrivateData any

	vfs *VFS

	// epMu guards epLinks, the epoll items watching this file (f_ep).
	epMu    sync.Mutex
	epLinks map[*epitem]struct{}

	released atomic.Bool
}

// newFile mirrors alloc_empty_file + the f_mode part of do_dentry_open:
// one reference, owned by the caller.
func (v *VFS) newFile(inode *Inode, op FileOperations, flags uint32) *File {
	f := new(File)
	v.initFile(f, inode, op, flags)
	return f
}

// initFile is newFile for a File the caller allocated, zeroed: one that
// shares its allocation with the file's private data (eventfd.go).
func (v *VFS) initFile(f *File, inode *Inode, op FileOperations, flags uint32) {
	f.Inode, f.Op, f.vfs = inode, op, v
	f.count.Store(1)
	f.flags.Store(flags)
	switch flags & O_ACCMODE {
	case O_RDONLY:
		f.Mode = FModeRead
	case O_WRONLY:
		f.Mode = FModeWrite
	case O_RDWR:
		f.Mode = FModeRead | FModeWrite
	}
}

// setCanReadWrite mirrors the end of do_dentry_open: FMODE_CAN_READ/WRITE
// say whether the final f_op has the method at all.
func (f *File) setCanReadWrite() {
	if _, ok := f.Op.(Reader); ok && f.Mode&FModeRead != 0 {
		f.Mode |= FModeCanRead
	}
	if _, ok := f.Op.(Writer); ok && f.Mode&FModeWrite != 0 {
		f.Mode |= FModeCanWrite
	}
}

// VFS returns the VFS the file belongs to (drivers reach AnonInodeGetFile
// and the log through it).
func (f *File) VFS() *VFS { return f.vfs }

// IncRef mirrors get_file: the caller already holds a reference.
func (f *File) IncRef() { f.count.Add(1) }

// TryIncRef mirrors atomic_long_inc_not_zero(&f->f_count), the heart of
// the lock-free fdget: it fails once the count has reached zero, because
// the file is then being released and must not be resurrected.
func (f *File) TryIncRef() bool {
	for {
		c := f.count.Load()
		if c <= 0 {
			return false
		}
		if f.count.CompareAndSwap(c, c+1) {
			return true
		}
	}
}

// DecRef mirrors fput: dropping the last reference releases the file
// (__fput) synchronously, in the caller's goroutine.
func (f *File) DecRef() {
	switch c := f.count.Add(-1); {
	case c == 0:
		f.release()
	case c < 0:
		panic("fs: File.DecRef below zero (double fput)")
	}
}

// Count is the current reference count (for tests and /proc).
func (f *File) Count() int64 { return f.count.Load() }

// release mirrors __fput: epoll cleanup, then f_op->release, then the
// inode's last-close work.
func (f *File) release() {
	if !f.released.CompareAndSwap(false, true) {
		panic("fs: File released twice")
	}
	eventpollRelease(f)
	if r, ok := f.Op.(Releaser); ok {
		r.Release(f.Inode, f)
	}
	if f.Inode != nil {
		f.Inode.closeFile(f)
	}
}

// Released reports whether the last reference is gone (for tests).
func (f *File) Released() bool { return f.released.Load() }

// Flags returns f_flags as F_GETFL reports it.
func (f *File) Flags() uint32 { return f.flags.Load() }

// setFlagsMasked replaces the bits of mask with those of val atomically.
func (f *File) setFlagsMasked(mask, val uint32) {
	for {
		old := f.flags.Load()
		if f.flags.CompareAndSwap(old, old&^mask|val&mask) {
			return
		}
	}
}

// Nonblocking reports O_NONBLOCK.
func (f *File) Nonblocking() bool { return f.Flags()&O_NONBLOCK != 0 }

// Pos returns f_pos.
func (f *File) Pos() int64 {
	f.posMu.Lock()
	defer f.posMu.Unlock()
	return f.pos
}

// Readable and Writable are FMODE_READ and FMODE_WRITE (mm.MmapFile).
func (f *File) Readable() bool { return f.Mode&FModeRead != 0 }
func (f *File) Writable() bool { return f.Mode&FModeWrite != 0 }

// Mmap is the call_mmap step of do_mmap (mm.MmapFile): ENODEV when f_op has
// no mmap method (pipes, directories, eventfd).
func (f *File) Mmap(vma *mm.VMA) error {
	m, ok := f.Op.(Mmapper)
	if !ok || f.Mode&FModePath != 0 {
		return abi.ENODEV
	}
	return m.Mmap(f, vma)
}

// MapsName is the name /proc/PID/maps prints for a mapping of this file.
func (f *File) MapsName() string { return f.PathName() }

// MapsDevIno is the device and inode number /proc/PID/maps prints.
func (f *File) MapsDevIno() (major, minor uint32, ino uint64) {
	if f.Inode == nil || f.Inode.Sb == nil {
		return 0, 0, 0
	}
	return f.Inode.Sb.Dev.Major(), f.Inode.Sb.Dev.Minor(), f.Inode.Ino
}

// PathName mirrors d_path as /proc/PID/fd and maps print it: the absolute
// path (+ " (deleted)" once unlinked) or the pseudo name of a file without
// one ("anon_inode:[eventfd]", "pipe:[1234]").
func (f *File) PathName() string {
	if f.anonName {
		return "anon_inode:" + f.pseudoName // built on demand: creating the file stays allocation-light
	}
	if f.pseudoName != "" {
		return f.pseudoName
	}
	return f.Path.String()
}

var _ mm.MmapFile = (*File)(nil)

// longResult converts a C-style long result (r, err) the way the syscall
// return path does: an error wins; a nil error with r in [-4095, -1] is
// that errno, as a C driver returning -EPERM would have produced.
// The error half is its own function, so that this one is small enough
// for the compiler to inline into every ioctl path.
func longResult(r int64, err error) (int64, abi.Errno) {
	if err != nil || r < 0 && r >= -4095 {
		return 0, longErrno(r, err)
	}
	return r, 0
}

//go:noinline
func longErrno(r int64, err error) abi.Errno {
	if err != nil {
		return abi.ErrnoOf(err)
	}
	return abi.Errno(-r)
}
