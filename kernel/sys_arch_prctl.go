package kernel

// arch_prctl (arch/x86/kernel/process_64.c:do_arch_prctl_64 and
// do_arch_prctl_common; compat_sys_arch_prctl for i386 callers).

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/mm"
	"github.com/ringo-os/ringo/syscall"
)

const (
	archSetGS    = 0x1001
	archSetFS    = 0x1002
	archGetFS    = 0x1003
	archGetGS    = 0x1004
	archGetCPUID = 0x1011
	archSetCPUID = 0x1012
)

// archPrctlCommon is do_arch_prctl_common: the CPUID-faulting options.
// Ringo does not virtualise CPUID, so turning it off is ENODEV, as on a
// CPU without CPUID faulting.
func archPrctlCommon(option int32, arg uint64) (uint64, error) {
	switch option {
	case archGetCPUID:
		return 1, nil
	case archSetCPUID:
		if arg != 0 {
			return 0, nil // already enabled
		}
		return 0, abi.ENODEV
	}
	return 0, abi.EINVAL
}

// sysArchPrctl: FS/GS bases for 64-bit callers. A base at or above
// TASK_SIZE_MAX is EPERM; unknown options EINVAL (§8.5).
func (t *Task) sysArchPrctl(a *syscall.Args) (uint64, error) {
	option, arg := a.Int(0), a.Ulong(1)
	switch option {
	case archSetFS, archSetGS:
		if arg >= mm.TaskSize64 {
			return 0, abi.EPERM
		}
		if option == archSetFS {
			t.regs.FSBase, t.regs.FS = arg, 0
		} else {
			t.regs.GSBase, t.regs.GS = arg, 0
		}
		return 0, nil
	case archGetFS:
		return 0, t.putU64(arg, t.regs.FSBase)
	case archGetGS:
		return 0, t.putU64(arg, t.regs.GSBase)
	}
	return archPrctlCommon(option, arg)
}

// sysCompatArchPrctl: i386 callers reach only the common options.
func (t *Task) sysCompatArchPrctl(a *syscall.Args) (uint64, error) {
	return archPrctlCommon(a.Int(0), a.Ulong(1))
}
