package kernel

import (
	"testing"

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

// BenchmarkPipePathsThroughTaskLayer: ioctl(FIONREAD) on a pipe and a
// 1-byte write then read, the bench's paths where Ringo is slowest.
func BenchmarkPipePathsThroughTaskLayer(b *testing.B) {
	for _, tc := range []struct {
		name string
		set  func(fds [2]int) func(r *amd64.UserRegs)
	}{
		{"ioctl_FIONREAD", func(fds [2]int) func(r *amd64.UserRegs) {
			return func(r *amd64.UserRegs) { r.RAX, r.RDI, r.RSI, r.RDX = 16, uint64(fds[0]), 0x541b, scratch }
		}},
		{"write_read_1byte", func(fds [2]int) func(r *amd64.UserRegs) {
			write := true
			return func(r *amd64.UserRegs) {
				if write {
					r.RAX, r.RDI, r.RSI, r.RDX = 1, uint64(fds[1]), scratch, 1
				} else {
					r.RAX, r.RDI, r.RSI, r.RDX = 0, uint64(fds[0]), scratch, 1
				}
				write = !write
			}
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cpu := &loopCPU{}
			k := newTestKernel(b, cpu, 16)
			p, task := k.startBareStopped(b, false)
			fds, e := k.vfs.Pipe2(task.caller, 0)
			if e != 0 {
				b.Fatal(e)
			}
			cpu.call = tc.set(fds)
			cpu.n = b.N
			b.ReportAllocs()
			b.ResetTimer()
			task.run()
			b.StopTimer()
			p.Wait()
		})
	}
}
