package kernel

import "github.com/ringo-os/ringo/abi"

// Leaving: exit_group records the status, every thread stops at its next
// kernel entry, and the last one out tears the process down (kernel/exit.c:
// do_group_exit, do_exit, exit_notify).

// Wait-status encoding (include/uapi/linux/wait.h, kernel/exit.c).
func exitedStatus(code int) int { return (code & 0xff) << 8 }

// exitGroup makes the process exit with wait status ws unless it is
// already exiting (the first status wins, as signal->group_exit_code).
func (p *Process) exitGroup(ws int) {
	p.mu.Lock()
	if !p.exited {
		p.exited = true
		p.status = ws
	}
	tasks := append([]*Task(nil), p.tasks...)
	p.mu.Unlock()
	for _, t := range tasks {
		t.sigMu.Lock()
		if t.fatalSig == 0 {
			t.fatalSig = abi.SIGKILL // the others stop (zap_other_threads)
		}
		t.raiseSigPending()
		t.sigMu.Unlock()
	}
}

// exit is do_exit for one thread; the last thread of the process releases
// the address space and notifies the parent.
func (t *Task) exit() {
	p, k := t.proc, t.k
	// The nucleus must not write into t.fpu after this.
	k.platform.ReleaseFPU(&t.fpu)
	if t.clearChildTID != 0 { // mm_release: *clear_child_tid = 0 (no futex wake yet)
		if t.ia32 {
			_ = t.mm().PutUser32(t.clearChildTID, 0)
		} else {
			_, _ = t.mm().CopyOut(t.clearChildTID, make([]byte, 4))
		}
	}
	t.caller.Files.Release()

	k.mu.Lock()
	delete(k.tasks, t.tid)
	k.mu.Unlock()

	p.mu.Lock()
	for i, x := range p.tasks {
		if x == t {
			p.tasks = append(p.tasks[:i], p.tasks[i+1:]...)
			break
		}
	}
	last := len(p.tasks) == 0
	if !last {
		p.mu.Unlock()
		return
	}
	if !p.exited { // cannot happen: the loop ends only through exitGroup
		p.exited, p.status = true, abi.SIGKILL
	}
	as := p.mm.Swap(nil)
	children := p.children
	p.children = nil
	parent := p.parent
	p.zombie = true
	p.mu.Unlock()

	if as != nil {
		k.platform.ReleaseAddressSpace(as.PageTable().Root())
		as.Release()
	}
	for _, c := range children { // reparent to the kernel (Linux: to init)
		c.mu.Lock()
		c.parent = nil
		c.mu.Unlock()
	}
	if parent != nil {
		select {
		case parent.childExit <- struct{}{}:
		default:
		}
	}
	close(p.done)
}
