package exec

// The argument and environment strings: counted, limited (E2BIG) and laid
// out at the top of the new stack before the executable is even read, as
// fs/exec.c:do_execveat_common does.

import (
	"fmt"
	"strings"

	"github.com/ringo-os/ringo/abi"
)

const (
	// MaxArgStrlen is MAX_ARG_STRLEN (32 pages): the longest single
	// argument or environment string, counting its NUL.
	MaxArgStrlen = 32 * PageSize
	// ArgMax is ARG_MAX: the space for strings and pointers is never
	// limited below this, however small RLIMIT_STACK is.
	ArgMax = 131072
	// maxArgStrings is MAX_ARG_STRINGS.
	maxArgStrings = 0x7FFFFFFF
	// stkLim is _STK_LIM, the default RLIMIT_STACK (8 MiB).
	stkLim = 8 << 20
	// kernelPtrSize is sizeof(void *) of the (64-bit) kernel. Linux uses it
	// for the pointer accounting and the top-of-stack word even when the
	// new task is ia32.
	kernelPtrSize = 8
)

// Args is the string half of struct linux_binprm once
// do_execveat_common has copied everything in.
type Args struct {
	// Filename is the path execve was given; AT_EXECFN points at its copy.
	Filename string
	// Argv is what the program sees: Linux (5.18+) turns an empty argv
	// into {""} so that nobody walks from argv[1] into envp.
	Argv []string
	Envp []string
	// stringBytes is how much of the stack the strings take, including
	// the zero word at the very top; set only by CopyStrings, so an Args
	// that skipped the limits cannot reach BuildStack.
	stringBytes uint64
}

// CopyStrings validates and sizes the strings for a new image. rlimitStack
// is the caller's RLIMIT_STACK soft limit (math.MaxUint64 for infinity).
//
// Errors: E2BIG when a string is longer than MaxArgStrlen-1 bytes, or when
// the strings plus one pointer per argv/envp entry exceed
// max(min(RLIMIT_STACK/4, 6 MiB), ArgMax). EINVAL for a string holding a
// NUL byte, which a copy from user memory can never produce.
//
// Mirrors fs/exec.c:bprm_stack_limits, copy_string_kernel and copy_strings.
func CopyStrings(filename string, argv, envp []string, rlimitStack uint64) (*Args, error) {
	if len(argv) > maxArgStrings || len(envp) > maxArgStrings {
		return nil, failf(abi.E2BIG, "too many strings")
	}
	for _, list := range [][]string{{filename}, argv, envp} {
		for _, s := range list {
			if strings.IndexByte(s, 0) >= 0 {
				return nil, failf(abi.EINVAL, "string contains a NUL byte")
			}
		}
	}
	// bprm_stack_limits.
	limit := min(uint64(stkLim/4*3), rlimitStack/4)
	limit = max(limit, ArgMax)
	ptrSize := uint64(max(len(argv), 1)+len(envp)) * kernelPtrSize
	if limit <= ptrSize {
		return nil, failf(abi.E2BIG, fmt.Sprintf("%d argv and envp pointers exceed the %d-byte limit", ptrSize/kernelPtrSize, limit))
	}
	limit -= ptrSize

	a := &Args{Filename: filename, Envp: envp}
	used := uint64(0) // bytes below the top word; E2BIG once past limit
	copyString := func(s string) error {
		n := uint64(len(s)) + 1
		if n > MaxArgStrlen {
			return failf(abi.E2BIG, fmt.Sprintf("a string of %d bytes exceeds MAX_ARG_STRLEN (%d)", n, MaxArgStrlen))
		}
		used += n
		if used > limit {
			return failf(abi.E2BIG, fmt.Sprintf("argument and environment strings exceed %d bytes", limit))
		}
		return nil
	}
	if err := copyString(filename); err != nil {
		return nil, err
	}
	// copy_strings walks each list from its last entry down.
	for i := len(envp) - 1; i >= 0; i-- {
		if err := copyString(envp[i]); err != nil {
			return nil, err
		}
	}
	for i := len(argv) - 1; i >= 0; i-- {
		if err := copyString(argv[i]); err != nil {
			return nil, err
		}
	}
	a.Argv = argv
	if len(argv) == 0 {
		if err := copyString(""); err != nil {
			return nil, err
		}
		a.Argv = []string{""}
	}
	a.stringBytes = used + kernelPtrSize
	return a, nil
}
