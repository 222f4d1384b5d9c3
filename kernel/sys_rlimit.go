package kernel

// Resource limits: prlimit64, getrlimit/setrlimit and their compat forms
// (kernel/sys.c: do_prlimit, getrlimit, compat_getrlimit, old_getrlimit).
// Ringo enforces RLIMIT_NOFILE (the fd table) and RLIMIT_STACK (exec's
// argument space); the others are stored and reported.

import (
	"encoding/binary"
	"math"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/syscall"
)

// RLIMIT_* (include/uapi/asm-generic/resource.h).
const (
	rlimitCPU = iota
	rlimitFsize
	rlimitData
	rlimitStack
	rlimitCore
	rlimitRSS
	rlimitNproc
	rlimitNofile
	rlimitMemlock
	rlimitAS
	rlimitLocks
	rlimitSigpending
	rlimitMsgqueue
	rlimitNice
	rlimitRtprio
	rlimitRttime
	rlimNLimits
)

const (
	rlimInfinity          = math.MaxUint64
	compatRlimInfinity    = 0xffffffff // COMPAT_RLIM_INFINITY
	compatRlimOldInfinity = 0x7fffffff // COMPAT_RLIM_OLD_INFINITY
)

// rlimit is struct rlimit64.
type rlimit struct{ Cur, Max uint64 }

// defaultRlimits is INIT_RLIMITS (include/asm-generic/resource.h) with the
// values a root shell on the reference host sees.
func defaultRlimits() [rlimNLimits]rlimit {
	var r [rlimNLimits]rlimit
	for i := range r {
		r[i] = rlimit{rlimInfinity, rlimInfinity}
	}
	r[rlimitStack] = rlimit{8 << 20, rlimInfinity}
	r[rlimitCore] = rlimit{0, rlimInfinity}
	r[rlimitNproc] = rlimit{63382, 63382}
	r[rlimitNofile] = rlimit{1024, 4096}
	r[rlimitMemlock] = rlimit{8 << 20, 8 << 20}
	r[rlimitSigpending] = rlimit{63382, 63382}
	r[rlimitMsgqueue] = rlimit{819200, 819200}
	r[rlimitNice] = rlimit{0, 0}
	r[rlimitRtprio] = rlimit{0, 0}
	return r
}

// rlimit returns one limit of the process.
func (p *Process) rlimit(res int) rlimit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rlimits[res]
}

// doPrlimit mirrors kernel/sys.c:do_prlimit: validate, report the old
// value, install the new one. Root may raise hard limits
// (CAP_SYS_RESOURCE); RLIMIT_NOFILE's hard limit cannot pass nr_open.
func (t *Task) doPrlimit(p *Process, res uint32, newLim *rlimit) (rlimit, error) {
	if res >= rlimNLimits {
		return rlimit{}, abi.EINVAL
	}
	if newLim != nil {
		if newLim.Cur > newLim.Max {
			return rlimit{}, abi.EINVAL
		}
		if res == rlimitNofile {
			if e := t.caller.Files.CheckNofileRlimit(newLim.Cur, newLim.Max); e != 0 {
				return rlimit{}, e
			}
		}
	}
	p.mu.Lock()
	old := p.rlimits[res]
	if newLim != nil {
		p.rlimits[res] = *newLim
	}
	if newLim != nil && res == rlimitNofile {
		p.nofile.Store(newLim.Cur) // each task reloads it at its next syscall
	}
	p.mu.Unlock()
	return old, nil
}

// sysPrlimit64 is prlimit64(pid, resource, new, old).
func (t *Task) sysPrlimit64(a *syscall.Args) (uint64, error) {
	pid, res, newp, oldp := a.Int(0), a.Uint(1), a.Ptr(2), a.Ptr(3)
	var newLim *rlimit
	if newp != 0 {
		var b [16]byte
		if err := t.copyIn(newp, b[:]); err != nil {
			return 0, err
		}
		newLim = &rlimit{binary.LittleEndian.Uint64(b[:]), binary.LittleEndian.Uint64(b[8:])}
	}
	p := t.proc
	if pid != 0 {
		if p = t.k.process(pid); p == nil || pid < 0 {
			return 0, abi.ESRCH
		}
	}
	old, err := t.doPrlimit(p, res, newLim)
	if err != nil {
		return 0, err
	}
	if oldp != 0 {
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:], old.Cur)
		binary.LittleEndian.PutUint64(b[8:], old.Max)
		if err := t.copyOut(oldp, b[:]); err != nil {
			return 0, err
		}
	}
	return 0, nil
}

// sysGetrlimit is the native getrlimit(resource, struct rlimit *).
func (t *Task) sysGetrlimit(a *syscall.Args) (uint64, error) {
	old, err := t.doPrlimit(t.proc, a.Uint(0), nil)
	if err != nil {
		return 0, err
	}
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], old.Cur)
	binary.LittleEndian.PutUint64(b[8:], old.Max)
	return 0, t.copyOut(a.Ptr(1), b[:])
}

// sysSetrlimit is the native setrlimit(resource, const struct rlimit *).
func (t *Task) sysSetrlimit(a *syscall.Args) (uint64, error) {
	res := a.Uint(0)
	if res >= rlimNLimits { // checked before the copy, as in Linux
		return 0, abi.EINVAL
	}
	var b [16]byte
	if err := t.copyIn(a.Ptr(1), b[:]); err != nil {
		return 0, err
	}
	l := rlimit{binary.LittleEndian.Uint64(b[:]), binary.LittleEndian.Uint64(b[8:])}
	_, err := t.doPrlimit(t.proc, res, &l)
	return 0, err
}

// compatGetrlimit serves ugetrlimit (191, COMPAT_RLIM_INFINITY) and the
// old getrlimit (76, values clamped to 0x7fffffff).
func (t *Task) compatGetrlimit(a *syscall.Args, inf uint64) (uint64, error) {
	old, err := t.doPrlimit(t.proc, a.Uint(0), nil)
	if err != nil {
		return 0, err
	}
	clamp := func(v uint64) uint32 {
		if v > inf {
			return uint32(inf)
		}
		return uint32(v)
	}
	var b [8]byte
	binary.LittleEndian.PutUint32(b[:], clamp(old.Cur))
	binary.LittleEndian.PutUint32(b[4:], clamp(old.Max))
	return 0, t.copyOut(a.Ptr(1), b[:])
}

func (t *Task) sysCompatGetrlimit(a *syscall.Args) (uint64, error) {
	return t.compatGetrlimit(a, compatRlimInfinity)
}

func (t *Task) sysCompatOldGetrlimit(a *syscall.Args) (uint64, error) {
	return t.compatGetrlimit(a, compatRlimOldInfinity)
}

// sysCompatSetrlimit reads a struct compat_rlimit; 0xffffffff means
// infinity.
func (t *Task) sysCompatSetrlimit(a *syscall.Args) (uint64, error) {
	res := a.Uint(0)
	if res >= rlimNLimits {
		return 0, abi.EINVAL
	}
	var b [8]byte
	if err := t.copyIn(a.Ptr(1), b[:]); err != nil {
		return 0, err
	}
	widen := func(v uint32) uint64 {
		if v == compatRlimInfinity {
			return rlimInfinity
		}
		return uint64(v)
	}
	l := rlimit{widen(binary.LittleEndian.Uint32(b[:])), widen(binary.LittleEndian.Uint32(b[4:]))}
	_, err := t.doPrlimit(t.proc, res, &l)
	return 0, err
}
