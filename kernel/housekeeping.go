package kernel

// Housekeeping: a kernel goroutine that wakes once a second. A kernel
// whose every process is blocked (waiting for input, or for each other)
// is idle, not broken; but the Go runtime reports "all goroutines are
// asleep - deadlock!" and dies when no goroutine can run and no timer is
// pending. This timer keeps that true state of affairs from looking like
// a Go deadlock, and reports tasks that have been blocked in a system call
// for a long time, as Linux's khungtaskd does (kernel/hung_task.c).

import (
	"time"
)

// hungTaskTimeout is Linux's default hung_task_timeout_secs.
const hungTaskTimeout = 120 * time.Second

func (k *Kernel) housekeeping() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for range t.C {
		k.mu.Lock()
		tasks := make([]*Task, 0, len(k.tasks))
		for _, task := range k.tasks {
			tasks = append(tasks, task)
		}
		k.mu.Unlock()
		for _, task := range tasks {
			if d, ok := task.blockedFor(); ok && d > hungTaskTimeout && !task.hungReported {
				task.hungReported = true
				k.vfs.Log.PrErr("INFO: task %s:%d blocked for more than %d seconds.", task.proc.Comm(), task.tid, int(hungTaskTimeout/time.Second))
			}
		}
	}
}
