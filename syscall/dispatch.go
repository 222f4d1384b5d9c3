// The system call entry: decode the number, convert the arguments, call the
// handler, turn its error into -errno. The kernel's user-trap loop calls
// Dispatch once per SYSCALL or int $0x80.

package syscall

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/ringo-os/ringo/abi"
)

// Entry is how the CPU entered the kernel for a system call; it decides
// which tables the number may select.
type Entry uint8

const (
	// EntrySyscall is the 64-bit SYSCALL instruction: the x86_64 table, or
	// the x32 table when rax has X32SyscallBit. Registers: rdi, rsi, rdx,
	// r10, r8, r9.
	EntrySyscall Entry = iota
	// EntryInt80 is int $0x80, from a 32-bit or a 64-bit task: the i386
	// table, low 32 bits of ebx, ecx, edx, esi, edi, ebp.
	EntryInt80
)

// Config is what the kernel decides once, at boot.
type Config[C Context] struct {
	// Handlers are the implemented calls, keyed by Syscall.Func.
	Handlers Handlers[C]
	// X32 enables the x32 table. Mirrors CONFIG_X86_X32_ABI together with
	// the syscall.x32= boot parameter; off, every number with
	// X32SyscallBit is -ENOSYS, as on the reference host (§1.4).
	X32 bool
}

// boundRow is a table row with its handler resolved: the hot path reads
// only this.
type boundRow[C Context] struct {
	fn    Handler[C]
	widen widening
	sc    *Syscall
}

// Dispatcher holds the three tables bound to the kernel's handlers. It is
// immutable after NewDispatcher except for the tracer, which is an atomic
// pointer, so any number of tasks may call Dispatch concurrently.
type Dispatcher[C Context] struct {
	tables [numABIs][]boundRow[C]
	x32    bool
	trace  atomic.Pointer[tracer]
}

// NewDispatcher binds cfg.Handlers to the tables. It fails if a handler key
// names no row of any table (a misspelt "sys_raed" would otherwise leave
// read returning -ENOSYS unnoticed) or if a row it binds is malformed.
//
// Only bound rows are checked and compiled: the kernel calls this at every
// boot, most rows have no handler (ENOSYS needs neither), and the host
// tests check every row of every table (TestTablesAreWellFormed).
func NewDispatcher[C Context](cfg Config[C]) (*Dispatcher[C], error) {
	d := &Dispatcher[C]{x32: cfg.X32}
	used := make(map[string]bool, len(cfg.Handlers))
	for a := ABI(0); a < numABIs; a++ {
		t := tableOf(a)
		rows := make([]boundRow[C], len(t))
		for nr := range t {
			sc := &t[nr]
			rows[nr] = boundRow[C]{sc: sc}
			if sc.Func == "" {
				continue
			}
			fn, ok := cfg.Handlers[sc.Func]
			if !ok {
				continue
			}
			used[sc.Func] = true
			if a == X32 && !cfg.X32 {
				continue
			}
			if msg := sc.Args.validate(); msg != "" {
				return nil, fmt.Errorf("syscall: %s table row %d (%s): %s", a, nr, sc.Name, msg)
			}
			rows[nr].fn, rows[nr].widen = fn, sc.Args.compile(a == I386)
		}
		d.tables[a] = rows
	}
	var unknown []string
	for name, fn := range cfg.Handlers {
		if !used[name] {
			unknown = append(unknown, name)
		} else if fn == nil {
			return nil, fmt.Errorf("syscall: handler %s is nil", name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("syscall: handlers for no table row: %s", strings.Join(unknown, ", "))
	}
	return d, nil
}

// Decode maps the number register to a table and row, as Linux's
// arch/x86/entry/common.c does:
//
//   - only the low 32 bits of rax count, read as an int (§1.1: rax =
//     0x1_0000_0027 is getpid);
//   - -1 is never dispatched (do_syscall_64 / do_int80_emulation leave
//     ax = -ENOSYS);
//   - SYSCALL: an unsigned nr below NR_syscalls selects the x86_64 table
//     (do_syscall_x64); else, if x32 is on, nr - X32SyscallBit below
//     X32_NR_syscalls selects the x32 table (do_syscall_x32); 512-547
//     without the bit are past NR_syscalls and so -ENOSYS;
//   - int $0x80: an unsigned nr below IA32_NR_syscalls selects the i386
//     table (do_syscall_32_irqs_on).
//
// ok is false when Linux would return -ENOSYS without a table lookup.
func (d *Dispatcher[C]) Decode(via Entry, rax uint64) (a ABI, nr int, ok bool) {
	// -1 needs no test of its own: as an unsigned number it is past every
	// table, with or without X32SyscallBit taken off.
	u := uint32(rax)
	switch via {
	case EntryInt80:
		if u < uint32(len(d.tables[I386])) {
			return I386, int(u), true
		}
	case EntrySyscall:
		if u < uint32(len(d.tables[AMD64])) {
			return AMD64, int(u), true
		}
		if xnr := u - X32SyscallBit; d.x32 && xnr < uint32(len(d.tables[X32])) {
			return X32, int(xnr), true
		}
	}
	return 0, 0, false
}

var errNoSys = abi.ENOSYS.Neg()

// Dispatch runs one system call and returns the value for rax: the
// handler's result, or -errno. rax is the number register as the trap saved
// it; a.V holds the six argument registers of the entry's ABI, in order
// (SYSCALL: rdi, rsi, rdx, r10, r8, r9; int $0x80: rbx, rcx, rdx, rsi, rdi,
// rbp, of which only the low halves are read). Dispatch fills in the rest
// of *a and converts a.V in place, and the handler gets a itself: the
// caller's storage (the kernel's is in the task), so that neither a copy
// of the arguments nor an allocation is made per call.
//
// Kernel-internal codes (ERESTARTSYS and friends, abi values 512-516) are
// returned as they are: turning them into a restart or -EINTR is the
// signal-delivery step of the kernel's exit path, as in Linux
// (arch/x86/kernel/signal.c:arch_do_signal_or_restart).
//
// Dispatch allocates nothing unless tracing is on.
func (d *Dispatcher[C]) Dispatch(ctx C, via Entry, rax uint64, a *Args) uint64 {
	if t := d.trace.Load(); t != nil {
		return d.dispatchTraced(t, ctx, via, rax, a)
	}
	which, nr, ok := d.Decode(via, rax)
	if !ok {
		return errNoSys
	}
	row := &d.tables[which][nr]
	if row.fn == nil {
		return errNoSys
	}
	// row.convert written out: it is too big to inline (it calls two
	// functions that are not), and the call cost 10 guest instructions
	// per system call on this, the hottest path.
	a.ABI, a.Nr = which, int32(nr)
	if row.widen.ok {
		a.N = row.widen.n
		row.widen.apply(&a.V)
	} else {
		row.convertJoined(which, a)
	}
	ret, err := row.fn(ctx, a)
	if err != nil {
		ret = abi.ErrnoOf(err).Neg()
	}
	return ret
}

// dispatchTraced is Dispatch with the tracer's lines around the call.
func (d *Dispatcher[C]) dispatchTraced(t *tracer, ctx C, via Entry, rax uint64, a *Args) uint64 {
	which, nr, ok := d.Decode(via, rax)
	if !ok {
		t.unknown(ctx, via, rax, &a.V)
		return errNoSys
	}
	row := &d.tables[which][nr]
	row.convert(which, nr, a)
	if row.sc.Args.NoReturn() {
		t.enter(ctx, row.sc, a)
	}
	var ret uint64
	var err error
	if row.fn == nil {
		err = abi.ENOSYS
	} else {
		ret, err = row.fn(ctx, a)
	}
	if err != nil {
		ret = abi.ErrnoOf(err).Neg()
	}
	t.exit(ctx, row.sc, a, ret, err)
	return ret
}

// convert turns the raw registers in a.V into the row's arguments, in
// place: the compiled widening when the row has one (each register into
// its own slot, then the slots past the row's arguments cleared), else the
// reference conversion from a copy of the registers (it joins and drops
// registers, so it cannot work in place).
func (row *boundRow[C]) convert(which ABI, nr int, a *Args) {
	a.ABI, a.Nr = which, int32(nr)
	if row.widen.ok {
		a.N = row.widen.n
		row.widen.apply(&a.V)
		return
	}
	row.convertJoined(which, a)
}

// convertJoined is the reference conversion, for rows that join or drop
// registers.
func (row *boundRow[C]) convertJoined(which ABI, a *Args) {
	regs := a.V
	a.V = [MaxArgs]uint64{}
	a.N = uint8(row.sc.Args.convert(which == I386, &regs, &a.V))
}

// SetTrace switches strace-like tracing on (lines go to w, one Write per
// line) or off (w == nil). Safe to call while tasks are dispatching.
func (d *Dispatcher[C]) SetTrace(w io.Writer) {
	if w == nil {
		d.trace.Store(nil)
		return
	}
	d.trace.Store(&tracer{w: w})
}

// Handler returns the handler bound to a row, nil if the row returns
// -ENOSYS. The fuzzer and tests use it to see what is implemented.
func (d *Dispatcher[C]) Handler(a ABI, nr int) Handler[C] {
	if a >= numABIs || nr < 0 || nr >= len(d.tables[a]) {
		return nil
	}
	return d.tables[a][nr].fn
}
