package fs

import (
	"sync"
	"time"

	"github.com/ringo-os/ringo/abi"
)

// This file is wait_queue_head_t and poll_table (include/linux/wait.h,
// include/linux/poll.h): how a blocked reader learns that data arrived and
// how epoll hooks its callback onto a file.

// PollMask is the set of EPOLL*/POLL* event bits (include/uapi/linux/eventpoll.h).
type PollMask uint32

const (
	EPOLLIN        PollMask = 0x001
	EPOLLPRI       PollMask = 0x002
	EPOLLOUT       PollMask = 0x004
	EPOLLERR       PollMask = 0x008
	EPOLLHUP       PollMask = 0x010
	EPOLLNVAL      PollMask = 0x020
	EPOLLRDNORM    PollMask = 0x040
	EPOLLRDBAND    PollMask = 0x080
	EPOLLWRNORM    PollMask = 0x100
	EPOLLWRBAND    PollMask = 0x200
	EPOLLMSG       PollMask = 0x400
	EPOLLRDHUP     PollMask = 0x2000
	EPOLLEXCLUSIVE PollMask = 1 << 28
	EPOLLWAKEUP    PollMask = 1 << 29
	EPOLLONESHOT   PollMask = 1 << 30
	EPOLLET        PollMask = 1 << 31
)

// WaitQueue mirrors wait_queue_head_t. Sleepers take Chan() and wait for it
// to close; epoll registers callbacks. The zero value is ready to use.
type WaitQueue struct {
	mu      sync.Mutex
	ch      chan struct{}
	entries map[*WaitEntry]struct{}
}

// WaitEntry is a callback registered on a WaitQueue (wait_queue_entry_t
// with a custom wake function, as ep_poll_callback).
type WaitEntry struct {
	wq *WaitQueue
	fn func(PollMask)
}

// Chan returns a channel that is closed by the next Wake. Take it while
// holding the lock that guards the condition, then drop the lock and wait:
// a wake-up between the check and the wait cannot be lost.
func (wq *WaitQueue) Chan() <-chan struct{} {
	wq.mu.Lock()
	defer wq.mu.Unlock()
	if wq.ch == nil {
		wq.ch = make(chan struct{})
	}
	return wq.ch
}

// Wake mirrors wake_up_poll(wq, mask): every sleeper wakes, every callback
// runs with the mask of events that happened.
func (wq *WaitQueue) Wake(mask PollMask) {
	wq.mu.Lock()
	if wq.ch != nil {
		close(wq.ch)
		wq.ch = nil
	}
	// No callbacks (no epoll watches this queue) is every pipe write
	// and read without epoll: return before setting up a defer and a
	// map iteration, which cost more than the rest of the wake-up.
	if len(wq.entries) == 0 {
		wq.mu.Unlock()
		return
	}
	defer wq.mu.Unlock()
	for e := range wq.entries {
		e.fn(mask)
	}
}

// AddCallback registers fn to run on every Wake.
func (wq *WaitQueue) AddCallback(fn func(PollMask)) *WaitEntry {
	wq.mu.Lock()
	defer wq.mu.Unlock()
	if wq.entries == nil {
		wq.entries = map[*WaitEntry]struct{}{}
	}
	e := &WaitEntry{wq: wq, fn: fn}
	wq.entries[e] = struct{}{}
	return e
}

// Remove unregisters the callback (remove_wait_queue).
func (e *WaitEntry) Remove() {
	e.wq.mu.Lock()
	delete(e.wq.entries, e)
	e.wq.mu.Unlock()
}

// PollTable mirrors poll_table: what ->poll passes its wait queues to.
// A nil *PollTable means "just report" (vfs_poll with NULL).
type PollTable struct {
	queue func(wq *WaitQueue)
}

// PollWait mirrors poll_wait: register the caller on wq.
func PollWait(pt *PollTable, wq *WaitQueue) {
	if pt != nil && pt.queue != nil {
		pt.queue(wq)
	}
}

// waitEvent mirrors wait_event_interruptible(_timeout): sleep on wq until
// cond() holds. Preconditions: mu held (it guards cond); it is held again
// on return. It returns ERESTARTSYS if the caller is interrupted and
// ETIMEDOUT when deadline (nil: none) fires first.
func waitEvent(c *Caller, mu *sync.Mutex, wq *WaitQueue, deadline <-chan time.Time, cond func() bool) abi.Errno {
	for !cond() {
		ch := wq.Chan()
		mu.Unlock()
		w := c.Wait(ch, deadline)
		mu.Lock()
		switch w {
		case Interrupted:
			return abi.ERESTARTSYS
		case TimedOut:
			if cond() {
				return 0
			}
			return abi.ETIMEDOUT
		}
	}
	return 0
}
