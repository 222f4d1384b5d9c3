package syscall

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

// task is a test Context.
type task struct{ tid int32 }

func (t *task) TID() int32 { return t.tid }

// recorder is a handler that remembers the last call it served.
type recorder struct {
	calls int
	last  Args
	ret   uint64
	err   error
}

func (r *recorder) handle(ctx Context, a *Args) (uint64, error) {
	r.calls++
	r.last = *a
	return r.ret, r.err
}

func newDispatcher(t *testing.T, x32 bool, h Handlers[Context]) *Dispatcher[Context] {
	t.Helper()
	d, err := NewDispatcher(Config[Context]{Handlers: h, X32: x32})
	require.NoError(t, err)
	return d
}

var noRegs [MaxArgs]uint64

// dispatchRegs is Dispatch with the argument registers given as an array,
// as the tests write them: Dispatch converts in the Args it is handed.
func dispatchRegs(d *Dispatcher[Context], ctx Context, via Entry, rax uint64, regs *[MaxArgs]uint64) uint64 {
	a := Args{V: *regs}
	return d.Dispatch(ctx, via, rax, &a)
}

func neg(e abi.Errno) uint64 { return e.Neg() }

func TestDecodeNumbers(t *testing.T) {
	tests := []struct {
		name    string
		x32     bool
		via     Entry
		rax     uint64
		wantABI ABI
		wantNr  int
		wantOK  bool
	}{
		{"getpid", false, EntrySyscall, 39, AMD64, 39, true},
		{"HighHalfOfRaxIgnored", false, EntrySyscall, 0x1_0000_0027, AMD64, 39, true},
		{"MinusOneNotDispatched", false, EntrySyscall, ^uint64(0), 0, 0, false},
		{"Low32MinusOneNotDispatched", false, EntrySyscall, 0xffff_ffff, 0, 0, false},
		{"LastRow", false, EntrySyscall, 462, AMD64, 462, true},
		{"PastNRSyscalls", false, EntrySyscall, 463, 0, 0, false},
		{"X32RangeWithoutBit", true, EntrySyscall, 512, 0, 0, false},
		{"X32BitWhenX32Off", false, EntrySyscall, X32SyscallBit | 39, 0, 0, false},
		{"X32BitWhenX32On", true, EntrySyscall, X32SyscallBit | 39, X32, 39, true},
		{"X32Row512", true, EntrySyscall, X32SyscallBit | 512, X32, 512, true},
		{"PastX32NRSyscalls", true, EntrySyscall, X32SyscallBit | 548, 0, 0, false},
		{"X32BitWithHighGarbage", true, EntrySyscall, 0xdead_0000_0000_0000 | X32SyscallBit | 1, X32, 1, true},
		{"NegativeInt", true, EntrySyscall, 0x8000_0000, 0, 0, false},
		{"Int80Getpid", false, EntryInt80, 20, I386, 20, true},
		{"Int80HighHalfIgnored", false, EntryInt80, 0xffff_ffff_0000_0014, I386, 20, true},
		{"Int80MinusOne", false, EntryInt80, 0xffff_ffff, 0, 0, false},
		{"Int80PastIA32NRSyscalls", false, EntryInt80, 463, 0, 0, false},
		{"Int80IgnoresX32Bit", true, EntryInt80, X32SyscallBit | 20, 0, 0, false},
		{"UnknownEntry", false, Entry(7), 1, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDispatcher(t, tt.x32, nil)
			a, nr, ok := d.Decode(tt.via, tt.rax)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.wantABI, a)
			require.Equal(t, tt.wantNr, nr)
		})
	}
}

func TestRaxWithHighGarbageRunsGetpid(t *testing.T) {
	r := &recorder{ret: 42}
	d := newDispatcher(t, false, Handlers[Context]{"sys_getpid": r.handle})
	require.Equal(t, uint64(42), dispatchRegs(d, &task{1}, EntrySyscall, 0x1_0000_0027, &noRegs))
	require.Equal(t, 1, r.calls)
	require.Equal(t, AMD64, r.last.ABI)
	require.Equal(t, int32(39), r.last.Nr)
}

func TestUnknownAndEmptyNumbersAreENOSYS(t *testing.T) {
	r := &recorder{}
	h := Handlers[Context]{}
	// Register every entry point, so ENOSYS can only come from decoding or
	// from rows that have none.
	for a := ABI(0); a < numABIs; a++ {
		for _, sc := range tableOf(a) {
			if sc.Func != "" && sc.Func != "sys_ni_syscall" {
				h[sc.Func] = r.handle
			}
		}
	}
	for _, x32 := range []bool{false, true} {
		d := newDispatcher(t, x32, h)
		tests := []struct {
			name string
			via  Entry
			rax  uint64
		}{
			{"MinusOne", EntrySyscall, ^uint64(0)},
			{"Int80MinusOne", EntryInt80, 0xffff_ffff},
			{"Uselib134", EntrySyscall, 134},
			{"Sysctl156IsNiSyscall", EntrySyscall, 156},
			{"CreateModule174", EntrySyscall, 174},
			{"SetThreadArea205On64Bit", EntrySyscall, 205},
			{"GetThreadArea211On64Bit", EntrySyscall, 211},
			{"LookupDcookie212Removed", EntrySyscall, 212},
			{"Vserver236", EntrySyscall, 236},
			{"NeverUsed336", EntrySyscall, 336},
			{"NeverUsed423", EntrySyscall, 423},
			{"Past462", EntrySyscall, 463},
			{"X32Range512WithoutBit", EntrySyscall, 512},
			{"X32Range547WithoutBit", EntrySyscall, 547},
			{"Huge", EntrySyscall, 0x7fff_ffff},
			{"X32RowMarked64Absent", EntrySyscall, X32SyscallBit | 16},
			{"X32Past547", EntrySyscall, X32SyscallBit | 600},
			{"I386Break17", EntryInt80, 17},
			{"I386Vm86IsNiSyscall", EntryInt80, 166},
			{"I386Past462", EntryInt80, 463},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/x32=%v", tt.name, x32), func(t *testing.T) {
				before := r.calls
				require.Equal(t, neg(abi.ENOSYS), dispatchRegs(d, &task{1}, tt.via, tt.rax, &noRegs))
				require.Equal(t, before, r.calls, "no handler may run")
			})
		}
		// With x32 on, bit 30 selects a real row and its handler.
		before := r.calls
		got := dispatchRegs(d, &task{1}, EntrySyscall, X32SyscallBit|39, &noRegs)
		if x32 {
			require.Equal(t, before+1, r.calls)
			require.Equal(t, X32, r.last.ABI)
			require.Zero(t, got)
		} else {
			require.Equal(t, neg(abi.ENOSYS), got)
			require.Equal(t, before, r.calls)
		}
	}
}

func TestOneHandlerServesNativeAndCompatRows(t *testing.T) {
	r := &recorder{ret: 5}
	d := newDispatcher(t, true, Handlers[Context]{"sys_read": r.handle})
	for _, c := range []struct {
		via     Entry
		rax     uint64
		wantABI ABI
	}{{EntrySyscall, 0, AMD64}, {EntryInt80, 3, I386}, {EntrySyscall, X32SyscallBit, X32}} {
		require.Equal(t, uint64(5), dispatchRegs(d, &task{1}, c.via, c.rax, &[MaxArgs]uint64{3, 0x1000, 10}))
		require.Equal(t, c.wantABI, r.last.ABI)
		require.Equal(t, c.wantABI != AMD64, r.last.InCompatSyscall())
		require.Equal(t, c.wantABI == I386, r.last.InIA32Syscall())
		require.Equal(t, int32(3), r.last.Fd(0))
		require.Equal(t, uint64(0x1000), r.last.Ptr(1))
		require.Equal(t, uint64(10), r.last.Size(2))
		require.Equal(t, uint8(3), r.last.N)
	}
	require.Equal(t, 3, r.calls)
	require.NotNil(t, d.Handler(I386, 3))
	require.Nil(t, d.Handler(I386, 4), "write not registered")
	require.Nil(t, d.Handler(ABI(9), 0))
	require.Nil(t, d.Handler(AMD64, -1))
}

func TestX32HandlersStayUnboundWhenX32Off(t *testing.T) {
	r := &recorder{}
	d := newDispatcher(t, false, Handlers[Context]{"compat_sys_rt_sigaction": r.handle})
	require.Nil(t, d.Handler(X32, 512))
	require.NotNil(t, d.Handler(I386, 174), "the i386 row uses the same compat handler")
	require.Equal(t, neg(abi.ENOSYS), dispatchRegs(d, &task{1}, EntrySyscall, X32SyscallBit|512, &noRegs))

	d = newDispatcher(t, true, Handlers[Context]{"compat_sys_rt_sigaction": r.handle})
	require.Zero(t, dispatchRegs(d, &task{1}, EntrySyscall, X32SyscallBit|512, &[MaxArgs]uint64{10, 0x1_0000_2000, 0, 8}))
	require.Equal(t, X32, r.last.ABI)
	require.Equal(t, int32(512), r.last.Nr)
	require.Equal(t, int32(10), r.last.Int(0))
	require.Equal(t, uint64(0x1_0000_2000), r.last.Ptr(1), "x32 registers are 64-bit: pointers pass whole")
	require.Equal(t, uint32(8), r.last.Uint(3))
}

func TestNewDispatcherRejectsUnknownAndNilHandlers(t *testing.T) {
	ok := func(Context, *Args) (uint64, error) { return 0, nil }
	_, err := NewDispatcher(Config[Context]{Handlers: Handlers[Context]{"sys_raed": ok, "sys_read": ok}})
	require.ErrorContains(t, err, "sys_raed")
	_, err = NewDispatcher(Config[Context]{Handlers: Handlers[Context]{"read": ok}})
	require.ErrorContains(t, err, "read", "keys are entry points, not call names")
	_, err = NewDispatcher(Config[Context]{Handlers: Handlers[Context]{"sys_read": nil}})
	require.ErrorContains(t, err, "nil")
	_, err = NewDispatcher(Config[Context]{Handlers: Handlers[Context]{"compat_sys_x32_rt_sigreturn": ok}})
	require.NoError(t, err, "an x32-only key is known even while x32 is off")
}

type wrapped struct{ err error }

func (w wrapped) Error() string { return "wrapped: " + w.err.Error() }
func (w wrapped) Unwrap() error { return w.err }

func TestHandlerErrorsBecomeNegativeErrno(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want uint64
	}{
		{"Errno", abi.EBADF, neg(abi.EBADF)},
		{"WrappedWithFmt", fmt.Errorf("fd 7: %w", abi.EBADF), neg(abi.EBADF)},
		{"WrappedByType", wrapped{abi.EFAULT}, neg(abi.EFAULT)},
		{"NotAnErrnoIsEIO", errors.New("kernel bug"), neg(abi.EIO)},
		{"RestartCodesPassThroughForTheSignalCode", abi.ERESTARTSYS, neg(abi.ERESTARTSYS)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{ret: 99, err: tt.err}
			d := newDispatcher(t, false, Handlers[Context]{"sys_close": r.handle})
			got := dispatchRegs(d, &task{1}, EntrySyscall, 3, &noRegs)
			require.Equal(t, tt.want, got)
			require.True(t, got > ^uint64(4095), "libc tests (unsigned long)rax > -4096UL")
		})
	}
	// Success values in the error range are passed through as Linux does.
	r := &recorder{ret: 7}
	d := newDispatcher(t, false, Handlers[Context]{"sys_close": r.handle})
	require.Equal(t, uint64(7), dispatchRegs(d, &task{1}, EntryInt80, 6, &noRegs))
	require.Equal(t, uint64(0xffff_ffff_ffff_ffda), dispatchRegs(d, &task{1}, EntryInt80, 4, &noRegs),
		"an int $0x80 result is the full 64-bit -ENOSYS, as a 64-bit caller of int $0x80 sees it")
}

func TestNilContextIsAccepted(t *testing.T) {
	r := &recorder{ret: 1}
	d := newDispatcher(t, false, Handlers[Context]{"sys_getpid": r.handle})
	require.Equal(t, uint64(1), dispatchRegs(d, nil, EntrySyscall, 39, &noRegs))
}
