package kernel

// Descriptors: open, openat, close, lseek, _llseek, dup, dup2, dup3, pipe,
// pipe2, fcntl, getdents64, eventfd (fs/open.c, fs/file.c, fs/fcntl.c,
// fs/pipe.c, fs/readdir.c, fs/eventfd.c). The semantics live in fs; these
// handlers decode arguments and move structures across the user boundary.

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

// openAt serves open, openat and their compat entries: fs adds
// O_LARGEFILE for native callers (force_o_largefile) and not for compat
// ones.
func (t *Task) openAt(dirfd int32, pathAddr uint64, flags uint32, mode uint32) (uint64, error) {
	path, err := t.copyInPath(pathAddr)
	if err != nil {
		return 0, err
	}
	fd, e := t.k.vfs.Openat(t.caller, int(dirfd), path, flags, mode)
	if e != 0 {
		return 0, e
	}
	return uint64(fd), nil
}

func (t *Task) sysOpen(a *syscall.Args) (uint64, error) {
	return t.openAt(fs.AT_FDCWD, a.Ptr(0), a.Uint(1), uint32(a.Mode(2)))
}

func (t *Task) sysOpenat(a *syscall.Args) (uint64, error) {
	return t.openAt(a.Fd(0), a.Ptr(1), a.Uint(2), uint32(a.Mode(3)))
}

// sysCreat is open(path, O_CREAT|O_WRONLY|O_TRUNC, mode).
func (t *Task) sysCreat(a *syscall.Args) (uint64, error) {
	return t.openAt(fs.AT_FDCWD, a.Ptr(0), fs.O_CREAT|fs.O_WRONLY|fs.O_TRUNC, uint32(a.Mode(1)))
}

func (t *Task) sysClose(a *syscall.Args) (uint64, error) {
	return 0, errOf(t.caller.Files.Close(int(a.Fd(0))))
}

// sysCloseRange is close_range(2) (fs/file.c:__close_range): flags other
// than CLOSE_RANGE_UNSHARE|CLOSE_RANGE_CLOEXEC give EINVAL, first > last
// EINVAL; with UNSHARE a shared table is privatised first, and the task
// goes on with the private copy.
func (t *Task) sysCloseRange(a *syscall.Args) (uint64, error) {
	nt, e := t.caller.Files.CloseRange(uint32(a.Uint(0)), uint32(a.Uint(1)), uint32(a.Uint(2)))
	if e != 0 {
		return 0, e
	}
	t.caller.Files = nt
	return 0, nil
}

// sysLseek serves x86_64 lseek and i386 lseek (compat_sys_lseek: a 32-bit
// signed offset, already sign-extended by the table's Int kind).
func (t *Task) sysLseek(a *syscall.Args) (uint64, error) {
	off, e := fs.Lseek(t.caller, int(a.Fd(0)), a.Long(1), int(a.Uint(2)))
	if e != 0 {
		return 0, e
	}
	return uint64(off), nil
}

// sysLlseek is i386 _llseek(fd, offset_high, offset_low, loff_t *result,
// whence); the table joined the two halves. The position moves even if
// storing the result faults, as in Linux.
func (t *Task) sysLlseek(a *syscall.Args) (uint64, error) {
	off, e := fs.Lseek(t.caller, int(a.Fd(0)), a.Loff(1), int(a.Uint(3)))
	if e != 0 {
		return 0, e
	}
	return 0, t.putU64(a.Ptr(2), uint64(off))
}

func (t *Task) sysDup(a *syscall.Args) (uint64, error) {
	fd, e := t.caller.Files.Dup(int(a.Fd(0)), t.caller.NoFile)
	return uint64(fd), errOf(e)
}

func (t *Task) sysDup2(a *syscall.Args) (uint64, error) {
	fd, e := t.caller.Files.Dup2(int(a.Fd(0)), int(a.Fd(1)), t.caller.NoFile)
	return uint64(fd), errOf(e)
}

func (t *Task) sysDup3(a *syscall.Args) (uint64, error) {
	fd, e := t.caller.Files.Dup3(int(a.Fd(0)), int(a.Fd(1)), uint32(a.Int(2)), t.caller.NoFile)
	return uint64(fd), errOf(e)
}

// pipe2 creates the pair, then stores the two ints; a fault closes both
// again (do_pipe2: the fds are installed only after the copy succeeds,
// which nobody can observe differently).
func (t *Task) pipe2(fdsAddr uint64, flags uint32) (uint64, error) {
	fds, e := t.k.vfs.Pipe2(t.caller, flags)
	if e != 0 {
		return 0, e
	}
	var b [8]byte
	binary.LittleEndian.PutUint32(b[:], uint32(fds[0]))
	binary.LittleEndian.PutUint32(b[4:], uint32(fds[1]))
	if err := t.copyOut(fdsAddr, b[:]); err != nil {
		t.caller.Files.Close(fds[0])
		t.caller.Files.Close(fds[1])
		return 0, err
	}
	return 0, nil
}

func (t *Task) sysPipe(a *syscall.Args) (uint64, error)  { return t.pipe2(a.Ptr(0), 0) }
func (t *Task) sysPipe2(a *syscall.Args) (uint64, error) { return t.pipe2(a.Ptr(0), uint32(a.Int(1))) }

// sysFcntl serves fcntl and compat fcntl64: record locks are not
// supported by fs (ENOLCK), so the flock layouts never need converting.
func (t *Task) sysFcntl(a *syscall.Args) (uint64, error) {
	r, e := fs.Fcntl(t.caller, int(a.Fd(0)), a.Uint(1), a.Ulong(2))
	return uint64(r), errOf(e)
}

// sysGetdents64 fills struct linux_dirent64 records: d_ino u64, d_off
// i64, d_reclen u16, d_type u8, name, NUL, padded to 8 bytes. A buffer too
// small for the first record is EINVAL; records that do not fit stay for
// the next call.
func (t *Task) sysGetdents64(a *syscall.Args) (uint64, error) {
	fd, addr, count := int(a.Fd(0)), a.Ptr(1), uint64(a.Uint(2))
	count = min(count, maxRWCount)
	const minRec = 24 // ALIGN(19 + 1 + 1, 8)
	max := int(min(count/minRec, 4096))
	if max == 0 {
		max = 1 // let fs report EBADF/ENOTDIR first; the size check follows
	}
	ents, e := t.k.vfs.Getdents64(t.caller, fd, max)
	if e != 0 {
		return 0, e
	}
	if !t.accessOK(addr, count) {
		t.unreadDirents(fd, len(ents))
		return 0, abi.EFAULT
	}
	f, e := t.caller.Files.Fget(fd)
	if e != 0 {
		return 0, e
	}
	base := f.Pos() - int64(len(ents))
	f.DecRef()
	var out []byte
	used := 0
	for i, d := range ents {
		reclen := (19 + len(d.Name) + 1 + 7) &^ 7
		if uint64(len(out)+reclen) > count {
			break
		}
		rec := make([]byte, reclen)
		binary.LittleEndian.PutUint64(rec[0:], d.Ino)
		binary.LittleEndian.PutUint64(rec[8:], uint64(base+int64(i)+1))
		binary.LittleEndian.PutUint16(rec[16:], uint16(reclen))
		rec[18] = d.Type
		copy(rec[19:], d.Name)
		out = append(out, rec...)
		used++
	}
	t.unreadDirents(fd, len(ents)-used)
	if used == 0 && len(ents) > 0 {
		return 0, abi.EINVAL
	}
	if err := t.copyOut(addr, out); err != nil {
		return 0, err
	}
	return uint64(len(out)), nil
}

// unreadDirents moves the directory position back over n records that
// were read but did not fit (Linux stops before them).
func (t *Task) unreadDirents(fd, n int) {
	if n <= 0 {
		return
	}
	if f, e := t.caller.Files.Fget(fd); e == 0 {
		fs.VfsLlseek(f, int64(-n), fs.SEEK_CUR)
		f.DecRef()
	}
}

func (t *Task) sysEventfd(a *syscall.Args) (uint64, error) {
	fd, e := t.k.vfs.Eventfd2(t.caller, a.Uint(0), 0)
	return uint64(fd), errOf(e)
}

func (t *Task) sysEventfd2(a *syscall.Args) (uint64, error) {
	fd, e := t.k.vfs.Eventfd2(t.caller, a.Uint(0), uint32(a.Int(1)))
	return uint64(fd), errOf(e)
}
