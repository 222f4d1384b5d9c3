package exec

// Exec failures: the errno, a sentence for the kernel log, and where in
// Linux's execve the failure would have been found.

import "github.com/ringo-os/ringo/abi"

// Error is a failed exec. errors.Is(err, abi.ENOEXEC) and friends work
// through Unwrap, so callers that only need the errno need nothing else.
type Error struct {
	// Errno is what execve returns.
	Errno abi.Errno
	// Reason says why, for the kernel log ("dynamic linking is not
	// supported yet", "p_filesz > p_memsz in PT_LOAD 2").
	Reason string
	// AfterPointOfNoReturn is true for the checks Linux makes only after
	// begin_new_exec has destroyed the old image (the PT_LOAD loop and the
	// entry check of load_elf_binary). There execve cannot return: Linux
	// kills the task with SIGSEGV (bprm_execve's force_fatal_sig). Ringo
	// detects them before touching anything, so the caller may choose
	// either behaviour; mirroring Linux means killing.
	AfterPointOfNoReturn bool
}

func (e *Error) Error() string { return e.Errno.Name() + ": " + e.Reason }

// Unwrap lets errors.Is match the errno.
func (e *Error) Unwrap() error { return e.Errno }

func failf(errno abi.Errno, reason string) *Error {
	return &Error{Errno: errno, Reason: reason}
}

func lateFail(errno abi.Errno, reason string) *Error {
	return &Error{Errno: errno, Reason: reason, AfterPointOfNoReturn: true}
}
