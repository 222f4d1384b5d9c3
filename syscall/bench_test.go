package syscall

import (
	"io"
	"testing"
)

// The dispatch cost the kernel adds to every system call, without the trap
// itself: decode, convert, call a getpid-like handler, return.

func benchDispatch(b *testing.B, via Entry, rax uint64, regs [MaxArgs]uint64) {
	d, err := NewDispatcher(Config[Context]{Handlers: Handlers[Context]{
		"sys_getpid":  func(ctx Context, a *Args) (uint64, error) { return uint64(ctx.TID()), nil },
		"sys_pread64": func(ctx Context, a *Args) (uint64, error) { return a.Size(2), nil },
	}})
	if err != nil {
		b.Fatal(err)
	}
	var ctx Context = &task{42}
	a := Args{V: regs} // converted in place; converting again changes nothing
	b.ReportAllocs()
	for b.Loop() {
		if d.Dispatch(ctx, via, rax, &a) == 0 {
			b.Fatal("bad result")
		}
	}
}

func BenchmarkDispatchGetpidAMD64(b *testing.B) {
	benchDispatch(b, EntrySyscall, 39, [MaxArgs]uint64{})
}

func BenchmarkDispatchGetpidI386(b *testing.B) {
	benchDispatch(b, EntryInt80, 20, [MaxArgs]uint64{})
}

func BenchmarkDispatchPread64AMD64(b *testing.B) {
	benchDispatch(b, EntrySyscall, 17, [MaxArgs]uint64{3, 0x7ffd_0000_1000, 8, 0x2000})
}

func BenchmarkDispatchPread64I386PairJoin(b *testing.B) {
	benchDispatch(b, EntryInt80, 180, [MaxArgs]uint64{3, 0x804_c000, 8, 0x2000, 0})
}

func BenchmarkDispatchTracedGetpidAMD64(b *testing.B) {
	d, err := NewDispatcher(Config[Context]{Handlers: Handlers[Context]{
		"sys_getpid": func(ctx Context, a *Args) (uint64, error) { return 1, nil },
	}})
	if err != nil {
		b.Fatal(err)
	}
	d.SetTrace(io.Discard)
	ctx := &task{42}
	b.ReportAllocs()
	for b.Loop() {
		dispatchRegs(d, ctx, EntrySyscall, 39, &[MaxArgs]uint64{})
	}
}

// TestDispatchDoesNotAllocate pins the zero-allocation promise, so a change
// that makes the dispatch path allocate fails a test, not just a benchmark.
// The Args are the caller's, allocated once, as the kernel keeps them in
// its task.
func TestDispatchDoesNotAllocate(t *testing.T) {
	d, err := NewDispatcher(Config[Context]{Handlers: Handlers[Context]{
		"sys_getpid":  func(ctx Context, a *Args) (uint64, error) { return 1, nil },
		"sys_pread64": func(ctx Context, a *Args) (uint64, error) { return 1, nil },
	}})
	if err != nil {
		t.Fatal(err)
	}
	var ctx Context = &task{42}
	a := new(Args)
	for _, c := range []struct {
		via Entry
		rax uint64
	}{{EntrySyscall, 39}, {EntryInt80, 20}, {EntryInt80, 180}, {EntrySyscall, 1000}, {EntryInt80, 4}} {
		if n := testing.AllocsPerRun(100, func() {
			a.V = [MaxArgs]uint64{3, 4, 5, 6, 7, 8}
			d.Dispatch(ctx, c.via, c.rax, a)
		}); n != 0 {
			t.Fatalf("%v %d: %v allocs per call", c.via, c.rax, n)
		}
	}
}
