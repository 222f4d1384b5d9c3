package nucleus

// Ring 3. The task layer runs a user thread by calling SwitchToUser from a
// goroutine; the call returns why the CPU came back (a system call, a page
// fault, another exception, an interrupt), with the thread's registers
// updated. "User mode is a function call" (Biscuit's Userrun, gVisor's
// SwitchToUser).
//
// How: enterUser (trap_amd64.s) builds the user's TrapFrame on this
// thread's nucleus stack and resumes it with IRETQ. Every way back from
// ring 3 (SYSCALL, INT $0x80, exceptions, interrupts) arrives in trap(),
// which sees CS.RPL = 3 and calls userTrap: the frame is copied back into
// the caller's UserRegs/FPUState and the goroutine resumes after its call.
// The kernel half of the page tables is in every address space, so CR3
// changes only when the user address space does.
//
// prepareUser and userTrap run with interrupts off: //go:nosplit, no
// allocation.

import (
	"unsafe"

	"github.com/ringo-os/ringo/arch/amd64"
)

const vecUserSyscall = 257 // pseudo vector: SYSCALL from ring 3

var (
	// Saved at a user trap by trapCommon, loaded by enterUser.
	userFSBase, userGSBase uint64
	userSel                [4]uint16 // DS, ES, FS, GS
	curKernelFS            uint64    // the running thread's FS base (Go's TLS)
	kernelReturnSP         uintptr
	fpuDefault             amd64.FPUState
	fpuDefaultAddr         uintptr
	resumeGoroutineAddr    uintptr
	curUserFPU             uintptr // the FPUState of the thread in ring 3
	selLoadMask            uint8   // enterUser: DS, ES, FS, GS (bits 0-3), GS base (bit 4)
	hwGSBase               uint64  // GS_BASE as last written (the kernel never uses GS)
	useSysret              bool    // enterUser returns with SYSRETQ
	mxcsrDefault           uint32  = 0x1f80
	userPool               [2]uint64
)

// userCtx is where a thread in ring 3 will report back.
type userCtx struct {
	regs, fpu, info uintptr // *amd64.UserRegs, *amd64.FPUState, *amd64.TrapInfo
	ksp             uintptr // kernel SP inside enterUser
}

var userCtxs [maxThreads]userCtx

func enterUser(regs *amd64.UserRegs, fpu *amd64.FPUState, cr3 uint64, info *amd64.TrapInfo)

// SwitchToUser runs the user thread described by regs and fpu in the
// address space whose PML4 is at physical address cr3, until the CPU
// traps back. Selectors are checked here: CS/SS must be the user ones,
// data selectors null, user data, or a present TLS slot.
func SwitchToUser(regs *amd64.UserRegs, fpu *amd64.FPUState, cr3 uint64) amd64.TrapInfo {
	var info amd64.TrapInfo
	if regs.CS != amd64.UserCS64 && regs.CS != amd64.UserCS32 {
		regs.CS = amd64.UserCS64
	}
	regs.SS = amd64.UserDS
	regs.DS = userSelector(regs.DS, regs)
	regs.ES = userSelector(regs.ES, regs)
	regs.FS = userSelector(regs.FS, regs)
	regs.GS = userSelector(regs.GS, regs)
	enterUserBracketed(regs, fpu, cr3, &info)
	return info
}

// The runtime's own system-call bracket. While a goroutine is in ring 3
// the runtime sees it "in a system call": the garbage collector does not
// wait for it to reach a safe point, and sysmon can hand its P to another
// thread if the user code runs long (gVisor brackets its SwitchToUser the
// same way; go1.26 allows these two linknames for it).
//
//go:linkname entersyscall runtime.entersyscall
func entersyscall()

//go:linkname exitsyscall runtime.exitsyscall
func exitsyscall()

// enterUserBracketed must not grow its stack between the two calls (the
// goroutine's stack cannot move while it is in a system call): it and
// everything it calls are nosplit.
//
//go:nosplit
func enterUserBracketed(regs *amd64.UserRegs, fpu *amd64.FPUState, cr3 uint64, info *amd64.TrapInfo) {
	entersyscall()
	enterUser(regs, fpu, cr3, info)
	exitsyscall()
}

// userSelector keeps a data selector only if loading it cannot fault in
// ring 0: null, the user data segment, or a present TLS descriptor.
func userSelector(sel uint16, regs *amd64.UserRegs) uint16 {
	switch {
	case sel < 4, sel == amd64.UserDS:
		return sel
	case sel&3 == 3 && sel>>3 >= gdtTLSFirst && sel>>3 < gdtTLSFirst+3:
		d := regs.TLS[sel>>3-gdtTLSFirst]
		if d&(1<<47) != 0 && d&(3<<45) == 3<<45 && d&(1<<44) != 0 { // present, DPL 3, code/data
			return sel
		}
	}
	return 0
}

//go:nosplit
func prepareUser(regs *amd64.UserRegs, fpu *amd64.FPUState, cr3 uint64, info *amd64.TrapInfo, ksp uintptr) uintptr {
	c := &userCtxs[curIdx]
	c.regs, c.fpu, c.info, c.ksp = uintptr(unsafe.Pointer(regs)), fpu.Addr(), uintptr(unsafe.Pointer(info)), ksp
	if amd64.ReadCR3() != cr3 {
		amd64.WriteCR3(cr3)
	}
	for i := 0; i < 3; i++ {
		gdt[gdtTLSFirst+i] = regs.TLS[i]
	}
	t := cur()
	f := frameAt(t.kstackTop - unsafe.Sizeof(TrapFrame{}))
	curUserFPU = fpu.Addr()
	*u32at(curUserFPU + 24) &= 0xffbf // MXCSR reserved bits: FXRSTOR would #GP
	f.R15, f.R14, f.R13, f.R12 = regs.R15, regs.R14, regs.R13, regs.R12
	f.R11, f.R10, f.R9, f.R8 = regs.R11, regs.R10, regs.R9, regs.R8
	f.RBP, f.RDI, f.RSI, f.RDX = regs.RBP, regs.RDI, regs.RSI, regs.RDX
	f.RCX, f.RBX, f.RAX = regs.RCX, regs.RBX, regs.RAX
	f.RIP, f.RSP = regs.RIP, regs.RSP
	f.RFLAGS = regs.RFLAGS&0xcd5 | 0x202 // status flags, DF; IF on; no IOPL, TF, NT
	f.CS, f.SS = regs.CS|3, regs.SS|3
	// userSel holds what the CPU's selectors are now (read at the last
	// exit from ring 3): load only what differs. A TLS selector is always
	// reloaded, since its descriptor may have changed.
	want := [4]uint16{regs.DS, regs.ES, regs.FS, regs.GS}
	selLoadMask = 0
	for i, sel := range want {
		if sel != userSel[i] || sel>>3 >= gdtTLSFirst {
			selLoadMask |= 1 << i
		}
	}
	userSel = want
	if regs.GSBase != hwGSBase || want[3] != 0 {
		selLoadMask |= 16
	}
	hwGSBase = regs.GSBase
	userFSBase, userGSBase = regs.FSBase, regs.GSBase
	if !amd64.Canonical(f.RIP) || f.RIP >= 1<<47 {
		f.RIP = 1 << 63 // IRETQ to it raises #GP in ring 3: the task gets SIGSEGV
	}
	// After a SYSCALL the task layer leaves RCX = RIP and R11 = RFLAGS
	// (LINUX-SEMANTICS §1.1): then SYSRETQ can return.
	useSysret = f.CS == amd64.UserCS64|3 && f.RCX == f.RIP && regs.R11 == regs.RFLAGS && f.RIP < 1<<47
	if useSysret {
		f.R11 = f.RFLAGS
	}
	return frameAddr(f)
}

// userTrap hands a trap from ring 3 to the goroutine in enterUser and
// returns 0, which tells trapCommon to resume that goroutine.
//
//go:nosplit
func userTrap(tf *TrapFrame, kind amd64.TrapKind, cr2 uint64) uintptr {
	c := &userCtxs[curIdx]
	regs := (*amd64.UserRegs)(unsafe.Add(nil, c.regs))
	info := (*amd64.TrapInfo)(unsafe.Add(nil, c.info))
	regs.R15, regs.R14, regs.R13, regs.R12 = tf.R15, tf.R14, tf.R13, tf.R12
	regs.R11, regs.R10, regs.R9, regs.R8 = tf.R11, tf.R10, tf.R9, tf.R8
	regs.RBP, regs.RDI, regs.RSI, regs.RDX = tf.RBP, tf.RDI, tf.RSI, tf.RDX
	regs.RCX, regs.RBX, regs.RAX = tf.RCX, tf.RBX, tf.RAX
	regs.RIP, regs.RSP, regs.RFLAGS = tf.RIP, tf.RSP, tf.RFLAGS
	regs.CS, regs.SS = tf.CS, tf.SS
	regs.DS, regs.ES, regs.FS, regs.GS = userSel[0], userSel[1], userSel[2], userSel[3]
	regs.FSBase, regs.GSBase = userFSBase, userGSBase
	regs.OrigRAX = tf.RAX
	*info = amd64.TrapInfo{Kind: kind, Vector: tf.Vector, ErrorCode: tf.ErrorCode, CR2: cr2}
	kernelReturnSP = c.ksp
	return 0
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
	if amd64.ReadCR3() == cr3 {
		amd64.WriteCR3(kernelPML4)
	}
	amd64.EnableInterrupts()
}

// FlushTLBPage and FlushTLB implement mm's TLB hooks on the metal.
func FlushTLBPage(va uintptr) { amd64.Invlpg(va) }

// FlushTLB reloads CR3, dropping every non-global translation.
func FlushTLB() {
	amd64.DisableInterrupts()
	amd64.WriteCR3(amd64.ReadCR3())
	amd64.EnableInterrupts()
}
