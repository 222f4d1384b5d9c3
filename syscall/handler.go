// What a handler sees: the calling task's Context and its converted Args.

package syscall

// Context is what the syscall layer needs of the calling task. The
// dispatcher is generic over the task type (Dispatcher[C]), so handlers
// receive the kernel's own *Task, with its files, memory and credentials,
// without an adapter or a type assertion per call; the interface is kept
// this small so that syscall imports nothing of the kernel (ARCHITECTURE.md:
// dependencies point down).
type Context interface {
	// TID is the calling thread's id; the tracer prefixes lines with it
	// as strace -f does.
	TID() int32
}

// UserStringReader is an optional Context extension: a context that can
// read a NUL-terminated string from the caller's memory lets the tracer
// print Str arguments as strings instead of addresses.
type UserStringReader interface {
	// CopyInString reads at most max bytes of a NUL-terminated string at
	// addr in the caller's address space (EFAULT if unreadable).
	CopyInString(addr uint64, max int) (string, error)
}

// Handler serves one system call. It returns the value for rax on success
// or an error, normally an abi.Errno, which becomes -errno in rax.
//
// a is the caller's Args (Dispatch), valid until the handler returns: a
// handler that needs an argument later copies it.
type Handler[C Context] func(ctx C, a *Args) (uint64, error)

// Handlers attaches handlers to table rows by the row's Func, Linux's entry
// point name: Handlers[*Task]{"sys_getpid": (*Task).sysGetpid}. One key serves every row
// that names it, in every table, which is how Linux shares a native handler
// between x86_64 and i386 (syscall_32.tbl rows without a compat column).
// Register the same Go function under two keys where Linux has two entry
// points with one behaviour (sys_preadv, compat_sys_preadv).
type Handlers[C Context] map[string]Handler[C]

// Args are one call's arguments after conversion: each widened to 64 bits
// as its Kind says, split 64-bit values joined, ignored registers dropped.
// Index i is the i-th parameter of the handler's C prototype (with a joined
// pair counting as one: i386 pread64's Loff(3) is the position). The
// accessors take a pointer: with a value receiver each call copied all 64
// bytes of Args, three copies in a three-argument handler.
type Args struct {
	// ABI is the table the call came through.
	ABI ABI
	// Nr is the row number in that table (x32: without X32SyscallBit).
	Nr int32
	// N is how many arguments the row declares after conversion.
	N uint8
	// V holds the converted values; V[N:] are zero.
	V [MaxArgs]uint64
}

// InCompatSyscall reports whether the call uses 32-bit layouts (i386 or
// x32). Mirrors include/linux/compat.h:in_compat_syscall(); handlers
// shared between native and compat rows use it as Linux's do (readv's
// iovec, §1.3 step 4).
func (a *Args) InCompatSyscall() bool { return a.ABI == I386 || a.ABI == X32 }

// InIA32Syscall reports whether the call came through int $0x80 tables.
// Mirrors arch/x86/include/asm/compat.h:in_ia32_syscall().
func (a *Args) InIA32Syscall() bool { return a.ABI == I386 }

// Fd returns argument i as a file descriptor.
func (a *Args) Fd(i int) int32 { return int32(a.V[i]) }

// Int returns argument i as a C int.
func (a *Args) Int(i int) int32 { return int32(a.V[i]) }

// Uint returns argument i as a C unsigned int.
func (a *Args) Uint(i int) uint32 { return uint32(a.V[i]) }

// Mode returns argument i as a umode_t.
func (a *Args) Mode(i int) uint16 { return uint16(a.V[i]) }

// Long returns argument i as a C long.
func (a *Args) Long(i int) int64 { return int64(a.V[i]) }

// Ulong returns argument i as a C unsigned long.
func (a *Args) Ulong(i int) uint64 { return a.V[i] }

// Size returns argument i as a size_t.
func (a *Args) Size(i int) uint64 { return a.V[i] }

// Ptr returns argument i as a user address; copy through it with the
// kernel's CopyIn/CopyOut, never dereference it.
func (a *Args) Ptr(i int) uint64 { return a.V[i] }

// Loff returns argument i as a loff_t (joined from Lo/Hi on i386).
func (a *Args) Loff(i int) int64 { return int64(a.V[i]) }
