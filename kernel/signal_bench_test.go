package kernel

// The cost of a signal round trip in the task layer: tgkill to self, the
// frame built on the way out, the handler "running", rt_sigreturn.

import (
	"encoding/binary"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// signalCPU plays a program that installs a SIGUSR1 handler, then n
// times raises it and returns from the handler with rt_sigreturn.
type signalCPU struct {
	n     int
	step  int
	pid   uint64
	ia32  bool
	frame uint64
}

func (c *signalCPU) ReleaseAddressSpace(uint64) {}

func (c *signalCPU) ReleaseFPU(*amd64.FPUState) {}

func (c *signalCPU) SwitchToUser(r *amd64.UserRegs, _ *amd64.FPUState, _ uint64, info *amd64.TrapInfo) {
	kind := amd64.TrapSyscall
	if c.ia32 {
		kind = amd64.TrapInt80
	}
	switch {
	case c.step == 0: // rt_sigaction(SIGUSR1, actAddr, NULL, 8)
		c.step = 1
		if c.ia32 {
			r.RAX, r.RBX, r.RCX, r.RDX, r.RSI = 174, abi.SIGUSR1, actAddr, 0, 8
		} else {
			r.RAX, r.RDI, r.RSI, r.RDX, r.R10 = 13, abi.SIGUSR1, actAddr, 0, 8
		}
	case c.n == 0:
		r.RAX, r.RDI, r.RBX = 231, 0, 0
		if c.ia32 {
			r.RAX = 252
		}
	case r.RIP == handlerIP: // in the handler: return from it
		c.n--
		if c.ia32 {
			r.RSP += 4
			r.RAX = 173
		} else {
			r.RSP += 8
			r.RAX = 15
		}
	default: // tgkill(pid, pid, SIGUSR1)
		if c.ia32 {
			r.RAX, r.RBX, r.RCX, r.RDX = 270, c.pid, c.pid, abi.SIGUSR1
		} else {
			r.RAX, r.RDI, r.RSI, r.RDX = 234, c.pid, c.pid, abi.SIGUSR1
		}
	}
	*info = trapped(r, amd64.TrapInfo{Kind: kind})
}

// BenchmarkSignalRoundTrip measures raise + delivery (frame with the FPU
// image) + sigreturn, per ABI.
func BenchmarkSignalRoundTrip(b *testing.B) {
	for _, tc := range []struct {
		name string
		ia32 bool
	}{{"x86_64 rt frame", false}, {"i386 rt frame", true}} {
		b.Run(tc.name, func(b *testing.B) {
			cpu := &signalCPU{n: b.N, ia32: tc.ia32}
			k := newTestKernel(b, cpu, 16)
			p, task := k.startBareStopped(b, tc.ia32)
			cpu.pid = uint64(p.pid)
			act := make([]byte, 32)
			le := binary.LittleEndian
			if tc.ia32 {
				le.PutUint32(act, handlerIP)
				le.PutUint32(act[4:], saSIGINFO)
			} else {
				le.PutUint64(act, handlerIP)
				le.PutUint64(act[8:], saSIGINFO|saRESTORER)
				le.PutUint64(act[16:], restorer)
			}
			_, err := task.mm().CopyOut(actAddr, act)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			task.run()
			b.StopTimer()
			if ws := p.Wait(); ws != 0 {
				b.Fatalf("wait status %#x", ws)
			}
		})
	}
}
