package kernel

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/arch/amd64"
)

// The task layer's benchmarks: the bench's paths driven by a fake CPU,
// from the trap to the next entry to user mode (everything but the CPU's
// own ring transition). `make pgo` profiles them into
// cmd/kernel/default.pgo.

// loopPath is one loop a benchmark times: an i386 or a 64-bit task, and
// trap, which is given the fds of a pipe the task has and returns what
// makes each trap from the registers the last one left (a fresh one per
// run: it may keep state).
type loopPath struct {
	name string
	ia32 bool
	trap func(fds [2]int) func(r *amd64.UserRegs, info *amd64.TrapInfo)
}

// BenchmarkGetpidThroughTaskLayer measures one trip round the user-trap
// loop: trap decode, dispatch through the syscall table, the handler, the
// signal step.
func BenchmarkGetpidThroughTaskLayer(b *testing.B) {
	benchPaths(b, []loopPath{
		{"SYSCALL", false, syscalls(amd64.TrapSyscall, func(r *amd64.UserRegs) { r.RAX = 39 })},
		{"int80", false, syscalls(amd64.TrapInt80, func(r *amd64.UserRegs) { r.RAX = 20 })},
	})
}

// BenchmarkPipePathsThroughTaskLayer: ioctl(FIONREAD) on a pipe and a
// 1-byte write then read.
func BenchmarkPipePathsThroughTaskLayer(b *testing.B) { benchPaths(b, pipePaths()) }

// BenchmarkOtherPathsThroughTaskLayer: eventfd create+close, mmap+munmap
// of 4 KiB, a raw clock_gettime and a minor anonymous fault.
func BenchmarkOtherPathsThroughTaskLayer(b *testing.B) { benchPaths(b, otherPaths()) }

// BenchmarkI386PathsThroughTaskLayer: the same paths made by an i386 task
// with int $0x80, which take the compat handlers (FIONREAD, read and
// write, eventfd, mmap2, the time32 clock).
func BenchmarkI386PathsThroughTaskLayer(b *testing.B) { benchPaths(b, i386Paths()) }

func benchPaths(b *testing.B, paths []loopPath) {
	for _, path := range paths {
		b.Run(path.name, func(b *testing.B) {
			cpu, p, task := startLoop(b, path)
			cpu.n = b.N
			b.ReportAllocs()
			b.ResetTimer()
			task.run()
			b.StopTimer()
			p.Wait()
		})
	}
}

// The benchmarks' loops time what they say: every system call succeeds
// and the fault is resolved (the task is not killed).
func TestLoopPathsSucceed(t *testing.T) {
	for _, path := range append(append(pipePaths(), otherPaths()...), i386Paths()...) {
		name := path.name
		if path.ia32 {
			name = "i386/" + name
		}
		t.Run(name, func(t *testing.T) {
			cpu, p, task := startLoop(t, path)
			var failed []int64
			trap := cpu.trap
			cpu.trap = func(r *amd64.UserRegs, info *amd64.TrapInfo) {
				// r holds what the last trap (still in info) left.
				ret := int64(r.RAX)
				if path.ia32 {
					ret = int64(int32(r.RAX))
				}
				if (info.Kind == amd64.TrapSyscall || info.Kind == amd64.TrapInt80) && ret < 0 && ret > -4096 {
					failed = append(failed, ret)
				}
				trap(r, info)
			}
			cpu.n = 20
			task.run()
			require.Empty(t, failed, "system calls that failed")
			require.Equal(t, 0, p.Wait(), "exit_group(0), not a signal")
		})
	}
}

// TestHotPathsDoNotAllocate pins the system calls the benchmark times, and
// a few more that programs make in loops (fstat: C libraries call it on
// every stdio stream), at zero heap allocations per
// call through the whole task layer (trap loop, dispatch, handler, user
// copies). A stack buffer that escapes, as the user-copy callback once made
// every one of them do, fails it. (mmap allocates its VMA and eventfd its
// context and file, as Linux's kmem caches do.)
func TestHotPathsDoNotAllocate(t *testing.T) {
	sys := func(name string, set func(fds [2]int, r *amd64.UserRegs)) loopPath {
		return loopPath{name, false, func(fds [2]int) func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			return syscalls(amd64.TrapSyscall, func(r *amd64.UserRegs) { set(fds, r) })(fds)
		}}
	}
	for _, path := range append(pipePaths(),
		sys("getpid", func(_ [2]int, r *amd64.UserRegs) { r.RAX = 39 }),
		sys("clock_gettime", func(_ [2]int, r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI = 228, 1, scratch }),
		sys("gettimeofday", func(_ [2]int, r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI = 96, scratch, 0 }),
		sys("fstat", func(f [2]int, r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI = 5, uint64(f[0]), scratch }),
		sys("ioctl ENOTTY", func(f [2]int, r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI, r.RDX = 16, uint64(f[0]), 0x5401, scratch }),
		sys("rt_sigprocmask", func(_ [2]int, r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI, r.RDX, r.R10 = 14, 0, 0, scratch, 8 }),
	) {
		t.Run(path.name, func(t *testing.T) {
			cpu, p, task := startLoop(t, path)
			const calls = 1000
			cpu.n = calls
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			task.run()
			runtime.ReadMemStats(&after)
			p.Wait()
			// The exit_group at the end allocates; a per-call leak shows
			// as at least one allocation per call.
			require.Less(t, after.Mallocs-before.Mallocs, uint64(calls/10), "allocations over %d calls", calls)
		})
	}
}

// pipePaths: ioctl(FIONREAD) on the pipe, and a 1-byte write to it then a
// 1-byte read from it.
func pipePaths() []loopPath {
	return []loopPath{
		{"ioctl_FIONREAD", false, func(fds [2]int) func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			return syscalls(amd64.TrapSyscall, func(r *amd64.UserRegs) {
				r.RAX, r.RDI, r.RSI, r.RDX = 16, uint64(fds[0]), 0x541b, scratch
			})(fds)
		}},
		{"write_read_1byte", false, func(fds [2]int) func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			return syscalls(amd64.TrapSyscall, alternate(
				func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI, r.RDX = 1, uint64(fds[1]), scratch, 1 },
				func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI, r.RDX = 0, uint64(fds[0]), scratch, 1 },
			))(fds)
		}},
	}
}

func otherPaths() []loopPath {
	return []loopPath{
		{"eventfd_close", false, syscalls(amd64.TrapSyscall, alternate(
			func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI = 290, 0, 0 }, // eventfd2(0, 0)
			func(r *amd64.UserRegs) { r.RDI, r.RAX = r.RAX, 3 }))},      // close(the fd it returned)
		{"mmap_munmap_4k", false, syscalls(amd64.TrapSyscall, alternate(
			func(r *amd64.UserRegs) { // mmap(NULL, 4096, RW, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
				r.RAX, r.RDI, r.RSI, r.RDX, r.R10, r.R8, r.R9 = 9, 0, 4096, 3, 0x22, ^uint64(0), 0
			},
			func(r *amd64.UserRegs) { r.RDI, r.RSI, r.RAX = r.RAX, 4096, 11 }))}, // munmap(it, 4096)
		{"clock_gettime_raw", false, syscalls(amd64.TrapSyscall, func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI = 228, 1, scratch })},
		{"anon_fault", false, func([2]int) func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			const page = scratch + 0x80000
			fault := true
			return func(r *amd64.UserRegs, info *amd64.TrapInfo) {
				if fault { // a write to the page, which madvise emptied
					*info = amd64.TrapInfo{Kind: amd64.TrapPageFault, CR2: page, ErrorCode: amd64.PFWrite | amd64.PFUser}
				} else { // madvise(page, 4096, MADV_DONTNEED)
					r.RAX, r.RDI, r.RSI, r.RDX = 28, page, 4096, 4
					*info = amd64.TrapInfo{Kind: amd64.TrapSyscall}
				}
				fault = !fault
			}
		}},
	}
}

// i386Paths are the pipe and other paths in the i386 ABI.
func i386Paths() []loopPath {
	const buf = scratch + 64
	int80 := func(call func(fds [2]int, r *amd64.UserRegs)) func(fds [2]int) func(r *amd64.UserRegs, info *amd64.TrapInfo) {
		return func(fds [2]int) func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			return syscalls(amd64.TrapInt80, func(r *amd64.UserRegs) { call(fds, r) })(fds)
		}
	}
	return []loopPath{
		{"ioctl_FIONREAD", true, int80(func(f [2]int, r *amd64.UserRegs) {
			r.RAX, r.RBX, r.RCX, r.RDX = 54, uint64(f[0]), 0x541b, buf
		})},
		{"write_read_1byte", true, func(fds [2]int) func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			return syscalls(amd64.TrapInt80, alternate(
				func(r *amd64.UserRegs) { r.RAX, r.RBX, r.RCX, r.RDX = 4, uint64(fds[1]), buf, 1 }, // write
				func(r *amd64.UserRegs) { r.RAX, r.RBX, r.RCX, r.RDX = 3, uint64(fds[0]), buf, 1 }, // read
			))(fds)
		}},
		{"eventfd_close", true, syscalls(amd64.TrapInt80, alternate(
			func(r *amd64.UserRegs) { r.RAX, r.RBX, r.RCX = 328, 0, 0 }, // eventfd2(0, 0)
			func(r *amd64.UserRegs) { r.RBX, r.RAX = r.RAX, 6 }))},      // close(it)
		{"mmap2_munmap_4k", true, syscalls(amd64.TrapInt80, alternate(
			func(r *amd64.UserRegs) { // mmap2(NULL, 4096, RW, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
				r.RAX, r.RBX, r.RCX, r.RDX, r.RSI, r.RDI, r.RBP = 192, 0, 4096, 3, 0x22, 0xffffffff, 0
			},
			func(r *amd64.UserRegs) { r.RBX, r.RCX, r.RAX = r.RAX&0xffffffff, 4096, 91 }))}, // munmap(it, 4096)
		{"clock_gettime", true, syscalls(amd64.TrapInt80, func(r *amd64.UserRegs) { r.RAX, r.RBX, r.RCX = 265, 1, buf })},
	}
}

// syscalls makes every trap a system call entered by kind (SYSCALL or
// int $0x80), its registers set up by call.
func syscalls(kind amd64.TrapKind, call func(r *amd64.UserRegs)) func([2]int) func(r *amd64.UserRegs, info *amd64.TrapInfo) {
	return func([2]int) func(r *amd64.UserRegs, info *amd64.TrapInfo) {
		return func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			call(r)
			*info = amd64.TrapInfo{Kind: kind}
		}
	}
}

// alternate sets up two system calls in turn.
func alternate(first, second func(r *amd64.UserRegs)) func(r *amd64.UserRegs) {
	odd := false
	return func(r *amd64.UserRegs) {
		if odd {
			second(r)
		} else {
			first(r)
		}
		odd = !odd
	}
}

// startLoop boots a test kernel with a trapCPU for path and starts a bare
// task (not yet running) with a pipe; the caller sets cpu.n and runs it.
func startLoop(tb testing.TB, path loopPath) (*trapCPU, *Process, *Task) {
	cpu := &trapCPU{}
	k := newTestKernel(tb, cpu, 16)
	p, task := k.startBareStopped(tb, path.ia32)
	fds, e := k.vfs.Pipe2(task.caller, 0)
	require.Zero(tb, e)
	cpu.trap = path.trap(fds)
	return cpu, p, task
}

// trapCPU "runs" a program whose traps trap makes, n of them, then
// exit_group.
type trapCPU struct {
	n    int
	trap func(r *amd64.UserRegs, info *amd64.TrapInfo)
}

func (c *trapCPU) ReleaseAddressSpace(uint64) {}

func (c *trapCPU) ReleaseFPU(*amd64.FPUState) {}

func (c *trapCPU) SwitchToUser(r *amd64.UserRegs, _ *amd64.FPUState, _ uint64, info *amd64.TrapInfo) {
	if c.n == 0 {
		r.RAX, r.RDI = 231, 0
		*info = trapped(r, amd64.TrapInfo{Kind: amd64.TrapSyscall})
		return
	}
	c.n--
	c.trap(r, info)
	*info = trapped(r, *info)
}
