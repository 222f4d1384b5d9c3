package fs

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/ringo-os/ringo/abi"
)

// This file is fs/eventfd.c: a 64-bit counter behind an anon-inode file
// "[eventfd]", in counter or semaphore mode.

// eventfd2 flags (include/uapi/linux/eventfd.h).
const (
	EFD_SEMAPHORE = 1
	EFD_CLOEXEC   = O_CLOEXEC
	EFD_NONBLOCK  = O_NONBLOCK
)

const eventfdMax = ^uint64(0) - 1 // ULLONG_MAX - 1, the largest count

// eventfdFile is one eventfd: its file and its context in a single
// allocation. Linux takes the two from separate caches (filp, kmalloc);
// under emulation each Go allocation is some 220 guest instructions, a
// tenth of an eventfd create+close (bench/README.md). The context lives
// as long as anything points into the allocation, as Go's GC sees to.
type eventfdFile struct {
	file File
	ctx  eventfdCtx
}

type eventfdCtx struct {
	mu    sync.Mutex
	count uint64
	sem   bool
	wqh   WaitQueue
	id    int
}

// eventfdFops mirrors eventfd_fops: read, write, poll, noop_llseek,
// show_fdinfo; no ioctl (FIONREAD is ENOTTY) and no mmap (ENODEV).
type eventfdFops struct{ NoopLlseek }

// Eventfd2 mirrors eventfd2(2): unknown flags are EINVAL.
func (v *VFS) Eventfd2(c *Caller, initval uint32, flags uint32) (int, abi.Errno) {
	if flags&^(EFD_SEMAPHORE|EFD_CLOEXEC|EFD_NONBLOCK) != 0 {
		return -1, abi.EINVAL
	}
	ef := &eventfdFile{ctx: eventfdCtx{count: uint64(initval), sem: flags&EFD_SEMAPHORE != 0, id: int(v.nextIno.Add(1))}}
	fd, err := v.anonInodeGetFdIn(c, &ef.file, "[eventfd]", eventfdFops{}, &ef.ctx, O_RDWR|flags&(EFD_CLOEXEC|EFD_NONBLOCK))
	if err != nil {
		return -1, abi.ErrnoOf(err)
	}
	return fd, 0
}

// Read mirrors eventfd_read: 8-byte buffer or EINVAL; a zero counter is
// EAGAIN or blocks; semaphore mode hands out 1 at a time.
func (eventfdFops) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) {
	if len(dst) < 8 {
		return 0, abi.EINVAL
	}
	ctx := f.PrivateData.(*eventfdCtx)
	ctx.mu.Lock()
	defer ctx.mu.Unlock()
	if ctx.count == 0 {
		if f.Nonblocking() {
			return 0, abi.EAGAIN
		}
		if err := waitEvent(c, &ctx.mu, &ctx.wqh, nil, func() bool { return ctx.count > 0 }); err != 0 {
			return 0, err
		}
	}
	v := ctx.count
	if ctx.sem {
		v = 1
	}
	ctx.count -= v
	binary.LittleEndian.PutUint64(dst, v)
	ctx.wqh.Wake(EPOLLOUT)
	return 8, nil
}

// Write mirrors eventfd_write: 8 bytes or EINVAL; ULLONG_MAX is EINVAL; an
// addition that would pass ULLONG_MAX-1 is EAGAIN or blocks.
func (eventfdFops) Write(c *Caller, f *File, src []byte, pos *int64) (int, error) {
	if len(src) < 8 {
		return 0, abi.EINVAL
	}
	v := binary.LittleEndian.Uint64(src)
	if v == ^uint64(0) {
		return 0, abi.EINVAL
	}
	ctx := f.PrivateData.(*eventfdCtx)
	ctx.mu.Lock()
	defer ctx.mu.Unlock()
	if eventfdMax-ctx.count < v {
		if f.Nonblocking() {
			return 0, abi.EAGAIN
		}
		if err := waitEvent(c, &ctx.mu, &ctx.wqh, nil, func() bool { return eventfdMax-ctx.count >= v }); err != 0 {
			return 0, err
		}
	}
	ctx.count += v
	if v > 0 {
		ctx.wqh.Wake(EPOLLIN)
	}
	return 8, nil
}

// Poll mirrors eventfd_poll.
func (eventfdFops) Poll(f *File, pt *PollTable) PollMask {
	ctx := f.PrivateData.(*eventfdCtx)
	PollWait(pt, &ctx.wqh)
	ctx.mu.Lock()
	defer ctx.mu.Unlock()
	var m PollMask
	if ctx.count > 0 {
		m |= EPOLLIN
	}
	if ctx.count == ^uint64(0) {
		m |= EPOLLERR
	}
	if ctx.count < eventfdMax {
		m |= EPOLLOUT
	}
	return m
}

// ShowFdinfo mirrors eventfd_show_fdinfo.
func (eventfdFops) ShowFdinfo(f *File) string {
	ctx := f.PrivateData.(*eventfdCtx)
	ctx.mu.Lock()
	defer ctx.mu.Unlock()
	return fmt.Sprintf("eventfd-count: %16x\neventfd-id: %d\neventfd-semaphore: %d\n", ctx.count, ctx.id, b2i(ctx.sem))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
