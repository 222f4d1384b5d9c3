// strace-like tracing of every dispatched call, formatted by argument kind.

package syscall

import (
	"io"
	"strconv"
	"sync"

	"github.com/ringo-os/ringo/abi"
)

// traceStrMax is how many bytes of a string argument are shown, as strace's
// default -s 32.
const traceStrMax = 32

// tracer writes one line per call:
//
//	[pid 7] openat(-100, "/etc/passwd", 0, 0) = -1 ENOENT (no such file or directory)
//	[pid 7] mmap(NULL, 4096, 3, 34, -1, 0) = 0x7f0000000000
//	[pid 7] exit_group(3) = ?
//
// Arguments are printed by kind: descriptors and ints in decimal, modes in
// octal, pointers in hex (NULL for 0), strings quoted when the context can
// read them. Flags are not decoded into names.
type tracer struct {
	mu  sync.Mutex // serialises lines from concurrent tasks
	w   io.Writer
	buf []byte
}

func (t *tracer) start(ctx Context) []byte {
	b := t.buf[:0]
	if ctx != nil {
		b = append(b, "[pid "...)
		b = strconv.AppendInt(b, int64(ctx.TID()), 10)
		b = append(b, "] "...)
	}
	return b
}

func (t *tracer) flush(b []byte) {
	b = append(b, '\n')
	t.buf = b
	_, _ = t.w.Write(b) // a broken trace sink must not fail the call
}

// enter prints a call that will not return.
func (t *tracer) enter(ctx Context, sc *Syscall, a *Args) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := appendCall(t.start(ctx), ctx, sc, a)
	t.flush(append(b, " = ?"...))
}

// exit prints a completed call with its result.
func (t *tracer) exit(ctx Context, sc *Syscall, a *Args, ret uint64, err error) {
	if sc.Args.NoReturn() && err == nil {
		return // enter printed "= ?"; only a failing exit is worth a line
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	b := appendCall(t.start(ctx), ctx, sc, a)
	b = append(b, " = "...)
	if err != nil {
		e := abi.ErrnoOf(err)
		b = append(b, "-1 "...)
		b = append(b, e.Name()...)
		b = append(b, " ("...)
		b = append(b, e.Message()...)
		b = append(b, ')')
		if _, isErrno := err.(abi.Errno); !isErrno {
			b = append(b, " ["...)
			b = append(b, err.Error()...)
			b = append(b, ']')
		}
	} else if sc.Args.ReturnsAddr() {
		b = appendHex(b, ret)
	} else {
		b = strconv.AppendInt(b, int64(ret), 10)
	}
	t.flush(b)
}

// unknown prints a number no table row took, as strace does.
func (t *tracer) unknown(ctx Context, via Entry, rax uint64, regs *[MaxArgs]uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.start(ctx)
	b = append(b, "syscall_"...)
	if via == EntryInt80 {
		rax = uint64(uint32(rax))
	}
	b = appendHex(b, rax)
	b = append(b, '(')
	for i, r := range regs {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendHex(b, r)
	}
	b = append(b, ") = -1 ENOSYS ("...)
	b = append(b, abi.ENOSYS.Message()...)
	t.flush(append(b, ')'))
}

func appendCall(b []byte, ctx Context, sc *Syscall, a *Args) []byte {
	b = append(b, sc.Name...)
	b = append(b, '(')
	kinds, n := sc.Args.outKinds()
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendArg(b, ctx, kinds[i], a.V[i])
	}
	return append(b, ')')
}

func appendArg(b []byte, ctx Context, k Kind, v uint64) []byte {
	switch k {
	case Fd, Int, Long, Loff:
		return strconv.AppendInt(b, int64(v), 10)
	case Mode:
		if v == 0 {
			return append(b, '0')
		}
		return strconv.AppendUint(append(b, '0'), v, 8)
	case Ptr:
		if v == 0 {
			return append(b, "NULL"...)
		}
		return appendHex(b, v)
	case Str:
		if v == 0 {
			return append(b, "NULL"...)
		}
		if r, ok := ctx.(UserStringReader); ok {
			s, err := r.CopyInString(v, traceStrMax+1)
			if err == nil {
				if len(s) > traceStrMax {
					return append(strconv.AppendQuote(b, s[:traceStrMax]), "..."...)
				}
				return strconv.AppendQuote(b, s)
			}
		}
		return appendHex(b, v)
	default: // Uint, U16, Ulong, Size, U64
		return strconv.AppendUint(b, v, 10)
	}
}

func appendHex(b []byte, v uint64) []byte {
	return strconv.AppendUint(append(b, "0x"...), v, 16)
}
