package fs

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ringo-os/ringo/abi"
)

// This file is fs/eventpoll.c: epoll_create1, epoll_ctl, epoll_wait on an
// anon-inode file "[eventpoll]"; level- and edge-triggered items,
// EPOLLONESHOT, timeouts.
//
// Lock order: eventpoll.mtx (ep->mtx, held across ->poll of a target) ->
// the target's own locks -> WaitQueue.mu -> eventpoll.lock (ep->lock,
// taken by the wake-up callback).

// epoll_ctl operations and epoll_create1 flags.
const (
	EPOLL_CTL_ADD = 1
	EPOLL_CTL_DEL = 2
	EPOLL_CTL_MOD = 3
	EPOLL_CLOEXEC = O_CLOEXEC
)

// epMaxEvents is EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event).
const epMaxEvents = 0x7fffffff / 12

// epollExclusiveOKBits is EPOLLEXCLUSIVE_OK_BITS.
const epollExclusiveOKBits = EPOLLINOUTBITS | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE

// EPOLLINOUTBITS is EPOLLIN|EPOLLOUT.
const EPOLLINOUTBITS = EPOLLIN | EPOLLOUT

// epPrivateBits is EP_PRIVATE_BITS: what survives a fired EPOLLONESHOT.
const epPrivateBits = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE

// EpollEvent is struct epoll_event (packed to 12 bytes by the syscall layer).
type EpollEvent struct {
	Events PollMask
	Data   uint64
}

type epKey struct {
	file *File
	fd   int
}

// epitem mirrors struct epitem: one watched (file, fd).
type epitem struct {
	ep      *eventpoll
	key     epKey
	event   EpollEvent
	entries []*WaitEntry
	ready   bool // on the ready list (guarded by ep.lock)
}

// eventpoll mirrors struct eventpoll.
type eventpoll struct {
	mtx   sync.Mutex // ep->mtx
	items map[epKey]*epitem

	lock  sync.Mutex // ep->lock: the ready list
	rdl   []*epitem
	wq    WaitQueue // epoll_wait sleepers
	pollW WaitQueue // epoll files watching this one
}

type eventpollFops struct{}

// EpollCreate1 mirrors epoll_create1(2): flags other than EPOLL_CLOEXEC
// are EINVAL.
func (v *VFS) EpollCreate1(c *Caller, flags uint32) (int, abi.Errno) {
	if flags&^EPOLL_CLOEXEC != 0 {
		return -1, abi.EINVAL
	}
	ep := &eventpoll{items: map[epKey]*epitem{}}
	fd, err := v.AnonInodeGetFd(c, "[eventpoll]", eventpollFops{}, ep, O_RDWR|flags&O_CLOEXEC)
	if err != nil {
		return -1, abi.ErrnoOf(err)
	}
	return fd, 0
}

// EpollCreate mirrors epoll_create(2): size <= 0 is EINVAL.
func (v *VFS) EpollCreate(c *Caller, size int32) (int, abi.Errno) {
	if size <= 0 {
		return -1, abi.EINVAL
	}
	return v.EpollCreate1(c, 0)
}

func isEpoll(f *File) bool { _, ok := f.Op.(eventpollFops); return ok }

// EpollCtl mirrors do_epoll_ctl, errors in Linux's order.
func EpollCtl(c *Caller, epfd, op, fd int, event EpollEvent) abi.Errno {
	f, err := c.Files.Fget(epfd)
	if err != 0 {
		return err
	}
	defer f.DecRef()
	tf, err := c.Files.Fget(fd)
	if err != 0 {
		return err
	}
	defer tf.DecRef()
	if _, ok := tf.Op.(Poller); !ok {
		return abi.EPERM
	}
	if f == tf || !isEpoll(f) {
		return abi.EINVAL
	}
	if op != EPOLL_CTL_DEL && event.Events&EPOLLEXCLUSIVE != 0 {
		if op == EPOLL_CTL_MOD {
			return abi.EINVAL
		}
		if op == EPOLL_CTL_ADD && (isEpoll(tf) || event.Events&^epollExclusiveOKBits != 0) {
			return abi.EINVAL
		}
	}
	ep := f.PrivateData.(*eventpoll)
	ep.mtx.Lock()
	defer ep.mtx.Unlock()
	key := epKey{tf, fd}
	epi := ep.items[key]
	switch op {
	case EPOLL_CTL_ADD:
		if epi != nil {
			return abi.EEXIST
		}
		event.Events |= EPOLLERR | EPOLLHUP
		ep.insert(key, event)
		return 0
	case EPOLL_CTL_DEL:
		if epi == nil {
			return abi.ENOENT
		}
		ep.remove(epi)
		return 0
	case EPOLL_CTL_MOD:
		if epi == nil {
			return abi.ENOENT
		}
		if epi.event.Events&EPOLLEXCLUSIVE != 0 {
			return abi.EINVAL
		}
		event.Events |= EPOLLERR | EPOLLHUP
		ep.modify(epi, event)
		return 0
	}
	return abi.EINVAL
}

// insert mirrors ep_insert. Preconditions: ep.mtx held.
func (ep *eventpoll) insert(key epKey, event EpollEvent) {
	epi := &epitem{ep: ep, key: key, event: event}
	ep.items[key] = epi
	key.file.epMu.Lock()
	if key.file.epLinks == nil {
		key.file.epLinks = map[*epitem]struct{}{}
	}
	key.file.epLinks[epi] = struct{}{}
	key.file.epMu.Unlock()
	pt := &PollTable{queue: func(wq *WaitQueue) {
		epi.entries = append(epi.entries, wq.AddCallback(func(m PollMask) { ep.callback(epi, m) }))
	}}
	if key.file.Op.(Poller).Poll(key.file, pt)&epi.events() != 0 {
		ep.setReady(epi)
	}
}

// events is the interest mask. Preconditions: ep.mtx or ep.lock held.
func (epi *epitem) events() PollMask { return epi.event.Events }

// modify mirrors ep_modify. Preconditions: ep.mtx held.
func (ep *eventpoll) modify(epi *epitem, event EpollEvent) {
	ep.lock.Lock()
	epi.event = event
	ep.lock.Unlock()
	if epi.key.file.Op.(Poller).Poll(epi.key.file, nil)&event.Events != 0 {
		ep.setReady(epi)
	}
}

// remove mirrors ep_remove. Preconditions: ep.mtx held.
func (ep *eventpoll) remove(epi *epitem) {
	for _, e := range epi.entries {
		e.Remove()
	}
	epi.entries = nil
	delete(ep.items, epi.key)
	ep.lock.Lock()
	if epi.ready {
		for i, r := range ep.rdl {
			if r == epi {
				ep.rdl = append(ep.rdl[:i], ep.rdl[i+1:]...)
				break
			}
		}
		epi.ready = false
	}
	ep.lock.Unlock()
	epi.key.file.epMu.Lock()
	delete(epi.key.file.epLinks, epi)
	epi.key.file.epMu.Unlock()
}

// callback mirrors ep_poll_callback: queue the item if the event matches
// its interest, and wake epoll_wait.
func (ep *eventpoll) callback(epi *epitem, m PollMask) {
	ep.lock.Lock()
	interest := epi.event.Events
	ep.lock.Unlock()
	if interest&^epPrivateBits == 0 { // disabled by EPOLLONESHOT
		return
	}
	if m != 0 && m&interest == 0 {
		return
	}
	ep.setReady(epi)
}

func (ep *eventpoll) setReady(epi *epitem) {
	ep.lock.Lock()
	if !epi.ready {
		epi.ready = true
		ep.rdl = append(ep.rdl, epi)
	}
	ep.lock.Unlock()
	ep.wq.Wake(EPOLLIN)
	ep.pollW.Wake(EPOLLIN)
}

// EpollWait mirrors epoll_wait(2): maxevents in 1..EP_MAX_EVENTS, timeout
// in ms (-1 forever, 0 poll). It returns the ready events (at most
// maxevents); EINTR if interrupted, which no SA_RESTART turns into a
// restart (ep_poll returns -EINTR, not -ERESTARTSYS; signal(7) lists
// epoll_wait among the calls never restarted). Level-triggered items stay
// queued while ready; EPOLLET items are reported once per wake-up;
// EPOLLONESHOT items are disabled until EPOLL_CTL_MOD.
func EpollWait(c *Caller, epfd int, maxevents int, timeoutMs int) ([]EpollEvent, abi.Errno) {
	if maxevents <= 0 || maxevents > epMaxEvents {
		return nil, abi.EINVAL
	}
	f, err := c.Files.Fget(epfd)
	if err != 0 {
		return nil, err
	}
	defer f.DecRef()
	if !isEpoll(f) {
		return nil, abi.EINVAL
	}
	ep := f.PrivateData.(*eventpoll)
	var deadline <-chan time.Time
	if timeoutMs > 0 {
		t := time.NewTimer(time.Duration(timeoutMs) * time.Millisecond)
		defer t.Stop()
		deadline = t.C
	}
	for {
		ch := ep.wq.Chan()
		if evs := ep.sendEvents(maxevents); len(evs) > 0 {
			return evs, 0
		}
		if timeoutMs == 0 {
			return nil, 0
		}
		switch c.Wait(ch, deadline) {
		case Interrupted:
			return nil, abi.EINTR
		case TimedOut:
			return ep.sendEvents(maxevents), 0
		}
	}
}

// sendEvents mirrors ep_send_events: re-poll each queued item and report
// what is still ready.
func (ep *eventpoll) sendEvents(maxevents int) []EpollEvent {
	ep.mtx.Lock()
	defer ep.mtx.Unlock()
	ep.lock.Lock()
	list := ep.rdl
	ep.rdl = nil
	for _, epi := range list {
		epi.ready = false
	}
	ep.lock.Unlock()
	var out []EpollEvent
	var requeue []*epitem
	for i, epi := range list {
		if len(out) >= maxevents {
			requeue = append(requeue, list[i:]...)
			break
		}
		if ep.items[epi.key] != epi {
			continue // removed meanwhile
		}
		ep.lock.Lock()
		interest := epi.event.Events
		ep.lock.Unlock()
		revents := epi.key.file.Op.(Poller).Poll(epi.key.file, nil) & interest
		if revents == 0 {
			continue
		}
		out = append(out, EpollEvent{Events: revents, Data: epi.event.Data})
		ep.lock.Lock()
		if interest&EPOLLONESHOT != 0 {
			epi.event.Events &= epPrivateBits
		} else if interest&EPOLLET == 0 {
			requeue = append(requeue, epi) // level-triggered: check again next time
		}
		ep.lock.Unlock()
	}
	ep.lock.Lock()
	for _, epi := range requeue {
		if !epi.ready {
			epi.ready = true
			ep.rdl = append(ep.rdl, epi)
		}
	}
	ep.lock.Unlock()
	return out
}

// Poll makes an epoll file pollable (nested epoll): readable when an
// item is queued.
func (eventpollFops) Poll(f *File, pt *PollTable) PollMask {
	ep := f.PrivateData.(*eventpoll)
	PollWait(pt, &ep.pollW)
	ep.lock.Lock()
	defer ep.lock.Unlock()
	if len(ep.rdl) > 0 {
		return EPOLLIN | EPOLLRDNORM
	}
	return 0
}

// Release mirrors ep_eventpoll_release: drop every item.
func (eventpollFops) Release(inode *Inode, f *File) {
	ep := f.PrivateData.(*eventpoll)
	ep.mtx.Lock()
	defer ep.mtx.Unlock()
	for _, epi := range ep.items {
		ep.remove(epi)
	}
}

// ShowFdinfo mirrors ep_show_fdinfo.
func (eventpollFops) ShowFdinfo(f *File) string {
	ep := f.PrivateData.(*eventpoll)
	ep.mtx.Lock()
	defer ep.mtx.Unlock()
	var b strings.Builder
	for k, epi := range ep.items {
		fmt.Fprintf(&b, "tfd: %8d events: %8x data: %16x  pos:%d ino:%x sdev:%x\n",
			k.fd, uint32(epi.event.Events), epi.event.Data, k.file.Pos(), k.file.Inode.Ino, k.file.Inode.Sb.Dev.Encode())
	}
	return b.String()
}

// eventpollRelease mirrors eventpoll_release, called from __fput: a file
// leaves every epoll set when its last reference goes, not on close(fd)
// while a dup keeps it open. Most files were never watched: like Linux's
// test of file->f_ep, that case returns before building the list (ranging
// over even an empty map costs an iterator set-up on every close).
func eventpollRelease(f *File) {
	f.epMu.Lock()
	if len(f.epLinks) == 0 {
		f.epMu.Unlock()
		return
	}
	links := make([]*epitem, 0, len(f.epLinks))
	for epi := range f.epLinks {
		links = append(links, epi)
	}
	f.epMu.Unlock()
	for _, epi := range links {
		epi.ep.mtx.Lock()
		if epi.ep.items[epi.key] == epi {
			epi.ep.remove(epi)
		}
		epi.ep.mtx.Unlock()
	}
}
