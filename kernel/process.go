package kernel

// A process is a thread group: the things its threads share (address
// space, pid, credentials, resource limits, parent and children, exit
// status). Linux spreads these over task_struct, signal_struct, mm_struct
// and cred; Ringo keeps one struct because every process has one thread
// until clone arrives.

import (
	"path"
	"sync"
	"sync/atomic"

	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/mm"
)

// Cred mirrors struct cred's ids. Every process runs as root for now.
type Cred struct {
	UID, EUID, SUID, FSUID uint32
	GID, EGID, SGID, FSGID uint32
}

// Process is one thread group.
type Process struct {
	k    *Kernel
	pid  int32
	pgid int32

	mu          sync.Mutex // see the lock order in doc.go
	parent      *Process   // nil: started by the kernel (Spawn); Wait reaps it
	children    []*Process
	mm          atomic.Pointer[mm.AddressSpace] // stored under mu, loaded without it
	exe         string                          // /proc/PID/exe
	comm        string                          // task->comm: the executable's base name, 15 bytes at most
	cred        Cred
	rlimits     [rlimNLimits]rlimit
	nofile      atomic.Uint64 // rlimits[RLIMIT_NOFILE].Cur, read on every syscall
	personality uint32        // READ_IMPLIES_EXEC and friends
	vdso        uint64        // where the vDSO image is mapped (AT_SYSINFO_EHDR), 0 if none
	tasks       []*Task
	exited      bool
	zombie      bool
	status      int // wait status (Linux encoding) once exited
	done        chan struct{}
	// childExit is signalled when a child becomes a zombie (wait4 sleeps
	// on it; Linux's wait_chldexit queue).
	childExit chan struct{}
	// sighand holds the signal actions and the process-wide pending
	// queue (signal_state.go); its lock is never taken with mu held.
	sighand signalHandlers
}

// Personality bits (include/uapi/linux/personality.h).
const readImpliesExec = 0x0400000

// Pid is the process id (tgid).
func (p *Process) Pid() int { return int(p.pid) }

// Wait blocks until the process has exited, reaps it and returns its wait
// status in Linux's encoding: exit code << 8, or the number of the signal
// that killed it (WIFSIGNALED).
func (p *Process) Wait() int {
	<-p.done
	p.k.reap(p)
	return p.status
}

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// ExitStatus converts a wait status into a shell's exit status: the code,
// or 128+signal for a killed process (what `ringo run` returns).
func ExitStatus(ws int) int {
	if ws&0x7f == 0 {
		return (ws >> 8) & 0xff
	}
	return 128 + ws&0x7f
}

// addressSpace is the current mm (execve replaces it). One atomic load:
// the trap loop asks on every entry to user mode.
func (p *Process) addressSpace() *mm.AddressSpace { return p.mm.Load() }

// mainTask is the thread group leader.
func (p *Process) mainTask() *Task {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.tasks) == 0 {
		return nil
	}
	return p.tasks[0]
}

// setExe records the program an exec installed.
// Preconditions: p.mu held.
func (p *Process) setExeLocked(exe string) {
	p.exe = exe
	comm := path.Base(exe)
	if len(comm) > 15 { // TASK_COMM_LEN - 1
		comm = comm[:15]
	}
	p.comm = comm
}

// Comm is the process name as /proc and the kernel log print it.
func (p *Process) Comm() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.comm
}

// The fs.ProcProcess view of the process, for /proc/PID.

// Files is the file table of the main thread.
func (p *Process) Files() *fs.FDTable {
	if t := p.mainTask(); t != nil {
		return t.caller.Files
	}
	return nil
}

// MapsText is /proc/PID/maps.
func (p *Process) MapsText() string {
	if as := p.addressSpace(); as != nil {
		return as.Maps()
	}
	return ""
}

// ReadPagemap is /proc/PID/pagemap. The opener is root, so PFNs show.
func (p *Process) ReadPagemap(off int64, buf []byte) (int, error) {
	as := p.addressSpace()
	if as == nil {
		return 0, nil
	}
	return as.ReadPagemap(buf, off, true)
}

// ExePath is the target of /proc/PID/exe.
func (p *Process) ExePath() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exe
}

// Status is /proc/PID/status.
func (p *Process) Status() fs.ProcStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := fs.ProcStatus{Name: p.comm, State: "R (running)", Tgid: int(p.pid), Pid: int(p.pid),
		Uid: p.cred.UID, Gid: p.cred.GID, Threads: len(p.tasks)}
	if p.zombie {
		st.State = "Z (zombie)"
	}
	if p.parent != nil {
		st.PPid = int(p.parent.pid)
	}
	if len(p.tasks) > 0 {
		st.Umask = p.tasks[0].caller.Umask
	}
	if as := p.mm.Load(); as != nil {
		for _, v := range as.VMAs() {
			st.VmSizeKB += (v.End - v.Start) / 1024
		}
	}
	return st
}
