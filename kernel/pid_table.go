package kernel

// The pid table (Linux's pid hash / idr) and the view procfs gets of it.

import (
	"slices"

	"github.com/ringo-os/ringo/fs"
)

// pidMax is /proc/sys/kernel/pid_max's default on 64-bit (PID_MAX_LIMIT).
const pidMax = 4194304

// allocPid hands out the next free id, wrapping at pid_max like
// kernel/pid.c:alloc_pid (ids below 300 are not reused after a wrap).
// Preconditions: k.mu held.
func (k *Kernel) allocPidLocked() int32 {
	for {
		id := k.nextPID
		k.nextPID++
		if k.nextPID >= pidMax {
			k.nextPID = 300
		}
		if _, ok := k.tasks[id]; !ok {
			if _, ok := k.procs[id]; !ok {
				return id
			}
		}
	}
}

// process returns the live (or zombie) process pid.
func (k *Kernel) process(pid int32) *Process {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.procs[pid]
}

// task returns the thread tid.
func (k *Kernel) task(tid int32) *Task {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.tasks[tid]
}

// allProcesses is a snapshot of the table.
func (k *Kernel) allProcesses() []*Process {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]*Process, 0, len(k.procs))
	for _, p := range k.procs {
		out = append(out, p)
	}
	return out
}

// reap removes an exited process from the table (release_task).
func (k *Kernel) reap(p *Process) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.procs[p.pid] == p {
		delete(k.procs, p.pid)
	}
}

// procSources is fs.ProcSources over the pid table.
type procSources struct{ k *Kernel }

func (s procSources) Process(pid int) fs.ProcProcess {
	if pid <= 0 || pid >= pidMax {
		return nil
	}
	if p := s.k.process(int32(pid)); p != nil {
		return p
	}
	return nil
}

func (s procSources) Pids() []int {
	ps := s.k.allProcesses()
	out := make([]int, 0, len(ps))
	for _, p := range ps {
		out = append(out, int(p.pid))
	}
	slices.Sort(out)
	return out
}

func (s procSources) MemInfo() fs.MemInfo {
	m := s.k.frames.Meminfo()
	const kb = 4
	return fs.MemInfo{MemTotal: m.Total * kb, MemFree: m.Free * kb, MemAvailable: m.Free * kb}
}
