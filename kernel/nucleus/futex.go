package nucleus

// futex(2) for the runtime's locks and notes: FUTEX_WAIT and FUTEX_WAKE
// (private or not: there is one address space), with hashed wait queues
// as in kernel/futex/core.c (futex_hash), FIFO within a bucket, and
// relative timeouts.
//
// Runs on the syscall path: //go:nosplit, no allocation.

import "github.com/ringo-os/ringo/abi"

const (
	futexOpWait       = 0
	futexOpWake       = 1
	futexOpWaitBitset = 9
	futexOpWakeBitset = 10
	futexPrivateFlag  = 128
	futexClockRT      = 256

	futexBuckets = 64
)

// Each bucket is a singly linked FIFO of thread indices (thread.next).
var futexQ [futexBuckets]struct{ head, tail int32 }

//go:nosplit
func futexHash(addr uintptr) int {
	return int((uint64(addr) * 0x9e3779b97f4a7c15) >> 58) // top 6 bits
}

//go:nosplit
func setupFutex() {
	for i := range futexQ {
		futexQ[i].head, futexQ[i].tail = -1, -1
	}
}

//go:nosplit
func sysFutex(addr uintptr, op uint32, val uint32, timeout uintptr) uintptr {
	cmd := op &^ (futexPrivateFlag | futexClockRT)
	if addr&3 != 0 {
		return errno(abi.EINVAL)
	}
	switch cmd {
	case futexOpWait, futexOpWaitBitset:
		var deadline int64
		if timeout != 0 {
			sec, nsec := int64(*u64at(timeout)), int64(*u64at(timeout + 8))
			if sec < 0 || nsec < 0 || nsec >= 1e9 {
				return errno(abi.EINVAL)
			}
			if cmd == futexOpWaitBitset { // absolute time
				deadline = sec*1e9 + nsec
				if op&futexClockRT != 0 {
					deadline -= clock.rtcBoot
				}
			} else {
				deadline = monotonicNow() + sec*1e9 + nsec
			}
			if deadline <= 0 {
				deadline = 1
			}
		}
		if *u32at(addr) != val {
			return errno(abi.EAGAIN)
		}
		futexEnqueue(addr)
		block(waitFutex, addr, deadline)
		return 0 // replaced by wake() or timeout()
	case futexOpWake, futexOpWakeBitset:
		return uintptr(futexWake(addr, int(int32(val))))
	}
	return errno(abi.ENOSYS)
}

//go:nosplit
func futexEnqueue(addr uintptr) {
	b := &futexQ[futexHash(addr)]
	i := curIdx
	threads[i].next = -1
	if b.tail < 0 {
		b.head = i
	} else {
		threads[b.tail].next = i
	}
	b.tail = i
}

// futexWake wakes up to n waiters on addr, oldest first.
//
//go:nosplit
func futexWake(addr uintptr, n int) int {
	b := &futexQ[futexHash(addr)]
	woken := 0
	prev := int32(-1)
	for i := b.head; i >= 0 && woken < n; {
		t := &threads[i]
		next := t.next
		if t.waitAddr == addr && t.wait == waitFutex && t.state == thBlocked {
			futexUnlink(b, prev, i)
			wake(t, 0, false)
			woken++
		} else {
			prev = i
		}
		i = next
	}
	return woken
}

//go:nosplit
func futexUnlink(b *struct{ head, tail int32 }, prev, i int32) {
	next := threads[i].next
	if prev < 0 {
		b.head = next
	} else {
		threads[prev].next = next
	}
	if b.tail == i {
		b.tail = prev
	}
	threads[i].next = -1
}

// futexUnqueue removes a timed-out or interrupted waiter from its bucket.
//
//go:nosplit
func futexUnqueue(t *thread) {
	b := &futexQ[futexHash(t.waitAddr)]
	prev := int32(-1)
	for i := b.head; i >= 0; i = threads[i].next {
		if &threads[i] == t {
			futexUnlink(b, prev, i)
			return
		}
		prev = i
	}
}
