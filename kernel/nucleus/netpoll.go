package nucleus

// The netpoller's file descriptors: eventfd(2) and epoll(7), enough for the
// runtime's netpoll (timers and idle sleeps go through epoll_pwait even
// without networking; netpollBreak writes 8 bytes to an eventfd) and for
// kernel Go code that waits on an interrupt through an IRQ eventfd.
//
// The nucleus's own small descriptor table serves only the runtime: fds 0-2
// are the console, the rest eventfds and epoll instances. (User processes
// get fs's files_struct; this is not it.) Mirrors fs/eventfd.c and
// fs/eventpoll.c, level- and edge-triggered, EPOLLONESHOT.
//
// Runs on the syscall and interrupt paths: //go:nosplit, no allocation.

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

const (
	maxFDs      = 64
	maxInterest = 128

	fdNone    = 0
	fdConsole = 1
	fdEventfd = 2
	fdEpoll   = 3

	efdSemaphore = 1
	oNonblock    = 0x800
	oCloexec     = 0x80000
	oRDWR        = 2

	epollIn      = 0x001
	epollOut     = 0x004
	epollOneshot = 1 << 30
	epollET      = 1 << 31

	epollCtlAdd = 1
	epollCtlDel = 2
	epollCtlMod = 3
)

type nfd struct {
	kind    uint32
	nonbl   bool
	cloexec bool
	count   uint64 // eventfd counter
	sem     bool
	seq     uint64 // bumped on every event, for edge triggering
	irq     int32  // IRQ that signals this eventfd, or -1
}

type interest struct {
	used   bool
	epfd   int32
	fd     int32
	events uint32
	data   uint64
	seen   uint64 // fd.seq when last reported (edge-triggered)
}

var (
	fds       [maxFDs]nfd
	interests [maxInterest]interest
	// interestSlots is one past the highest interest slot ever used:
	// the loops stop there (epoll_wait runs at every reschedule while
	// the netpoller has waiters, and 128 slots were 128 block runs).
	interestSlots int
	irqBound      uint16 // IRQs some eventfd was ever bound to (BindIRQ)
)

//go:nosplit
func setupFDs() {
	for i := 0; i < 3; i++ {
		fds[i].kind = fdConsole
	}
	for i := range fds {
		fds[i].irq = -1
	}
}

//go:nosplit
func fdAlloc(kind uint32, flags uint32) uintptr {
	for i := 3; i < maxFDs; i++ {
		if fds[i].kind == fdNone {
			fds[i] = nfd{kind: kind, nonbl: flags&oNonblock != 0, cloexec: flags&oCloexec != 0, irq: -1}
			return uintptr(i)
		}
	}
	return errno(abi.EMFILE)
}

//go:nosplit
func fdGet(fd uintptr) *nfd {
	if fd >= maxFDs || fds[fd].kind == fdNone {
		return nil
	}
	return &fds[fd]
}

//go:nosplit
func sysEventfd2(initval uint32, flags uint32) uintptr {
	if flags&^(efdSemaphore|oNonblock|oCloexec) != 0 {
		return errno(abi.EINVAL)
	}
	fd := fdAlloc(fdEventfd, flags)
	if int(fd) >= 0 {
		fds[fd].count = uint64(initval)
		fds[fd].sem = flags&efdSemaphore != 0
	}
	return fd
}

//go:nosplit
func sysEpollCreate1(flags uint32) uintptr {
	if flags&^oCloexec != 0 {
		return errno(abi.EINVAL)
	}
	return fdAlloc(fdEpoll, flags)
}

//go:nosplit
func sysClose(fd uintptr) uintptr {
	f := fdGet(fd)
	if f == nil {
		return errno(abi.EBADF)
	}
	for i := range interests[:interestSlots] {
		in := &interests[i]
		if in.used && (uintptr(in.epfd) == fd || uintptr(in.fd) == fd) {
			in.used = false
		}
	}
	if f.kind != fdConsole {
		f.kind = fdNone
	}
	return 0
}

// eventfdRead mirrors fs/eventfd.c:eventfd_read.
//
//go:nosplit
func eventfdRead(fd uintptr, f *nfd, buf, n uintptr) uintptr {
	if n < 8 {
		return errno(abi.EINVAL)
	}
	if f.count == 0 {
		if f.nonbl {
			return errno(abi.EAGAIN)
		}
		block(waitRead, fd, 0)
		return 0
	}
	v := f.count
	if f.sem {
		v = 1
	}
	f.count -= v
	*u64at(buf) = v
	return 8
}

// eventfdWrite mirrors fs/eventfd.c:eventfd_write.
//
//go:nosplit
func eventfdWrite(fd uintptr, f *nfd, buf, n uintptr) uintptr {
	if n < 8 {
		return errno(abi.EINVAL)
	}
	v := *u64at(buf)
	if v == ^uint64(0) {
		return errno(abi.EINVAL)
	}
	if f.count+v < f.count || f.count+v == ^uint64(0) {
		return errno(abi.EAGAIN)
	}
	f.count += v
	eventfdSignal(fd)
	return 8
}

// eventfdSignal records an event on fd and wakes whoever waits for it:
// blocked readers and epoll_wait callers watching it.
//
//go:nosplit
func eventfdSignal(fd uintptr) {
	fds[fd].seq++
	for i := int32(1); i < threadSlots; i++ {
		t := &threads[i]
		if t.state != thBlocked {
			continue
		}
		if t.wait == waitRead && t.waitAddr == fd || t.wait == waitEpoll && epollWatches(int32(t.waitAddr), int32(fd)) {
			wake(t, 0, true)
		}
	}
}

//go:nosplit
func epollWatches(epfd, fd int32) bool {
	for i := range interests[:interestSlots] {
		if in := &interests[i]; in.used && in.epfd == epfd && in.fd == fd {
			return true
		}
	}
	return false
}

// irqSignal is the interrupt side: an IRQ bound to eventfds counts as one
// write of 1 to each (the path device drivers use to wake Go code).
//
//go:nosplit
func irqSignal(irq uint64) {
	if irqBound&(1<<irq) == 0 { // the usual tick: no eventfd waits for it
		return
	}
	for i := range fds {
		if fds[i].kind == fdEventfd && fds[i].irq == int32(irq) {
			fds[i].count++
			eventfdSignal(uintptr(i))
		}
	}
}

//go:nosplit
func sysEpollCtl(epfd uintptr, op uint32, fd uintptr, ev uintptr) uintptr {
	e, f := fdGet(epfd), fdGet(fd)
	if e == nil || f == nil {
		return errno(abi.EBADF)
	}
	if e.kind != fdEpoll || epfd == fd {
		return errno(abi.EINVAL)
	}
	var slot *interest
	for i := range interests[:interestSlots] {
		if in := &interests[i]; in.used && uintptr(in.epfd) == epfd && uintptr(in.fd) == fd {
			slot = in
		}
	}
	switch op {
	case epollCtlAdd:
		if slot != nil {
			return errno(abi.EEXIST)
		}
		for i := range interests {
			if !interests[i].used {
				slot = &interests[i]
				interestSlots = max(interestSlots, i+1)
				break
			}
		}
		if slot == nil {
			return errno(abi.ENOSPC)
		}
		*slot = interest{used: true, epfd: int32(epfd), fd: int32(fd)}
	case epollCtlMod:
		if slot == nil {
			return errno(abi.ENOENT)
		}
	case epollCtlDel:
		if slot == nil {
			return errno(abi.ENOENT)
		}
		slot.used = false
		return 0
	default:
		return errno(abi.EINVAL)
	}
	// struct epoll_event is packed on x86-64: u32 events, u64 data.
	slot.events = *u32at(ev)
	slot.data = *u64at(ev + 4)
	slot.seen = f.seq - 1 // a new registration reports current readiness once
	return 0
}

//go:nosplit
func readiness(f *nfd) uint32 {
	switch f.kind {
	case fdEventfd:
		r := uint32(0)
		if f.count > 0 {
			r |= epollIn
		}
		if f.count < ^uint64(0)-1 {
			r |= epollOut
		}
		return r
	case fdConsole:
		return epollOut
	}
	return 0
}

// sysEpollWait mirrors fs/eventpoll.c:ep_poll. When nothing is ready it
// blocks; a wake re-runs it (restart), and a passed deadline makes it
// return 0.
//
//go:nosplit
func sysEpollWait(epfd uintptr, events uintptr, max int32, timeoutMS int32) uintptr {
	e := fdGet(epfd)
	if e == nil {
		return errno(abi.EBADF)
	}
	if e.kind != fdEpoll || max <= 0 {
		return errno(abi.EINVAL)
	}
	n := int32(0)
	for i := range interests[:interestSlots] {
		in := &interests[i]
		if !in.used || uintptr(in.epfd) != epfd || n == max {
			continue
		}
		f := &fds[in.fd]
		ready := readiness(f) & (in.events | 0x18) // EPOLLERR|EPOLLHUP always
		if ready == 0 || in.events&epollET != 0 && in.seen == f.seq {
			continue
		}
		in.seen = f.seq
		p := events + uintptr(n)*12
		*u32at(p) = ready
		*u64at(p + 4) = in.data
		n++
		if in.events&epollOneshot != 0 {
			in.events = 0
		}
	}
	t := cur()
	if n > 0 || timeoutMS == 0 || t.timedOut {
		t.timedOut = false
		return uintptr(n)
	}
	var deadline int64
	if timeoutMS > 0 {
		deadline = monotonicNow() + int64(timeoutMS)*1e6
	}
	if t.restarted && t.deadline != 0 { // keep the first deadline across wake-ups
		deadline = t.deadline
	}
	block(waitEpoll, epfd, deadline)
	return 0
}

//go:nosplit
func sysFcntl(fd uintptr, cmd uint32, arg uintptr) uintptr {
	f := fdGet(fd)
	if f == nil {
		return errno(abi.EBADF)
	}
	switch cmd {
	case 1: // F_GETFD
		if f.cloexec {
			return 1
		}
		return 0
	case 2: // F_SETFD
		f.cloexec = arg&1 != 0
		return 0
	case 3: // F_GETFL
		if f.nonbl {
			return oRDWR | oNonblock
		}
		return oRDWR
	case 4: // F_SETFL
		f.nonbl = arg&oNonblock != 0
		return 0
	}
	return errno(abi.EINVAL)
}

// BindIRQ returns a non-blocking eventfd that counts interrupts on a PIC
// line: kernel Go code reads it (through os.NewFile and the netpoller) to
// wait for a device.
func BindIRQ(irq int) (int, error) {
	if irq < 0 || irq > 15 || irq == 2 {
		return -1, abi.EINVAL
	}
	amd64.DisableInterrupts()
	defer amd64.EnableInterrupts()
	fd := fdAlloc(fdEventfd, oNonblock|oCloexec)
	if int(fd) < 0 {
		return -1, abi.Errno(-int(fd))
	}
	fds[fd].irq = int32(irq)
	irqBound |= 1 << irq
	unmaskIRQ(uint64(irq))
	return int(fd), nil
}
