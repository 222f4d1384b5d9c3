package kernel

// read, write, readv, writev, pread64, pwrite64 (fs/read_write.c).
// User buffers are moved through a bounded kernel buffer, so a hostile
// count never makes the kernel allocate more than rwChunk.

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

// rwChunk is the most one step of a transfer holds in kernel memory.
const rwChunk = 64 << 10

// iovec is one user segment (struct iovec or struct compat_iovec).
type iovec struct{ base, len uint64 }

// rwFile checks an fd for reading or writing in vfs_read/vfs_write's
// order: EBADF (unopened or wrong access mode), EINVAL (no method). The
// caller must Put what it returns (fdput).
func (t *Task) rwFile(fd int32, write bool) (fs.FD, error) {
	return t.rwFileAt(fd, write, false)
}

// rwFileAt is rwFile for pread/pwrite (positioned): ksys_pread64 tests
// FMODE_PREAD before vfs_read looks at the access mode, so a pipe or an
// anon inode answers ESPIPE even when it could not be read at all.
func (t *Task) rwFileAt(fd int32, write, positioned bool) (fs.FD, error) {
	d, e := t.caller.Files.Fdget(int(fd))
	if e != 0 {
		return fs.FD{}, e
	}
	mode := d.File.Mode
	if positioned {
		pmode := fs.FModePread
		if write {
			pmode = fs.FModePwrite
		}
		if mode&pmode == 0 {
			d.Put()
			return fs.FD{}, abi.ESPIPE
		}
	}
	need, can := fs.FModeRead, fs.FModeCanRead
	if write {
		need, can = fs.FModeWrite, fs.FModeCanWrite
	}
	if mode&need == 0 {
		d.Put()
		return fs.FD{}, abi.EBADF
	}
	if mode&can == 0 {
		d.Put()
		return fs.FD{}, abi.EINVAL
	}
	return d, nil
}

// transfer moves data between f and the user segments, in order, until
// a segment is short. pos is nil for the file position (read/write) or
// the explicit offset (pread/pwrite), which the file's method advances
// as Linux's ->read advances *ppos. A fault after some bytes moved
// returns the count, as Linux's copy loops do.
func (t *Task) transfer(f *fs.File, segs []iovec, write bool, pos *int64) (uint64, error) {
	var total uint64
	for _, s := range segs {
		if total >= maxRWCount {
			break
		}
		n := min(s.len, maxRWCount-total)
		for off := uint64(0); off < n; {
			step := min(n-off, rwChunk)
			b := t.ioBuffer(int(step))
			var got int
			var e abi.Errno
			if write {
				// Take what is readable: a fault part-way writes the
				// bytes before it, as copy_from_iter does.
				in, _ := t.mm().CopyIn(b, s.base+off)
				if in == 0 {
					return doneOr(total, abi.EFAULT)
				}
				b = b[:in]
				got, e = fs.VfsWrite(t.caller, f, b, pos)
			} else {
				got, e = fs.VfsRead(t.caller, f, b, pos)
				if e == 0 && got > 0 {
					out, _ := t.mm().CopyOut(s.base+off, b[:got])
					if out < got {
						t.unread(f, pos, got-out)
						if total += uint64(out); total == 0 {
							return 0, abi.EFAULT
						}
						return total, nil
					}
				}
			}
			if e != 0 {
				return doneOr(total, e)
			}
			total += uint64(got)
			off += uint64(got)
			// Short, or a read from something that is not a regular
			// file (a pipe or tty returns what it has; asking again
			// would block).
			if got < len(b) || uint64(len(b)) < step || (!write && !f.Inode.IsReg()) {
				return total, nil
			}
		}
	}
	if len(segs) == 0 || total == 0 && allEmpty(segs) {
		// Zero-length transfers still reach the file (Linux calls
		// ->read with count 0 and returns its result).
		_, e := rw0(t.caller, f, write, pos)
		return 0, errOf(e)
	}
	return total, nil
}

// unread gives back bytes a read took from a seekable file but could not
// store (Linux's copy loop never takes them).
func (t *Task) unread(f *fs.File, pos *int64, n int) {
	if pos != nil {
		return // pread: the file position is not involved
	}
	if f.Mode&fs.FModeLseek != 0 && f.Mode&fs.FModeStream == 0 {
		fs.VfsLlseek(f, int64(-n), fs.SEEK_CUR)
	}
}

func rw0(c *fs.Caller, f *fs.File, write bool, pos *int64) (int, abi.Errno) {
	if write {
		return fs.VfsWrite(c, f, nil, pos)
	}
	return fs.VfsRead(c, f, nil, pos)
}

func allEmpty(segs []iovec) bool {
	for _, s := range segs {
		if s.len != 0 {
			return false
		}
	}
	return true
}

// doneOr is the partial-transfer rule: bytes moved win over the error.
func doneOr(total uint64, e abi.Errno) (uint64, error) {
	if total > 0 {
		return total, nil
	}
	return 0, e
}

// simpleRW is read/write/pread64/pwrite64 on one buffer.
func (t *Task) simpleRW(fd int32, buf, count uint64, write bool, pos *int64) (uint64, error) {
	d, err := t.rwFileAt(fd, write, pos != nil)
	if err != nil {
		return 0, err
	}
	defer d.Put()
	if !t.accessOK(buf, count) { // before the MAX_RW_COUNT clamp, as vfs_read
		return 0, abi.EFAULT
	}
	count = min(count, maxRWCount)
	return t.transfer(d.File, []iovec{{buf, count}}, write, pos)
}

func (t *Task) sysRead(a *syscall.Args) (uint64, error) {
	return t.simpleRW(a.Fd(0), a.Ptr(1), a.Size(2), false, nil)
}

func (t *Task) sysWrite(a *syscall.Args) (uint64, error) {
	return t.simpleRW(a.Fd(0), a.Ptr(1), a.Size(2), true, nil)
}

// sysPread64 and sysPwrite64: a negative position is EINVAL before the fd
// is looked at; a file without FMODE_PREAD (pipes, anon inodes) ESPIPE.
func (t *Task) sysPread64(a *syscall.Args) (uint64, error) {
	pos := a.Loff(3)
	if pos < 0 {
		return 0, abi.EINVAL
	}
	return t.simpleRW(a.Fd(0), a.Ptr(1), a.Size(2), false, &pos)
}

func (t *Task) sysPwrite64(a *syscall.Args) (uint64, error) {
	pos := a.Loff(3)
	if pos < 0 {
		return 0, abi.EINVAL
	}
	return t.simpleRW(a.Fd(0), a.Ptr(1), a.Size(2), true, &pos)
}

// importIovec mirrors lib/iov_iter.c:import_iovec: at most UIO_MAXIOV
// segments (EINVAL), the array readable (EFAULT), no negative length
// (EINVAL), every segment inside the user range (EFAULT). Compat callers
// pass 8-byte compat_iovecs (§1.3 step 4).
func (t *Task) importIovec(addr, n uint64, compat bool) ([]iovec, error) {
	if n > fs.IOV_MAX {
		return nil, abi.EINVAL
	}
	size := uint64(16)
	if compat {
		size = 8
	}
	raw := make([]byte, n*size)
	if err := t.copyIn(addr, raw); err != nil {
		return nil, err
	}
	segs := make([]iovec, n)
	for i := range segs {
		r := raw[uint64(i)*size:]
		if compat {
			segs[i] = iovec{uint64(binary.LittleEndian.Uint32(r)), uint64(binary.LittleEndian.Uint32(r[4:]))}
			if int32(segs[i].len) < 0 {
				return nil, abi.EINVAL
			}
		} else {
			segs[i] = iovec{binary.LittleEndian.Uint64(r), binary.LittleEndian.Uint64(r[8:])}
			if int64(segs[i].len) < 0 {
				return nil, abi.EINVAL
			}
		}
		if !t.accessOK(segs[i].base, segs[i].len) {
			return nil, abi.EFAULT
		}
	}
	return segs, nil
}

func (t *Task) vectoredRW(a *syscall.Args, write bool) (uint64, error) {
	d, err := t.rwFile(a.Fd(0), write)
	if err != nil {
		return 0, err
	}
	defer d.Put()
	f := d.File
	segs, err := t.importIovec(a.Ptr(1), a.Ulong(2), a.InCompatSyscall())
	if err != nil {
		return 0, err
	}
	if len(segs) == 0 {
		return 0, nil
	}
	return t.transfer(f, segs, write, nil)
}

func (t *Task) sysReadv(a *syscall.Args) (uint64, error) { return t.vectoredRW(a, false) }
func (t *Task) sysWritev(a *syscall.Args) (uint64, error) {
	return t.vectoredRW(a, true)
}

// ioBuffer returns the task's bounce buffer for data between user memory
// and a file, at least n bytes (n <= rwChunk). It is reused from call to
// call: a task makes one system call at a time, and a fresh 64 KiB buffer
// per read or write (zeroed, then collected) was most of the cost of a
// small read.
func (t *Task) ioBuffer(n int) []byte {
	if cap(t.rwBuf) < n {
		size := 4096
		for size < n {
			size *= 2
		}
		t.rwBuf = make([]byte, min(size, rwChunk))
	}
	return t.rwBuf[:n]
}
