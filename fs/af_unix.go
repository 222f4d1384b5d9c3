package fs

import (
	"sync"

	"github.com/ringo-os/ringo/abi"
)

// This file is net/unix/af_unix.c for SOCK_STREAM: unix_create,
// unix_socketpair, unix_stream_sendmsg, unix_stream_read_generic,
// unix_poll, unix_shutdown, unix_ioctl and unix_release_sock. The receive
// queue is the pipe's buffer ring (pipe_buffer.go) instead of a list of
// sk_buffs: a stream has no boundaries to keep, and SCM_RIGHTS/credentials
// (the only per-skb data that matters to a stream) are not implemented.
// SOCK_DGRAM, SOCK_SEQPACKET (and SOCK_RAW, Linux's alias for DGRAM) are
// EOPNOTSUPP.

// sk_shutdown bits (include/net/sock.h).
const (
	rcvShutdown  = 1 // RCV_SHUTDOWN
	sendShutdown = 2 // SEND_SHUTDOWN
	shutdownMask = 3 // SHUTDOWN_MASK
)

// sk_state values AF_UNIX uses (include/net/tcp_states.h).
const (
	tcpEstablished = 1 // TCP_ESTABLISHED: one end of a connected pair
	tcpClose       = 7 // TCP_CLOSE: unconnected, or released
)

const (
	// unixSndbuf is sk_sndbuf, net.core.wmem_default (SK_WMEM_MAX).
	unixSndbuf = 212992
	// unixMaxChunk is the most unix_stream_sendmsg queues in one step:
	// SKB_MAX_HEAD(0) (4096 - NET_SKB_PAD 64 - skb_shared_info 320) +
	// UNIX_SKB_FRAGS_SZ (32768).
	unixMaxChunk = 3712 + 32768
	// unixRingSlots is the receive ring's first size; it doubles when a
	// writer fills it (at most ~61 pages are queued: sndbuf plus one chunk).
	unixRingSlots = 64
)

// unixSock mirrors struct unix_sock with the struct sock fields it uses.
//
// Locking: both ends of a pair share one mutex, which stands for Linux's
// unix_state_lock of each end and the lock of each receive queue. A
// write touches the writer (wmem) and the reader (its queue) at once;
// with one lock per connection there is no lock order between the two
// ends to get wrong, and different connections never lock each other.
type unixSock struct {
	lock *sync.Mutex

	state int       // sk_state
	shut  int       // sk_shutdown: rcvShutdown|sendShutdown
	err   abi.Errno // sk_err, taken (and cleared) by sockError
	dead  bool      // SOCK_DEAD: released
	peer  *unixSock // unix_peer; a survivor keeps pointing at a released peer, as Linux

	recv   pipeRing // sk_receive_queue, filled by the peer
	wmem   int      // sk_wmem_alloc: our bytes sitting unread in the peer's queue
	sndbuf int      // sk_sndbuf

	wq WaitQueue // sk_wq: readers, blocked writers, poll and epoll
}

// unixCreate mirrors unix_create: protocol must be 0 or PF_UNIX; the type
// picks the ops. Preconditions: typ already checked against SOCK_MAX.
func unixCreate(s *socket, protocol int) abi.Errno {
	if protocol != 0 && protocol != PF_UNIX {
		return abi.EPROTONOSUPPORT
	}
	switch s.typ {
	case SOCK_STREAM:
	case SOCK_RAW, SOCK_DGRAM, SOCK_SEQPACKET:
		return abi.EOPNOTSUPP // Ringo has no unix_dgram_ops / unix_seqpacket_ops
	default:
		return abi.ESOCKTNOSUPPORT
	}
	s.sk = &unixSock{lock: new(sync.Mutex), state: tcpClose, recv: newPipeRing(unixRingSlots), sndbuf: unixSndbuf}
	return 0
}

// socketpair mirrors unix_socketpair: each end is the other's peer, both
// are established, and from now on they share one lock.
func (u *unixSock) socketpair(peer protoOps) abi.Errno {
	o := peer.(*unixSock)
	o.lock = u.lock
	u.peer, o.peer = o, u
	u.state, o.state = tcpEstablished, tcpEstablished
	return 0
}

// writable mirrors unix_writable: at most a quarter of sk_sndbuf in
// flight. Preconditions: u.lock held.
func (u *unixSock) writable() bool { return u.wmem*4 <= u.sndbuf }

// sockError mirrors sock_error: report sk_err once.
// Preconditions: u.lock held.
func (u *unixSock) sockError() abi.Errno {
	err := u.err
	u.err = 0
	return err
}

// sendmsg mirrors unix_stream_sendmsg: ENOTCONN without a peer, EPIPE
// and SIGPIPE after our shutdown, then the data goes to the peer's queue
// in chunks, each waiting for room in our sk_sndbuf. A failure after some
// bytes were queued returns the count; a peer that can no longer receive
// is EPIPE, with SIGPIPE only if nothing was sent (its pipe_err path).
func (u *unixSock) sendmsg(c *Caller, src []byte, nonblock bool) (int, abi.Errno) {
	u.lock.Lock()
	defer u.lock.Unlock()
	other := u.peer
	if other == nil {
		return 0, abi.ENOTCONN
	}
	if u.shut&sendShutdown != 0 {
		c.sendSig(abi.SIGPIPE)
		return 0, abi.EPIPE
	}
	sent := 0
	for sent < len(src) {
		if err := u.waitForWmem(c, nonblock); err != 0 {
			return partial(sent, err)
		}
		if other.dead || other.shut&rcvShutdown != 0 {
			if sent == 0 {
				c.sendSig(abi.SIGPIPE)
			}
			return partial(sent, abi.EPIPE)
		}
		size := min(len(src)-sent, unixMaxChunk, u.sndbuf/2-64)
		other.enqueue(src[sent : sent+size])
		u.wmem += size
		sent += size
		other.wq.Wake(EPOLLIN | EPOLLPRI | EPOLLRDNORM | EPOLLRDBAND) // sk_data_ready
	}
	return sent, 0
}

// partial is `return sent ? : err`.
func partial(sent int, err abi.Errno) (int, abi.Errno) {
	if sent > 0 {
		return sent, 0
	}
	return 0, err
}

// waitForWmem is the loop of sock_alloc_send_pskb: a pending error, then
// shutdown, then room (wmem below sk_sndbuf; a chunk may overshoot it),
// else EAGAIN or sleep until the reader frees enough (unix_write_space
// wakes us at a quarter). Preconditions: u.lock held.
func (u *unixSock) waitForWmem(c *Caller, nonblock bool) abi.Errno {
	for {
		if err := u.sockError(); err != 0 {
			return err
		}
		if u.shut&sendShutdown != 0 {
			return abi.EPIPE
		}
		if u.wmem < u.sndbuf {
			return 0
		}
		if nonblock {
			return abi.EAGAIN
		}
		if err := waitEvent(c, u.lock, &u.wq, nil, func() bool {
			return u.err != 0 || u.shut&sendShutdown != 0 || u.wmem < u.sndbuf
		}); err != 0 {
			return err
		}
	}
}

// enqueue appends b to the receive queue: it fills the newest page, then
// adds pages, growing the ring if a writer filled it.
// Preconditions: u.lock held.
func (u *unixSock) enqueue(b []byte) {
	r := &u.recv
	for len(b) > 0 {
		if !r.empty() {
			if n := r.appendNewest(b); n > 0 {
				b = b[n:]
				continue
			}
		}
		if r.occupancy() == r.size() {
			r.resize(2 * r.size())
		}
		b = b[r.push(b, false):]
	}
}

// recvmsg mirrors unix_stream_read_generic without MSG_PEEK/MSG_WAITALL:
// EINVAL unless connected; return as soon as some bytes were copied
// (SO_RCVLOWAT 1); on an empty queue report a pending error once
// (ECONNRESET after the peer closed with data unread), then EOF after
// shutdown, else EAGAIN or sleep.
func (u *unixSock) recvmsg(c *Caller, dst []byte, nonblock bool) (int, abi.Errno) {
	u.lock.Lock()
	defer u.lock.Unlock()
	if u.state != tcpEstablished {
		return 0, abi.EINVAL
	}
	copied := 0
	for copied < len(dst) {
		if u.recv.empty() {
			if copied > 0 {
				break
			}
			if err := u.sockError(); err != 0 {
				return 0, err
			}
			if u.shut&rcvShutdown != 0 {
				return 0, 0
			}
			if nonblock {
				return 0, abi.EAGAIN
			}
			if err := waitEvent(c, u.lock, &u.wq, nil, func() bool {
				return !u.recv.empty() || u.err != 0 || u.shut&rcvShutdown != 0
			}); err != 0 {
				return 0, err
			}
			continue
		}
		n, _ := u.recv.consumeOldest(dst[copied:])
		copied += n
		if p := u.peer; p != nil {
			p.wmem -= n // sock_wfree of the sender
		}
	}
	if p := u.peer; p != nil && copied > 0 && p.writable() {
		p.wq.Wake(EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND) // unix_write_space
	}
	return copied, 0
}

// poll mirrors unix_poll.
func (u *unixSock) poll(pt *PollTable) PollMask {
	PollWait(pt, &u.wq)
	u.lock.Lock()
	defer u.lock.Unlock()
	var m PollMask
	if u.err != 0 {
		m |= EPOLLERR
	}
	if u.shut == shutdownMask {
		m |= EPOLLHUP
	}
	if u.shut&rcvShutdown != 0 {
		m |= EPOLLRDHUP | EPOLLIN | EPOLLRDNORM
	}
	if !u.recv.empty() {
		m |= EPOLLIN | EPOLLRDNORM
	}
	if u.state == tcpClose {
		m |= EPOLLHUP // a connection-oriented socket that is not connected
	}
	// Writable even after the peer shut down, so that a writer is not
	// stuck: its write then fails with EPIPE.
	if u.writable() {
		m |= EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND
	}
	return m
}

// shutdown mirrors unix_shutdown: SHUT_RD/WR/RDWR become RCV/SEND/both
// here and the mirror image at the peer (our SHUT_WR is the peer's EOF,
// our SHUT_RD the peer's EPIPE). Unconnected sockets accept it too.
func (u *unixSock) shutdown(how int) abi.Errno {
	if how < SHUT_RD || how > SHUT_RDWR {
		return abi.EINVAL
	}
	mode := how + 1
	u.lock.Lock()
	defer u.lock.Unlock()
	u.shut |= mode
	u.wq.Wake(0) // sk_state_change: wake everyone
	if other := u.peer; other != nil {
		peerMode := 0
		if mode&rcvShutdown != 0 {
			peerMode |= sendShutdown
		}
		if mode&sendShutdown != 0 {
			peerMode |= rcvShutdown
		}
		other.shut |= peerMode
		other.wq.Wake(0)
	}
	return 0
}

// ioctl mirrors unix_ioctl: SIOCINQ (= FIONREAD) is the unread bytes,
// SIOCOUTQ our bytes the peer has not read yet.
func (u *unixSock) ioctl(c *Caller, cmd uint32, arg uintptr) (int64, error) {
	var amount int
	switch cmd {
	case SIOCINQ:
		u.lock.Lock()
		amount = u.recv.bytes
		u.lock.Unlock()
	case SIOCOUTQ:
		u.lock.Lock()
		amount = u.wmem
		u.lock.Unlock()
	default:
		return 0, abi.ENOIOCTLCMD
	}
	return 0, errOrNil(c.putUserInt32(arg, int32(amount)))
}

// release mirrors unix_release_sock: we are dead and fully shut down; a
// peer can neither write to us (EPIPE) nor wait for more data (EOF after
// what we sent), and learns ECONNRESET if we go with its data unread. Our
// queue is dropped, which frees the peer's send space.
func (u *unixSock) release() {
	u.lock.Lock()
	defer u.lock.Unlock()
	u.dead = true
	u.shut = shutdownMask
	u.state = tcpClose
	skpair := u.peer
	u.peer = nil
	if skpair != nil {
		skpair.shut = shutdownMask
		if !u.recv.empty() {
			skpair.err = abi.ECONNRESET
		}
	}
	purged := u.recv.purge()
	if skpair != nil {
		skpair.wmem -= purged
		skpair.wq.Wake(0) // sk_state_change, and write space
	}
}

// showFdinfo mirrors unix_show_fdinfo: no descriptors are ever in flight
// (no SCM_RIGHTS).
func (u *unixSock) showFdinfo() string { return "scm_fds: 0\n" }
