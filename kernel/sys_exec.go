package kernel

// execve (fs/exec.c:do_execveat_common; compat_sys_execve for i386):
// copy the path and the argument vectors in, build the new image on the
// side, then install it (begin_new_exec: close-on-exec files, fresh
// registers and FPU, TLS cleared) and release the old address space.

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/kernel/exec"
	"github.com/ringo-os/ringo/syscall"
)

// maxArgStrings is MAX_ARG_STRINGS.
const maxArgStrings = 0x7fffffff

// copyStrings reads a NULL-terminated array of string pointers (8-byte
// words, 4-byte for compat). A NULL array is empty. It stops with E2BIG
// once the strings pass limit bytes (bprm_stack_limits), so a hostile
// array cannot make the kernel copy without bound.
func (t *Task) copyStrings(addr uint64, compat bool, limit uint64) ([]string, uint64, error) {
	var out []string
	var used uint64
	if addr == 0 {
		return nil, 0, nil
	}
	word := uint64(8)
	if compat {
		word = 4
	}
	for i := uint64(0); ; i++ {
		if i >= maxArgStrings {
			return nil, 0, abi.E2BIG
		}
		var b [8]byte
		if err := t.copyIn(addr+i*word, b[:word]); err != nil {
			return nil, 0, err
		}
		p := binary.LittleEndian.Uint64(b[:])
		if p == 0 {
			return out, used, nil
		}
		s, err := t.mm().CopyInString(p, exec.MaxArgStrlen-1)
		if err == abi.ENAMETOOLONG {
			return nil, 0, abi.E2BIG
		}
		if err != nil {
			return nil, 0, abi.EFAULT
		}
		used += uint64(len(s)) + 1 + word
		if used > limit {
			return nil, 0, abi.E2BIG
		}
		out = append(out, s)
	}
}

// argLimit is bprm_stack_limits' bound: a quarter of RLIMIT_STACK, at
// most 6 MiB (3/4 of _STK_LIM), at least ARG_MAX.
func argLimit(rlimitStack uint64) uint64 {
	l := min(rlimitStack/4, 6<<20)
	return max(l, exec.ArgMax)
}

func (t *Task) execve(a *syscall.Args, compat bool) (uint64, error) {
	path, err := t.copyInPath(a.Ptr(0))
	if err != nil {
		return 0, err
	}
	stack := t.proc.rlimit(rlimitStack).Cur
	limit := argLimit(stack)
	argv, used, err := t.copyStrings(a.Ptr(1), compat, limit)
	if err != nil {
		return 0, err
	}
	envp, _, err := t.copyStrings(a.Ptr(2), compat, limit-used)
	if err != nil {
		return 0, err
	}
	img, err := t.k.loadImage(t.caller, path, argv, envp, stack)
	if err != nil {
		var ee *exec.Error
		if asExecError(err, &ee) && ee.AfterPointOfNoReturn {
			// Linux has already destroyed the old image here: the task
			// dies with SIGSEGV (bprm_execve's force_fatal_sig).
			t.forceSignal(abi.SIGSEGV)
		}
		return 0, err
	}
	// Point of no return.
	t.caller.Files = t.caller.Files.Exec()
	old := t.installImage(img)
	t.execed = true
	t.k.platform.ReleaseAddressSpace(old.PageTable().Root())
	old.Release()
	return 0, nil
}

func (t *Task) sysExecve(a *syscall.Args) (uint64, error)       { return t.execve(a, false) }
func (t *Task) sysCompatExecve(a *syscall.Args) (uint64, error) { return t.execve(a, true) }
