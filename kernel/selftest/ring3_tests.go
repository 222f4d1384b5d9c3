package selftest

// Ring 3 at the nucleus level: a hand-built address space (the kernel half
// shared from the nucleus, one user code page and one stack page) and a
// few hand-encoded instructions, run through nucleus.SwitchToUser. This
// checks the entry and every way back — SYSCALL, INT $0x80 from 32-bit
// code, a page fault, an invalid opcode, the timer — without the task
// layer above it.

import (
	"fmt"
	"unsafe"

	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/kernel"
	"github.com/ringo-os/ringo/kernel/nucleus"
	"github.com/ringo-os/ringo/mm"
)

// Ring3Tests returns the ring-3 round-trip tests.
func Ring3Tests() []Test {
	return []Test{
		{"ring 3: SYSCALL round trip from 64-bit code", ring3Syscall},
		{"ring 3: INT $0x80 from 32-bit code", ring3Int80},
		{"ring 3: page fault and #UD come back as traps", ring3Faults},
		{"ring 3: a spinning user thread is preempted by the timer", ring3Preempt},
		{"ring 3: two threads keep their own x87 and SSE registers, DS and GS base", func() (string, error) { return ring3TwoThreads(false) }},
		{"ring 3: getpid round trip, 64-bit SYSCALL", func() (string, error) { return ring3GetpidLoop(false) }},
		{"ring 3: getpid round trip, i386 INT $0x80", func() (string, error) { return ring3GetpidLoop(true) }},
		{"ring 3: interrupts in a SYSCALL exit wait and are replayed", func() (string, error) { return ring3ExitWindowIRQs(false) }},
		{"ring 3: interrupts in an INT $0x80 exit wait and are replayed", func() (string, error) { return ring3ExitWindowIRQs(true) }},
		{"ring 3: an entry given up for an interrupt loads the whole thread again", func() (string, error) { return ring3TwoThreads(true) }},
	}
}

// miniSpace is a hand-made address space: PML4 with the kernel half, code
// at 0x400000 and a stack page below 0x800000, both user pages.
type miniSpace struct {
	alloc  *mm.FrameAllocator
	pml4   mm.PFN
	frames []mm.PFN
}

func newMiniSpace(code []byte) (*miniSpace, error) {
	// The same allocator the task layer uses: the user pool is one range.
	alloc, _, _, err := kernel.MetalMemory()
	if err != nil {
		return nil, err
	}
	s := &miniSpace{alloc: alloc}
	if s.pml4, err = s.page(); err != nil {
		return nil, err
	}
	pml4 := s.table(s.pml4)
	for i, e := range nucleus.KernelPML4Entries() {
		pml4[256+i] = e
	}
	codePFN, err := s.mapPage(0x400000, amd64.PTEUser)
	if err != nil {
		return nil, err
	}
	copy(s.alloc.Mem().Frame(codePFN), code)
	if _, err := s.mapPage(0x7ff000, amd64.PTEUser|amd64.PTEWrite|amd64.PTENoExec); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *miniSpace) page() (mm.PFN, error) {
	p, err := s.alloc.AllocZeroed(mm.KindPageTable)
	if err == nil {
		s.frames = append(s.frames, p)
	}
	return p, err
}

func (s *miniSpace) table(p mm.PFN) *[512]uint64 {
	return (*[512]uint64)(unsafe.Pointer(&s.alloc.Mem().Frame(p)[0]))
}

func (s *miniSpace) mapPage(va uint64, flags amd64.PTE) (mm.PFN, error) {
	t := s.pml4
	for level := 4; level > 1; level-- {
		e := &s.table(t)[amd64.Index(va, level)]
		if *e&uint64(amd64.PTEPresent) == 0 {
			p, err := s.page()
			if err != nil {
				return 0, err
			}
			*e = uint64(amd64.MakePTE(uint64(p)<<12, amd64.PTEPresent|amd64.PTEWrite|amd64.PTEUser))
		}
		t = mm.PFN(amd64.PTE(*e).Addr() >> 12)
	}
	p, err := s.page()
	if err != nil {
		return 0, err
	}
	s.table(t)[amd64.Index(va, 1)] = uint64(amd64.MakePTE(uint64(p)<<12, amd64.PTEPresent|flags))
	return p, nil
}

func (s *miniSpace) cr3() uint64 { return uint64(s.pml4) << 12 }

func (s *miniSpace) release() {
	nucleus.ReleaseAddressSpace(s.cr3())
	for _, p := range s.frames {
		s.alloc.PutPage(p)
	}
}

func userThread(compat bool) (*amd64.UserRegs, *amd64.FPUState) {
	r := &amd64.UserRegs{RIP: 0x400000, RSP: 0x800000, RFLAGS: 0x202, CS: amd64.UserCS64, SS: amd64.UserDS}
	if compat {
		r.CS, r.DS, r.ES = amd64.UserCS32, amd64.UserDS, amd64.UserDS
	}
	f := new(amd64.FPUState)
	f.Reset()
	return r, f
}

// newUserThread builds a miniSpace around code and a user thread to run
// it, 32-bit if compat; done releases both (the nucleus may still hold
// the thread's x87 registers).
func newUserThread(code []byte, compat bool) (*miniSpace, *amd64.UserRegs, *amd64.FPUState, func(), error) {
	s, err := newMiniSpace(code)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	regs, fpu := userThread(compat)
	return s, regs, fpu, func() { nucleus.ReleaseFPU(fpu); s.release() }, nil
}

// nextTrap runs the user thread until it traps back for a reason other
// than the timer, which may interrupt ring 3 at any moment.
func nextTrap(regs *amd64.UserRegs, fpu *amd64.FPUState, cr3 uint64) amd64.TrapInfo {
	var info amd64.TrapInfo
	nucleus.SwitchToUser(regs, fpu, cr3, &info)
	for info.Kind == amd64.TrapInterrupt {
		nucleus.SwitchToUser(regs, fpu, cr3, &info)
	}
	return info
}

func ring3Syscall() (string, error) {
	code := []byte{
		0xb8, 0x27, 0, 0, 0, // mov eax, 39 (getpid)
		0x0f, 0x05, // syscall
		0x89, 0xc7, // mov edi, eax
		0xb8, 0x3c, 0, 0, 0, // mov eax, 60 (exit)
		0x0f, 0x05, // syscall
	}
	s, regs, fpu, done, err := newUserThread(code, false)
	if err != nil {
		return "", err
	}
	defer done()
	regs.RBX, regs.R12 = 0x1111, 0x2222
	info := nextTrap(regs, fpu, s.cr3())
	if info.Kind != amd64.TrapSyscall || regs.RAX != 39 {
		return "", fmt.Errorf("first trap %+v rax=%d, want SYSCALL 39", info, regs.RAX)
	}
	if regs.RCX != 0x400007 || regs.RBX != 0x1111 || regs.R12 != 0x2222 {
		return "", fmt.Errorf("registers rcx=%#x rbx=%#x r12=%#x", regs.RCX, regs.RBX, regs.R12)
	}
	regs.RAX = 4242 // the "pid"
	info = nextTrap(regs, fpu, s.cr3())
	if info.Kind != amd64.TrapSyscall || regs.RAX != 60 || regs.RDI != 4242 {
		return "", fmt.Errorf("second trap %+v rax=%d rdi=%d, want exit(4242)", info, regs.RAX, regs.RDI)
	}
	return "getpid result reached user code and came back in exit's rdi", nil
}

func ring3Int80() (string, error) {
	code := []byte{
		0xb8, 0x14, 0, 0, 0, // mov eax, 20 (i386 getpid)
		0xcd, 0x80, // int $0x80
		0x89, 0xc3, // mov ebx, eax
		0xb8, 0x01, 0, 0, 0, // mov eax, 1 (i386 exit)
		0xcd, 0x80,
	}
	s, regs, fpu, done, err := newUserThread(code, true)
	if err != nil {
		return "", err
	}
	defer done()
	info := nextTrap(regs, fpu, s.cr3())
	if info.Kind != amd64.TrapInt80 || regs.RAX != 20 || regs.CS != amd64.UserCS32|3 {
		return "", fmt.Errorf("trap %+v rax=%d cs=%#x, want INT80 20 from CS 0x23", info, regs.RAX, regs.CS)
	}
	regs.RAX = 77
	info = nextTrap(regs, fpu, s.cr3())
	if info.Kind != amd64.TrapInt80 || regs.RAX != 1 || regs.RBX != 77 {
		return "", fmt.Errorf("second trap %+v rax=%d ebx=%d", info, regs.RAX, regs.RBX)
	}
	return "i386 code reached the int $0x80 gate twice", nil
}

func ring3Faults() (string, error) {
	code := []byte{
		0x48, 0x8b, 0x04, 0x25, 0x08, 0x10, 0, 0, // mov rax, [0x1008]
		0x0f, 0x0b, // ud2
	}
	s, regs, fpu, done, err := newUserThread(code, false)
	if err != nil {
		return "", err
	}
	defer done()
	info := nextTrap(regs, fpu, s.cr3())
	if info.Kind != amd64.TrapPageFault || info.CR2 != 0x1008 || info.ErrorCode != amd64.PFUser {
		return "", fmt.Errorf("trap %+v, want #PF at 0x1008 with error 4", info)
	}
	regs.RIP += 8 // skip the load, as a fault handler might
	info = nextTrap(regs, fpu, s.cr3())
	if info.Kind != amd64.TrapException || info.Vector != amd64.VecInvalidOp || regs.RIP != 0x400008 {
		return "", fmt.Errorf("trap %+v rip=%#x, want #UD at 0x400008", info, regs.RIP)
	}
	return "#PF (cr2 0x1008, error 4) then #UD", nil
}

func ring3Preempt() (string, error) {
	code := []byte{0xeb, 0xfe} // jmp . (spin forever)
	s, regs, fpu, done, err := newUserThread(code, false)
	if err != nil {
		return "", err
	}
	defer done()
	ticks := 0
	for ticks < 20 {
		var info amd64.TrapInfo
		nucleus.SwitchToUser(regs, fpu, s.cr3(), &info)
		if info.Kind != amd64.TrapInterrupt {
			return "", fmt.Errorf("trap %+v from a spinning thread", info)
		}
		ticks++
	}
	if regs.RIP != 0x400000 {
		return "", fmt.Errorf("rip %#x after preemption", regs.RIP)
	}
	return fmt.Sprintf("preempted %d times, state intact", ticks), nil
}

// ring3GetpidLoop measures the bare round trip: user code calls getpid
// n times, Go answers each in the loop below (no syscall table), so the
// figure is the nucleus's entry + exit + the goroutine's loop.
func ring3GetpidLoop(compat bool) (string, error) {
	const n = 20000
	code := []byte{
		0xbb, n & 0xff, n >> 8 & 0xff, 0, 0, // mov ebx, n
		0xb8, 0x27, 0, 0, 0, // loop: mov eax, 39
		0x0f, 0x05, // syscall
		0xff, 0xcb, // dec ebx
		0x75, 0xf5, // jnz loop
		0xb8, 0x3c, 0, 0, 0, // mov eax, 60
		0x0f, 0x05,
	}
	want, exit := uint64(39), uint64(60)
	if compat {
		code[6], code[10], code[11], code[17], code[21], code[22] = 0x14, 0xcd, 0x80, 0x01, 0xcd, 0x80
		want, exit = 20, 1
	}
	s, regs, fpu, done, err := newUserThread(code, compat)
	if err != nil {
		return "", err
	}
	defer done()
	calls := 0
	start := nucleus.Monotonic()
	for {
		var info amd64.TrapInfo
		nucleus.SwitchToUser(regs, fpu, s.cr3(), &info)
		if info.Kind == amd64.TrapInterrupt {
			continue
		}
		if info.Kind != amd64.TrapSyscall && info.Kind != amd64.TrapInt80 {
			return "", fmt.Errorf("trap %+v", info)
		}
		if regs.RAX == exit {
			break
		}
		if regs.RAX != want {
			return "", fmt.Errorf("syscall %d", regs.RAX)
		}
		regs.RAX = 1
		calls++
	}
	el := nucleus.Monotonic() - start
	if calls != n {
		return "", fmt.Errorf("%d calls, want %d", calls, n)
	}
	return fmt.Sprintf("%d ns per round trip (%d calls)", el/int64(n), n), nil
}

// ring3ExitWindowIRQs calls getpid in a loop until timer interrupts have
// arrived during the exit from ring 3 (the nucleus holds them back and
// replays them where the exit ends: nucleus/irq_window.go), and checks
// that every one was replayed, that the timer kept ticking (one held
// back and never acknowledged would stop it), that every return finds
// interrupts on, and that the user's registers came through.
func ring3ExitWindowIRQs(compat bool) (string, error) {
	code := []byte{
		0xb8, 0x27, 0, 0, 0, // loop: mov eax, 39
		0x0f, 0x05, // syscall
		0xeb, 0xf7, // jmp loop
	}
	want := uint64(39)
	if compat {
		code[1], code[5], code[6] = 0x14, 0xcd, 0x80 // mov eax, 20; int $0x80
		want = 20
	}
	s, regs, fpu, done, err := newUserThread(code, compat)
	if err != nil {
		return "", err
	}
	defer done()
	regs.R12, regs.R13 = 0x1234_5678_9abc_def0, 0x0fed_cba9_8765_4321
	const wantDeferred = 8
	d0, r0, _ := nucleus.WindowIRQs()
	ticks0, start := nucleus.Ticks(), nucleus.Monotonic()
	calls := 0
	for {
		var info amd64.TrapInfo
		nucleus.SwitchToUser(regs, fpu, s.cr3(), &info)
		if amd64.ReadFlags()&amd64.FlagIF == 0 {
			return "", fmt.Errorf("interrupts off after trap %+v", info)
		}
		if info.Kind == amd64.TrapInterrupt {
			continue
		}
		if (info.Kind != amd64.TrapSyscall && info.Kind != amd64.TrapInt80) || regs.RAX != want {
			return "", fmt.Errorf("trap %+v rax=%d", info, regs.RAX)
		}
		if regs.R12 != 0x1234_5678_9abc_def0 || regs.R13 != 0x0fed_cba9_8765_4321 {
			return "", fmt.Errorf("r12 %#x r13 %#x after %d calls", regs.R12, regs.R13, calls)
		}
		calls++
		d, _, _ := nucleus.WindowIRQs()
		if d-d0 >= wantDeferred {
			break
		}
		if nucleus.Monotonic()-start > 5e9 {
			return "", fmt.Errorf("%d calls in 5 s, %d interrupts in their exits, want %d", calls, d-d0, wantDeferred)
		}
	}
	elapsed, ticks := nucleus.Monotonic()-start, nucleus.Ticks()-ticks0
	d, r, _ := nucleus.WindowIRQs()
	if d-d0 != r-r0 {
		return "", fmt.Errorf("%d interrupts held back, %d replayed", d-d0, r-r0)
	}
	// 1 kHz; QEMU may drop a tick the guest is slow to take, but a
	// tick never acknowledged would stop them all.
	if wantTicks := uint64(elapsed / 2e6); ticks < wantTicks {
		return "", fmt.Errorf("%d timer ticks in %d ms", ticks, elapsed/1e6)
	}
	return fmt.Sprintf("%d calls, %d interrupts held back in the exit and replayed, %d ticks in %d ms", calls, d-d0, ticks, elapsed/1e6), nil
}

// ring3TwoThreads runs two user threads by turns. They differ in what the
// nucleus keeps of a user thread in the CPU or mirrors of it: x87 and SSE
// registers, DS, the GS base. Each puts its values in ST0 and XMM3, traps
// out while the other runs, and reads back ST0, XMM3, DS and the GS base.
// The x87 registers stay in the CPU between traps (nucleus/fpu.go), so
// this checks that they move to their owner's FPUState when the other
// thread takes the CPU, and come back whole; and that the selector and
// GS base mirrors follow. With holdBack, every entry is preceded by an
// interrupt held back as if it had arrived while the nucleus prepared the
// entry, so that each is first given up and then prepared again
// (nucleus/irq_window.go): the retried entry must load everything,
// though the given-up one had already counted it as loaded.
func ring3TwoThreads(holdBack bool) (string, error) {
	code := []byte{
		0x48, 0x89, 0x5c, 0x24, 0xf0, // mov [rsp-16], rbx
		0xdd, 0x44, 0x24, 0xf0, // fld qword [rsp-16]
		0x66, 0x48, 0x0f, 0x6e, 0xdb, // movq xmm3, rbx
		0xb8, 0x27, 0, 0, 0, // mov eax, 39
		0x0f, 0x05, // syscall
		0xdd, 0x5c, 0x24, 0xf0, // fstp qword [rsp-16]
		0x48, 0x8b, 0x5c, 0x24, 0xf0, // mov rbx, [rsp-16]
		0x66, 0x48, 0x0f, 0x7e, 0xda, // movq rdx, xmm3
		0x8c, 0xde, // mov esi, ds
		0xf3, 0x48, 0x0f, 0xae, 0xcf, // rdgsbase rdi
		0xb8, 0x3c, 0, 0, 0, // mov eax, 60
		0x0f, 0x05, // syscall
	}
	gsBase := nucleus.HaveFSGSBase()
	if !gsBase {
		copy(code[37:42], []byte{0x31, 0xff, 0x90, 0x90, 0x90}) // xor edi, edi (no RDGSBASE in ring 3)
	}
	s, err := newMiniSpace(code)
	if err != nil {
		return "", err
	}
	defer s.release()
	type thread struct {
		regs *amd64.UserRegs
		fpu  *amd64.FPUState
		val  uint64
		ds   uint16
		gs   uint64
	}
	var th [2]thread
	for i, v := range []uint64{0x3ff8000000000000, 0x4006000000000000} { // 1.5, 2.75
		t := &th[i]
		t.regs, t.fpu = userThread(false)
		defer nucleus.ReleaseFPU(t.fpu)
		t.regs.RBX, t.val = v, v
		t.regs.RSP -= uint64(i) * 0x800
		t.ds, t.gs = [2]uint16{amd64.UserDS, 0}[i], [2]uint64{0x1111000, 0x2222000}[i]
		t.regs.DS, t.regs.GSBase = t.ds, t.gs
	}
	_, _, r0 := nucleus.WindowIRQs()
	entries := 0
	step := func(t *thread, want uint64) error {
		var info amd64.TrapInfo
		for {
			if holdBack {
				nucleus.HoldBackIRQ(0xff) // the spurious vector: serviced as nothing
			}
			entries++
			nucleus.SwitchToUser(t.regs, t.fpu, s.cr3(), &info)
			if info.Kind != amd64.TrapInterrupt {
				break
			}
		}
		if info.Kind != amd64.TrapSyscall || t.regs.RAX != want {
			return fmt.Errorf("trap %+v rax=%d, want syscall %d", info, t.regs.RAX, want)
		}
		t.regs.RAX = 0
		return nil
	}
	for _, want := range []uint64{39, 60} {
		for i := range th {
			if err := step(&th[i], want); err != nil {
				return "", err
			}
		}
	}
	for i, t := range th {
		r := t.regs
		if r.RBX != t.val || r.RDX != t.val {
			return "", fmt.Errorf("thread %d: st0 %#x xmm3 %#x, want %#x", i, r.RBX, r.RDX, t.val)
		}
		if uint16(r.RSI) != t.ds {
			return "", fmt.Errorf("thread %d: ds %#x, want %#x", i, uint16(r.RSI), t.ds)
		}
		if gsBase && r.RDI != t.gs {
			return "", fmt.Errorf("thread %d: gs base %#x, want %#x", i, r.RDI, t.gs)
		}
	}
	if !holdBack {
		return "ST0, XMM3, DS and the GS base intact in both threads", nil
	}
	// A timer tick between HoldBackIRQ and the entry services the
	// held-back vector first; most entries must still have been retried.
	_, _, r1 := nucleus.WindowIRQs()
	if retried := int(r1 - r0); retried < entries*3/4 {
		return "", fmt.Errorf("%d of %d entries retried", retried, entries)
	}
	return fmt.Sprintf("%d entries, each given up once: ST0, XMM3, DS and the GS base intact in both threads", entries), nil
}
