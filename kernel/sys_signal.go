package kernel

// kill, tgkill, tkill (kernel/signal.c). Signals take their default
// action (signals.go): there are no user handlers, masks or queues yet,
// so rt_sigaction and friends stay -ENOSYS.

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/syscall"
)

func validSignal(sig int32) bool { return sig >= 0 && sig <= sigRTMAX }

// sysKill mirrors kill_something_info: pid > 0 one process, 0 the
// caller's group, -1 everyone but init and the caller, < -1 group -pid.
// Root may signal anyone; sig 0 only checks that a target exists.
func (t *Task) sysKill(a syscall.Args) (uint64, error) {
	pid, sig := a.Int(0), a.Int(1)
	if !validSignal(sig) {
		return 0, abi.EINVAL
	}
	if pid == -2147483648 { // -INT_MIN
		return 0, abi.ESRCH
	}
	var targets []*Process
	if pid > 0 {
		p := t.k.process(pid)
		if p == nil || isZombie(p) {
			return 0, abi.ESRCH
		}
		targets = append(targets, p)
	} else {
		group := t.proc.pgid
		if pid < -1 {
			group = -pid
		}
		for _, p := range t.k.allProcesses() {
			if isZombie(p) {
				continue
			}
			if pid == -1 && (p.pid == 1 || p == t.proc) || pid != -1 && p.pgid != group {
				continue
			}
			targets = append(targets, p)
		}
		if len(targets) == 0 {
			return 0, abi.ESRCH
		}
	}
	for _, p := range targets {
		p.sendSignal(int(sig))
	}
	return 0, nil
}

func isZombie(p *Process) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exited
}

// signalThread is do_tkill: the thread must exist (and belong to tgid
// when tgid > 0).
func (t *Task) signalThread(tgid, tid, sig int32) (uint64, error) {
	if !validSignal(sig) {
		return 0, abi.EINVAL
	}
	target := t.k.task(tid)
	if target == nil || tgid > 0 && target.proc.pid != tgid {
		return 0, abi.ESRCH
	}
	target.proc.sendSignal(int(sig))
	return 0, nil
}

func (t *Task) sysTgkill(a syscall.Args) (uint64, error) {
	tgid, tid := a.Int(0), a.Int(1)
	if tgid <= 0 || tid <= 0 {
		return 0, abi.EINVAL
	}
	return t.signalThread(tgid, tid, a.Int(2))
}

func (t *Task) sysTkill(a syscall.Args) (uint64, error) {
	tid := a.Int(0)
	if tid <= 0 {
		return 0, abi.EINVAL
	}
	return t.signalThread(0, tid, a.Int(1))
}
