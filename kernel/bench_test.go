package kernel

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/arch/amd64"
)

// getpidCPU "runs" a program that calls getpid n times, then exit_group.
type getpidCPU struct {
	n    int
	kind amd64.TrapKind
}

func (c *getpidCPU) ReleaseAddressSpace(uint64) {}

func (c *getpidCPU) ReleaseFPU(*amd64.FPUState) {}

func (c *getpidCPU) SwitchToUser(r *amd64.UserRegs, _ *amd64.FPUState, _ uint64, info *amd64.TrapInfo) {
	if c.n == 0 {
		r.RAX, r.RDI = 231, 0
		*info = stamped(amd64.TrapInfo{Kind: amd64.TrapSyscall})
		return
	}
	c.n--
	r.RAX = 39
	if c.kind == amd64.TrapInt80 {
		r.RAX = 20
	}
	*info = stamped(amd64.TrapInfo{Kind: c.kind})
}

// BenchmarkGetpidThroughTaskLayer measures one trip round the user-trap
// loop: trap decode, dispatch through the syscall table, the handler, the
// signal step (everything but the CPU's own ring transition).
func BenchmarkGetpidThroughTaskLayer(b *testing.B) {
	for _, tc := range []struct {
		name string
		kind amd64.TrapKind
	}{{"SYSCALL", amd64.TrapSyscall}, {"int80", amd64.TrapInt80}} {
		b.Run(tc.name, func(b *testing.B) {
			cpu := &getpidCPU{kind: tc.kind}
			k := newTestKernel(b, cpu, 16)
			p, task := k.startBareStopped(b, false)
			cpu.n = b.N
			b.ReportAllocs()
			b.ResetTimer()
			task.run()
			b.StopTimer()
			p.Wait()
		})
	}
}

// loopCPU "runs" a program that makes one system call n times (set up by
// call), then exit_group: for the costs of other paths than getpid.
type loopCPU struct {
	n    int
	call func(r *amd64.UserRegs)
}

func (c *loopCPU) ReleaseAddressSpace(uint64) {}

func (c *loopCPU) ReleaseFPU(*amd64.FPUState) {}

func (c *loopCPU) SwitchToUser(r *amd64.UserRegs, _ *amd64.FPUState, _ uint64, info *amd64.TrapInfo) {
	if c.n == 0 {
		r.RAX, r.RDI = 231, 0
		*info = stamped(amd64.TrapInfo{Kind: amd64.TrapSyscall})
		return
	}
	c.n--
	c.call(r)
	*info = stamped(amd64.TrapInfo{Kind: amd64.TrapSyscall})
}

// fionread is ioctl(pipe read end, FIONREAD, scratch) at every call.
func fionread(fds [2]int) func(r *amd64.UserRegs) {
	return func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI, r.RDX = 16, uint64(fds[0]), 0x541b, scratch }
}

// pipeWriteRead alternates a 1-byte write to the pipe and a 1-byte read.
func pipeWriteRead(fds [2]int) func(r *amd64.UserRegs) {
	write := true
	return func(r *amd64.UserRegs) {
		if write {
			r.RAX, r.RDI, r.RSI, r.RDX = 1, uint64(fds[1]), scratch, 1
		} else {
			r.RAX, r.RDI, r.RSI, r.RDX = 0, uint64(fds[0]), scratch, 1
		}
		write = !write
	}
}

// startPipeLoop starts a bare task with a pipe and a loop CPU that makes
// the call set builds from the pipe's fds (cpu.n times, once n is set).
func startPipeLoop(tb testing.TB, set func(fds [2]int) func(r *amd64.UserRegs)) (*loopCPU, *Process, *Task) {
	cpu := &loopCPU{}
	k := newTestKernel(tb, cpu, 16)
	p, task := k.startBareStopped(tb, false)
	fds, e := k.vfs.Pipe2(task.caller, 0)
	require.Zero(tb, e)
	cpu.call = set(fds)
	return cpu, p, task
}

// BenchmarkPipePathsThroughTaskLayer: ioctl(FIONREAD) on a pipe and a
// 1-byte write then read, the bench's paths where Ringo is slowest.
func BenchmarkPipePathsThroughTaskLayer(b *testing.B) {
	for _, tc := range []struct {
		name string
		set  func(fds [2]int) func(r *amd64.UserRegs)
	}{
		{"ioctl_FIONREAD", fionread},
		{"write_read_1byte", pipeWriteRead},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cpu, p, task := startPipeLoop(b, tc.set)
			cpu.n = b.N
			b.ReportAllocs()
			b.ResetTimer()
			task.run()
			b.StopTimer()
			p.Wait()
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
	for _, tc := range []struct {
		name string
		set  func(fds [2]int) func(r *amd64.UserRegs)
	}{
		{"getpid", func([2]int) func(r *amd64.UserRegs) { return func(r *amd64.UserRegs) { r.RAX = 39 } }},
		{"clock_gettime", func([2]int) func(r *amd64.UserRegs) {
			return func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI = 228, 1, scratch }
		}},
		{"gettimeofday", func([2]int) func(r *amd64.UserRegs) {
			return func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI = 96, scratch, 0 }
		}},
		{"ioctl FIONREAD", fionread},
		{"fstat", func(f [2]int) func(r *amd64.UserRegs) {
			return func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI = 5, uint64(f[0]), scratch }
		}},
		{"ioctl ENOTTY", func(f [2]int) func(r *amd64.UserRegs) {
			return func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI, r.RDX = 16, uint64(f[0]), 0x5401, scratch }
		}},
		{"rt_sigprocmask", func([2]int) func(r *amd64.UserRegs) {
			return func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI, r.RDX, r.R10 = 14, 0, 0, scratch, 8 }
		}},
		{"pipe write+read", pipeWriteRead},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cpu, p, task := startPipeLoop(t, tc.set)
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

// The other paths make bench times, through the task layer: eventfd
// create+close, mmap+munmap of 4 KiB, a raw clock_gettime and a minor
// anonymous fault. `make pgo` profiles these benchmarks, with the two
// above, into cmd/kernel/default.pgo.
func BenchmarkOtherPathsThroughTaskLayer(b *testing.B) {
	for _, tc := range otherPaths() {
		b.Run(tc.name, func(b *testing.B) {
			runLoopTrap(b, b.N, tc.trap())
		})
	}
}

// The same paths made by an i386 task with int $0x80, which take the
// compat handlers (FIONREAD, read and write, eventfd, mmap2, the time32
// clock).
func BenchmarkI386PathsThroughTaskLayer(b *testing.B) {
	for _, tc := range i386Paths() {
		b.Run(tc.name, func(b *testing.B) {
			runLoopTrap32(b, b.N, tc.trap())
		})
	}
}

// The loops of BenchmarkOtherPathsThroughTaskLayer time what they say:
// every system call succeeds and the fault is resolved (the task is not
// killed).
func TestOtherPathsSucceed(t *testing.T) {
	for _, tc := range otherPaths() {
		t.Run(tc.name, func(t *testing.T) {
			trap := tc.trap()
			var failed []int64
			p := runLoopTrap(t, 20, func(r *amd64.UserRegs, info *amd64.TrapInfo) {
				if info.Kind == amd64.TrapSyscall && int64(r.RAX) < 0 && int64(r.RAX) > -4096 {
					failed = append(failed, int64(r.RAX))
				}
				trap(r, info)
			})
			require.Empty(t, failed, "system calls that failed")
			require.Equal(t, 0, p.Wait(), "exit_group(0), not a signal")
		})
	}
	for _, tc := range i386Paths() {
		t.Run("i386/"+tc.name, func(t *testing.T) {
			trap := tc.trap()
			var failed []int32
			p := runLoopTrap32(t, 20, func(r *amd64.UserRegs, info *amd64.TrapInfo) {
				if info.Kind == amd64.TrapInt80 && int32(r.RAX) < 0 && int32(r.RAX) > -4096 {
					failed = append(failed, int32(r.RAX))
				}
				trap(r, info)
			})
			require.Empty(t, failed, "system calls that failed")
			require.Equal(t, 0, p.Wait(), "exit_group(0), not a signal")
		})
	}
}

// i386Paths are otherPaths' and the pipe benchmarks' loops in the i386
// ABI, after a first call that makes a pipe: pipe(scratch).
func i386Paths() []otherPath {
	int80 := func(calls ...func(r *amd64.UserRegs)) func() func(r *amd64.UserRegs, info *amd64.TrapInfo) {
		return func() func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			i := -1
			return func(r *amd64.UserRegs, info *amd64.TrapInfo) {
				if i < 0 { // pipe(scratch)
					r.RAX, r.RBX = 42, scratch
				} else {
					calls[i%len(calls)](r)
				}
				i++
				*info = amd64.TrapInfo{Kind: amd64.TrapInt80, Vector: 0x80}
			}
		}
	}
	// The pipe is fds 3 (read) and 4 (write): a bare task has the
	// console on 0-2.
	const buf = scratch + 64
	return []otherPath{
		{"ioctl_FIONREAD", int80(func(r *amd64.UserRegs) { r.RAX, r.RBX, r.RCX, r.RDX = 54, 3, 0x541b, buf })},
		{"write_read_1byte", int80(
			func(r *amd64.UserRegs) { r.RAX, r.RBX, r.RCX, r.RDX = 4, 4, buf, 1 }, // write
			func(r *amd64.UserRegs) { r.RAX, r.RBX, r.RCX, r.RDX = 3, 3, buf, 1 }, // read
		)},
		{"eventfd_close", int80(
			func(r *amd64.UserRegs) { r.RAX, r.RBX, r.RCX = 328, 0, 0 }, // eventfd2(0, 0)
			func(r *amd64.UserRegs) { r.RBX, r.RAX = r.RAX, 6 },         // close(it)
		)},
		{"mmap2_munmap_4k", int80(
			func(r *amd64.UserRegs) { // mmap2(NULL, 4096, RW, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
				r.RAX, r.RBX, r.RCX, r.RDX, r.RSI, r.RDI, r.RBP = 192, 0, 4096, 3, 0x22, 0xffffffff, 0
			},
			func(r *amd64.UserRegs) { r.RBX, r.RCX, r.RAX = r.RAX&0xffffffff, 4096, 91 }, // munmap(it, 4096)
		)},
		{"clock_gettime", int80(func(r *amd64.UserRegs) { r.RAX, r.RBX, r.RCX = 265, 1, buf })},
	}
}

// runLoopTrap32 is runLoopTrap for an i386 task.
func runLoopTrap32(tb testing.TB, n int, trap func(r *amd64.UserRegs, info *amd64.TrapInfo)) *Process {
	return runLoopTask(tb, n, true, trap)
}

// otherPath is one loop: trap returns a fresh trap maker, which makes
// each trap from the registers the last one left.
type otherPath struct {
	name string
	trap func() func(r *amd64.UserRegs, info *amd64.TrapInfo)
}

func otherPaths() []otherPath {
	syscalls := func(call func(r *amd64.UserRegs)) func(r *amd64.UserRegs, info *amd64.TrapInfo) {
		return func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			call(r)
			*info = amd64.TrapInfo{Kind: amd64.TrapSyscall}
		}
	}
	return []otherPath{
		{"eventfd_close", func() func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			return syscalls(alternate(
				func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI = 290, 0, 0 }, // eventfd2(0, 0)
				func(r *amd64.UserRegs) { r.RDI, r.RAX = r.RAX, 3 }))        // close(the fd it returned)
		}},
		{"mmap_munmap_4k", func() func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			return syscalls(alternate(
				func(r *amd64.UserRegs) { // mmap(NULL, 4096, RW, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
					r.RAX, r.RDI, r.RSI, r.RDX, r.R10, r.R8, r.R9 = 9, 0, 4096, 3, 0x22, ^uint64(0), 0
				},
				func(r *amd64.UserRegs) { r.RDI, r.RSI, r.RAX = r.RAX, 4096, 11 })) // munmap(it, 4096)
		}},
		{"clock_gettime_raw", func() func(r *amd64.UserRegs, info *amd64.TrapInfo) {
			return syscalls(func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI = 228, 1, scratch })
		}},
		{"anon_fault", func() func(r *amd64.UserRegs, info *amd64.TrapInfo) {
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

// runLoopTrap runs n traps made by trap on a bare task (timed when tb is
// a benchmark) and returns the process, exited.
func runLoopTrap(tb testing.TB, n int, trap func(r *amd64.UserRegs, info *amd64.TrapInfo)) *Process {
	return runLoopTask(tb, n, false, trap)
}

// runLoopTask is runLoopTrap for a 64-bit or an i386 task.
func runLoopTask(tb testing.TB, n int, ia32 bool, trap func(r *amd64.UserRegs, info *amd64.TrapInfo)) *Process {
	cpu := &trapCPU{trap: trap}
	k := newTestKernel(tb, cpu, 16)
	p, task := k.startBareStopped(tb, ia32)
	cpu.n = n
	b, timed := tb.(*testing.B)
	if timed {
		b.ReportAllocs()
		b.ResetTimer()
	}
	task.run()
	if timed {
		b.StopTimer()
	}
	p.Wait()
	return p
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
		*info = stamped(amd64.TrapInfo{Kind: amd64.TrapSyscall})
		return
	}
	c.n--
	c.trap(r, info)
	*info = stamped(*info)
}
