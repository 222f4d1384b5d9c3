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
