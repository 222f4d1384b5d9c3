package kernel

// A syscall fuzzer with fixed seeds: a fake CPU that, each time the task
// enters user mode, comes back with a random system call — random number,
// random arguments, pointers into mapped memory, near its end, into the
// kernel half, or anywhere — through SYSCALL or int $0x80. Only calls
// that end or replace the program are skipped. Afterwards the kernel must
// be alive and, once the task has exited and the files it created are
// removed, every frame must be back.

import (
	"math/rand"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/mm"
	"github.com/ringo-os/ringo/syscall"
	"github.com/stretchr/testify/require"
)

// fuzzSkipped are the calls a fuzzer must not make: they end the process
// or replace its image, so nothing after them would be tested. Changing
// signal actions or the alternate stack is skipped too: a random handler
// or stack makes the next signal (SIGPIPE from a random write) a SIGSEGV
// that ends the run; signal_hostile_test.go feeds those calls bad input.
var fuzzSkipped = map[string]bool{
	"exit": true, "exit_group": true, "kill": true, "tkill": true, "tgkill": true,
	"execve": true, "execveat": true, "rt_sigreturn": true, "sigreturn": true,
	"rt_sigaction": true, "sigaction": true, "signal": true, "sigaltstack": true,
}

type fuzzCPU struct {
	rng      *rand.Rand
	total    int
	calls    int
	int80    bool // only int $0x80 (an i386 task)
	task     *Task
	progress atomic.Int64
	perABI   [2]int
}

func (c *fuzzCPU) ReleaseAddressSpace(uint64) {}

func (c *fuzzCPU) ReleaseFPU(*amd64.FPUState) {}

func (c *fuzzCPU) SwitchToUser(r *amd64.UserRegs, _ *amd64.FPUState, _ uint64, info *amd64.TrapInfo) {
	c.progress.Add(1)
	if c.calls%2000 == 0 {
		c.refreshScratch()
	}
	if c.calls >= c.total {
		r.RAX, r.RDI = 231, 0
		*info = trapped(r, amd64.TrapInfo{Kind: amd64.TrapSyscall})
		return
	}
	c.calls++
	useInt80 := c.int80 || c.rng.Intn(2) == 0
	abiOf, max := syscall.AMD64, syscall.NRSyscalls(syscall.AMD64)
	if useInt80 {
		abiOf, max = syscall.I386, syscall.NRSyscalls(syscall.I386)
	}
	var nr uint64
	for {
		if c.rng.Intn(50) == 0 {
			nr = c.rng.Uint64() // anything at all, x32 bit included
		} else {
			nr = uint64(c.rng.Intn(max))
		}
		if sc, ok := syscall.Lookup(abiOf, int(int32(uint32(nr)))); ok && fuzzSkipped[sc.Name] {
			continue
		}
		if int32(uint32(nr)) >= 0x40000000 { // x32 rows: skip the same names there
			if sc, ok := syscall.Lookup(syscall.X32, int(uint32(nr)-0x40000000)); ok && fuzzSkipped[sc.Name] {
				continue
			}
		}
		break
	}
	var a [6]uint64
	for i := range a {
		a[i] = c.arg()
	}
	r.RAX = nr
	r.RIP += 2
	if useInt80 {
		c.perABI[1]++
		r.RBX, r.RCX, r.RDX, r.RSI, r.RDI, r.RBP = a[0], a[1], a[2], a[3], a[4], a[5]
		*info = trapped(r, amd64.TrapInfo{Kind: amd64.TrapInt80, Vector: 0x80})
		return
	}
	c.perABI[0]++
	r.RDI, r.RSI, r.RDX, r.R10, r.R8, r.R9 = a[0], a[1], a[2], a[3], a[4], a[5]
	*info = trapped(r, amd64.TrapInfo{Kind: amd64.TrapSyscall})
}

func (c *fuzzCPU) arg() uint64 {
	switch c.rng.Intn(10) {
	case 0, 1:
		return uint64(int64(c.rng.Intn(70) - 3)) // small numbers and fds, -1..-3
	case 2, 3:
		return scratch + uint64(c.rng.Intn(scratchSize)) // inside the scratch area
	case 4:
		return scratch + scratchSize - uint64(c.rng.Intn(64)) // at its end
	case 5:
		return 0
	case 6:
		return c.rng.Uint64()
	case 7:
		return 0xffff880000000000 + uint64(c.rng.Intn(1<<20)) // kernel half
	case 8:
		return uint64(c.rng.Uint32())
	}
	return 1 << uint(c.rng.Intn(64))
}

// refreshScratch maps the scratch area again (the fuzzer may have
// unmapped or protected it) and fills it with random bytes and a few
// plausible paths. It runs on the task's goroutine while the task is "in
// user mode", as a user program writing its memory would.
func (c *fuzzCPU) refreshScratch() {
	as := c.task.mm()
	if _, err := as.DoMmap(nil, scratch, scratchSize, mm.ProtRead|mm.ProtWrite, mm.MapPrivate|mm.MapFixed|mm.MapAnonymous, 0); err != nil {
		return
	}
	b := make([]byte, 64<<10)
	c.rng.Read(b)
	for _, s := range []string{"/fz\x00", "/proc/self/maps\x00", "/dev/console\x00", ".\x00", "/\x00"} {
		copy(b[c.rng.Intn(len(b)-32):], s)
	}
	as.CopyOut(scratch, b)
}

// listTree returns every path below dir (depth first, children first).
func listTree(t *testing.T, k *Kernel, c *fs.Caller, dir string) []string {
	fd, e := k.vfs.Openat(c, fs.AT_FDCWD, dir, fs.O_RDONLY|fs.O_DIRECTORY, 0)
	if e != 0 {
		return nil
	}
	defer c.Files.Close(fd)
	var out []string
	for {
		ents, e := k.vfs.Getdents64(c, fd, 64)
		if e != 0 || len(ents) == 0 {
			break
		}
		for _, d := range ents {
			if d.Name == "." || d.Name == ".." {
				continue
			}
			p := dir + "/" + d.Name
			if dir == "/" {
				p = "/" + d.Name
			}
			if d.Type == fs.DT_DIR {
				out = append(out, listTree(t, k, c, p)...)
			}
			out = append(out, p)
		}
	}
	return out
}

func runFuzz(t *testing.T, seed int64, calls int, ia32 bool) {
	cpu := &fuzzCPU{rng: rand.New(rand.NewSource(seed)), total: calls, int80: ia32}
	k := newTestKernel(t, cpu, 48)
	kc := k.vfs.NewCaller()
	before := map[string]bool{}
	for _, p := range listTree(t, k.Kernel, kc, "/") {
		before[p] = true
	}
	baseline := k.alloc.FreeFrames()

	p, task := k.newProcess()
	layout := mm.Layout64()
	if ia32 {
		layout = mm.Layout32()
	}
	as, err := mm.NewAddressSpace(k.frames, k.khalf, k.tlb, layout)
	require.NoError(t, err)
	require.NoError(t, as.SetStartBrk(0x2000000))
	p.mm.Store(as)
	p.setExeLocked("/bin/fuzz")
	p.sighand.action[abi.SIGPIPE-1].handler = sigIGN // random writes to widowed pipes get EPIPE, not death
	task.ia32 = ia32
	task.regs = amd64.UserRegs{RIP: 0x401000, RSP: scratch + scratchSize/2, RFLAGS: 0x202, CS: amd64.UserCS64, SS: amd64.UserDS}
	cpu.task = task
	k.openConsole(task.caller)

	// A signal for calls that block: when the fuzzer makes no progress
	// for a few milliseconds, the blocked call is interrupted.
	stop := make(chan struct{})
	go func() {
		last := int64(-1)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if n := cpu.progress.Load(); n == last {
					task.interruptSyscall()
				} else {
					last = n
				}
			}
		}
	}()
	go task.run()
	ws := p.Wait()
	close(stop)
	if ws != 0 {
		for _, r := range k.Log().Records() {
			t.Log(r.Text)
		}
	}
	require.Equal(t, 0, ws, "the task ends with its own exit_group(0)")
	require.Equal(t, calls, cpu.calls)

	// Remove what the fuzzer created, then count frames.
	for _, path := range listTree(t, k.Kernel, kc, "/") {
		if !before[path] {
			if k.vfs.Unlinkat(kc, fs.AT_FDCWD, path, 0) != 0 {
				k.vfs.Unlinkat(kc, fs.AT_FDCWD, path, fs.AT_REMOVEDIR)
			}
		}
	}
	require.Equal(t, baseline, k.alloc.FreeFrames(), "frames leaked")
	t.Logf("seed %d: %d calls (%d via SYSCALL, %d via int $0x80), free frames %d = baseline %d",
		seed, cpu.calls, cpu.perABI[0], cpu.perABI[1], k.alloc.FreeFrames(), baseline)
}

func TestSyscallFuzzKernelSurvivesAndFramesReturn(t *testing.T) {
	calls64, calls32 := 100000, 50000
	if testing.Short() {
		calls64, calls32 = 10000, 5000
	}
	t.Run("64-bit task, SYSCALL and int $0x80", func(t *testing.T) { runFuzz(t, 1, calls64, false) })
	t.Run("i386 task", func(t *testing.T) { runFuzz(t, 2, calls32, true) })
}
