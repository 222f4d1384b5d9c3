package kernel

// epoll_create(1), epoll_ctl, epoll_wait, epoll_pwait (fs/eventpoll.c).
// struct epoll_event is packed on x86-64: u32 events, u64 data = 12 bytes,
// the same for i386.

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

const (
	epollEventSize = 12
	epMaxEvents    = 0x7fffffff / epollEventSize // EP_MAX_EVENTS
)

func (t *Task) sysEpollCreate(a *syscall.Args) (uint64, error) {
	fd, e := t.k.vfs.EpollCreate(t.caller, a.Int(0))
	return uint64(fd), errOf(e)
}

func (t *Task) sysEpollCreate1(a *syscall.Args) (uint64, error) {
	fd, e := t.k.vfs.EpollCreate1(t.caller, uint32(a.Int(0)))
	return uint64(fd), errOf(e)
}

// sysEpollCtl reads the event only for operations that take one
// (ep_op_has_event: not EPOLL_CTL_DEL), so DEL accepts NULL.
func (t *Task) sysEpollCtl(a *syscall.Args) (uint64, error) {
	op := a.Int(1)
	var ev fs.EpollEvent
	if op != fs.EPOLL_CTL_DEL {
		var b [epollEventSize]byte
		if err := t.copyIn(a.Ptr(3), b[:]); err != nil {
			return 0, err
		}
		ev = fs.EpollEvent{Events: fs.PollMask(binary.LittleEndian.Uint32(b[:])), Data: binary.LittleEndian.Uint64(b[4:])}
	}
	return 0, errOf(fs.EpollCtl(t.caller, int(a.Fd(0)), int(op), int(a.Fd(2)), ev))
}

// epollWait checks maxevents and the buffer range before sleeping
// (do_epoll_wait), then stores the ready events.
func (t *Task) epollWait(epfd int32, addr uint64, maxevents, timeout int32) (uint64, error) {
	if maxevents <= 0 || maxevents > epMaxEvents {
		return 0, abi.EINVAL
	}
	if !t.accessOK(addr, uint64(maxevents)*epollEventSize) {
		return 0, abi.EFAULT
	}
	evs, e := fs.EpollWait(t.caller, int(epfd), int(maxevents), int(timeout))
	if e != 0 {
		return 0, e
	}
	out := make([]byte, len(evs)*epollEventSize)
	for i, ev := range evs {
		binary.LittleEndian.PutUint32(out[i*epollEventSize:], uint32(ev.Events))
		binary.LittleEndian.PutUint64(out[i*epollEventSize+4:], ev.Data)
	}
	if err := t.copyOut(addr, out); err != nil {
		return 0, err
	}
	return uint64(len(evs)), nil
}

func (t *Task) sysEpollWait(a *syscall.Args) (uint64, error) {
	return t.epollWait(a.Fd(0), a.Ptr(1), a.Int(2), a.Int(3))
}

// sysEpollPwait is epoll_wait with a signal mask installed for the wait
// (set_user_sigmask). The mask is checked first (size sizeof(sigset_t),
// readable), then the old one goes back at once unless the wait was
// interrupted: then the signal step restores it, after the handler's
// frame took it along (restore_saved_sigmask_unless), so a signal that
// the temporary mask let through runs its handler before the old mask
// blocks it again.
func (t *Task) sysEpollPwait(a *syscall.Args) (uint64, error) {
	mask := a.Ptr(4)
	if mask == 0 {
		return t.epollWait(a.Fd(0), a.Ptr(1), a.Int(2), a.Int(3))
	}
	set, err := t.readSigsetArg(mask, a.Size(5))
	if err != nil {
		return 0, err
	}
	t.setUserSigmask(set)
	n, err := t.epollWait(a.Fd(0), a.Ptr(1), a.Int(2), a.Int(3))
	t.restoreSavedSigmaskUnless(err == abi.EINTR)
	return n, err
}
