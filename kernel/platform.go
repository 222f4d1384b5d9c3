package kernel

// The contract between the task layer and the CPU. On the metal it is the
// nucleus (platform_metal.go); in host tests a fake that plays a scripted
// CPU. Nothing else in the package touches hardware.

import "github.com/ringo-os/ringo/arch/amd64"

// Platform enters user mode and reports why the CPU came back.
type Platform interface {
	// SwitchToUser runs the user thread described by regs and fpu in the
	// address space whose PML4 is at physical address cr3 until the CPU
	// traps back (SYSCALL, int $0x80, a fault, an interrupt). regs and
	// fpu are updated to the state at the trap, and *info says why, with
	// info.Time the moment the CPU left user mode on the kernel's
	// monotonic clock (Config.Monotonic): every trap is stamped, so the
	// task layer reads no clock of its own. Biscuit's Userrun, gVisor's
	// SwitchToUser.
	SwitchToUser(regs *amd64.UserRegs, fpu *amd64.FPUState, cr3 uint64, info *amd64.TrapInfo)

	// ReleaseAddressSpace is called before the page tables rooted at
	// cr3 are freed: a CPU still running on them must move away first.
	ReleaseAddressSpace(cr3 uint64)

	// ReleaseFPU makes fpu hold the thread's whole x87/SSE state: the
	// CPU may keep a user thread's x87 registers between SwitchToUser
	// calls (Linux's deferred FPU restore). Called before the kernel
	// reads or replaces the state and before the FPUState is dropped.
	ReleaseFPU(fpu *amd64.FPUState)
}
