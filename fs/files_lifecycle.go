package fs

import "github.com/ringo-os/ringo/abi"

// This file is what fork, clone, execve and exit do to a file table
// (kernel/fork.c:copy_files, fs/file.c:dup_fd, do_close_on_exec,
// put_files_struct).

// Fork mirrors dup_fd: a private copy for a child created without
// CLONE_FILES. Every installed file gains a reference (offsets and status
// flags stay shared); a slot reserved but not yet installed appears closed
// in the child. The copy is sized to the highest open fd rounded up to 64.
func (t *FDTable) Fork() *FDTable {
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.fdt.Load()
	top := 0
	for fd := old.maxFds - 1; fd >= 0; fd-- {
		if testBit(old.openFds, fd) {
			top = fd + 1
			break
		}
	}
	size := nrOpenDefaultFds
	for size < top {
		size *= 2
	}
	n := &FDTable{nrOpen: t.nrOpen}
	n.users.Store(1)
	nt := newFdtable(size)
	for fd := range min(top, size) {
		f := old.fd[fd].Load()
		if f == nil {
			continue
		}
		f.IncRef()
		nt.fd[fd].Store(f)
		nt.setOpenFd(fd)
		nt.setCloexec(fd, testBit(old.closeOnExec, fd))
	}
	n.fdt.Store(nt)
	return n
}

// Share mirrors copy_files with CLONE_FILES: the child uses the same
// table, which gains a user.
func (t *FDTable) Share() *FDTable {
	t.users.Add(1)
	return t
}

// Release mirrors put_files_struct at exit (or when a task drops a table
// it unshared from): the last user closes every descriptor.
func (t *FDTable) Release() {
	if t.users.Add(-1) != 0 {
		return
	}
	t.mu.Lock()
	fdt := t.fdt.Load()
	var files []*File
	for fd := range fdt.maxFds {
		if f := t.pickFd(fd); f != nil {
			files = append(files, f)
		}
	}
	t.mu.Unlock()
	for _, f := range files {
		filpClose(f)
	}
}

// Exec mirrors what begin_new_exec does to the table: unshare it if it is
// shared (the caller must switch to the returned table), then close every
// close-on-exec descriptor (do_close_on_exec).
func (t *FDTable) Exec() *FDTable {
	cur := t
	if t.users.Load() > 1 {
		cur = t.Fork()
		t.Release()
	}
	cur.mu.Lock()
	fdt := cur.fdt.Load()
	var files []*File
	for fd := range fdt.maxFds {
		if testBit(fdt.closeOnExec, fd) {
			if f := cur.pickFd(fd); f != nil {
				files = append(files, f)
			}
		}
	}
	cur.mu.Unlock()
	for _, f := range files {
		filpClose(f)
	}
	return cur
}

// CheckNofileRlimit mirrors the RLIMIT_NOFILE rules of do_prlimit for the
// syscall layer: a hard limit above nr_open is EPERM, cur > max EINVAL.
func (t *FDTable) CheckNofileRlimit(cur, max uint64) abi.Errno {
	if cur > max {
		return abi.EINVAL
	}
	if max > uint64(t.nrOpen) {
		return abi.EPERM
	}
	return 0
}
