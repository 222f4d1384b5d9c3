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

func (c *getpidCPU) SwitchToUser(r *amd64.UserRegs, _ *amd64.FPUState, _ uint64) amd64.TrapInfo {
	if c.n == 0 {
		r.RAX, r.RDI = 231, 0
		return amd64.TrapInfo{Kind: amd64.TrapSyscall}
	}
	c.n--
	r.RAX = 39
	if c.kind == amd64.TrapInt80 {
		r.RAX = 20
	}
	return amd64.TrapInfo{Kind: c.kind}
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
