package kernel

// The data of signals: sets, actions, siginfo, pending queues, and where
// each lives. Linux spreads it over sighand_struct (the actions, shared
// by the threads of a process), signal_struct (the process-wide pending
// queue) and task_struct (the blocked mask, the thread's own pending
// queue, the alternate stack). Ringo keeps the first two in
// Process.sighand and the rest in Task.sig, all guarded by one lock,
// sighand.mu (Linux's siglock).

import (
	"encoding/binary"
	"sync"

	"github.com/ringo-os/ringo/abi"
)

// sigSet mirrors sigset_t on x86_64: bit sig-1 stands for signal sig.
// The i386 compat_sigset_t is the same 8 bytes as two 32-bit words.
type sigSet uint64

func sigMask(sig int) sigSet { return 1 << (sig - 1) }

// unblockable is what no mask may contain (sigdelsetmask of SIGKILL and
// SIGSTOP in every setter).
const unblockable = sigSet(1<<(abi.SIGKILL-1) | 1<<(abi.SIGSTOP-1))

// synchronousMask is SYNCHRONOUS_MASK: faults are dequeued before
// anything else so that the handler sees the fault it caused.
const synchronousMask = sigSet(1<<(abi.SIGSEGV-1) | 1<<(abi.SIGBUS-1) | 1<<(abi.SIGILL-1) | 1<<(abi.SIGTRAP-1) | 1<<(abi.SIGFPE-1) | 1<<(abi.SIGSYS-1))

// Handler values and sa_flags (include/uapi/asm-generic/signal-defs.h,
// arch/x86/include/uapi/asm/signal.h).
const (
	sigDFL = 0
	sigIGN = 1

	saNOCLDSTOP     = 0x00000001
	saNOCLDWAIT     = 0x00000002
	saSIGINFO       = 0x00000004
	saEXPOSETAGBITS = 0x00000800
	saONSTACK       = 0x08000000
	saRESTART       = 0x10000000
	saNODEFER       = 0x40000000
	saRESETHAND     = 0x80000000
	saRESTORER      = 0x04000000
	// saIA32ABI is kernel-internal: the action was installed through the
	// i386 table, so its frames use the i386 layouts (is_ia32_frame).
	saIA32ABI = 0x02000000

	// uapiSAFlags is UAPI_SA_FLAGS: sigaction keeps only these bits, so
	// that a program can probe for support (SA_UNSUPPORTED reads back 0).
	uapiSAFlags = saNOCLDSTOP | saNOCLDWAIT | saSIGINFO | saONSTACK | saRESTART |
		saNODEFER | saRESETHAND | saEXPOSETAGBITS | saRESTORER
)

// sigAction mirrors struct k_sigaction.
type sigAction struct {
	handler  uint64
	flags    uint64
	restorer uint64
	mask     sigSet
}

// si_code values (include/uapi/asm-generic/siginfo.h).
const (
	siUSER   = 0
	siKERNEL = 0x80
	siTKILL  = -6

	segvMAPERR = 1
	segvACCERR = 2
	busADRERR  = 2
	illILLOPN  = 2
	fpeINTDIV  = 1
	trapBRKPT  = 1
)

// sigInfo is kernel_siginfo: the fields Ringo's signals carry.
type sigInfo struct {
	signo, errno, code int32
	pid                int32  // SI_USER, SI_TKILL: the sender's tgid
	uid                uint32 // and its uid
	addr               uint64 // faults: si_addr
}

// siginfoSize is sizeof(siginfo_t) for both ABIs.
const siginfoSize = 128

// isFault reports whether the info is a fault's (_sigfault layout).
func (si *sigInfo) isFault() bool {
	switch si.signo {
	case abi.SIGSEGV, abi.SIGBUS, abi.SIGILL, abi.SIGFPE, abi.SIGTRAP:
		return si.code > 0 // kernel-generated codes; SI_USER carries a pid instead
	}
	return false
}

// encode64 mirrors copy_siginfo_to_user: signo, errno, code, then the
// union at offset 16 (8-byte aligned on x86_64).
func (si *sigInfo) encode64(b []byte) {
	le := binary.LittleEndian
	le.PutUint32(b[0:], uint32(si.signo))
	le.PutUint32(b[4:], uint32(si.errno))
	le.PutUint32(b[8:], uint32(si.code))
	if si.isFault() {
		le.PutUint64(b[16:], si.addr)
		return
	}
	le.PutUint32(b[16:], uint32(si.pid))
	le.PutUint32(b[20:], si.uid)
}

// encode32 mirrors copy_siginfo_to_user32: the union starts at offset 12
// and si_addr is a 32-bit compat pointer.
func (si *sigInfo) encode32(b []byte) {
	le := binary.LittleEndian
	le.PutUint32(b[0:], uint32(si.signo))
	le.PutUint32(b[4:], uint32(si.errno))
	le.PutUint32(b[8:], uint32(si.code))
	if si.isFault() {
		le.PutUint32(b[12:], uint32(si.addr))
		return
	}
	le.PutUint32(b[12:], uint32(si.pid))
	le.PutUint32(b[16:], si.uid)
}

// sigPending mirrors struct sigpending: the set of pending signals and
// their queued siginfo. A standard signal is queued once (legacy_queue);
// real-time signals queue every instance.
type sigPending struct {
	set   sigSet
	queue []sigInfo
}

// add queues info unless it is a standard signal already pending.
func (p *sigPending) add(info sigInfo) {
	if info.signo < abi.SIGRTMIN && p.set&sigMask(int(info.signo)) != 0 {
		return
	}
	p.set |= sigMask(int(info.signo))
	p.queue = append(p.queue, info)
}

// take removes the first queued instance of sig (collect_signal); the
// bit stays set while more instances are queued.
func (p *sigPending) take(sig int) sigInfo {
	info := sigInfo{signo: int32(sig)}
	found, more := false, false
	for i := 0; i < len(p.queue); i++ {
		if int(p.queue[i].signo) != sig {
			continue
		}
		if found {
			more = true
			break
		}
		info, found = p.queue[i], true
		p.queue = append(p.queue[:i], p.queue[i+1:]...)
		i--
	}
	if !more {
		p.set &^= sigMask(sig)
	}
	return info
}

// flush drops every queued instance of the signals in mask
// (flush_sigqueue_mask).
func (p *sigPending) flush(mask sigSet) {
	if p.set&mask == 0 {
		return
	}
	p.set &^= mask
	q := p.queue[:0]
	for _, info := range p.queue {
		if mask&sigMask(int(info.signo)) == 0 {
			q = append(q, info)
		}
	}
	p.queue = q
}

// nextSignal picks the signal to dequeue from the set of deliverable ones:
// synchronous signals first, then the lowest number (next_signal).
func nextSignal(deliverable sigSet) int {
	if s := deliverable & synchronousMask; s != 0 {
		deliverable = s
	}
	for sig := 1; sig <= abi.SIGRTMAX; sig++ {
		if deliverable&sigMask(sig) != 0 {
			return sig
		}
	}
	return 0
}

// signalHandlers is a process's sighand_struct plus signal_struct's
// shared_pending. mu is Linux's siglock: it also guards every Task.sig
// of the process.
type signalHandlers struct {
	mu     sync.Mutex
	action [abi.SIGRTMAX]sigAction
	shared sigPending
}

// taskSignals is the per-thread part (task_struct).
type taskSignals struct {
	blocked sigSet
	pending sigPending
	// savedMask is the mask to restore after rt_sigsuspend
	// (saved_sigmask with TIF_RESTORE_SIGMASK = restoreMask).
	savedMask   sigSet
	restoreMask bool
	// The alternate signal stack (sas_ss_sp, sas_ss_size, sas_ss_flags).
	altSP    uint64
	altSize  uint64
	altFlags uint32
	// The last trap, for sigcontext's trapno, err and cr2
	// (thread.trap_nr, error_code, cr2).
	trapNo, trapErr, cr2 uint64
	// injected is set by interruptSyscall (tests): a signal with a
	// handler that does not ask for SA_RESTART interrupted the call.
	injected bool
}

// actionOf returns the action for sig.
// Preconditions: h.mu held.
func (h *signalHandlers) actionOf(sig int) *sigAction { return &h.action[sig-1] }

// copyFrom gives a new process its parent's actions (copy_sighand): what
// a fork child inherits. Pending signals are not inherited.
func (h *signalHandlers) copyFrom(parent *signalHandlers) {
	parent.mu.Lock()
	act := parent.action
	parent.mu.Unlock()
	h.mu.Lock()
	h.action = act
	h.mu.Unlock()
}

// flushSignalHandlers mirrors flush_signal_handlers(current, 0) at
// execve: caught signals go back to SIG_DFL, ignored ones stay ignored,
// flags, restorers and masks are cleared. The blocked mask and pending
// signals survive exec; the alternate stack does not (it pointed into the
// old image).
func (t *Task) flushSignalHandlers() {
	h := &t.proc.sighand
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range h.action {
		a := &h.action[i]
		if a.handler != sigIGN {
			a.handler = sigDFL
		}
		a.flags, a.restorer, a.mask = 0, 0, 0
	}
	t.sig.altSP, t.sig.altSize, t.sig.altFlags = 0, 0, 0
}
