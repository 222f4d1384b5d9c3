package kernel

// SYSCALL from 32-bit code. On AMD CPUs (and QEMU's qemu64) SYSCALL also
// works in compatibility mode, and it is much cheaper than int $0x80:
// no IDT gate on the way in, SYSRETL instead of IRETQ on the way out.
// Linux's 32-bit vDSO uses it there, and so does Ringo's
// (vdso_image32.go): glibc's i386 programs make every system call with
// `call *%gs:0x10`, which is __kernel_vsyscall.
//
// SYSCALL overwrites ECX (with the return address), and ECX is the
// second argument, so the two sides agree on a convention, Linux's own
// (arch/x86/entry/common.c: do_fast_syscall_32):
//
//   - __kernel_vsyscall pushes ECX and EBP, copies ECX into EBP, and
//     issues SYSCALL, followed by an int $0x80 and the landing pad that
//     pops both back;
//   - the kernel takes the second argument from EBP and the sixth (the
//     caller's EBP) from the user stack (the nucleus reads that word on
//     the way out of ring 3, TrapInfo.StackWord, with one load that the
//     nucleus's exception table lets fault; mm reads it when that load
//     could not), and moves RIP past the int $0x80
//     to the landing pad. From then on the call is exactly an int $0x80
//     made from the vDSO: the same registers, the same compat table, and
//     a restart (ERESTARTSYS and friends) rewinds RIP by two bytes onto
//     that int $0x80;
//   - on the way out, if the task is still going to the landing pad,
//     SYSRETL may clobber ECX, since the pad restores it: the task layer
//     sets RCX = RIP and R11 = RFLAGS, which is the nucleus's sign that
//     SYSRET reproduces every register (nucleus.SwitchToUser).
//
// SYSCALL from anywhere else in 32-bit code cannot be served (its ECX is
// gone) and becomes what an Intel CPU raises for it, #UD: SIGILL at the
// instruction (user/fault_syscall32.c).

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/syscall"
)

// vsyscallLanding returns the landing pad of img's SYSCALL-flavoured
// __kernel_vsyscall, or 0 when it has none: a 64-bit image, no vDSO, or a
// CPU whose vDSO uses int $0x80. exec keeps it in the task.
func (k *Kernel) vsyscallLanding(img *image) uint64 {
	if !k.compatSyscall || !img.ia32 || img.vdso == 0 {
		return 0
	}
	return img.vdso + vdsoCodeOff + vdso32LandingOff
}

// compatSyscall serves a TrapSyscall32: the vDSO's, as an int $0x80 from
// its landing pad; any other, as #UD (the trap info is rewritten to say
// so). It reports whether it ran a system call, whose exit path (signal
// restarts, compatSysret) must follow.
func (t *Task) compatSyscall(info *amd64.TrapInfo, now int64) (syscalled bool) {
	r := &t.regs
	landing := t.vsyscallLanding
	if landing == 0 || r.RIP != landing-(vdso32LandingOff-vdso32SysRetOff) {
		r.RIP -= 2 // back to the SYSCALL, as the CPU reports #UD
		*info = amd64.TrapInfo{Kind: amd64.TrapException, Vector: amd64.VecInvalidOp}
		t.exception(*info)
		return false
	}
	r.RIP = landing
	r.RCX = r.RBP & 0xffffffff // the caller's ECX, which __kernel_vsyscall moved to EBP
	// The caller's EBP, read by the nucleus from its stack on the way
	// out of ring 3 (info.StackWord). The nucleus reads only what the
	// page tables map already; a word it could not read takes mm's
	// way, which faults a page in as get_user would.
	ebp := info.StackWord & 0xffffffff
	if info.StackWord>>32 == 0 {
		w, err := t.mm().GetUser32(r.RSP & 0xffffffff)
		if err != nil {
			// Linux's answer to a vDSO caller whose stack is gone.
			r.OrigRAX, r.RAX = r.RAX, abi.EFAULT.Neg()
			return true
		}
		ebp = uint64(w)
	}
	r.RBP = ebp
	t.syscall(syscall.EntryInt80, now)
	return true
}

// compatSysret readies the return from a compat SYSCALL (after signal
// delivery, which may have sent the task elsewhere): still bound for the
// landing pad in 32-bit code, the task may take SYSRETL, which clobbers
// ECX with the return address and R11 with RFLAGS. Linux's
// do_fast_syscall_32 makes the same choice.
func (t *Task) compatSysret() {
	r := &t.regs
	if r.RIP == t.vsyscallLanding && r.CS == amd64.UserCS32 && r.RIP != 0 {
		r.RCX, r.R11 = r.RIP, r.RFLAGS
	}
}
