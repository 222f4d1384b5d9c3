package nucleus

// Ring 3. The task layer runs a user thread by calling SwitchToUser from a
// goroutine; the call returns why the CPU came back (a system call, a page
// fault, another exception, an interrupt), with the thread's registers
// updated. "User mode is a function call" (Biscuit's Userrun, gVisor's
// SwitchToUser).
//
// How: with interrupts held back, SwitchToUser checks what the CPU will
// load and plans the entry in one word (entryPlan): which selectors and
// bases to load, and whether to return with SYSRET or with IRETQ, for
// which it builds the return frame (RIP, CS, RFLAGS, RSP, SS) on this
// thread's nucleus stack; enterUser (user_amd64.s) turns interrupts off,
// follows the plan and loads the general registers straight from the
// caller's UserRegs.
//
// The way back depends on why the CPU left ring 3. System calls (SYSCALL
// and INT $0x80) take the fast exits in user_amd64.s: a few dozen moves
// store the registers, and for SYSCALL the return RIP, RFLAGS and RSP,
// straight into UserRegs and the SSE state into FPUState, and the
// goroutine resumes, with no Go code run in between. Exceptions and
// interrupts go through trapCommon and trap(), which sees CS.RPL = 3 and
// calls userTrap to copy the frame back (an interrupt may also switch
// threads first). The kernel half of the page tables is in every address
// space, so CR3 changes only when the user address space does.
//
// SwitchToUser runs with interrupts held back (irq_window.go), userTrap
// with them off: //go:nosplit, no allocation.

import (
	"unsafe"

	"github.com/ringo-os/ringo/arch/amd64"
)

var (
	// userSel mirrors the CPU's DS, ES, FS and GS: SAVE_USER_STATE reads
	// them at every exit from ring 3, SwitchToUser compares against them.
	userSel             [4]uint16
	curKernelFS         uint64 // the running thread's FS base (Go's TLS)
	fpuDefault          amd64.FPUState
	resumeGoroutineAddr uintptr
	hwGSBase            uint64               // GS_BASE as last written, or read back at the exit (the kernel never uses GS)
	mxcsrKernelOperand  uint32 = mxcsrKernel // mxcsrKernel in memory, for LDMXCSR
	userPool            [2]uint64
)

// What enterUser must do beyond the usual, as SwitchToUser planned it: one
// word, so that enterUser reads it with one load (each global it tested
// was another trip through QEMU's soft TLB).
var (
	entryPlan  uint32
	userRFLAGS uint64 // the checked RFLAGS SYSRET loads from R11
)

// entryPlan's bits.
const (
	planLoadDS    = 1 << iota // load DS (the selector differs from the CPU's, or its TLS descriptor changed)
	planLoadES                // load ES
	planLoadFS                // load FS
	planLoadGS                // load GS
	planGSBase                // write the GS base
	planFSBaseMSR             // write the bases by WRMSR: the CPU has no FSGSBASE
	planFullFPU               // FXRSTOR the whole image: another thread's x87 registers were in the CPU
	planIRET                  // return by IRETQ through the frame, not by SYSRET
	planSysret32              // SYSRETL, to compat mode, rather than SYSRETQ

	// planSegs is the out-of-line part of enterUser: the selectors and
	// bases beyond the FS base by WRFSBASE.
	planSegs = planLoadDS | planLoadES | planLoadFS | planLoadGS | planGSBase | planFSBaseMSR
)

// Where the thread in ring 3 reports back, set by SwitchToUser. One set
// serves the CPU: a thread leaves ring 3 only through a trap, which fills
// these in before any other thread can run.
var (
	curUserRegs    uintptr // *amd64.UserRegs
	curUserFPU     uintptr // FXSAVE area of its amd64.FPUState
	curUserInfo    uintptr // *amd64.TrapInfo
	kernelReturnSP uintptr // the goroutine's SP inside enterUser
	fastScratch    uint64  // a fast exit's first free register (user_amd64.s)
	exitTSC        uint64  // the TSC as the CPU left ring 3, for TrapInfo.Time
)

// Offsets of UserRegs and TrapInfo fields and trap kinds, for
// user_amd64.s and user_exit_amd64.h (go_asm.h names them const_urRAX, ...).
const (
	urR15    = unsafe.Offsetof(amd64.UserRegs{}.R15)
	urR14    = unsafe.Offsetof(amd64.UserRegs{}.R14)
	urR13    = unsafe.Offsetof(amd64.UserRegs{}.R13)
	urR12    = unsafe.Offsetof(amd64.UserRegs{}.R12)
	urR11    = unsafe.Offsetof(amd64.UserRegs{}.R11)
	urR10    = unsafe.Offsetof(amd64.UserRegs{}.R10)
	urR9     = unsafe.Offsetof(amd64.UserRegs{}.R9)
	urR8     = unsafe.Offsetof(amd64.UserRegs{}.R8)
	urRBP    = unsafe.Offsetof(amd64.UserRegs{}.RBP)
	urRDI    = unsafe.Offsetof(amd64.UserRegs{}.RDI)
	urRSI    = unsafe.Offsetof(amd64.UserRegs{}.RSI)
	urRDX    = unsafe.Offsetof(amd64.UserRegs{}.RDX)
	urRCX    = unsafe.Offsetof(amd64.UserRegs{}.RCX)
	urRBX    = unsafe.Offsetof(amd64.UserRegs{}.RBX)
	urRAX    = unsafe.Offsetof(amd64.UserRegs{}.RAX)
	urRIP    = unsafe.Offsetof(amd64.UserRegs{}.RIP)
	urRFLAGS = unsafe.Offsetof(amd64.UserRegs{}.RFLAGS)
	urRSP    = unsafe.Offsetof(amd64.UserRegs{}.RSP)
	urCS     = unsafe.Offsetof(amd64.UserRegs{}.CS)
	urSS     = unsafe.Offsetof(amd64.UserRegs{}.SS)
	urDS     = unsafe.Offsetof(amd64.UserRegs{}.DS)
	urES     = unsafe.Offsetof(amd64.UserRegs{}.ES)
	urFS     = unsafe.Offsetof(amd64.UserRegs{}.FS)
	urGS     = unsafe.Offsetof(amd64.UserRegs{}.GS)
	urFSBase = unsafe.Offsetof(amd64.UserRegs{}.FSBase)
	urGSBase = unsafe.Offsetof(amd64.UserRegs{}.GSBase)

	tiKind      = unsafe.Offsetof(amd64.TrapInfo{}.Kind)
	tiVector    = unsafe.Offsetof(amd64.TrapInfo{}.Vector)
	tiErrorCode = unsafe.Offsetof(amd64.TrapInfo{}.ErrorCode)
	tiCR2       = unsafe.Offsetof(amd64.TrapInfo{}.CR2)
	tiStackWord = unsafe.Offsetof(amd64.TrapInfo{}.StackWord)

	kindSyscall   = int(amd64.TrapSyscall)
	kindInt80     = int(amd64.TrapInt80)
	kindSyscall32 = int(amd64.TrapSyscall32)

	// mxcsrKernel is the MXCSR the kernel's Go code runs with, the
	// power-on default: all exceptions masked, round to nearest. Its
	// exception flags (the low six bits, sticky) are whatever the
	// kernel's own floating point left, the Go runtime's included
	// (its collector's pacing is float arithmetic), so a user's MXCSR
	// is compared with it in its control bits only (mxcsrControl).
	mxcsrKernel  = 0x1f80
	mxcsrControl = 0xffc0

	// The selectors a fast exit stores for SYSCALL, which loads them
	// from STAR (descriptors.go) without reading the GDT.
	userCS64 = amd64.UserCS64
	userCS32 = amd64.UserCS32
	userDS   = amd64.UserDS
)

// selectorWord reads DS, ES, FS and GS as one word: they must stay
// adjacent in UserRegs (the array length is negative otherwise).
var _ [6 - (urGS - urDS)][urGS - urDS - 6]struct{}

// enterUser turns interrupts off and enters ring 3 as SwitchToUser
// prepared it, and returns true when a trap hands control back
// (user_amd64.s). It returns false at once, without entering and with
// interrupts still off, when an interrupt arrived while SwitchToUser
// prepared: the caller undoes what it assumed (forgetEntry), has the
// interrupt serviced (replayIRQ), which may run other threads, and
// prepares again.
func enterUser() (entered bool)

// replayIRQ services the interrupt held back in deferredIRQ, then turns
// interrupts on (user_amd64.s).
func replayIRQ()

// forgetEntry undoes what SwitchToUser assumed of an entry that did not
// happen. It updated its mirrors of the CPU as though enterUser would
// carry out its plan: the selectors (userSel), the GS base (hwGSBase) and
// the GDT's TLS descriptors, whose change makes enterUser reload the TLS
// selectors. Now none of them is known, so the next entry, this thread's
// or another's, loads all of them. And if SwitchToUser took the x87
// registers from another thread (which it saved), what the CPU holds
// belongs to no one.
//
//go:nosplit
func forgetEntry() {
	userSel = [4]uint16{0xffff, 0xffff, 0xffff, 0xffff} // no loadable selector word: checkSelectors nulls an LDT selector
	hwGSBase = 1 << 63                                  // not canonical: no user's GS base
	gdt[gdtTLSFirst], gdt[gdtTLSFirst+1], gdt[gdtTLSFirst+2] = 0, 0, 0
	if entryPlan&planFullFPU != 0 {
		fpuOwner = 0
	}
}

// SwitchToUser runs the user thread described by regs and fpu in the
// address space whose PML4 is at physical address cr3, until the CPU
// traps back, and says why in *info: the exit writes it in place, since
// a TrapInfo returned by value would be copied through every caller on
// the way up. Selectors are checked on the way in.
// info.Time is when the CPU left user mode, from the TSC the exit path
// read.
func SwitchToUser(regs *amd64.UserRegs, fpu *amd64.FPUState, cr3 uint64, info *amd64.TrapInfo) {
	(*CPU)(nil).SwitchToUser(regs, fpu, cr3, info)
}

// CPU is the nucleus seen as the task layer's Platform (kernel/platform.go).
// SwitchToUser is implemented as its method, so that the task layer's
// interface call lands in the nucleus with no adapter in between.
type CPU struct{}

// SwitchToUser is the package function SwitchToUser. It prepares the
// entry, then enterUser makes it: CR3, the TLS descriptors and the FPU
// owner are readied here, and enterUser's plan (entryPlan) says which
// selectors and bases to load and how to return. SYSRET needs no frame;
// IRETQ's (RIP, CS, RFLAGS, RSP, SS) is built at the top of this thread's
// nucleus stack, where enterUser finds it. The pointers are kept as
// numbers only while the goroutine waits in enterUser, where its stack
// cannot move.
//
// One function, preparation and entry, rather than a call out to a
// preparing one: under TCG its return was one more lookup of QEMU's jump
// cache per system call. It is //go:nosplit like everything it calls, so
// that no stack check, and no preemption through one, runs while
// interrupts are held back.
//
//go:nosplit
func (*CPU) SwitchToUser(regs *amd64.UserRegs, fpu *amd64.FPUState, cr3 uint64, info *amd64.TrapInfo) {
	// From here until the CPU is in ring 3, no interrupt may switch
	// threads: the cur* variables and the GDT's TLS slots are the CPU's,
	// not this thread's. One that arrives waits (irq_window.go), and
	// enterUser turns interrupts off: a plain store here, where a CLI
	// would be a call and return into assembly, two lookups of QEMU's
	// jump cache.
	for {
		userWindow = 1
		curUserRegs, curUserInfo = uintptr(unsafe.Pointer(regs)), uintptr(unsafe.Pointer(info))
		// No selector that loading could fault on in ring 0, and no
		// non-canonical FS or GS base, which WRFSBASE/WRMSR would refuse with
		// a #GP in ring 0: the task layer keeps them canonical (arch_prctl
		// checks, sigreturn does not restore bases), and the nucleus does not
		// rely on it.
		// Not the usual 64-bit set (every i386 task): compare with the state
		// accepted last time here, inline, and call out only when it changed.
		if (regs.CS != amd64.UserCS64 || regs.SS != amd64.UserDS || selectorWord(&regs.DS) != 0) && selectorsNeedCheck(regs) {
			fixSelectors(regs)
		}
		if !amd64.Canonical(regs.FSBase) {
			regs.FSBase = 0
		}
		if !amd64.Canonical(regs.GSBase) {
			regs.GSBase = 0
		}
		if loadedCR3 != cr3 {
			setCR3(cr3)
		}
		// Straight-line code throughout: under TCG every loop iteration and
		// call is another translated block to look up.
		tlsChanged := gdt[gdtTLSFirst] != regs.TLS[0] || gdt[gdtTLSFirst+1] != regs.TLS[1] || gdt[gdtTLSFirst+2] != regs.TLS[2]
		if tlsChanged {
			gdt[gdtTLSFirst], gdt[gdtTLSFirst+1], gdt[gdtTLSFirst+2] = regs.TLS[0], regs.TLS[1], regs.TLS[2]
		}
		var plan uint32
		curUserFPU = fpu.Addr()
		// No MXCSR bit that LDMXCSR or FXRSTOR would #GP on: only DAZ and
		// the reserved bits 16-31 may be missing from the CPU's feature
		// mask, and a usual MXCSR has none of them.
		if m := u32at(curUserFPU + amd64.FxMXCSR); *m&^amd64.MXCSRBaseMask != 0 {
			*m &= amd64.MXCSRFeatureMask
		}
		if takeFPU(curUserFPU) {
			plan |= planFullFPU
		}
		// userSel holds what the CPU's selectors are now (read at the last
		// exit from ring 3): load only what differs, and a TLS selector
		// whose descriptor changed (another thread's TLS was in the GDT, or
		// set_thread_area). One comparison of the four as a word in the
		// usual case, where nothing changed.
		if want := selectorWord(&regs.DS); want != selectorWord(&userSel[0]) || tlsChanged {
			plan |= selReload(regs.DS, userSel[0], tlsChanged, planLoadDS) | selReload(regs.ES, userSel[1], tlsChanged, planLoadES) |
				selReload(regs.FS, userSel[2], tlsChanged, planLoadFS) | selReload(regs.GS, userSel[3], tlsChanged, planLoadGS)
			*(*uint64)(unsafe.Pointer(&userSel[0])) = want
		}
		// The bases are UserRegs' (set_thread_area and sigreturn keep them
		// equal to a TLS descriptor they load, as Linux's loadsegment does).
		// enterUser writes the FS base every time, since the exit wrote Go's
		// TLS there; the GS base only when it differs from what the CPU has,
		// or when loading GS replaced it.
		if regs.GSBase != hwGSBase || plan&planLoadGS != 0 {
			plan |= planGSBase
		}
		hwGSBase = regs.GSBase
		if !haveFSGSBase {
			plan |= planFSBaseMSR
		}
		// The return. Status flags and DF are the user's; IF on; no IOPL, TF
		// or NT. After a SYSCALL, RCX = RIP and R11 = RFLAGS (LINUX-SEMANTICS
		// §1.1: the instruction put them there and the exit stored them, and
		// the task layer leaves them be): then SYSRETQ can return, loading
		// RIP from RCX and RFLAGS from R11 (userRFLAGS, these flags). The
		// same holds for a 32-bit task, with SYSRETL: the task layer sets
		// RCX = RIP and R11 = RFLAGS only when it returns to the vDSO's
		// landing pad after a compat SYSCALL, which restores ECX itself
		// (Linux's do_fast_syscall_32 return); any other state, an i386
		// int $0x80 among them, keeps its ECX and returns with IRETQ.
		rip, cs := regs.RIP, regs.CS|3
		flags := regs.RFLAGS&0xcd5 | 0x202
		ripOK := amd64.Canonical(rip) && rip < 1<<47
		exact := regs.RCX == rip && regs.R11 == regs.RFLAGS
		switch {
		case exact && ripOK && cs == amd64.UserCS64|3:
			userRFLAGS = flags
		case exact && ripOK && cs == amd64.UserCS32|3 && rip < 1<<32:
			userRFLAGS = flags
			plan |= planSysret32
		default:
			if !ripOK {
				rip = 1 << 63 // IRETQ to it raises #GP in ring 3: the task gets SIGSEGV
			}
			f := frameAt(curKstackTop - unsafe.Sizeof(TrapFrame{}))
			f.RIP, f.CS, f.RFLAGS, f.RSP, f.SS = rip, cs, flags, regs.RSP, regs.SS|3
			plan |= planIRET
		}
		entryPlan = plan
		if enterUser() {
			break
		}
		entriesRetried++
		forgetEntry()
		replayIRQ()
	}
	info.Time = tscToNanos(exitTSC)
}

// ReleaseFPU is the package function ReleaseFPU.
func (*CPU) ReleaseFPU(fpu *amd64.FPUState) { ReleaseFPU(fpu) }

// ReleaseAddressSpace is the package function ReleaseAddressSpace.
func (*CPU) ReleaseAddressSpace(cr3 uint64) { ReleaseAddressSpace(cr3) }

// selectorState is what decides whether regs' selectors can be loaded:
// CS, SS, DS-GS as a word, and the TLS descriptors a selector may name.
type selectorState struct {
	cs, ss, sel uint64
	tls         [3]uint64
}

// selChecked is the state checkSelectors last left in regs. The same state
// again needs no check (checkSelectors changes nothing in a state it
// produced), which is every system call of an i386 task. It starts as the
// usual 64-bit state, never as the zero state: a CS of 0 must be checked.
var selChecked = selectorState{cs: amd64.UserCS64, ss: amd64.UserDS}

// selectorsNeedCheck reports whether regs' selectors must go through
// checkSelectors: they are not the state accepted last time. (SwitchToUser
// does not ask for the usual 64-bit set, all data selectors null.)
//
//go:nosplit
func selectorsNeedCheck(regs *amd64.UserRegs) bool {
	return regs.CS != selChecked.cs || regs.SS != selChecked.ss || selectorWord(&regs.DS) != selChecked.sel || regs.TLS != selChecked.tls
}

// fixSelectors makes regs' selectors loadable (checkSelectors) and
// remembers the result. SwitchToUser calls it only when selectorsNeedCheck
// says so (running it on a state it produced changes nothing).
//
//go:nosplit
func fixSelectors(regs *amd64.UserRegs) {
	checkSelectors(regs)
	selChecked = selectorState{cs: regs.CS, ss: regs.SS, sel: selectorWord(&regs.DS), tls: regs.TLS}
}

// checkSelectors makes regs' selectors loadable: CS/SS the user ones,
// data selectors null, user data, or a present TLS slot.
//
//go:nosplit
func checkSelectors(regs *amd64.UserRegs) {
	if regs.CS != amd64.UserCS64 && regs.CS != amd64.UserCS32 {
		regs.CS = amd64.UserCS64
	}
	regs.SS = amd64.UserDS
	regs.DS = userSelector(regs.DS, regs)
	regs.ES = userSelector(regs.ES, regs)
	regs.FS = userSelector(regs.FS, regs)
	regs.GS = userSelector(regs.GS, regs)
}

// No runtime bracket. gVisor wraps its SwitchToUser in the runtime's
// entersyscall/exitsyscall, so that the runtime treats a goroutine in
// user mode as one in a system call: the garbage collector need not wait
// for it and sysmon may hand its P to another thread. That costs about
// 250 ns per round trip under TCG (RUNTIME-HOSTING.md), a third of a null
// system call here, and buys little on Ringo: the 1 kHz tick brings every
// user thread back to its goroutine (TrapInterrupt, then Gosched) within
// a millisecond, where a stop-the-world or a preemption request is
// honoured at the next function call, and nothing can move the
// goroutine's stack while it is inside enterUser, since only a running
// goroutine grows its stack and only a stopped one is shrunk.

// userSelector keeps a data selector only if loading it cannot fault in
// ring 0: null, the user data segment, or a present TLS descriptor in the
// GDT. A TLS index with the TI bit set names the LDT, which Ringo does not
// have: loading it would #GP in ring 0 (modify_ldt is ENOSYS).
//
//go:nosplit
func userSelector(sel uint16, regs *amd64.UserRegs) uint16 {
	switch {
	case sel < 4, sel == amd64.UserDS:
		return sel
	case sel&7 == 3 && sel>>3 >= gdtTLSFirst && sel>>3 < gdtTLSFirst+3: // RPL 3, TI 0 (GDT)
		d := regs.TLS[sel>>3-gdtTLSFirst]
		// Present, DPL 3, code or data, and readable if code (an
		// execute-only segment in a data register is a #GP too). The
		// task layer installs only data descriptors; this does not
		// rely on it.
		present, dpl3, codeOrData := d&(1<<47) != 0, d&(3<<45) == 3<<45, d&(1<<44) != 0
		readable := d&(1<<43) == 0 || d&(1<<41) != 0
		if present && dpl3 && codeOrData && readable {
			return sel
		}
	}
	return 0
}

// selReload returns bit when the selector must be loaded: it differs from
// what the CPU holds, or it is a TLS selector and the TLS descriptors
// changed.
//
//go:nosplit
func selReload(want, have uint16, tlsChanged bool, bit uint32) uint32 {
	if want != have || tlsChanged && want>>3 >= gdtTLSFirst {
		return bit
	}
	return 0
}

// selectorWord reads four consecutive 16-bit selectors (DS, ES, FS, GS,
// as both UserRegs and userSel lay them out) as one word.
//
//go:nosplit
func selectorWord(ds *uint16) uint64 { return *(*uint64)(unsafe.Pointer(ds)) }

// userTrap copies an exception or interrupt frame from ring 3 into the
// waiting goroutine's UserRegs and fills its TrapInfo (system calls take
// the fast exits instead); SAVE_USER_STATE has already stored the
// selectors, bases and SSE state.
//
//go:nosplit
func userTrap(tf *TrapFrame, kind amd64.TrapKind, cr2 uint64) {
	regs := (*amd64.UserRegs)(unsafe.Add(nil, curUserRegs))
	info := (*amd64.TrapInfo)(unsafe.Add(nil, curUserInfo))
	regs.R15, regs.R14, regs.R13, regs.R12 = tf.R15, tf.R14, tf.R13, tf.R12
	regs.R11, regs.R10, regs.R9, regs.R8 = tf.R11, tf.R10, tf.R9, tf.R8
	regs.RBP, regs.RDI, regs.RSI, regs.RDX = tf.RBP, tf.RDI, tf.RSI, tf.RDX
	regs.RCX, regs.RBX, regs.RAX = tf.RCX, tf.RBX, tf.RAX
	regs.RIP, regs.RSP, regs.RFLAGS = tf.RIP, tf.RSP, tf.RFLAGS
	regs.CS, regs.SS = tf.CS, tf.SS
	regs.OrigRAX = tf.RAX
	*info = amd64.TrapInfo{Kind: kind, Vector: tf.Vector, ErrorCode: tf.ErrorCode, CR2: cr2}
	exitTSC = amd64.Rdtsc()
}

// UserPool is the physical range [start, end) set aside at boot for user
// memory; the task layer builds its frame allocator over it.
func UserPool() (start, end uint64) { return userPool[0], userPool[1] }

// KernelPML4Entries returns the kernel half (PML4 slots 256-511) that every
// user address space must contain.
func KernelPML4Entries() [256]uint64 {
	var e [256]uint64
	for i := range e {
		e[i] = *u64at(phys2virt(kernelPML4) + uintptr(256+i)*8)
	}
	return e
}

// ReleaseAddressSpace must be called before the page tables rooted at cr3
// are freed: if the CPU still uses them, it moves to the kernel's own.
func ReleaseAddressSpace(cr3 uint64) {
	amd64.DisableInterrupts()
	if loadedCR3 == cr3 {
		setCR3(kernelPML4)
	}
	amd64.EnableInterrupts()
}

// FlushTLBPage and FlushTLB implement mm's TLB hooks on the metal.
func FlushTLBPage(va uintptr) { amd64.Invlpg(va) }

// FlushTLB reloads CR3, dropping every non-global translation.
func FlushTLB() {
	amd64.DisableInterrupts()
	setCR3(loadedCR3)
	amd64.EnableInterrupts()
}
