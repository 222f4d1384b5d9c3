package kernel

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/stretchr/testify/require"
)

// vdsoAt is where the compat tests pretend the i386 vDSO is mapped: only
// the address matters to the kernel (the scripted CPU runs no code).
const vdsoAt = 0x60000000

// newCompatUser is an i386 task on a kernel whose CPU has compat SYSCALL.
func newCompatUser(t *testing.T) *user {
	u, k := newUser(t, true)
	k.compatSyscall = true // before the next trap: the channel orders it
	u.p.vdso = vdsoAt
	u.task.vsyscallLanding = k.vsyscallLanding(&image{ia32: true, vdso: vdsoAt}) // as exec sets it
	return u
}

// vsyscall is __kernel_vsyscall's SYSCALL flavour up to its SYSCALL: push
// ecx, push ebp, ebp = ecx, then SYSCALL (RCX = the next instruction,
// R11 = RFLAGS), and the nucleus's exit, which reads the word at ESP into
// StackWord. It returns eax as the kernel left it.
func (u *user) vsyscall(nr uint64, args ...uint64) int64 {
	u.t.Helper()
	a := make([]uint64, 6)
	copy(a, args)
	r := u.regs
	r.RSP -= 8
	u.poke(r.RSP, binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, uint32(a[5])), uint32(a[1])))
	r.RAX, r.RBX, r.RDX, r.RSI, r.RDI, r.RBP = nr, a[0], a[2], a[3], a[4], a[1]
	r.RIP = vdsoAt + vdsoCodeOff + vdso32SysRetOff
	r.RCX, r.R11 = r.RIP, r.RFLAGS
	u.trap(compatTrap(uint64(u.u32(r.RSP))))
	if u.regs == nil {
		return 0
	}
	return int64(int32(uint32(u.regs.RAX)))
}

// compatTrap is the nucleus's report of a compat SYSCALL whose caller's
// stack word could be read.
func compatTrap(stackWord uint64) amd64.TrapInfo {
	return amd64.TrapInfo{Kind: amd64.TrapSyscall32, Vector: 258, StackWord: 1<<32 | stackWord}
}

// The vDSO's SYSCALL is the i386 system call with the same arguments: the
// second from EBP, the sixth from the stack. mmap2 uses all six: a shared
// mapping of the file's second page (pgoff 1, the sixth argument) of one
// page (the second).
func TestCompatSyscallFromTheVDSOTakesAllSixArguments(t *testing.T) {
	u := newCompatUser(t)
	fd := u.int80(5, u.str(buf, "/f"), 0x42, 0o600) // open(O_CREAT|O_RDWR)
	require.GreaterOrEqual(t, fd, int64(0))
	content := append(bytes.Repeat([]byte{'a'}, 4096), bytes.Repeat([]byte{'b'}, 4096)...)
	u.poke(buf2, content)
	require.Equal(t, int64(8192), u.int80(4, uint64(fd), buf2, 8192))

	u.regs.R12, u.regs.RFLAGS = 0x1212, 0x246
	sp := u.regs.RSP
	addr := uint32(u.vsyscall(192, 0, 4096, 1, 1, uint64(fd), 1)) // mmap2(NULL, 4096, PROT_READ, MAP_SHARED, fd, 1)
	require.Less(t, addr, uint32(0xfffff000), "mmap2: errno %d", -int32(addr))
	require.Equal(t, bytes.Repeat([]byte{'b'}, 4096), u.peek(uint64(addr), 4096), "the page at pgoff 1")

	r := u.regs
	require.Equal(t, uint64(vdsoAt+vdsoCodeOff+vdso32LandingOff), r.RIP, "back at the landing pad, past the int $0x80")
	require.Equal(t, uint64(192), r.OrigRAX)
	require.Equal(t, uint64(1), r.RBP, "ebp: the caller's, from the stack")
	require.Equal(t, []uint64{r.RIP, 0x246}, []uint64{r.RCX, r.R11}, "rcx = rip, r11 = rflags: SYSRETL may return")
	require.Equal(t, sp-8, r.RSP, "the pad pops what __kernel_vsyscall pushed")
	require.Equal(t, uint64(0x1212), r.R12)
}

// SYSCALL from 32-bit code outside the vDSO cannot be served (ECX is
// gone): it is #UD, as on Intel CPUs. So is every compat SYSCALL on a CPU
// that the vDSO does not use it on.
func TestCompatSyscallElsewhereIsSIGILL(t *testing.T) {
	for _, tc := range []struct {
		name   string
		vdsoOK bool
	}{{"outside the vDSO", false}, {"CPU without compat SYSCALL", true}} {
		t.Run(tc.name, func(t *testing.T) {
			u, k := newUser(t, true)
			k.compatSyscall = !tc.vdsoOK
			u.p.vdso = vdsoAt
			u.task.vsyscallLanding = k.vsyscallLanding(&image{ia32: true, vdso: vdsoAt})
			u.regs.RAX = 20
			u.regs.RIP = 0x8048102 // after a SYSCALL at 0x8048100
			if tc.vdsoOK {
				u.regs.RIP = vdsoAt + vdsoCodeOff + vdso32SysRetOff
			}
			u.regs.RCX = u.regs.RIP
			u.cpu.trap <- amd64.TrapInfo{Kind: amd64.TrapSyscall32, Vector: 258}
			u.wait()
			require.Nil(t, u.regs, "killed")
			require.Equal(t, abi.SIGILL, u.p.Wait()&0x7f)
		})
	}
}

// The #UD lands on the SYSCALL itself, where a SIGILL handler sees it.
func TestCompatSyscallElsewhereReportsTheInstruction(t *testing.T) {
	u := newCompatUser(t)
	require.Equal(t, int64(0), u.sigaction32(abi.SIGILL, 0x8049000, saSIGINFO, 0, 0))
	u.regs.RAX, u.regs.RIP = 20, 0x8048102
	u.trap(amd64.TrapInfo{Kind: amd64.TrapSyscall32, Vector: 258})
	require.Equal(t, uint64(0x8049000), u.regs.RIP, "in the handler")
	frame := u.regs.RSP
	require.Equal(t, uint32(0x8048100), u.u32(frame+164+56), "sigcontext eip: the SYSCALL")
	require.Equal(t, uint32(0x8048100), u.u32(frame+16+12), "si_addr")
	require.Equal(t, uint32(20), u.u32(frame+164+44), "eax untouched: no system call ran")
}

// A stack word the nucleus could not read (its page not faulted in yet)
// is read through mm, as get_user would: the call goes ahead.
func TestCompatSyscallReadsAStackWordTheNucleusCouldNot(t *testing.T) {
	u := newCompatUser(t)
	sp := uint64(scratch + 0x40000) // never touched: not in the page tables yet
	u.regs.RSP = sp
	u.regs.RAX, u.regs.RBX, u.regs.RBP = 20, 0, 0
	u.regs.RIP = vdsoAt + vdsoCodeOff + vdso32SysRetOff
	u.trap(amd64.TrapInfo{Kind: amd64.TrapSyscall32, Vector: 258, StackWord: 0})
	require.Equal(t, int64(u.p.pid), int64(int32(uint32(u.regs.RAX))), "getpid ran")
	require.Equal(t, uint64(0), u.regs.RBP, "ebp from the (zero) stack word")
	u.poke(sp, binary.LittleEndian.AppendUint32(nil, 0xebb0))
	u.regs.RAX, u.regs.RIP = 20, vdsoAt+vdsoCodeOff+vdso32SysRetOff
	u.trap(amd64.TrapInfo{Kind: amd64.TrapSyscall32, Vector: 258, StackWord: 0})
	require.Equal(t, uint64(0xebb0), u.regs.RBP, "ebp read by mm")
}

// A caller whose stack cannot be read gets EFAULT (do_fast_syscall_32).
func TestCompatSyscallWithAnUnreadableStackIsEFAULT(t *testing.T) {
	u := newCompatUser(t)
	u.regs.RAX, u.regs.RSP = 20, 0xfffff000
	u.regs.RIP = vdsoAt + vdsoCodeOff + vdso32SysRetOff
	u.trap(amd64.TrapInfo{Kind: amd64.TrapSyscall32, Vector: 258, StackWord: 0}) // the nucleus could not read it
	require.Equal(t, errno(abi.EFAULT), int64(int32(uint32(u.regs.RAX))))
	require.Equal(t, uint64(vdsoAt+vdsoCodeOff+vdso32LandingOff), u.regs.RIP)
}

// A restarted call goes back to the vDSO's int $0x80 with the registers
// of an int $0x80: ecx the caller's again, ebp the caller's, eax the
// number. A signal frame records exactly that.
func TestCompatSyscallRestartRewindsOntoTheInt80(t *testing.T) {
	u := newCompatUser(t)
	require.Equal(t, int64(0), u.sigaction32(abi.SIGUSR1, 0x8049000, saSIGINFO|saRESTART, 0, 0))
	require.Equal(t, int64(0), u.int80(42, buf))
	rfd := uint64(u.u32(buf))
	// read(rfd, buf2, 10) through the vDSO: it blocks on the empty pipe.
	r := u.regs
	r.RSP -= 8
	u.poke(r.RSP, binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, 0xebb0), uint32(buf2)))
	r.RAX, r.RBX, r.RDX, r.RBP = 3, rfd, 10, buf2
	r.RIP = vdsoAt + vdsoCodeOff + vdso32SysRetOff
	r.RCX = r.RIP
	u.cpu.trap <- compatTrap(0xebb0)
	u.p.Kill(abi.SIGUSR1)
	u.wait()
	require.Equal(t, uint64(0x8049000), u.regs.RIP, "in the handler")
	sc := u.regs.RSP + 164
	require.Equal(t, uint32(vdsoAt+vdsoCodeOff+vdso32SysRetOff), u.u32(sc+56), "eip: the int $0x80 after the SYSCALL")
	require.Equal(t, []uint32{3, uint32(buf2), 0xebb0, 10, uint32(rfd)},
		[]uint32{u.u32(sc + 44), u.u32(sc + 40), u.u32(sc + 24), u.u32(sc + 36), u.u32(sc + 32)}, "eax ecx ebp edx ebx")
}

// Only an i386 image with a vDSO, on a CPU with compat SYSCALL, has a
// landing pad.
func TestVsyscallLanding(t *testing.T) {
	k := &Kernel{compatSyscall: true}
	require.Equal(t, uint64(vdsoAt+vdsoCodeOff+vdso32LandingOff), k.vsyscallLanding(&image{ia32: true, vdso: vdsoAt}))
	require.Zero(t, k.vsyscallLanding(&image{ia32: false, vdso: vdsoAt}), "64-bit")
	require.Zero(t, k.vsyscallLanding(&image{ia32: true}), "no vDSO")
	k.compatSyscall = false
	require.Zero(t, k.vsyscallLanding(&image{ia32: true, vdso: vdsoAt}), "the vDSO uses int $0x80")
}
