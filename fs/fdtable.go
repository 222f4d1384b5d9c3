package fs

import (
	"math/bits"
	"sync"
	"sync/atomic"

	"github.com/ringo-os/ringo/abi"
)

// This file is files_struct and fdtable (include/linux/fdtable.h,
// fs/file.c): allocation of the lowest free descriptor with the next_fd
// hint and the full-words bitmap, growth (expand_files), reserve-then-
// install, and the lock-free lookup of fdget.
//
// Lock order: FDTable.mu (file_lock) is a leaf for everything in this file;
// filp_close (flush, fput and hence ->release) always runs after it is
// dropped, so a driver's release may take any lock.

// NrOpenDefault is the default of the fs.nr_open sysctl.
const NrOpenDefault = 1048576

// nrOpenDefaultFds is NR_OPEN_DEFAULT: the embedded table has 64 slots.
const nrOpenDefaultFds = 64

// fdtable mirrors struct fdtable. A published fdtable's size never changes:
// growth publishes a new one (Linux's RCU; Go's GC plays the grace period).
// The bitmaps are read and written only under FDTable.mu; the fd slots are
// also read without it by Fget.
type fdtable struct {
	maxFds      int
	fd          []atomic.Pointer[File]
	openFds     []uint64 // slot reserved (possibly not yet installed)
	closeOnExec []uint64
	fullFdsBits []uint64 // one bit per openFds word that is all ones
}

func newFdtable(n int) *fdtable {
	words := (n + 63) / 64
	return &fdtable{
		maxFds:      n,
		fd:          make([]atomic.Pointer[File], n),
		openFds:     make([]uint64, words),
		closeOnExec: make([]uint64, words),
		fullFdsBits: make([]uint64, (words+63)/64),
	}
}

func testBit(m []uint64, n int) bool { return m[n/64]&(1<<(n%64)) != 0 }
func setBit(m []uint64, n int)       { m[n/64] |= 1 << (n % 64) }
func clearBit(m []uint64, n int)     { m[n/64] &^= 1 << (n % 64) }

// findNextZeroBit returns the first clear bit >= start and < size, or size.
func findNextZeroBit(m []uint64, size, start int) int {
	for start < size {
		w := ^m[start/64] >> (start % 64)
		if w != 0 {
			n := start + bits.TrailingZeros64(w)
			if n < size {
				return n
			}
			return size
		}
		start = (start/64 + 1) * 64
	}
	return size
}

// FDTable mirrors struct files_struct: the table of one task, shared by
// the tasks of a CLONE_FILES group.
type FDTable struct {
	users  atomic.Int32 // files_struct.count: tasks using this table
	mu     sync.Mutex   // file_lock; guards nextFd and the bitmaps
	fdt    atomic.Pointer[fdtable]
	nextFd int

	// NrOpen is the fs.nr_open sysctl this table obeys (copied on fork).
	nrOpen int
}

// NewFDTable returns the table of a new process: 64 embedded slots, one
// user.
func NewFDTable(nrOpen int) *FDTable {
	if nrOpen < nrOpenDefaultFds {
		nrOpen = NrOpenDefault
	}
	t := &FDTable{nrOpen: nrOpen}
	t.users.Store(1)
	t.fdt.Store(newFdtable(nrOpenDefaultFds))
	return t
}

// MaxFds is fdt->max_fds (the "FDSize" of /proc/PID/status).
func (t *FDTable) MaxFds() int { return t.fdt.Load().maxFds }

// Users is files_struct.count.
func (t *FDTable) Users() int { return int(t.users.Load()) }

// expandFiles mirrors expand_files + expand_fdtable + alloc_fdtable.
// Preconditions: t.mu held.
func (t *FDTable) expandFiles(nr int) abi.Errno {
	old := t.fdt.Load()
	if nr < old.maxFds {
		return 0
	}
	if nr >= t.nrOpen {
		return abi.EMFILE
	}
	size := 1 << bits.Len(uint(nr)) // roundup_pow_of_two(nr+1)
	if size > t.nrOpen {
		size = t.nrOpen &^ 63
		if size <= nr {
			return abi.EMFILE
		}
	}
	n := newFdtable(size)
	for i := range old.maxFds {
		n.fd[i].Store(old.fd[i].Load())
	}
	copy(n.openFds, old.openFds)
	copy(n.closeOnExec, old.closeOnExec)
	copy(n.fullFdsBits, old.fullFdsBits)
	t.fdt.Store(n)
	return 0
}

// Preconditions: t.mu held.
func (fdt *fdtable) setOpenFd(fd int) {
	setBit(fdt.openFds, fd)
	w := fd / 64
	if fdt.openFds[w] == ^uint64(0) {
		setBit(fdt.fullFdsBits, w)
	}
}

// Preconditions: t.mu held.
func (fdt *fdtable) clearOpenFd(fd int) {
	clearBit(fdt.openFds, fd)
	clearBit(fdt.fullFdsBits, fd/64)
}

// Preconditions: t.mu held.
func (fdt *fdtable) setCloexec(fd int, on bool) {
	if on {
		setBit(fdt.closeOnExec, fd)
	} else if testBit(fdt.closeOnExec, fd) {
		clearBit(fdt.closeOnExec, fd)
	}
}

// file is the file installed at fd (files_lookup_fd_raw), or nil for a
// number outside the table or an empty slot. Callers without t.mu get a
// snapshot that may change at once (lookup re-checks it).
func (fdt *fdtable) file(fd int) *File {
	if fd < 0 || fd >= fdt.maxFds {
		return nil
	}
	return fdt.fd[fd].Load()
}

// findNextFd mirrors find_next_fd: skip full words with fullFdsBits. A
// free bit in start's own word, the common case, is found first with one
// look at that word.
func (fdt *fdtable) findNextFd(start int) int {
	if w := start / 64; w < len(fdt.openFds) {
		if free := ^fdt.openFds[w] >> (start % 64); free != 0 {
			if n := start + bits.TrailingZeros64(free); n < fdt.maxFds {
				return n
			}
		}
	}
	maxbit := fdt.maxFds / 64
	bitbit := findNextZeroBit(fdt.fullFdsBits, maxbit, start/64) * 64
	if bitbit >= fdt.maxFds {
		return fdt.maxFds
	}
	if bitbit > start {
		start = bitbit
	}
	return findNextZeroBit(fdt.openFds, fdt.maxFds, start)
}

// AllocFd mirrors fs/file.c:alloc_fd: reserve the lowest free descriptor
// >= start, below the RLIMIT_NOFILE soft limit nofile (else EMFILE). The
// slot stays empty until FdInstall or PutUnusedFd.
//
// The unlock is written out, not deferred: a deferred call is one more
// call and return on every open, pipe and eventfd.
func (t *FDTable) AllocFd(start int, nofile uint64, flags uint32) (int, abi.Errno) {
	t.mu.Lock()
	fd, err := t.allocFdLocked(start, nofile, flags)
	t.mu.Unlock()
	return fd, err
}

// Preconditions: t.mu held.
func (t *FDTable) allocFdLocked(start int, nofile uint64, flags uint32) (int, abi.Errno) {
	fdt := t.fdt.Load()
	fd := max(start, t.nextFd)
	if fd < fdt.maxFds {
		fd = fdt.findNextFd(fd)
	}
	if uint64(fd) >= nofile {
		return -1, abi.EMFILE
	}
	if fd >= fdt.maxFds { // only then can expand_files have work to do
		if err := t.expandFiles(fd); err != 0 {
			return -1, err
		}
		fdt = t.fdt.Load()
	}
	if start <= t.nextFd {
		t.nextFd = fd + 1
	}
	fdt.setOpenFd(fd)
	fdt.setCloexec(fd, flags&O_CLOEXEC != 0)
	return fd, 0
}

// GetUnusedFdFlags mirrors get_unused_fd_flags: AllocFd from 0.
func (t *FDTable) GetUnusedFdFlags(flags uint32, nofile uint64) (int, abi.Errno) {
	return t.AllocFd(0, nofile, flags)
}

// Preconditions: t.mu held. Mirrors __put_unused_fd.
func (t *FDTable) putUnusedFdLocked(fd int) {
	t.fdt.Load().clearOpenFd(fd)
	if fd < t.nextFd {
		t.nextFd = fd
	}
}

// PutUnusedFd mirrors put_unused_fd: give back a reservation that was
// never installed (the open failed after the fd was allocated).
func (t *FDTable) PutUnusedFd(fd int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fdt := t.fdt.Load()
	if fd < 0 || fd >= fdt.maxFds || !testBit(fdt.openFds, fd) || fdt.fd[fd].Load() != nil {
		return
	}
	t.putUnusedFdLocked(fd)
}

// FdInstall mirrors fd_install: publish f in the reserved slot fd,
// consuming the caller's reference. Installing into a slot that was not
// reserved is a kernel bug (Linux BUG()s); here the file reference is
// dropped and ok is false, so a buggy driver cannot corrupt the table.
func (t *FDTable) FdInstall(fd int, f *File) (ok bool) {
	t.mu.Lock()
	fdt := t.fdt.Load()
	ok = fd >= 0 && fd < fdt.maxFds && testBit(fdt.openFds, fd) && fdt.fd[fd].Load() == nil
	if ok {
		fdt.fd[fd].Store(f)
	}
	t.mu.Unlock()
	if !ok {
		f.DecRef()
	}
	return ok
}

// lookup is the loop of __fget_files_rcu: read the slot without the lock,
// take a reference only if the file is not already dying, and re-check
// that neither the slot nor the table moved meanwhile.
func (t *FDTable) lookup(fd int) *File {
	for {
		fdt := t.fdt.Load()
		f := fdt.file(fd)
		if f == nil {
			return nil
		}
		if !f.TryIncRef() {
			continue // being released; the slot is about to change
		}
		if t.fdt.Load() != fdt || fdt.fd[fd].Load() != f {
			f.DecRef()
			continue
		}
		return f
	}
}

// Fget mirrors fget (and fdget): a referenced file, or EBADF for an
// unopened descriptor or an O_PATH file. The caller must DecRef it. The
// reference keeps the file alive even if another thread closes fd.
func (t *FDTable) Fget(fd int) (*File, abi.Errno) {
	f := t.lookup(fd)
	if f == nil {
		return nil, abi.EBADF
	}
	if f.Mode&FModePath != 0 {
		f.DecRef()
		return nil, abi.EBADF
	}
	return f, 0
}

// FD mirrors struct fd (include/linux/file.h): a file Fdget handed out,
// and whether Put must drop a reference (FDPUT_FPUT).
type FD struct {
	File *File
	ref  bool
}

// Fdget mirrors fdget (__fget_light): EBADF as Fget, but a table that
// only the calling task uses lends the file without a reference. No one
// else can close the descriptor while the caller runs (only the table's
// own task changes an unshared table; it is in this system call), so the
// table's reference keeps the file alive until Put, exactly as in Linux.
// A shared table (CLONE_FILES) takes a reference, as Fget does. The
// caller must call Put, and must not keep the file past it.
func (t *FDTable) Fdget(fd int) (FD, abi.Errno) {
	if t.users.Load() != 1 {
		f, err := t.Fget(fd)
		return FD{File: f, ref: f != nil}, err
	}
	f := t.fdt.Load().file(fd)
	if f == nil || f.Mode&FModePath != 0 {
		return FD{}, abi.EBADF
	}
	return FD{File: f}, 0
}

// Put mirrors fdput: it drops the reference Fdget took, if it took one.
func (d FD) Put() {
	if d.ref {
		d.File.DecRef()
	}
}

// FgetRaw mirrors fget_raw: like Fget but O_PATH files are visible
// (fcntl, fstat, fchdir).
func (t *FDTable) FgetRaw(fd int) (*File, abi.Errno) {
	if f := t.lookup(fd); f != nil {
		return f, 0
	}
	return nil, abi.EBADF
}

// pickFd mirrors file_close_fd_locked: empty the slot and free the number.
// Preconditions: t.mu held.
func (t *FDTable) pickFd(fd int) *File {
	fdt := t.fdt.Load()
	f := fdt.file(fd)
	if f == nil {
		return nil
	}
	fdt.fd[fd].Store(nil)
	fdt.setCloexec(fd, false)
	t.putUnusedFdLocked(fd)
	return f
}

// filpClose mirrors filp_close: ->flush on every close, then drop the
// table's reference (->release runs now if it was the last).
func filpClose(f *File) abi.Errno {
	var err abi.Errno
	if fl, ok := f.Op.(Flusher); ok {
		err = abi.ErrnoOf(fl.Flush(f))
	}
	f.DecRef()
	switch err {
	case abi.ERESTARTSYS, abi.ERESTARTNOINTR, abi.ERESTARTNOHAND, abi.ERESTART_RESTARTBLOCK:
		err = abi.EINTR
	}
	return err
}

// Close mirrors close(2): EBADF for an unopened (or only reserved)
// descriptor; otherwise the descriptor is gone even if ->flush fails.
func (t *FDTable) Close(fd int) abi.Errno {
	t.mu.Lock()
	f := t.pickFd(fd)
	t.mu.Unlock()
	if f == nil {
		return abi.EBADF
	}
	return filpClose(f)
}

// IsCloseOnExec reports the FD_CLOEXEC bit of fd (false if unopened).
func (t *FDTable) IsCloseOnExec(fd int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	fdt := t.fdt.Load()
	return fd >= 0 && fd < fdt.maxFds && testBit(fdt.closeOnExec, fd)
}

// SetCloseOnExec mirrors set_close_on_exec (F_SETFD, FIOCLEX). It returns
// EBADF if fd is not installed.
func (t *FDTable) SetCloseOnExec(fd int, on bool) abi.Errno {
	t.mu.Lock()
	defer t.mu.Unlock()
	fdt := t.fdt.Load()
	if fdt.file(fd) == nil {
		return abi.EBADF
	}
	fdt.setCloexec(fd, on)
	return 0
}

// OpenFds lists the installed descriptors in increasing order (for
// /proc/PID/fd and tests).
func (t *FDTable) OpenFds() []int {
	t.mu.Lock()
	defer t.mu.Unlock()
	fdt := t.fdt.Load()
	var out []int
	for fd := range fdt.maxFds {
		if fdt.fd[fd].Load() != nil {
			out = append(out, fd)
		}
	}
	return out
}
