package nucleus

// trap is where every entry into the nucleus arrives: exceptions,
// interrupts and the runtime's SYSCALL. Read it top to bottom: the vector
// says why the CPU came here; the answer is the frame to resume.
//
// Runs on the trap path with interrupts off: //go:nosplit, no allocation.

import (
	"unsafe"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// TrapFrame is what trap_amd64.s saves, lowest address first.
type TrapFrame struct {
	FX                                   [512]byte // FXSAVE layout: MXCSR and XMM0-15 of a ring-0 trap (SAVE_SSE); unused for ring 3
	R15, R14, R13, R12, R11, R10, R9, R8 uint64
	RBP, RDI, RSI, RDX, RCX, RBX, RAX    uint64
	Vector, ErrorCode                    uint64
	RIP, CS, RFLAGS, RSP, SS             uint64 // pushed by the CPU
}

const (
	vecSyscall = 256 // pseudo vector for syscallEntry (exception vectors: arch/amd64's Vec*)
)

//go:nosplit
func frameAt(a uintptr) *TrapFrame { return (*TrapFrame)(unsafe.Add(nil, a)) }

//go:nosplit
func frameAddr(tf *TrapFrame) uintptr { return uintptr(unsafe.Pointer(tf)) }

// excDepth counts exceptions being handled on IST2; a second one means the
// nucleus faulted while handling a fault.
var excDepth int

//go:nosplit
func trap(tf *TrapFrame) uintptr {
	if tf.CS&3 == 3 {
		if !fromUser(tf) {
			return 0 // back to the goroutine in SwitchToUser
		}
		yieldFromUser()
		return resume()
	}
	if tf.Vector < 32 {
		excDepth++
		if excDepth > 1 {
			oops(tf, "fault while handling a fault")
		}
		exception(tf)
		excDepth--
		return frameAddr(tf) // exceptions never switch threads
	}
	// A system call or an interrupt: either may switch threads, so this
	// thread's state is the frame from here on.
	cur().frame = frameAddr(tf)
	// The runtime's SYSCALL (and a ring-0 INT $0x80) may have held an
	// interrupt back in its first instructions (irq_window.go).
	serviceDeferredIRQ()
	if tf.Vector == vecSyscall {
		syscall(tf)
	} else {
		interrupt(tf.Vector)
	}
	f := resume()
	if fatalSig != 0 {
		killKernel(fatalSig, frameAt(f))
	}
	return f
}

// exception handles a CPU exception raised by kernel Go code or by the
// nucleus itself. Page faults in the mmap area are demand paging; other
// faults in Go code become Linux signals for the runtime's handlers (a nil
// dereference becomes a Go panic); a fault inside the nucleus, or one the
// runtime has no handler for, is an oops.
//
//go:nosplit
func exception(tf *TrapFrame) {
	var sig, code uint32
	var addr uint64
	switch tf.Vector {
	case amd64.VecPageFault:
		// The exception table (Linux's fixup_exception): the one
		// nucleus load allowed to fault, on a user's stack, resumes
		// where the stub handles "unreadable" (user_amd64.s).
		if uintptr(tf.RIP) == compatStackLoadAddr {
			tf.RIP = uint64(compatStackDoneAddr)
			return
		}
		cr2 := amd64.ReadCR2()
		if tf.ErrorCode&amd64.PFProt == 0 && demandFault(uintptr(cr2), tf.ErrorCode&amd64.PFWrite != 0) {
			return
		}
		sig, addr = abi.SIGSEGV, cr2
		code = segvMapErr
		if tf.ErrorCode&amd64.PFProt != 0 {
			code = segvAccErr
		}
	case amd64.VecGP:
		sig, code = abi.SIGSEGV, siKernel // Linux: si_code SI_KERNEL, addr 0
	case amd64.VecDivide:
		sig, code, addr = abi.SIGFPE, fpeIntDiv, tf.RIP
	case amd64.VecX87, amd64.VecSIMD:
		sig, code, addr = abi.SIGFPE, 0, tf.RIP
	case amd64.VecInvalidOp:
		sig, code, addr = abi.SIGILL, illIllOpn, tf.RIP
	case amd64.VecBreakpoint, amd64.VecDebug:
		sig, code = abi.SIGTRAP, 0
	default:
		oops(tf, "unexpected exception")
	}
	if oomVA != 0 {
		oopsOutOfMemory(oomVA)
	}
	if inNucleus(tf) || !deliverFault(tf, sig, code, addr) {
		oops(tf, "unhandled fault in kernel code")
	}
}

// inNucleus reports whether the faulting code was the nucleus itself:
// the nucleus runs with interrupts disabled, Go code never does, and the
// system-call exits, which run with them on, set userWindow
// (irq_window.go).
//
//go:nosplit
func inNucleus(tf *TrapFrame) bool { return tf.RFLAGS&0x200 == 0 || userWindow != 0 }

// fromUser handles an exception or interrupt from ring 3 (system calls
// never come here: the fast exits in user_amd64.s hand them over).
// Interrupts are serviced here, then every trap goes back to the
// goroutine that runs the user thread.
//
// It reports whether the scheduler should run before the goroutine does.
//
//go:nosplit
func fromUser(tf *TrapFrame) bool {
	v := tf.Vector
	switch {
	case v == amd64.VecPageFault:
		userTrap(tf, amd64.TrapPageFault, amd64.ReadCR2())
		return false
	case v < 32:
		userTrap(tf, amd64.TrapException, 0)
		return false
	}
	interrupt(v)
	userTrap(tf, amd64.TrapInterrupt, 0)
	return needResched
}

// interrupt services a timer or device interrupt, whichever ring it came
// from: acknowledge it at the PIC, run the tick, and signal the eventfds
// bound to the line. Other vectors are spurious and ignored.
//
//go:nosplit
func interrupt(v uint64) {
	if v < vecIRQBase || v >= vecIRQBase+16 {
		return
	}
	irq := v - vecIRQBase
	picEOI(irq)
	if v == vecTimer {
		timerTick()
	}
	irqSignal(irq)
}

// yieldFromUser lets the scheduler run other runtime threads when the
// tick preempts ring 3: the goroutine's way back (its kernel stack
// pointer inside enterUser) becomes an ordinary kernel TrapFrame, so this
// thread can be switched out like any other and resumed later.
//
//go:nosplit
func yieldFromUser() {
	t := cur()
	f := frameAt(t.kstackTop - unsafe.Sizeof(TrapFrame{}))
	amd64.Memcpy(frameAddr(f), fpuDefault.Addr(), 512)
	f.RIP = uint64(resumeGoroutineAddr)
	f.CS, f.SS = selKernelCS, selKernelDS
	f.RFLAGS = 0x2 // interrupts stay off until resumeGoroutine's STI
	f.RSP = uint64(kernelReturnSP)
	t.frame = frameAddr(f)
}
