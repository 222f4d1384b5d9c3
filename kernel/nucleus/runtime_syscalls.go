package nucleus

// The system calls the Go runtime makes, and how the nucleus answers each.
// This is the nucleus's contract with the runtime (RUNTIME-HOSTING.md has
// the measured list for go1.26): TamaGo names the same duties as goos hooks
// (RamStart/RamSize → mmap; Hwinit → Init; Nanotime → clock_gettime;
// Printk → write; GetRandomData → getrandom; Idle → epoll_pwait/futex
// sleeping on HLT; Exit → exit_group).
//
// Only the runtime reaches this table (SYSCALL from ring 0). User programs
// have their own tables in package syscall. Anything not listed is ENOSYS,
// logged once per number.
//
// Runs on the syscall path: //go:nosplit, no allocation.

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// errno is the rax value of a failed call: -errno.
//
//go:nosplit
func errno(e abi.Errno) uintptr { return uintptr(-int64(e)) }

var warnedNR [512]bool

//go:nosplit
func syscall(tf *TrapFrame) {
	a0, a1, a2, a3 := uintptr(tf.RDI), uintptr(tf.RSI), uintptr(tf.RDX), uintptr(tf.R10)
	a4 := uintptr(tf.R8)
	var r uintptr
	switch nr := uint32(tf.RAX); nr {
	case 0: // read: eventfds (netpoll break, IRQ fds)
		r = sysRead(a0, a1, a2)
	case 1: // write: the console, eventfds
		r = sysWrite(a0, a1, a2)
	case 3: // close
		r = sysClose(a0)
	case 9: // mmap: heap, stacks, reservations (vmm.go)
		r = sysMmap(a0, a1, uint32(a2), uint32(a3), int32(a4), uintptr(tf.R9))
	case 11: // munmap
		r = sysMunmap(a0, a1)
	case 28: // madvise: DONTNEED frees and re-zeroes
		r = sysMadvise(a0, a1, int32(a2))
	case 10: // mprotect: the runtime does not use it; refuse honestly
		r = errno(abi.ENOSYS)
	case 13: // rt_sigaction: recorded for fault delivery
		r = sysRtSigaction(a0, a1, a2, a3)
	case 14: // rt_sigprocmask
		r = sysRtSigprocmask(a0, a1, a2, a3)
	case 15: // rt_sigreturn: restores the whole frame, including RAX
		sysRtSigreturn(tf)
		return
	case 131: // sigaltstack
		r = sysSigaltstack(a0, a1, tf)
	case 24: // sched_yield
		needResched = true
	case 35: // nanosleep
		r = sysNanosleep(a0)
	case 230: // clock_nanosleep(clock, flags, req, rem)
		r = sysClockNanosleep(a0, a1, a2)
	case 39: // getpid: the kernel is process 1
		r = 1
	case 186: // gettid
		r = uintptr(cur().tid)
	case 56: // clone: a new runtime thread
		r = sysClone(tf, a0, a1, uint64(a4))
	case 60: // exit: one thread ends
		exitThread()
	case 231: // exit_group: the kernel's main returned or died
		sysExitGroup(a0)
	case 62: // kill(pid, sig): raiseproc
		if a0 != 1 && a0 != 0 {
			r = errno(abi.ESRCH)
		} else {
			r = sysTgkill(uintptr(cur().tid), a1)
		}
	case 200: // tkill
		r = sysTgkill(a0, a1)
	case 234: // tgkill: async preemption (SIGURG) and raise
		if a0 != 1 {
			r = errno(abi.ESRCH)
		} else {
			r = sysTgkill(a1, a2)
		}
	case 158: // arch_prctl(ARCH_SET_FS): Go's TLS
		r = sysArchPrctl(a0, a1)
	case 202: // futex
		r = sysFutex(a0, uint32(a1), uint32(a2), a3)
	case 204: // sched_getaffinity: one CPU
		r = sysSchedGetaffinity(a1, a2)
	case 228: // clock_gettime
		r = sysClockGettime(a0, a1)
	case 291: // epoll_create1
		r = sysEpollCreate1(uint32(a0))
	case 233: // epoll_ctl
		r = sysEpollCtl(a0, uint32(a1), a2, a3)
	case 232, 281: // epoll_wait, epoll_pwait
		r = sysEpollWait(a0, a1, int32(a2), int32(a3))
	case 290: // eventfd2
		r = sysEventfd2(uint32(a0), uint32(a1))
	case 72: // fcntl: checkfds on 0-2, O_NONBLOCK on eventfds
		r = sysFcntl(a0, uint32(a1), a2)
	case 257: // openat: /sys and /proc probes; there are no files down here
		r = errno(abi.ENOENT)
	case 157: // prctl(PR_SET_VMA_ANON_NAME, ...): optional
		r = errno(abi.EINVAL)
	case 318: // getrandom
		r = sysGetrandom(a0, a1)
	case 63: // uname
		r = sysUname(a0)
	case 302: // prlimit64: the syscall package reads RLIMIT_NOFILE at init
		r = sysPrlimit64(a0, a1, a2, a3)
	default:
		if nr < uint32(len(warnedNR)) && !warnedNR[nr] {
			warnedNR[nr] = true
			printkDec("nucleus: runtime made unimplemented syscall ", uint64(nr), " (ENOSYS)")
		}
		r = errno(abi.ENOSYS)
	}
	if cur().state == thBlocked {
		// RAX keeps the syscall number (Linux's orig_ax): wake() stores
		// the result, or the call is run again from this frame.
		return
	}
	tf.RAX = uint64(r)
}

//go:nosplit
func sysRead(fd, buf, n uintptr) uintptr {
	f := fdGet(fd)
	switch {
	case f == nil:
		return errno(abi.EBADF)
	case f.kind == fdEventfd:
		return eventfdRead(fd, f, buf, n)
	}
	return errno(abi.EINVAL)
}

//go:nosplit
func sysWrite(fd, buf, n uintptr) uintptr {
	f := fdGet(fd)
	switch {
	case f == nil:
		return errno(abi.EBADF)
	case f.kind == fdConsole:
		consoleWrite(buf, n)
		return n
	case f.kind == fdEventfd:
		return eventfdWrite(fd, f, buf, n)
	}
	return errno(abi.EINVAL)
}

//go:nosplit
func sysClone(tf *TrapFrame, flags, stack uintptr, tls uint64) uintptr {
	const need = 0x100 | 0x10000 // CLONE_VM | CLONE_THREAD
	if flags&need != need {
		return errno(abi.EINVAL) // the nucleus makes threads, not processes
	}
	return newThread(tf, stack, tls, flags&0x80000 != 0) // CLONE_SETTLS
}

//go:nosplit
func sysArchPrctl(code, addr uintptr) uintptr {
	switch code {
	case 0x1002: // ARCH_SET_FS
		cur().fsbase = uint64(addr)
		curKernelFS = uint64(addr)
		setFSBase(uint64(addr))
		return 0
	case 0x1003: // ARCH_GET_FS
		*u64at(addr) = cur().fsbase
		return 0
	}
	return errno(abi.EINVAL)
}

//go:nosplit
func sysSchedGetaffinity(size, mask uintptr) uintptr {
	if size < 8 || size&7 != 0 {
		return errno(abi.EINVAL)
	}
	zeroBytes(mask, size)
	*u8at(mask) = 1 // CPU 0
	return 8
}

//go:nosplit
func sysClockGettime(id, ts uintptr) uintptr {
	var ns int64
	switch id {
	case 0, 5: // CLOCK_REALTIME, _COARSE
		ns = realtimeNow()
	case 1, 4, 6, 7: // MONOTONIC, _RAW, _COARSE, BOOTTIME
		ns = monotonicNow()
	case 2, 3: // PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID: one CPU, always busy
		ns = monotonicNow()
	default:
		return errno(abi.EINVAL)
	}
	*u64at(ts) = uint64(ns / 1e9)
	*u64at(ts + 8) = uint64(ns % 1e9)
	return 0
}

//go:nosplit
func sleepUntil(deadline int64) uintptr {
	if deadline <= monotonicNow() {
		needResched = true
		return 0
	}
	block(waitSleep, 0, deadline)
	return 0
}

//go:nosplit
func sysNanosleep(req uintptr) uintptr {
	sec, nsec := int64(*u64at(req)), int64(*u64at(req + 8))
	if sec < 0 || nsec < 0 || nsec >= 1e9 {
		return errno(abi.EINVAL)
	}
	return sleepUntil(monotonicNow() + sec*1e9 + nsec)
}

//go:nosplit
func sysClockNanosleep(id, flags, req uintptr) uintptr {
	sec, nsec := int64(*u64at(req)), int64(*u64at(req + 8))
	if sec < 0 || nsec < 0 || nsec >= 1e9 {
		return errno(abi.EINVAL)
	}
	d := sec*1e9 + nsec
	if flags&1 == 0 { // relative
		return sleepUntil(monotonicNow() + d)
	}
	if id == 0 {
		d -= clock.rtcBoot
	}
	return sleepUntil(d)
}

var randState uint64

// sysGetrandom fills the buffer from an xorshift generator seeded by the
// TSC and the RTC at boot: unpredictable enough for hash seeds, not a
// cryptographic source (there is no entropy device yet).
//
//go:nosplit
func sysGetrandom(buf, n uintptr) uintptr {
	for i := uintptr(0); i < n; i++ {
		randState ^= amd64.Rdtsc()
		randState ^= randState << 13
		randState ^= randState >> 7
		randState ^= randState << 17
		*u8at(buf + i) = uint8(randState >> 32)
	}
	return n
}

//go:nosplit
func sysUname(buf uintptr) uintptr {
	fields := [...]string{"Linux", "ringo", "6.12.0-ringo", "#1 Ringo", "x86_64", "(none)"}
	for i, s := range fields {
		p := buf + uintptr(i)*65
		zeroBytes(p, 65)
		for j := 0; j < len(s); j++ {
			*u8at(p + uintptr(j)) = s[j]
		}
	}
	return 0
}

//go:nosplit
func sysExitGroup(status uintptr) {
	if status != 0 {
		printkDec("nucleus: kernel exited with status ", uint64(status), "")
	}
	Exit(uint8(status))
}

// sysPrlimit64 reports the kernel process's fixed limits: RLIMIT_NOFILE
// is the size of the nucleus's descriptor table, the rest unlimited.
// Changing them is refused with EPERM, as for an unprivileged raise.
//
//go:nosplit
func sysPrlimit64(pid, resource, newlim, old uintptr) uintptr {
	if pid != 0 && pid != 1 {
		return errno(abi.ESRCH)
	}
	if resource >= 16 {
		return errno(abi.EINVAL)
	}
	if newlim != 0 {
		return errno(abi.EPERM)
	}
	if old != 0 {
		lim := ^uint64(0)
		if resource == 7 { // RLIMIT_NOFILE
			lim = maxFDs
		}
		*u64at(old) = lim
		*u64at(old + 8) = lim
	}
	return 0
}
