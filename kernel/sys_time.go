package kernel

// Clocks and sleeping (kernel/time/posix-timers.c, hrtimer.c, time.c):
// clock_gettime, clock_getres, gettimeofday, time, nanosleep,
// clock_nanosleep, with i386's 32-bit time variants. No vDSO: libcs call
// these directly.

import (
	"encoding/binary"
	"time"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

// Clock ids (include/uapi/linux/time.h).
const (
	clockRealtime        = 0
	clockMonotonic       = 1
	clockProcessCPUTime  = 2
	clockThreadCPUTime   = 3
	clockMonotonicRaw    = 4
	clockRealtimeCoarse  = 5
	clockMonotonicCoarse = 6
	clockBoottime        = 7
	clockRealtimeAlarm   = 8
	clockBoottimeAlarm   = 9
	clockTAI             = 11
	timerAbstime         = 1
	tickNsec             = 4000000 // TICK_NSEC at CONFIG_HZ=250: coarse clocks' resolution
	nsecPerSec           = 1000000000
)

// clockNow reads a clock as nanoseconds since its epoch.
func (t *Task) clockNow(id int32) (int64, error) { return t.clockAt(id, t.k.mono()) }

// clockAt is clockNow at the instant the monotonic clock read mono.
func (t *Task) clockAt(id int32, mono int64) (int64, error) {
	switch id {
	case clockRealtime, clockRealtimeCoarse, clockRealtimeAlarm:
		return t.k.realtimeAt(mono), nil
	case clockTAI:
		return t.k.realtimeAt(mono) + 37*nsecPerSec, nil // TAI-UTC since 2017
	case clockMonotonic, clockMonotonicRaw, clockMonotonicCoarse, clockBoottime, clockBoottimeAlarm:
		return mono, nil
	case clockProcessCPUTime, clockThreadCPUTime:
		return int64(t.cpuTime), nil
	}
	return 0, abi.EINVAL
}

// putTimespec stores struct timespec: two 64-bit words, or for time32
// callers (old_timespec32) two 32-bit ones.
func (t *Task) putTimespec(addr uint64, ns int64, time32 bool) error {
	sec, nsec := ns/nsecPerSec, ns%nsecPerSec
	if nsec < 0 {
		sec, nsec = sec-1, nsec+nsecPerSec
	}
	if time32 {
		var b [8]byte
		binary.LittleEndian.PutUint32(b[:], uint32(sec))
		binary.LittleEndian.PutUint32(b[4:], uint32(nsec))
		return t.copyOut(addr, b[:])
	}
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], uint64(sec))
	binary.LittleEndian.PutUint64(b[8:], uint64(nsec))
	return t.copyOut(addr, b[:])
}

// getTimespec reads a timespec and checks it (timespec64_valid):
// negative seconds or nanoseconds outside [0, 1e9) are EINVAL.
func (t *Task) getTimespec(addr uint64, time32 bool) (int64, error) {
	var sec, nsec int64
	if time32 {
		var b [8]byte
		if err := t.copyIn(addr, b[:]); err != nil {
			return 0, err
		}
		sec, nsec = int64(int32(binary.LittleEndian.Uint32(b[:]))), int64(int32(binary.LittleEndian.Uint32(b[4:])))
	} else {
		var b [16]byte
		if err := t.copyIn(addr, b[:]); err != nil {
			return 0, err
		}
		sec, nsec = int64(binary.LittleEndian.Uint64(b[:])), int64(binary.LittleEndian.Uint64(b[8:]))
	}
	if sec < 0 || nsec < 0 || nsec >= nsecPerSec {
		return 0, abi.EINVAL
	}
	if sec > (1<<63-1)/nsecPerSec-1 {
		sec = (1<<63-1)/nsecPerSec - 1 // KTIME_MAX: effectively forever
	}
	return sec*nsecPerSec + nsec, nil
}

// clockGettime answers with the clocks as they stood when the call began.
// The trap's timestamp (TrapInfo.Time, taken from the TSC as the CPU left
// user mode, in the same scale as the vDSO's clock) is an instant inside
// this call, so it is a reading Linux could return too; reading the TSC
// again would cost an RDTSC and four calls more, a tenth of the call under
// emulation (bench/README.md). Successive calls still never go backwards:
// each one's trap comes after the previous call returned.
func (t *Task) clockGettime(a *syscall.Args, time32 bool) (uint64, error) {
	ns, err := t.clockAt(a.Int(0), t.syscallStart())
	if err != nil {
		return 0, err
	}
	return 0, t.putTimespec(a.Ptr(1), ns, time32)
}

func (t *Task) sysClockGettime(a *syscall.Args) (uint64, error)   { return t.clockGettime(a, false) }
func (t *Task) sysClockGettime32(a *syscall.Args) (uint64, error) { return t.clockGettime(a, true) }

// clockGetres: 1 ns for high-resolution clocks, a tick for coarse ones;
// a NULL result pointer only validates the clock.
func (t *Task) clockGetres(a *syscall.Args, time32 bool) (uint64, error) {
	id := a.Int(0)
	if _, err := t.clockNow(id); err != nil {
		return 0, err
	}
	res := int64(1)
	if id == clockRealtimeCoarse || id == clockMonotonicCoarse {
		res = tickNsec
	}
	if a.Ptr(1) == 0 {
		return 0, nil
	}
	return 0, t.putTimespec(a.Ptr(1), res, time32)
}

func (t *Task) sysClockGetres(a *syscall.Args) (uint64, error)       { return t.clockGetres(a, false) }
func (t *Task) sysClockGetresTime32(a *syscall.Args) (uint64, error) { return t.clockGetres(a, true) }

// gettimeofday: struct timeval (compat: two 32-bit words) and an all-zero
// struct timezone; either pointer may be NULL.
func (t *Task) gettimeofday(a *syscall.Args, compat bool) (uint64, error) {
	if tv := a.Ptr(0); tv != 0 {
		ns := t.k.realtimeAt(t.syscallStart()) // CLOCK_REALTIME, the clock the vDSO reads too, as clockGettime reads it
		sec, usec := ns/nsecPerSec, ns%nsecPerSec/1000
		if compat {
			var b [8]byte
			binary.LittleEndian.PutUint32(b[:], uint32(sec))
			binary.LittleEndian.PutUint32(b[4:], uint32(usec))
			if err := t.copyOut(tv, b[:]); err != nil {
				return 0, err
			}
		} else {
			var b [16]byte
			binary.LittleEndian.PutUint64(b[:], uint64(sec))
			binary.LittleEndian.PutUint64(b[8:], uint64(usec))
			if err := t.copyOut(tv, b[:]); err != nil {
				return 0, err
			}
		}
	}
	if tz := a.Ptr(1); tz != 0 {
		var zero [8]byte
		if err := t.copyOut(tz, zero[:]); err != nil {
			return 0, err
		}
	}
	return 0, nil
}

func (t *Task) sysGettimeofday(a *syscall.Args) (uint64, error)       { return t.gettimeofday(a, false) }
func (t *Task) sysCompatGettimeofday(a *syscall.Args) (uint64, error) { return t.gettimeofday(a, true) }

// time(tloc): seconds, also stored through tloc if it is not NULL.
func (t *Task) timeCall(a *syscall.Args, time32 bool) (uint64, error) {
	sec := t.k.realtime() / nsecPerSec
	if p := a.Ptr(0); p != 0 {
		var err error
		if time32 {
			err = t.putU32(p, uint32(sec))
		} else {
			err = t.putU64(p, uint64(sec))
		}
		if err != nil {
			return 0, err
		}
	}
	if time32 {
		return uint64(uint32(sec)), nil
	}
	return uint64(sec), nil
}

func (t *Task) sysTime(a *syscall.Args) (uint64, error)   { return t.timeCall(a, false) }
func (t *Task) sysTime32(a *syscall.Args) (uint64, error) { return t.timeCall(a, true) }

// sleep waits d or until a signal is pending; it reports the time left
// when interrupted.
func (t *Task) sleep(d time.Duration) (left time.Duration, interrupted bool) {
	if d <= 0 {
		return 0, false
	}
	deadline := time.Now().Add(d)
	timer := time.NewTimer(d)
	defer timer.Stop()
	if t.caller.Wait(nil, timer.C) == fs.TimedOut {
		return 0, false
	}
	return max(time.Until(deadline), 0), true
}

// nanosleep(req, rem): an interrupted sleep stores the remainder (if rem
// is not NULL) and returns EINTR (Linux: ERESTART_RESTARTBLOCK, which
// becomes EINTR when a handler ran).
func (t *Task) nanosleep(req, rem uint64, time32 bool) (uint64, error) {
	ns, err := t.getTimespec(req, time32)
	if err != nil {
		return 0, err
	}
	left, intr := t.sleep(time.Duration(ns))
	if !intr {
		return 0, nil
	}
	if rem != 0 {
		if err := t.putTimespec(rem, int64(left), time32); err != nil {
			return 0, err
		}
	}
	return 0, abi.EINTR
}

func (t *Task) sysNanosleep(a *syscall.Args) (uint64, error) {
	return t.nanosleep(a.Ptr(0), a.Ptr(1), false)
}

func (t *Task) sysNanosleepTime32(a *syscall.Args) (uint64, error) {
	return t.nanosleep(a.Ptr(0), a.Ptr(1), true)
}

// clockNanosleep: flags other than TIMER_ABSTIME are ignored, as Linux
// does; clocks without nsleep are EOPNOTSUPP (raw and coarse) or EINVAL
// (thread CPU time, unknown ids). Absolute sleeps are never given a
// remainder. Sleeping on the process CPU clock is not supported
// (EOPNOTSUPP) because Ringo does not account CPU time precisely.
func (t *Task) clockNanosleep(a *syscall.Args, time32 bool) (uint64, error) {
	id, flags := a.Int(0), a.Int(1)
	switch id {
	case clockRealtime, clockMonotonic, clockBoottime, clockTAI:
	case clockMonotonicRaw, clockRealtimeCoarse, clockMonotonicCoarse, clockProcessCPUTime:
		return 0, abi.EOPNOTSUPP
	case clockRealtimeAlarm, clockBoottimeAlarm:
		return 0, abi.EOPNOTSUPP
	default:
		return 0, abi.EINVAL
	}
	ns, err := t.getTimespec(a.Ptr(2), time32)
	if err != nil {
		return 0, err
	}
	d := time.Duration(ns)
	if flags&timerAbstime != 0 {
		now, _ := t.clockNow(id)
		d = time.Duration(ns - now)
	}
	left, intr := t.sleep(d)
	if !intr {
		return 0, nil
	}
	if flags&timerAbstime == 0 && a.Ptr(3) != 0 {
		if err := t.putTimespec(a.Ptr(3), int64(left), time32); err != nil {
			return 0, err
		}
	}
	return 0, abi.EINTR
}

func (t *Task) sysClockNanosleep(a *syscall.Args) (uint64, error) { return t.clockNanosleep(a, false) }
func (t *Task) sysClockNanosleepTime32(a *syscall.Args) (uint64, error) {
	return t.clockNanosleep(a, true)
}

// realtime is CLOCK_REALTIME in ns: the monotonic clock plus the wall
// time it stood for at boot (settimeofday is not supported).
func (k *Kernel) realtime() int64 { return k.realtimeAt(k.mono()) }

// realtimeAt is CLOCK_REALTIME when the monotonic clock read mono.
func (k *Kernel) realtimeAt(mono int64) int64 {
	if k.fixedNow {
		return k.now().UnixNano()
	}
	return k.wallBase + mono
}
