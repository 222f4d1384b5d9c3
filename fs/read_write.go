package fs

import "github.com/ringo-os/ringo/abi"

// This file is read(2), write(2), pread64, pwrite64, readv, writev and
// lseek(2) (fs/read_write.c: vfs_read, vfs_write, rw_verify_area,
// ksys_lseek, vfs_llseek).

// IOV_MAX is UIO_MAXIOV.
const IOV_MAX = 1024

// rwVerifyArea mirrors rw_verify_area for a positioned access.
func rwVerifyArea(pos int64, count int) abi.Errno {
	if pos < 0 || pos+int64(count) < 0 {
		return abi.EINVAL
	}
	return 0
}

// VfsRead mirrors vfs_read on a referenced file. pos nil means "use and
// advance f_pos" (read/readv); otherwise pread's offset.
func VfsRead(c *Caller, f *File, buf []byte, pos *int64) (int, abi.Errno) {
	if f.Mode&FModeRead == 0 {
		return 0, abi.EBADF
	}
	if f.Mode&FModeCanRead == 0 {
		return 0, abi.EINVAL
	}
	if len(buf) > MAX_RW_COUNT {
		buf = buf[:MAX_RW_COUNT]
	}
	r := f.Op.(Reader)
	return doPositioned(f, pos, len(buf), func(p *int64) (int, error) { return r.Read(c, f, buf, p) })
}

// VfsWrite mirrors vfs_write.
func VfsWrite(c *Caller, f *File, buf []byte, pos *int64) (int, abi.Errno) {
	if f.Mode&FModeWrite == 0 {
		return 0, abi.EBADF
	}
	if f.Mode&FModeCanWrite == 0 {
		return 0, abi.EINVAL
	}
	if len(buf) > MAX_RW_COUNT {
		buf = buf[:MAX_RW_COUNT]
	}
	w := f.Op.(Writer)
	return doPositioned(f, pos, len(buf), func(p *int64) (int, error) { return w.Write(c, f, buf, p) })
}

// doPositioned runs op at the right position: the caller's (pread), none
// (stream files), or f_pos, serialised by f_pos_lock for FMODE_ATOMIC_POS
// files (fdget_pos).
func doPositioned(f *File, pos *int64, count int, op func(*int64) (int, error)) (int, abi.Errno) {
	if pos != nil {
		if err := rwVerifyArea(*pos, count); err != 0 {
			return 0, err
		}
		n, err := op(pos)
		return n, abi.ErrnoOf(err)
	}
	if f.Mode&FModeStream != 0 {
		// file_ppos: a stream file has no position, its methods get NULL.
		n, err := op(nil)
		return n, abi.ErrnoOf(err)
	}
	if f.Mode&FModeAtomicPos != 0 {
		f.posMu.Lock()
		defer f.posMu.Unlock()
		p := f.pos
		if err := rwVerifyArea(p, count); err != 0 {
			return 0, err
		}
		n, err := op(&p)
		if n > 0 || err == nil {
			f.pos = p
		}
		return n, abi.ErrnoOf(err)
	}
	p := f.Pos()
	n, err := op(&p)
	if n > 0 || err == nil {
		f.posMu.Lock()
		f.pos = p
		f.posMu.Unlock()
	}
	return n, abi.ErrnoOf(err)
}

// Read mirrors read(2).
func Read(c *Caller, fd int, buf []byte) (int, abi.Errno) {
	d, err := c.Files.Fdget(fd)
	if err != 0 {
		return 0, err
	}
	defer d.Put()
	f := d.File
	return VfsRead(c, f, buf, nil)
}

// Write mirrors write(2).
func Write(c *Caller, fd int, buf []byte) (int, abi.Errno) {
	d, err := c.Files.Fdget(fd)
	if err != 0 {
		return 0, err
	}
	defer d.Put()
	f := d.File
	return VfsWrite(c, f, buf, nil)
}

// Pread mirrors pread64(2): a negative offset is EINVAL before the fd is
// looked at; files without FMODE_PREAD (pipes, sockets, anon inodes) give
// ESPIPE.
func Pread(c *Caller, fd int, buf []byte, off int64) (int, abi.Errno) {
	if off < 0 {
		return 0, abi.EINVAL
	}
	d, err := c.Files.Fdget(fd)
	if err != 0 {
		return 0, err
	}
	defer d.Put()
	f := d.File
	if f.Mode&FModePread == 0 {
		return 0, abi.ESPIPE
	}
	return VfsRead(c, f, buf, &off)
}

// Pwrite mirrors pwrite64(2).
func Pwrite(c *Caller, fd int, buf []byte, off int64) (int, abi.Errno) {
	if off < 0 {
		return 0, abi.EINVAL
	}
	d, err := c.Files.Fdget(fd)
	if err != 0 {
		return 0, err
	}
	defer d.Put()
	f := d.File
	if f.Mode&FModePwrite == 0 {
		return 0, abi.ESPIPE
	}
	return VfsWrite(c, f, buf, &off)
}

// Readv mirrors readv(2) with the iovecs already turned into buffers: more
// than IOV_MAX is EINVAL; a short read ends the loop.
func Readv(c *Caller, fd int, iov [][]byte) (int, abi.Errno) {
	return vectored(c, fd, iov, VfsRead)
}

// Writev mirrors writev(2).
func Writev(c *Caller, fd int, iov [][]byte) (int, abi.Errno) {
	return vectored(c, fd, iov, VfsWrite)
}

func vectored(c *Caller, fd int, iov [][]byte, op func(*Caller, *File, []byte, *int64) (int, abi.Errno)) (int, abi.Errno) {
	d, err := c.Files.Fdget(fd)
	if err != 0 {
		return 0, err
	}
	defer d.Put()
	f := d.File
	if len(iov) > IOV_MAX {
		return 0, abi.EINVAL
	}
	total := 0
	for _, b := range iov {
		if len(b) > MAX_RW_COUNT-total {
			b = b[:MAX_RW_COUNT-total]
		}
		if len(b) == 0 {
			continue
		}
		n, err := op(c, f, b, nil)
		if err != 0 {
			if total > 0 {
				return total, 0
			}
			return 0, err
		}
		total += n
		if n < len(b) || total == MAX_RW_COUNT {
			break
		}
	}
	if total == 0 && len(iov) > 0 {
		// A zero-length transfer still checks the file's mode (vfs_readv).
		_, err := op(c, f, nil, nil)
		return 0, err
	}
	return total, 0
}

// Lseek mirrors lseek(2): whence > SEEK_HOLE is EINVAL, a file without
// llseek (FMODE_LSEEK clear) ESPIPE.
func Lseek(c *Caller, fd int, offset int64, whence int) (int64, abi.Errno) {
	f, err := c.Files.FgetRaw(fd)
	if err != 0 {
		return 0, err
	}
	defer f.DecRef()
	if f.Mode&FModePath != 0 {
		return 0, abi.EBADF
	}
	if whence < 0 || whence > seekMax {
		return 0, abi.EINVAL
	}
	return VfsLlseek(f, offset, whence)
}

// VfsLlseek mirrors vfs_llseek on a referenced file.
func VfsLlseek(f *File, offset int64, whence int) (int64, abi.Errno) {
	if f.Mode&FModeLseek == 0 {
		return 0, abi.ESPIPE
	}
	l := f.Op.(Llseeker)
	f.posMu.Lock()
	defer f.posMu.Unlock()
	np, err := l.Llseek(f, f.pos, offset, whence)
	if err != nil {
		return 0, abi.ErrnoOf(err)
	}
	f.pos = np
	return np, 0
}
