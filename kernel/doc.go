// Package kernel is Ringo's task layer: processes and threads, the user-trap
// loop that runs each user thread as a goroutine, program loading
// (Spawn/execve) on top of kernel/exec and mm, and the system call
// handlers that the syscall package's tables dispatch to.
//
// The bare-metal layer beneath the Go runtime lives in kernel/nucleus; this
// package reaches it only through the Platform interface (platform.go), so
// everything here runs in host tests with a scripted fake CPU.
//
// Start reading at task_run.go: enter user mode, look at why the CPU came
// back, dispatch, loop. The handlers are one file per syscall family
// (sys_file.go, sys_mmap.go, ...), registered by Linux entry-point name in
// handlers.go.
//
// Lock order, outermost first:
//
//	Kernel.mu (the pid table)
//	  -> Process.mu (children, exit state, rlimits, credentials)
//	Process.sighand.mu (siglock: actions, pending queues, masks)
//	  -> Task.sigMu (the wake-up channel and fatalSig)
//	Process.mu and siglock are never held together; Task.sigMu is
//	innermost.
//	fs and mm locks are taken inside their own packages, never while a
//	kernel lock is held.
package kernel
