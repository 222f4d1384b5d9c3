package fs

import "github.com/ringo-os/ringo/abi"

// This file is dup(2), dup2(2), dup3(2) and close_range(2) (fs/file.c).
// Descriptors are plain ints as the syscall layer decoded them (Linux's
// unsigned int: a negative value is a huge fd and fails like one).

// Dup mirrors fs/file.c:sys_dup: the lowest free descriptor, never
// close-on-exec, sharing the file.
func (t *FDTable) Dup(oldfd int, nofile uint64) (int, abi.Errno) {
	f, err := t.FgetRaw(oldfd)
	if err != 0 {
		return -1, err
	}
	fd, err := t.GetUnusedFdFlags(0, nofile)
	if err != 0 {
		f.DecRef()
		return -1, err
	}
	t.FdInstall(fd, f)
	return fd, 0
}

// Dup2 mirrors sys_dup2. oldfd == newfd returns newfd if it is open, and
// does not look at the rlimit.
func (t *FDTable) Dup2(oldfd, newfd int, nofile uint64) (int, abi.Errno) {
	if oldfd == newfd {
		f := t.lookup(oldfd)
		if f == nil {
			return -1, abi.EBADF
		}
		f.DecRef()
		return newfd, 0
	}
	return t.dup3(oldfd, newfd, 0, nofile)
}

// Dup3 mirrors ksys_dup3: flags other than O_CLOEXEC, then oldfd ==
// newfd, are EINVAL before anything else is looked at.
func (t *FDTable) Dup3(oldfd, newfd int, flags uint32, nofile uint64) (int, abi.Errno) {
	if flags&^O_CLOEXEC != 0 {
		return -1, abi.EINVAL
	}
	if oldfd == newfd {
		return -1, abi.EINVAL
	}
	return t.dup3(oldfd, newfd, flags, nofile)
}

// dup3 is ksys_dup3 + do_dup2 after the argument checks.
func (t *FDTable) dup3(oldfd, newfd int, flags uint32, nofile uint64) (int, abi.Errno) {
	if newfd < 0 || uint64(newfd) >= nofile {
		return -1, abi.EBADF
	}
	t.mu.Lock()
	growErr := t.expandFiles(newfd)
	fdt := t.fdt.Load()
	var file *File
	if oldfd >= 0 && oldfd < fdt.maxFds {
		file = fdt.fd[oldfd].Load()
	}
	if file == nil {
		t.mu.Unlock()
		return -1, abi.EBADF
	}
	if growErr != 0 {
		t.mu.Unlock()
		if growErr == abi.EMFILE {
			return -1, abi.EBADF
		}
		return -1, growErr
	}
	// do_dup2: a slot reserved by an open still in progress in another
	// thread cannot be taken over.
	tofree := fdt.fd[newfd].Load()
	if tofree == nil && testBit(fdt.openFds, newfd) {
		t.mu.Unlock()
		return -1, abi.EBUSY
	}
	file.IncRef()
	fdt.fd[newfd].Store(file)
	fdt.setOpenFd(newfd)
	fdt.setCloexec(newfd, flags&O_CLOEXEC != 0)
	t.mu.Unlock()
	if tofree != nil {
		filpClose(tofree) // errors ignored, as in do_dup2
	}
	return newfd, 0
}

// CloseRange mirrors close_range(2) (fs/file.c:__close_range). With
// CLOSE_RANGE_UNSHARE a shared table is first privatised: the caller must
// use the returned table from then on (it is t when nothing was shared).
// first and last are unsigned ints; last may be ~0.
func (t *FDTable) CloseRange(first, last uint32, flags uint32) (*FDTable, abi.Errno) {
	if flags&^(CLOSE_RANGE_UNSHARE|CLOSE_RANGE_CLOEXEC) != 0 {
		return t, abi.EINVAL
	}
	if first > last {
		return t, abi.EINVAL
	}
	cur := t
	if flags&CLOSE_RANGE_UNSHARE != 0 && t.users.Load() > 1 {
		cur = t.Fork()
		t.Release()
	}
	if flags&CLOSE_RANGE_CLOEXEC != 0 {
		cur.mu.Lock()
		fdt := cur.fdt.Load()
		for fd := int64(first); fd <= int64(last) && fd < int64(fdt.maxFds); fd++ {
			if testBit(fdt.openFds, int(fd)) {
				fdt.setCloexec(int(fd), true)
			}
		}
		cur.mu.Unlock()
		return cur, 0
	}
	for fd := int64(first); fd <= int64(last); fd++ {
		cur.mu.Lock()
		if fd >= int64(cur.fdt.Load().maxFds) {
			cur.mu.Unlock()
			break
		}
		f := cur.pickFd(int(fd))
		cur.mu.Unlock()
		if f != nil {
			filpClose(f)
		}
	}
	return cur, 0
}
