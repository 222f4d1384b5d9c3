package kernel

// The signal system calls' argument rules, errno by errno, for both ABIs.

import (
	"encoding/binary"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

func TestRtSigactionErrnos(t *testing.T) {
	u, _ := newUser(t, false)
	u.poke(actAddr, make([]byte, 32))
	tests := []struct {
		name string
		args []uint64
		want int64
	}{
		{"sigsetsize 4", []uint64{abi.SIGUSR1, actAddr, 0, 4}, errno(abi.EINVAL)},
		{"sigsetsize 16", []uint64{abi.SIGUSR1, actAddr, 0, 16}, errno(abi.EINVAL)},
		{"sigsetsize checked before the pointer", []uint64{abi.SIGUSR1, unmapped, 0, 7}, errno(abi.EINVAL)},
		{"signal 0", []uint64{0, actAddr, 0, 8}, errno(abi.EINVAL)},
		{"signal 65", []uint64{65, actAddr, 0, 8}, errno(abi.EINVAL)},
		{"signal -1", []uint64{0xffffffff, 0, oactAddr, 8}, errno(abi.EINVAL)},
		{"huge signal", []uint64{1 << 40, actAddr, 0, 8}, errno(abi.EINVAL)}, // int: only the low half counts (0)
		{"set SIGKILL", []uint64{abi.SIGKILL, actAddr, 0, 8}, errno(abi.EINVAL)},
		{"set SIGSTOP", []uint64{abi.SIGSTOP, actAddr, 0, 8}, errno(abi.EINVAL)},
		{"query SIGKILL", []uint64{abi.SIGKILL, 0, oactAddr, 8}, 0},
		{"unreadable act", []uint64{abi.SIGUSR1, unmapped, 0, 8}, errno(abi.EFAULT)},
		{"kernel act", []uint64{abi.SIGUSR1, 0xffff880000000000, 0, 8}, errno(abi.EFAULT)},
		{"unwritable oact", []uint64{abi.SIGUSR1, 0, unmapped, 8}, errno(abi.EFAULT)},
		{"both NULL", []uint64{abi.SIGUSR1, 0, 0, 8}, 0},
		{"signal 64", []uint64{64, actAddr, 0, 8}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, u.syscall(13, tc.args...))
		})
	}
}

func TestRtSigactionKeepsKnownFlagsAndReportsOldAction(t *testing.T) {
	u, _ := newUser(t, false)
	const unsupported = 0x400 // SA_UNSUPPORTED: a probe bit that never reads back
	mask := sigMask(abi.SIGUSR2) | sigMask(abi.SIGKILL) | sigMask(abi.SIGSTOP)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, saSIGINFO|saRESTART|unsupported|saIA32ABI, mask))
	a := u.queryAction(abi.SIGUSR1)
	require.Equal(t, uint64(handlerIP), a.handler)
	require.Equal(t, uint64(saSIGINFO|saRESTART|saRESTORER), a.flags, "unknown and kernel-internal bits are dropped")
	require.Equal(t, uint64(restorer), a.restorer)
	require.Equal(t, sigMask(abi.SIGUSR2), a.mask, "SIGKILL and SIGSTOP never enter a mask")

	// A bad oact still lets the new action take effect (do_sigaction runs first).
	u.poke(actAddr, make([]byte, 32)) // SIG_DFL
	require.Equal(t, errno(abi.EFAULT), u.syscall(13, abi.SIGUSR1, actAddr, unmapped, 8))
	require.Equal(t, uint64(sigDFL), u.queryAction(abi.SIGUSR1).handler)
}

func TestCompatRtSigactionUses32BitLayout(t *testing.T) {
	u, _ := newUser(t, true)
	require.Equal(t, int64(0), u.sigaction32(abi.SIGUSR1, 0x8049000, saSIGINFO|saRESTORER, 0x8049100, sigMask(abi.SIGHUP)|sigMask(40)))
	require.Equal(t, int64(0), u.int80(174, abi.SIGUSR1, 0, oactAddr, 8))
	b := u.peek(oactAddr, 20)
	le := binary.LittleEndian
	require.Equal(t, uint32(0x8049000), le.Uint32(b))
	require.Equal(t, uint32(saSIGINFO|saRESTORER), le.Uint32(b[4:]), "SA_IA32_ABI is not shown")
	require.Equal(t, uint32(0x8049100), le.Uint32(b[8:]))
	require.Equal(t, uint64(sigMask(abi.SIGHUP)|sigMask(40)), le.Uint64(b[12:]), "the mask's high word is the second u32")
	require.Equal(t, errno(abi.EINVAL), u.int80(174, abi.SIGUSR1, actAddr, 0, 4))
	require.Equal(t, errno(abi.EFAULT), u.int80(174, abi.SIGUSR1, 0xfffff000, 0, 8))
}

func TestRtSigprocmaskErrnosAndRules(t *testing.T) {
	u, _ := newUser(t, false)
	put := func(s sigSet) { u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(s))) }

	put(sigMask(abi.SIGUSR1) | sigMask(abi.SIGKILL) | sigMask(abi.SIGSTOP))
	require.Equal(t, int64(0), u.syscall(14, sigBLOCK, setAddr, osetAddr, 8))
	require.Equal(t, uint64(0), u.u64(osetAddr), "the old mask")
	require.Equal(t, sigMask(abi.SIGUSR1), u.blockedMask(), "SIGKILL and SIGSTOP cannot be blocked")

	put(sigMask(abi.SIGUSR2))
	require.Equal(t, int64(0), u.syscall(14, sigSETMASK, setAddr, 0, 8))
	require.Equal(t, sigMask(abi.SIGUSR2), u.blockedMask())
	require.Equal(t, int64(0), u.syscall(14, sigUNBLOCK, setAddr, 0, 8))
	require.Equal(t, sigSet(0), u.blockedMask())

	tests := []struct {
		name string
		args []uint64
		want int64
	}{
		{"bad how", []uint64{3, setAddr, 0, 8}, errno(abi.EINVAL)},
		{"negative how", []uint64{0xffffffff, setAddr, 0, 8}, errno(abi.EINVAL)},
		{"bad how without a set is not looked at", []uint64{77, 0, osetAddr, 8}, 0},
		{"sigsetsize 4", []uint64{sigBLOCK, setAddr, 0, 4}, errno(abi.EINVAL)},
		{"sigsetsize 0", []uint64{sigBLOCK, 0, 0, 0}, errno(abi.EINVAL)},
		{"unreadable set", []uint64{sigBLOCK, unmapped, 0, 8}, errno(abi.EFAULT)},
		{"unwritable oset", []uint64{sigBLOCK, 0, unmapped, 8}, errno(abi.EFAULT)},
		{"kernel oset", []uint64{sigBLOCK, 0, 0xffffffff80000000, 8}, errno(abi.EFAULT)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, u.syscall(14, tc.args...))
		})
	}

	u32, _ := newUser(t, true)
	u32.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGUSR1)|sigMask(50))))
	require.Equal(t, int64(0), u32.int80(175, sigBLOCK, setAddr, osetAddr, 8))
	require.Equal(t, int64(0), u32.int80(175, sigBLOCK, 0, osetAddr, 8))
	require.Equal(t, uint64(sigMask(abi.SIGUSR1)|sigMask(50)), u32.u64(osetAddr), "compat sigset: two u32 words, same bytes")
	require.Equal(t, errno(abi.EINVAL), u32.int80(175, 9, setAddr, 0, 8))
}

func TestRtSigpendingShowsBlockedPendingSignals(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, 0, 0))
	u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGUSR1)|sigMask(abi.SIGTERM))))
	require.Equal(t, int64(0), u.syscall(14, sigBLOCK, setAddr, 0, 8))
	require.Equal(t, int64(0), u.raise(abi.SIGUSR1))
	require.Equal(t, int64(0), u.raise(abi.SIGTERM), "blocked, so not fatal yet")
	require.Equal(t, int64(0), u.raise(abi.SIGCHLD), "SIG_DFL ignored and not blocked: dropped at once")
	require.NotEqual(t, uint64(handlerIP), u.regs.RIP, "no handler ran")

	require.Equal(t, int64(0), u.syscall(127, setAddr, 8))
	require.Equal(t, uint64(sigMask(abi.SIGUSR1)|sigMask(abi.SIGTERM)), u.u64(setAddr))
	u.poke(setAddr, make([]byte, 8))
	require.Equal(t, int64(0), u.syscall(127, setAddr, 1), "a short size copies that many bytes")
	require.Equal(t, uint64(sigMask(abi.SIGUSR1)&0xff), u.u64(setAddr))
	require.Equal(t, errno(abi.EINVAL), u.syscall(127, setAddr, 9))
	require.Equal(t, errno(abi.EFAULT), u.syscall(127, unmapped, 8))

	// Unblocking delivers: USR1's handler runs, then TERM kills.
	u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGUSR1))))
	require.Equal(t, int64(0), u.syscall(14, sigUNBLOCK, setAddr, 0, 8))
	require.Equal(t, uint64(handlerIP), u.regs.RIP)
	require.Equal(t, uint64(abi.SIGUSR1), u.regs.RDI)
	u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGTERM))))
	u.syscall(14, sigUNBLOCK, setAddr, 0, 8)
	expectSignalExit(t, u, abi.SIGTERM)
}

func TestSigaltstackRules(t *testing.T) {
	u, _ := newUser(t, false)
	put := func(sp uint64, flags uint32, size uint64) {
		b := make([]byte, 24)
		binary.LittleEndian.PutUint64(b, sp)
		binary.LittleEndian.PutUint32(b[8:], flags)
		binary.LittleEndian.PutUint64(b[16:], size)
		u.poke(ssAddr, b)
	}
	old := func() (uint64, uint32, uint64) {
		b := u.peek(oactAddr, 24)
		return binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint32(b[8:]), binary.LittleEndian.Uint64(b[16:])
	}
	require.Equal(t, int64(0), u.syscall(131, 0, oactAddr))
	_, flags, _ := old()
	require.Equal(t, uint32(ssDISABLE), flags, "no alternate stack yet")

	tests := []struct {
		name  string
		sp    uint64
		flags uint32
		size  uint64
		want  int64
	}{
		{"unknown mode", altStack, 4, altSize, errno(abi.EINVAL)},
		{"SS_ONSTACK|SS_DISABLE", altStack, 3, altSize, errno(abi.EINVAL)},
		{"too small", altStack, 0, 2047, errno(abi.ENOMEM)},
		{"MINSIGSTKSZ", altStack, 0, 2048, 0},
		{"SS_ONSTACK is accepted as 0", altStack, ssONSTACK, altSize, 0},
		{"with SS_AUTODISARM", altStack, ssAUTODISARM, altSize, 0},
		{"SS_DISABLE ignores size", 0x1234, ssDISABLE, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			put(tc.sp, tc.flags, tc.size)
			require.Equal(t, tc.want, u.syscall(131, ssAddr, 0))
		})
	}
	require.Equal(t, errno(abi.EFAULT), u.syscall(131, unmapped, 0))
	put(altStack, 0, altSize)
	require.Equal(t, int64(0), u.syscall(131, ssAddr, oactAddr))
	_, flags, _ = old()
	require.Equal(t, uint32(ssDISABLE), flags, "the old (disabled) stack is reported")
	require.Equal(t, errno(abi.EFAULT), u.syscall(131, 0, unmapped))

	// Running on the alternate stack: it is reported and cannot change.
	u.regs.RSP = altStack + 0x100
	require.Equal(t, int64(0), u.syscall(131, 0, oactAddr))
	sp, flags, size := old()
	require.Equal(t, []uint64{altStack, ssONSTACK, altSize}, []uint64{sp, uint64(flags), size})
	require.Equal(t, errno(abi.EPERM), u.syscall(131, ssAddr, 0))

	// compat_stack_t: three 32-bit words.
	u32, _ := newUser(t, true)
	b := make([]byte, 12)
	binary.LittleEndian.PutUint32(b, altStack)
	binary.LittleEndian.PutUint32(b[8:], altSize)
	u32.poke(ssAddr, b)
	require.Equal(t, int64(0), u32.int80(186, ssAddr, 0))
	require.Equal(t, int64(0), u32.int80(186, 0, oactAddr))
	require.Equal(t, b[:4], u32.peek(oactAddr, 4))
	require.Equal(t, uint32(0), u32.u32(oactAddr+4))
	require.Equal(t, uint32(altSize), u32.u32(oactAddr+8))
}

func TestKillFamilyWithHandlersQueuesSiginfo(t *testing.T) {
	u, _ := newUser(t, false)
	pid := uint64(u.p.pid)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR2, handlerIP, saSIGINFO, 0))
	tests := []struct {
		name string
		call func() int64
		code int32
	}{
		{"kill", func() int64 { return u.syscall(62, pid, abi.SIGUSR2) }, siUSER},
		{"tkill", func() int64 { return u.syscall(200, pid, abi.SIGUSR2) }, siTKILL},
		{"tgkill", func() int64 { return u.syscall(234, pid, pid, abi.SIGUSR2) }, siTKILL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, int64(0), tc.call())
			require.Equal(t, uint64(handlerIP), u.regs.RIP)
			info := u.peek(u.regs.RSI, 24)
			le := binary.LittleEndian
			require.Equal(t, uint32(abi.SIGUSR2), le.Uint32(info))
			require.Equal(t, tc.code, int32(le.Uint32(info[8:])))
			require.Equal(t, uint32(pid), le.Uint32(info[16:]), "si_pid")
			require.Equal(t, uint32(0), le.Uint32(info[20:]), "si_uid")
			// Leave the handler the way a longjmp would: unblock.
			u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGUSR2))))
			require.Equal(t, int64(0), u.syscall(14, sigUNBLOCK, setAddr, 0, 8))
		})
	}
	require.Equal(t, errno(abi.EINVAL), u.syscall(62, pid, 65))
	require.Equal(t, errno(abi.EINVAL), u.syscall(200, 0, abi.SIGUSR2), "tkill tid 0")
	require.Equal(t, errno(abi.ESRCH), u.syscall(200, 99999, abi.SIGUSR2))
	require.Equal(t, int64(0), u.syscall(200, pid, 0), "signal 0 probes")
}

func TestRealTimeSignalsQueueEveryInstanceStandardOnesOnce(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.sigaction64(40, handlerIP, 0, 0))
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, 0, 0))
	u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(40)|sigMask(abi.SIGUSR1))))
	require.Equal(t, int64(0), u.syscall(14, sigBLOCK, setAddr, 0, 8))
	for i := 0; i < 3; i++ {
		u.raise(40)
		u.raise(abi.SIGUSR1)
	}
	h := &u.p.sighand
	h.mu.Lock()
	n := len(u.task.sig.pending.queue)
	h.mu.Unlock()
	require.Equal(t, 4, n, "three SIGRTMIN+8 and one SIGUSR1")
}

func TestSigactionToIgnoreDiscardsPendingInstances(t *testing.T) {
	u, _ := newUser(t, false)
	u.poke(setAddr, binary.LittleEndian.AppendUint64(nil, uint64(sigMask(abi.SIGTERM))))
	require.Equal(t, int64(0), u.syscall(14, sigBLOCK, setAddr, 0, 8))
	u.raise(abi.SIGTERM)
	require.Equal(t, int64(0), u.syscall(127, setAddr, 8))
	require.Equal(t, uint64(sigMask(abi.SIGTERM)), u.u64(setAddr))
	require.Equal(t, int64(0), u.sigaction64(abi.SIGTERM, sigIGN, 0, 0))
	require.Equal(t, int64(0), u.syscall(127, setAddr, 8))
	require.Equal(t, uint64(0), u.u64(setAddr), "POSIX: setting SIG_IGN discards the pending signal")
	require.Equal(t, int64(0), u.syscall(14, sigUNBLOCK, setAddr, 0, 8))
	require.NotNil(t, u.regs, "still alive")
}

func TestExecResetsHandlersButKeepsIgnored(t *testing.T) {
	u, _ := newUser(t, false)
	require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, saSIGINFO, sigMask(abi.SIGUSR2)))
	require.Equal(t, int64(0), u.sigaction64(abi.SIGPIPE, sigIGN, 0, 0))
	u.task.sig.altSP, u.task.sig.altSize = altStack, altSize
	u.task.flushSignalHandlers() // what execve's installImage does
	require.Equal(t, sigAction{}, u.queryAction(abi.SIGUSR1))
	require.Equal(t, sigAction{handler: sigIGN}, u.queryAction(abi.SIGPIPE))
	require.Equal(t, uint64(0), u.task.sig.altSize)
}
