package kernel

// CPU time: what CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID
// read. Linux charges a task the time it is on a CPU, in user mode and in
// the kernel on its behalf (the scheduler's sum_exec_runtime), and not
// the time it sleeps in a blocking call. Ringo takes the clock once per
// trap (TrapInfo.Time): the span between two traps is the task's user
// time plus its last system call, and what that call spent asleep, which
// every wait reports (fs.Caller.Wait calls sleeping through Caller.Sleep),
// is taken off again, as is the time other goroutines ran when the tick
// preempted the task (the trap loop's Gosched). What is still charged and
// Linux would not: the task's goroutine waiting runnable while another
// goroutine runs inside one of its system calls (Go's own scheduler, up
// to its 10 ms slice), which the kernel cannot see.

import "time"

// sleeping marks the start (true) or end (false) of a wait of the task's
// current system call. Only the task's own goroutine calls it.
func (t *Task) sleeping(asleep bool) {
	now := t.k.mono()
	if asleep {
		t.sleepStart = now
		return
	}
	t.slept += time.Duration(now - t.sleepStart)
}

// chargeCPU adds the span between the previous trap (last) and this one
// (now), less the time asleep in between.
func (t *Task) chargeCPU(now, last int64) {
	t.cpuTime += time.Duration(now-last) - t.slept
	t.slept = 0
}
