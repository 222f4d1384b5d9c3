package kernel

// Delivery rules: faults to handlers, force_sig, SIGPIPE, nesting and
// masks, SA_NODEFER, SA_RESETHAND, sigsuspend.

import (
	"encoding/binary"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/stretchr/testify/require"
)

// siginfoOf reads signo, code and the fault address (64-bit layout).
func (u *user) siginfoOf(addr uint64) (signo, code int32, faultAddr uint64) {
	return int32(u.u32(addr)), int32(u.u32(addr + 8)), u.u64(addr + 16)
}

func TestFaultsReachHandlersWithSiCodeAndAddress(t *testing.T) {
	tests := []struct {
		name     string
		sig      int
		prepare  func(u *user)
		info     amd64.TrapInfo
		code     int32
		addr     func(u *user) uint64
		trapno   uint64
		noLogged string
	}{
		{"SIGSEGV SEGV_MAPERR", abi.SIGSEGV, nil,
			amd64.TrapInfo{Kind: amd64.TrapPageFault, Vector: 14, CR2: unmapped + 8, ErrorCode: 6},
			segvMAPERR, func(*user) uint64 { return unmapped + 8 }, 14, "segfault"},
		{"SIGSEGV SEGV_ACCERR", abi.SIGSEGV, func(u *user) {
			require.Equal(u.t, int64(0), u.syscall(10, scratch, 0x1000, 1)) // mprotect PROT_READ
		}, amd64.TrapInfo{Kind: amd64.TrapPageFault, Vector: 14, CR2: scratch + 0x10, ErrorCode: 7},
			segvACCERR, func(*user) uint64 { return scratch + 0x10 }, 14, "segfault"},
		{"SIGILL ILL_ILLOPN", abi.SIGILL, nil, amd64.TrapInfo{Kind: amd64.TrapException, Vector: amd64.VecInvalidOp},
			illILLOPN, func(u *user) uint64 { return u.regs.RIP }, 6, "invalid opcode"},
		{"SIGFPE FPE_INTDIV", abi.SIGFPE, nil, amd64.TrapInfo{Kind: amd64.TrapException, Vector: amd64.VecDivide},
			fpeINTDIV, func(u *user) uint64 { return u.regs.RIP }, 0, "divide error"},
		{"SIGBUS BUS_ADRERR", abi.SIGBUS, nil, amd64.TrapInfo{Kind: amd64.TrapException, Vector: amd64.VecAlignment},
			busADRERR, func(u *user) uint64 { return u.regs.RIP }, 17, "alignment"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, k := newUser(t, false)
			require.Equal(t, int64(0), u.sigaction64(tc.sig, handlerIP, saSIGINFO, 0))
			if tc.prepare != nil {
				tc.prepare(u)
			}
			wantAddr := tc.addr(u)
			faultIP := u.regs.RIP
			u.fault(tc.info)
			require.NotNil(t, u.regs, "a handler runs instead of a kill")
			require.Equal(t, uint64(handlerIP), u.regs.RIP)
			require.Equal(t, uint64(tc.sig), u.regs.RDI)
			signo, code, addr := u.siginfoOf(u.regs.RSI)
			require.Equal(t, []int64{int64(tc.sig), int64(tc.code)}, []int64{int64(signo), int64(code)})
			require.Equal(t, wantAddr, addr, "si_addr")
			sc := u.regs.RSP + 48
			require.Equal(t, faultIP, u.u64(sc+128), "the frame's rip is the faulting instruction")
			require.Equal(t, tc.trapno, u.u64(sc+160), "trapno")
			require.Equal(t, tc.info.ErrorCode, u.u64(sc+152), "err")
			if tc.info.Kind == amd64.TrapPageFault {
				require.Equal(t, tc.info.CR2, u.u64(sc+176), "cr2")
			}
			for _, r := range k.Log().Records() {
				require.NotContains(t, r.Text, tc.noLogged, "a handled fault is not logged")
			}

			// The handler longjmps away without sigreturn: the signal stays
			// blocked, and the same fault again is forced: it kills.
			u.regs.RIP = faultIP
			u.fault(tc.info)
			expectSignalExit(t, u, tc.sig)
			requireLog(t, k, tc.noLogged)
		})
	}
}

func TestFaultWithIgnoredSignalKills(t *testing.T) {
	u, k := newUser(t, false)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGSEGV, sigIGN, 0, 0))
	u.fault(amd64.TrapInfo{Kind: amd64.TrapPageFault, Vector: 14, CR2: unmapped, ErrorCode: 4})
	expectSignalExit(t, u, abi.SIGSEGV)
	requireLog(t, k, "segfault at 20000000")
}

func TestFaultInsideASIGSEGVHandlerWithABadStackKills(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGSEGV, handlerIP, saSIGINFO, 0))
	u.regs.RSP = unmapped // the fault was a stack overflow: no frame fits
	u.fault(amd64.TrapInfo{Kind: amd64.TrapPageFault, Vector: 14, CR2: unmapped - 8, ErrorCode: 6})
	expectSignalExit(t, u, abi.SIGSEGV)
}

func TestIA32FaultHandlerGetsCompatSiginfo(t *testing.T) {
	u, _ := newUser(t, true)
	require.Equal(t, int64(0), u.sigaction32(abi.SIGSEGV, 0x8049000, saSIGINFO, 0, 0))
	u.fault(amd64.TrapInfo{Kind: amd64.TrapPageFault, Vector: 14, CR2: unmapped + 4, ErrorCode: 4})
	info := u.regs.RDX
	require.Equal(t, []uint32{abi.SIGSEGV, 0, segvMAPERR, unmapped + 4}, []uint32{u.u32(info), u.u32(info + 4), u.u32(info + 8), u.u32(info + 12)},
		"compat siginfo: si_addr at offset 12")
	sc := u.regs.RCX + 20
	require.Equal(t, []uint32{14, 4, unmapped + 4}, []uint32{u.u32(sc + 48), u.u32(sc + 52), u.u32(sc + 84)}, "trapno, err, cr2")
}

// pipeFds makes a pipe and returns its read and write ends.
func (u *user) pipeFds() (uint64, uint64) {
	u.t.Helper()
	require.Equal(u.t, int64(0), u.syscall(22, buf))
	return uint64(u.u32(buf)), uint64(u.u32(buf + 4))
}

func TestSIGPIPE(t *testing.T) {
	t.Run("default action kills the writer", func(t *testing.T) {
		u, _ := newUser(t, false)
		r, w := u.pipeFds()
		require.Equal(t, int64(0), u.syscall(3, r))
		u.syscall(1, w, buf2, 1)
		expectSignalExit(t, u, abi.SIGPIPE)
	})
	for _, tc := range []struct {
		name string
		call func(u *user, w uint64) int64
	}{
		{"SIG_IGN: write gets EPIPE", func(u *user, w uint64) int64 { return u.syscall(1, w, buf2, 1) }},
		{"SIG_IGN: writev gets EPIPE", func(u *user, w uint64) int64 {
			u.poke(buf2, binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, buf2+64), 4))
			return u.syscall(20, w, buf2, 1)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := newUser(t, false)
			require.Equal(t, int64(0), u.sigaction64(abi.SIGPIPE, sigIGN, 0, 0))
			r, w := u.pipeFds()
			require.Equal(t, int64(0), u.syscall(3, r))
			require.Equal(t, errno(abi.EPIPE), tc.call(u, w))
		})
	}
	t.Run("pwrite on a pipe is ESPIPE, no signal", func(t *testing.T) {
		u, _ := newUser(t, false)
		r, w := u.pipeFds()
		require.Equal(t, int64(0), u.syscall(3, r))
		require.Equal(t, errno(abi.ESPIPE), u.syscall(18, w, buf2, 1, 0))
	})
	t.Run("a handler sees the write's EPIPE in its frame", func(t *testing.T) {
		u, _ := newUser(t, false)
		require.Equal(t, int64(0), u.sigaction64(abi.SIGPIPE, handlerIP, saSIGINFO, 0))
		r, w := u.pipeFds()
		require.Equal(t, int64(0), u.syscall(3, r))
		u.syscall(1, w, buf2, 1)
		require.Equal(t, uint64(handlerIP), u.regs.RIP)
		require.Equal(t, errno(abi.EPIPE), int64(u.u64(u.regs.RSP+48+104)))
		signo, code, _ := u.siginfoOf(u.regs.RSI)
		require.Equal(t, []int32{abi.SIGPIPE, siUSER}, []int32{signo, code})
		require.Equal(t, uint32(u.p.pid), u.u32(u.regs.RSI+16), "si_pid: the writer itself")
	})
	t.Run("i386 writer", func(t *testing.T) {
		u, _ := newUser(t, true)
		require.Equal(t, int64(0), u.int80(42, buf))
		r, w := uint64(u.u32(buf)), uint64(u.u32(buf+4))
		require.Equal(t, int64(0), u.int80(6, r))
		u.int80(4, w, buf2, 1)
		expectSignalExit(t, u, abi.SIGPIPE)
	})
}

func TestNestedDeliveryFollowsTheMask(t *testing.T) {
	u, _ := newUser(t, false)
	const h1, h2 = handlerIP, handlerIP + 0x40
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, h1, saSIGINFO, sigMask(abi.SIGUSR2)))
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR2, h2, saSIGINFO, 0))
	origIP := u.regs.RIP
	u.deliverFromOutside(abi.SIGUSR1)
	require.Equal(t, uint64(h1), u.regs.RIP)
	frame1 := u.regs.RSP
	require.Equal(t, sigMask(abi.SIGUSR1)|sigMask(abi.SIGUSR2), u.blockedMask())

	require.Equal(t, int64(0), u.raise(abi.SIGUSR2), "blocked by sa_mask: stays pending")
	require.NotEqual(t, uint64(h2), u.regs.RIP)
	require.Equal(t, int64(0), u.syscall(127, setAddr, 8))
	require.Equal(t, uint64(sigMask(abi.SIGUSR2)), u.u64(setAddr))

	u.regs.RSP = frame1 + 8
	u.syscall(15) // sigreturn unblocks USR2: its handler runs at once
	require.Equal(t, uint64(h2), u.regs.RIP)
	require.Equal(t, uint64(abi.SIGUSR2), u.regs.RDI)
	require.Equal(t, origIP, u.u64(u.regs.RSP+48+128), "USR2's frame returns to where USR1 interrupted")
	require.Equal(t, sigMask(abi.SIGUSR2), u.blockedMask())
}

func TestSANodeferAndSAResethand(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, saNODEFER|saRESETHAND, 0))
	u.deliverFromOutside(abi.SIGUSR1)
	require.Equal(t, uint64(handlerIP), u.regs.RIP)
	require.Equal(t, sigSet(0), u.blockedMask(), "SA_NODEFER: the signal is not blocked in its handler")
	require.Equal(t, uint64(sigDFL), u.queryAction(abi.SIGUSR1).handler, "SA_RESETHAND: back to SIG_DFL")
	u.deliverFromOutside(abi.SIGUSR1)
	expectSignalExit(t, u, abi.SIGUSR1)
}

func TestSameSignalIsDeferredWithoutSANodefer(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, 0, 0))
	u.deliverFromOutside(abi.SIGUSR1)
	frame := u.regs.RSP
	u.deliverFromOutside(abi.SIGUSR1)
	require.Equal(t, frame, u.regs.RSP, "no nested frame while the handler runs")
	u.regs.RSP = frame + 8
	u.syscall(15)
	require.Equal(t, uint64(handlerIP), u.regs.RIP, "the deferred one runs after sigreturn")
}

func TestRtSigsuspendWaitsAndRestoresTheMask(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, saRESTART, 0))
	u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGUSR1))))
	require.Equal(t, int64(0), u.syscall(14, sigBLOCK, setAddr, 0, 8))
	u.poke(osetAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGHUP))))

	r := u.regs
	r.RAX, r.RDI, r.RSI = 130, osetAddr, 8
	r.RIP += 2
	after := r.RIP
	u.cpu.trap <- amdSyscall // sleeps with only SIGHUP blocked
	u.p.Kill(abi.SIGUSR1)
	u.wait()
	require.Equal(t, uint64(handlerIP), u.regs.RIP)
	sc := u.regs.RSP + 48
	require.Equal(t, errno(abi.EINTR), int64(u.u64(sc+104)), "ERESTARTNOHAND: EINTR even with SA_RESTART")
	require.Equal(t, after, u.u64(sc+128))
	require.Equal(t, uint64(sigMask(abi.SIGUSR1)), u.u64(u.regs.RSP+304), "the frame restores the mask from before sigsuspend")
	require.Equal(t, sigMask(abi.SIGHUP)|sigMask(abi.SIGUSR1), u.blockedMask(), "in the handler: the suspend mask plus the signal")
	u.regs.RSP += 8
	u.syscall(15)
	require.Equal(t, sigMask(abi.SIGUSR1), u.blockedMask())

	require.Equal(t, errno(abi.EINVAL), u.syscall(130, osetAddr, 4))
	require.Equal(t, errno(abi.EFAULT), u.syscall(130, unmapped, 8))
}

func TestDefaultActionsOfSignals(t *testing.T) {
	for _, tc := range []struct {
		sig   int
		fatal bool
	}{
		{abi.SIGHUP, true}, {abi.SIGTERM, true}, {abi.SIGUSR1, true}, {abi.SIGALRM, true}, {40, true}, {abi.SIGRTMAX, true},
		{abi.SIGCHLD, false}, {abi.SIGURG, false}, {abi.SIGWINCH, false}, {abi.SIGCONT, false},
		{abi.SIGSTOP, false}, {abi.SIGTSTP, false}, {abi.SIGTTIN, false}, {abi.SIGTTOU, false},
	} {
		u, _ := newUser(t, false)
		u.deliverFromOutside(tc.sig)
		if tc.fatal {
			expectSignalExit(t, u, tc.sig)
		} else {
			require.NotNil(t, u.regs, "signal %d is ignored by default (stop signals: no job control)", tc.sig)
		}
	}
}

// epoll_pwait waits with its own mask (set_user_sigmask): a pending
// signal the mask lets through interrupts it with EINTR, whatever
// SA_RESTART says, and the handler's frame restores the caller's mask.
// An uninterrupted call gives the old mask back at once.
func TestEpollPwaitInstallsItsMask(t *testing.T) {
	u, _ := newUser(t, false)
	epfd := u.syscall(291, 0)
	require.GreaterOrEqual(t, epfd, int64(3), "epoll_create1")
	evs := uint64(scratch + 0x21000)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, saRESTART, 0))
	u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGUSR1))))
	require.Equal(t, int64(0), u.syscall(14, sigBLOCK, setAddr, 0, 8))
	require.Equal(t, int64(0), u.raise(abi.SIGUSR1), "blocked: stays pending")

	// A mask that still blocks SIGUSR1: nothing ready, timeout 0.
	u.poke(osetAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGUSR1)|sigMask(abi.SIGHUP))))
	require.Equal(t, int64(0), u.syscall(281, uint64(epfd), evs, 4, 0, osetAddr, 8))
	require.Equal(t, sigMask(abi.SIGUSR1), u.blockedMask(), "the old mask is back at once")

	// Bad masks: nothing installed.
	require.Equal(t, errno(abi.EINVAL), u.syscall(281, uint64(epfd), evs, 4, 0, osetAddr, 4))
	require.Equal(t, errno(abi.EFAULT), u.syscall(281, uint64(epfd), evs, 4, 0, unmapped, 8))
	require.Equal(t, sigMask(abi.SIGUSR1), u.blockedMask())

	// A mask that lets SIGUSR1 through: EINTR, then the handler.
	u.poke(osetAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGHUP))))
	after := u.regs.RIP + 2
	u.syscall(281, uint64(epfd), evs, 4, 1000, osetAddr, 8)
	require.Equal(t, uint64(handlerIP), u.regs.RIP, "the handler runs")
	sc := u.regs.RSP + 48
	require.Equal(t, errno(abi.EINTR), int64(u.u64(sc+104)), "EINTR even with SA_RESTART")
	require.Equal(t, after, u.u64(sc+128), "not restarted")
	require.Equal(t, uint64(sigMask(abi.SIGUSR1)), u.u64(u.regs.RSP+304), "the frame restores the caller's mask")
	require.Equal(t, sigMask(abi.SIGHUP)|sigMask(abi.SIGUSR1), u.blockedMask(), "in the handler: the wait's mask plus the signal")
	u.regs.RSP += 8
	u.syscall(15)
	require.Equal(t, sigMask(abi.SIGUSR1), u.blockedMask())
}
