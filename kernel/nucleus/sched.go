package nucleus

// Threads for the runtime's Ms and the scheduler that shares the CPU among
// them: preemptive round robin on the 1 kHz tick, with a 10 ms slice.
//
// A thread that is not running is always stopped inside a trap, so its
// whole state — registers and x87/SSE — is the TrapFrame on its own nucleus
// stack, and switching threads is returning another thread's frame to the
// exit path (xv6's swtch, without a second kind of context). Thread 0 is
// the idle thread; it runs idleLoop (HLT) when nothing else can run.
//
// Runs on the trap path: //go:nosplit, no allocation. Threads refer to each
// other by index (no Go pointers in nucleus state).

import (
	"unsafe"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

const (
	maxThreads = 64
	kstackSize = 12 << 10
	sliceTicks = 10 // 10 ms time slice

	thFree     = 0
	thRunnable = 1
	thRunning  = 2
	thBlocked  = 3

	// What a blocked thread waits for.
	waitFutex = 1
	waitSleep = 2
	waitEpoll = 3
	waitRead  = 4 // blocking read of an eventfd
)

type thread struct {
	state     uint32
	tid       int32
	frame     uintptr // its TrapFrame while not running
	kstackTop uintptr
	fsbase    uint64

	wait      uint32 // waitFutex, ...
	waitAddr  uintptr
	deadline  int64 // monotonic ns; 0 = none
	timedOut  bool
	restart   bool // re-run the syscall in the frame when resumed
	restarted bool // set while it is being re-run
	next      int32

	sigmask  uint64
	pending  uint64
	altSP    uintptr
	altSize  uintptr
	altFlags uint32
	clearTID uintptr
}

// crashNucleus is set by the ringo.crash=nucleus command-line switch.
var crashNucleus bool

var (
	threads   [maxThreads]thread
	kstacks   [maxThreads][kstackSize]byte
	idleStack [512]byte
	curIdx    int32
	nextTID   int32 = 1
	sliceLeft int
	nThreads  int
	// threadSlots is one past the highest slot ever used: loops over
	// threads stop there instead of at maxThreads, since the runtime
	// rarely has more than a handful (under TCG each iteration of a
	// 64-slot scan was a translated block run, on every reschedule).
	threadSlots int32 = 2 // idle and boot
	switchCnt   uint64
	needResched bool
)

//go:nosplit
func cur() *thread { return &threads[curIdx] }

//go:nosplit
func kstackTop(i int) uintptr {
	return uintptr(unsafe.Pointer(&kstacks[i][0])) + kstackSize
}

// setupThreads makes the idle thread (0) and the boot thread (1), which is
// the thread running right now and will become the runtime's m0.
//
//go:nosplit
func setupThreads() {
	for i := range threads {
		threads[i].kstackTop = kstackTop(i)
		threads[i].next = -1
	}
	idle := &threads[0]
	idle.state = thRunnable
	f := frameAt(idle.kstackTop - unsafe.Sizeof(TrapFrame{}))
	amd64.Fxsave(frameAddr(f)) // a clean x87/SSE image
	f.RIP = uint64(idleLoopAddr)
	f.CS = selKernelCS
	f.RFLAGS = 0x202
	f.RSP = uint64(uintptr(unsafe.Pointer(&idleStack[0])) + uintptr(len(idleStack)))
	f.SS = selKernelDS
	idle.frame = frameAddr(f)

	boot := &threads[1]
	boot.state = thRunning
	boot.tid = nextTID
	nextTID++
	boot.fsbase = amd64.Rdmsr(msrFSBase)
	curKernelFS = boot.fsbase
	curIdx = 1
	nThreads = 1
	sliceLeft = sliceTicks
	setKernelStack(boot.kstackTop)
}

// newThread implements the runtime's clone(CLONE_VM|CLONE_THREAD|...): the
// child resumes at the same place as the parent with RAX = 0, the given
// stack and TLS (FS base). Returns the child's TID or -errno.
//
//go:nosplit
func newThread(parent *TrapFrame, stack uintptr, tls uint64, setTLS bool) uintptr {
	for i := 1; i < maxThreads; i++ {
		t := &threads[i]
		if t.state != thFree {
			continue
		}
		p := cur()
		*t = thread{kstackTop: t.kstackTop, next: -1}
		t.tid = nextTID
		nextTID++
		t.fsbase = p.fsbase
		if setTLS {
			t.fsbase = tls
		}
		t.sigmask = p.sigmask
		f := frameAt(t.kstackTop - unsafe.Sizeof(TrapFrame{}))
		*f = *parent
		f.RAX = 0
		if stack != 0 {
			f.RSP = uint64(stack)
		}
		t.frame = frameAddr(f)
		t.state = thRunnable
		nThreads++
		threadSlots = max(threadSlots, int32(i+1))
		return uintptr(t.tid)
	}
	return errno(abi.EAGAIN)
}

// exitThread ends the calling thread (exit(2) of one runtime M).
//
//go:nosplit
func exitThread() {
	t := cur()
	if t.clearTID != 0 {
		*u32at(t.clearTID) = 0
		futexWake(t.clearTID, 1)
	}
	t.state = thFree
	nThreads--
}

// block stops the current thread until wake (or the deadline, if non-zero).
//
//go:nosplit
func block(kind uint32, addr uintptr, deadline int64) {
	t := cur()
	t.state = thBlocked
	t.wait = kind
	t.waitAddr = addr
	t.deadline = deadline
	t.timedOut = false
	if deadline != 0 && (earliestDeadline == 0 || deadline < earliestDeadline) {
		earliestDeadline = deadline
	}
}

// earliestDeadline is no later than the soonest deadline of a blocked
// thread (0: none), so that most ticks need not look at every thread
// slot: under TCG that loop alone was ~130 translated blocks a tick.
// A thread woken early leaves it too early, which costs one scan.
var earliestDeadline int64

// wake makes a blocked thread runnable. With restart, the syscall in its
// frame runs again when it is resumed (epoll_wait, blocking reads);
// otherwise result becomes the syscall's return value.
//
//go:nosplit
func wake(t *thread, result uintptr, restart bool) {
	if t.state != thBlocked {
		return
	}
	t.state = thRunnable
	t.wait = 0
	t.restart = restart
	if !restart {
		frameAt(t.frame).RAX = uint64(result)
	}
	needResched = true
}

// timerTick runs on every PIT interrupt: wake sleepers whose deadline has
// passed, and charge the running thread's time slice.
//
//go:nosplit
func timerTick() {
	clock.ticks++
	if crashNucleus && clock.ticks == 300 {
		// ringo.crash=nucleus: fault where nothing can recover (the
		// nucleus, interrupts off), to prove the oops path.
		*u64at(0xdead0000) = 1
	}
	if now := monotonicNow(); earliestDeadline != 0 && earliestDeadline <= now {
		earliestDeadline = 0
		for i := int32(1); i < threadSlots; i++ {
			t := &threads[i]
			if t.state != thBlocked || t.deadline == 0 {
				continue
			}
			if t.deadline <= now {
				timeout(t)
			} else if earliestDeadline == 0 || t.deadline < earliestDeadline {
				earliestDeadline = t.deadline
			}
		}
	}
	if curIdx == 0 {
		needResched = true
		return
	}
	sliceLeft--
	if sliceLeft <= 0 {
		needResched = true
	}
}

// timeout ends a timed wait.
//
//go:nosplit
func timeout(t *thread) {
	switch t.wait {
	case waitFutex:
		futexUnqueue(t)
		wake(t, errno(abi.ETIMEDOUT), false)
	case waitSleep:
		wake(t, 0, false)
	default: // epoll_wait: run it again, it will see the deadline passed
		t.timedOut = true
		wake(t, 0, true)
	}
}

// resume picks the thread to run next and returns its frame. Pending
// signals are delivered on the way out, as Linux does on the return to
// user mode.
//
//go:nosplit
func resume() uintptr {
	if cur().state == thRunning && !needResched {
		return finishResume(cur())
	}
	needResched = false
	for {
		t := pickNext()
		switchTo(t)
		if t.restart {
			t.restart = false
			t.state = thRunning
			t.restarted = true
			syscall(frameAt(t.frame))
			t.restarted = false
			if t.state != thRunning {
				continue // blocked again
			}
		}
		t.state = thRunning
		return finishResume(t)
	}
}

//go:nosplit
func finishResume(t *thread) uintptr {
	if t.pending&^t.sigmask != 0 && curIdx != 0 {
		deliverPending(t, frameAt(t.frame))
	}
	return t.frame
}

// pickNext chooses, round robin, the next runnable thread after the
// current one; the current thread if it is the only one; else idle.
//
//go:nosplit
func pickNext() *thread {
	c := cur()
	if c.state == thRunning {
		c.state = thRunnable
	}
	for k := int32(1); k <= threadSlots; k++ {
		i := curIdx + k
		if i >= threadSlots {
			i -= threadSlots
		}
		if i != 0 && threads[i].state == thRunnable {
			return &threads[i]
		}
	}
	return &threads[0]
}

// switchTo makes t the current thread: its nucleus stack for the next
// trap, its FS base (Go's TLS).
//
//go:nosplit
func switchTo(t *thread) {
	i := int32((uintptr(unsafe.Pointer(t)) - uintptr(unsafe.Pointer(&threads[0]))) / unsafe.Sizeof(thread{}))
	if i != curIdx {
		switchCnt++
		curIdx = i
		setKernelStack(t.kstackTop)
		if i != 0 {
			setFSBase(t.fsbase)
			curKernelFS = t.fsbase
		}
	}
	if t.state == thRunnable {
		sliceLeft = sliceTicks
	}
}
