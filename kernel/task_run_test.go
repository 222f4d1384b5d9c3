package kernel

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/syscall"
	"github.com/stretchr/testify/require"
)

func TestSyscallReturnsInRAXAndClobbersRCXR11(t *testing.T) {
	u, _ := newUser(t, false)
	u.regs.RFLAGS = 0x246
	u.regs.R12 = 0x1234
	pid := u.syscall(39)
	require.Equal(t, int64(u.p.pid), pid)
	require.Equal(t, u.regs.RIP, u.regs.RCX, "rcx = return address")
	require.Equal(t, uint64(0x246), u.regs.R11, "r11 = RFLAGS at entry")
	require.Equal(t, uint64(0x1234), u.regs.R12, "other registers preserved")
	require.Equal(t, uint64(39), u.regs.OrigRAX)
}

func TestInt80PreservesRegistersAndUsesI386Table(t *testing.T) {
	for _, ia32 := range []bool{true, false} {
		t.Run(fmt.Sprint("ia32=", ia32), func(t *testing.T) {
			u, _ := newUser(t, ia32)
			u.regs.R11 = 0xabc
			u.regs.R9 = 0x99
			require.Equal(t, int64(u.p.pid), u.int80(20)) // i386 getpid
			require.Equal(t, uint64(0xabc), u.regs.R11)
			require.Equal(t, uint64(0x99), u.regs.R9, "r8-r15 preserved (4.17+)")
			require.Equal(t, int64(u.p.pid), u.int80(224)) // gettid
		})
	}
}

func TestSyscallNumberDecoding(t *testing.T) {
	u, _ := newUser(t, false)
	tests := []struct {
		name string
		rax  uint64
		want int64
	}{
		{"getpid with garbage in the upper half", 0x1_0000_0027, int64(u.p.pid)},
		{"rseq is ENOSYS (unsupported)", 334, errno(abi.ENOSYS)},
		{"64-bit set_thread_area slot is ENOSYS", 205, errno(abi.ENOSYS)},
		{"-1 is never dispatched", 0xffffffffffffffff, errno(abi.ENOSYS)},
		{"past the table", 100000, errno(abi.ENOSYS)},
		{"x32 bit without x32", 0x40000000 | 39, errno(abi.ENOSYS)},
		{"x32 row without the bit", 520, errno(abi.ENOSYS)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, u.syscall(tc.rax))
		})
	}
}

func TestExitGroupStatusReachesWait(t *testing.T) {
	for _, tc := range []struct {
		name string
		ia32 bool
		code uint64
		want int
	}{{"64-bit", false, 3, 3 << 8}, {"i386", true, 7, 7 << 8}, {"only the low 8 bits", false, 0x1ff, 0xff << 8}} {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := newUser(t, tc.ia32)
			if tc.ia32 {
				u.int80(252, tc.code)
			} else {
				u.syscall(231, tc.code)
			}
			require.Nil(t, u.regs, "the task must not enter user mode again")
			require.Equal(t, tc.want, u.p.Wait())
		})
	}
}

func TestUnresolvableFaultsKillWithSignalAndLog(t *testing.T) {
	segv := regexp.MustCompile(`^usertest\[\d+\]: segfault at ([0-9a-f]+) ip ([0-9a-f]{16}) sp ([0-9a-f]{16}) error ([0-9a-f]+)$`)
	tests := []struct {
		name   string
		info   amd64.TrapInfo
		signal int
		log    *regexp.Regexp
	}{
		{"read of a kernel address", amd64.TrapInfo{Kind: amd64.TrapPageFault, Vector: 14, CR2: 0xffff880000001000, ErrorCode: 5}, abi.SIGSEGV, segv},
		{"jump to NULL", amd64.TrapInfo{Kind: amd64.TrapPageFault, Vector: 14, CR2: 0, ErrorCode: 0x14}, abi.SIGSEGV, segv},
		{"write to an unmapped page", amd64.TrapInfo{Kind: amd64.TrapPageFault, Vector: 14, CR2: 0x20000000, ErrorCode: 6}, abi.SIGSEGV, segv},
		{"ud2", amd64.TrapInfo{Kind: amd64.TrapException, Vector: amd64.VecInvalidOp}, abi.SIGILL,
			regexp.MustCompile(`^traps: usertest\[\d+\] trap invalid opcode ip:401000 sp:[0-9a-f]+ error:0$`)},
		{"divide by zero", amd64.TrapInfo{Kind: amd64.TrapException, Vector: amd64.VecDivide}, abi.SIGFPE,
			regexp.MustCompile(`trap divide error ip:401000`)},
		{"general protection", amd64.TrapInfo{Kind: amd64.TrapException, Vector: amd64.VecGP}, abi.SIGSEGV,
			regexp.MustCompile(`^traps: usertest\[\d+\] general protection fault ip:401000 sp:[0-9a-f]+ error:0$`)},
		{"int3", amd64.TrapInfo{Kind: amd64.TrapException, Vector: amd64.VecBreakpoint}, abi.SIGTRAP, nil},
		{"alignment check", amd64.TrapInfo{Kind: amd64.TrapException, Vector: amd64.VecAlignment}, abi.SIGBUS, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, k := newUser(t, false)
			u.trap(tc.info)
			require.Nil(t, u.regs)
			require.Equal(t, tc.signal, u.p.Wait(), "wait status = signal number")
			if tc.log != nil {
				found := false
				for _, r := range k.Log().Records() {
					if m := tc.log.FindStringSubmatch(r.Text); m != nil {
						found = true
						if tc.info.Kind == amd64.TrapPageFault {
							require.Equal(t, fmt.Sprintf("%x", tc.info.CR2), m[1])
							require.Equal(t, fmt.Sprintf("%x", tc.info.ErrorCode), m[4])
						}
					}
				}
				require.True(t, found, "klog: %v", k.Log().Records())
			}
		})
	}
}

func TestResolvableFaultResumesTheTask(t *testing.T) {
	u, _ := newUser(t, false)
	rip := u.regs.RIP
	u.trap(amd64.TrapInfo{Kind: amd64.TrapPageFault, Vector: 14, CR2: scratch + 0x1234, ErrorCode: 6})
	require.NotNil(t, u.regs)
	require.Equal(t, rip, u.regs.RIP, "the faulting instruction is restarted")
	u.trap(amd64.TrapInfo{Kind: amd64.TrapInterrupt, Vector: 32})
	require.NotNil(t, u.regs, "an interrupt only preempts")
}

func TestKillWithDefaultActions(t *testing.T) {
	u, _ := newUser(t, false)
	pid := uint64(u.p.pid)
	require.Equal(t, int64(0), u.syscall(62, pid, 0), "signal 0 probes")
	require.Equal(t, int64(0), u.syscall(62, pid, abi.SIGCHLD), "SIGCHLD is ignored by default")
	require.Equal(t, errno(abi.EINVAL), u.syscall(62, pid, 65))
	require.Equal(t, errno(abi.ESRCH), u.syscall(62, 99999, 15))
	require.Equal(t, errno(abi.EINVAL), u.syscall(234, 0, pid, 15), "tgkill tgid 0")
	require.Equal(t, errno(abi.ESRCH), u.syscall(234, pid+1, pid, 15), "tgkill wrong group")
	u.syscall(62, pid, 15)
	require.Nil(t, u.regs)
	require.Equal(t, 15, u.p.Wait())
}

func TestPanicInHandlerOopsesOnlyThatTask(t *testing.T) {
	u, k := newUser(t, false)
	// A SIGSEGV handler must not run after an oops.
	require.Equal(t, int64(0), u.sigaction64(abi.SIGSEGV, 0x401000, saSIGINFO, 0))
	h := handlers()
	h["sys_getpid"] = func(*Task, *syscall.Args) (uint64, error) { panic("a kernel bug") }
	d, err := syscall.NewDispatcher(syscall.Config[*Task]{Handlers: h})
	require.NoError(t, err)
	k.disp = d
	u.syscall(39)
	require.Nil(t, u.regs, "the task must not enter user mode again")
	require.Equal(t, abi.SIGSEGV, u.p.Wait()&0x7f, "killed by SIGSEGV")
	requireLog(t, k, "Oops: kernel panic in system call 39 from usertest")
	requireLog(t, k, "a kernel bug")

	// The kernel goes on: another process still gets answers.
	u2, _ := newUser(t, false)
	require.Equal(t, int64(u2.p.pid), u2.syscall(39))
}
