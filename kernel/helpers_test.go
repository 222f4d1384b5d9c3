package kernel

// Test scaffolding: a kernel on simulated RAM, and a scripted CPU that
// lets a test play the user program. When the task enters user mode the
// CPU hands its registers to the test; the test sets them as the program
// would and says how the CPU came back (a SYSCALL, a fault ...).

import (
	"bytes"
	"encoding/binary"
	"sync"
	"testing"
	"time"

	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/mm"
	"github.com/stretchr/testify/require"
)

// testConsole records output and reports end of input.
type testConsole struct {
	mu  sync.Mutex
	out bytes.Buffer
}

func (c *testConsole) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.Write(b)
}

func (c *testConsole) Read([]byte) (int, error) { return 0, nil }

func (c *testConsole) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

// scriptedCPU is a Platform whose "user code" is the test goroutine.
type scriptedCPU struct {
	enter chan *amd64.UserRegs
	trap  chan amd64.TrapInfo
}

func newScriptedCPU() *scriptedCPU {
	return &scriptedCPU{enter: make(chan *amd64.UserRegs), trap: make(chan amd64.TrapInfo)}
}

func (c *scriptedCPU) ReleaseFPU(*amd64.FPUState) {}

func (c *scriptedCPU) SwitchToUser(regs *amd64.UserRegs, _ *amd64.FPUState, _ uint64, info *amd64.TrapInfo) {
	c.enter <- regs
	*info = trapped(regs, <-c.trap)
}

// testEpoch and testMono are the host tests' CLOCK_MONOTONIC: the kernel
// reads it (Config.Monotonic), and the fake CPUs stamp every trap with it
// (trapped), as the nucleus stamps a trap with the TSC on its way out.
var testEpoch = time.Now()

func testMono() int64 { return int64(time.Since(testEpoch)) }

// trapped is a fake CPU's trap as the CPU leaves it: stamped with the time
// it happened (now, unless the test set one itself, in the past), and for
// SYSCALL with RCX = the return address and R11 = RFLAGS, which the
// instruction writes (Intel SDM Vol. 2B, SYSCALL) and the nucleus's exit
// stores with the rest of the registers.
func trapped(r *amd64.UserRegs, info amd64.TrapInfo) amd64.TrapInfo {
	if info.Time == 0 {
		info.Time = testMono()
	}
	if info.Kind == amd64.TrapSyscall {
		r.RCX, r.R11 = r.RIP, r.RFLAGS
	}
	return info
}

func (c *scriptedCPU) ReleaseAddressSpace(uint64) {}

type testKernel struct {
	*Kernel
	console *testConsole
	alloc   *mm.FrameAllocator
}

func newTestKernel(t testing.TB, p Platform, mib uint64) *testKernel {
	t.Helper()
	ram, err := mm.NewSimRAM(1<<20, mib<<20)
	require.NoError(t, err)
	alloc, err := mm.NewFrameAllocator(ram, []mm.PhysRange{ram.Range()})
	require.NoError(t, err)
	khalf, err := mm.NewKernelHalf(alloc)
	require.NoError(t, err)
	prev := mm.SetDefaultAllocator(alloc)
	t.Cleanup(func() { mm.SetDefaultAllocator(prev) })
	con := &testConsole{}
	k, err := Boot(Config{Platform: p, Frames: alloc, KernelHalf: khalf, Console: con, IA32: true, Monotonic: testMono,
		Now: func() time.Time { return time.Unix(1700000000, 123456789) }, Random: bytes.NewReader(make([]byte, 1<<20))})
	require.NoError(t, err)
	return &testKernel{Kernel: k, console: con, alloc: alloc}
}

// scratch is where bare test processes get 1 MiB of read-write memory.
const (
	scratch     = 0x10000000
	scratchSize = 1 << 20
)

// startBare starts a process without a program: an empty address space
// with a scratch area, console fds, 64-bit or ia32 selectors.
func (k *testKernel) startBare(t testing.TB, ia32 bool) (*Process, *Task) {
	t.Helper()
	p, task := k.startBareStopped(t, ia32)
	go task.run()
	return p, task
}

// startBareStopped is startBare without starting the task's goroutine.
func (k *testKernel) startBareStopped(t testing.TB, ia32 bool) (*Process, *Task) {
	t.Helper()
	p, task := k.newProcess()
	layout := mm.Layout64()
	if ia32 {
		layout = mm.Layout32()
	}
	as, err := mm.NewAddressSpace(k.frames, k.khalf, k.tlb, layout)
	require.NoError(t, err)
	_, err = as.DoMmap(nil, scratch, scratchSize, mm.ProtRead|mm.ProtWrite, mm.MapPrivate|mm.MapFixed|mm.MapAnonymous, 0)
	require.NoError(t, err)
	require.NoError(t, as.SetStartBrk(0x2000000))
	p.mm.Store(as)
	p.setExeLocked("/bin/usertest")
	task.ia32 = ia32
	task.regs = amd64.UserRegs{RIP: 0x401000, RSP: scratch + scratchSize - 64, RFLAGS: 0x202, CS: amd64.UserCS64, SS: amd64.UserDS}
	if ia32 {
		task.regs.CS = amd64.UserCS32
	}
	k.openConsole(task.caller)
	return p, task
}

// user plays the program of one task on a scripted CPU.
type user struct {
	t    testing.TB
	cpu  *scriptedCPU
	p    *Process
	task *Task
	regs *amd64.UserRegs // valid while the task is "in user mode"
}

// newUser boots a kernel and starts a bare process in user mode.
func newUser(t testing.TB, ia32 bool) (*user, *testKernel) {
	cpu := newScriptedCPU()
	k := newTestKernel(t, cpu, 64)
	p, task := k.startBare(t, ia32)
	u := &user{t: t, cpu: cpu, p: p, task: task}
	u.regs = <-cpu.enter
	t.Cleanup(u.finish)
	return u, k
}

// finish ends the process if the test left it running.
func (u *user) finish() {
	if u.regs != nil {
		u.regs.RAX = 231
		u.regs.RDI = 0
		u.cpu.trap <- amd64.TrapInfo{Kind: amd64.TrapSyscall}
		u.wait()
	}
	<-u.p.Done()
}

// wait lets the CPU run until the task enters user mode again (regs
// valid) or exits (regs nil).
func (u *user) wait() {
	select {
	case r := <-u.cpu.enter:
		u.regs = r
	case <-u.p.Done():
		u.regs = nil
	}
}

// trap makes the CPU come back from user mode with info.
func (u *user) trap(info amd64.TrapInfo) {
	u.t.Helper()
	require.NotNil(u.t, u.regs, "the task has exited")
	u.cpu.trap <- info
	u.wait()
}

// syscall executes SYSCALL with rax = nr and the 64-bit argument registers.
func (u *user) syscall(nr uint64, args ...uint64) int64 {
	u.t.Helper()
	require.NotNil(u.t, u.regs, "the task has exited")
	a := make([]uint64, 6)
	copy(a, args)
	r := u.regs
	r.RAX, r.RDI, r.RSI, r.RDX, r.R10, r.R8, r.R9 = nr, a[0], a[1], a[2], a[3], a[4], a[5]
	r.RIP += 2 // the CPU is past the SYSCALL instruction
	u.trap(amd64.TrapInfo{Kind: amd64.TrapSyscall})
	if u.regs == nil {
		return 0
	}
	return int64(u.regs.RAX)
}

// int80 executes int $0x80 with eax = nr and ebx, ecx, edx, esi, edi, ebp.
func (u *user) int80(nr uint64, args ...uint64) int64 {
	u.t.Helper()
	require.NotNil(u.t, u.regs, "the task has exited")
	a := make([]uint64, 6)
	copy(a, args)
	r := u.regs
	r.RAX, r.RBX, r.RCX, r.RDX, r.RSI, r.RDI, r.RBP = nr, a[0], a[1], a[2], a[3], a[4], a[5]
	r.RIP += 2
	u.trap(amd64.TrapInfo{Kind: amd64.TrapInt80, Vector: 0x80})
	if u.regs == nil {
		return 0
	}
	return int64(int32(uint32(u.regs.RAX)))
}

// poke writes bytes into the task's memory; peek reads them.
func (u *user) poke(addr uint64, b []byte) {
	u.t.Helper()
	_, err := u.task.mm().CopyOut(addr, b)
	require.NoError(u.t, err)
}

func (u *user) peek(addr uint64, n int) []byte {
	u.t.Helper()
	b := make([]byte, n)
	_, err := u.task.mm().CopyIn(b, addr)
	require.NoError(u.t, err)
	return b
}

// str writes a NUL-terminated string and returns its address.
func (u *user) str(addr uint64, s string) uint64 {
	u.poke(addr, append([]byte(s), 0))
	return addr
}

func (u *user) u32(addr uint64) uint32 { return binary.LittleEndian.Uint32(u.peek(addr, 4)) }
func (u *user) u64(addr uint64) uint64 { return binary.LittleEndian.Uint64(u.peek(addr, 8)) }

// errno is what a failing call returns in rax.
func errno(e interface{ Neg() uint64 }) int64 { return int64(e.Neg()) }
