package nucleus

// FSGSBASE: writing the FS and GS bases with an instruction instead of an
// MSR.
//
// Every trip through ring 3 swaps the FS base twice: the user's TLS
// pointer on the way in, Go's (g at FS:-8) on the way out. WRMSR to
// IA32_FS_BASE is a serializing instruction on hardware, and under QEMU's
// TCG it ends the translated block and returns to the main loop, which
// makes it one of the dearest instructions of a system call. WRFSBASE
// (Intel SDM Vol. 2D; CPUID.(EAX=7,ECX=0):EBX bit 0, enabled by CR4 bit 16)
// is an ordinary register write under both.
//
// Setting CR4.FSGSBASE also lets ring 3 use RDFSBASE/WRFSBASE and
// RDGSBASE/WRGSBASE, which is what Linux does since 5.9
// (arch/x86/kernel/cpu/common.c: cr4_set_bits(X86_CR4_FSGSBASE) and
// HWCAP2_FSGSBASE in AT_HWCAP2). A user thread may then change a base
// without a system call, so every exit from ring 3 reads both bases back
// (SAVE_USER_STATE) instead of trusting what enterUser loaded.
//
// Without the feature (the QEMU suites run one boot with a CPU model that
// lacks it) everything falls back to the MSRs.
//
// Runs beneath the runtime: //go:nosplit, no allocation.

import "github.com/ringo-os/ringo/arch/amd64"

const (
	cpuid7EBXFSGSBase = 1 << 0  // CPUID.(EAX=7,ECX=0):EBX
	cr4FSGSBase       = 1 << 16 // CR4.FSGSBASE
)

// haveFSGSBase: CR4.FSGSBASE is set. A byte, tested by the assembly exits.
var haveFSGSBase bool

// setupFSGSBase enables the instructions when the CPU has them.
//
//go:nosplit
func setupFSGSBase() {
	if maxLeaf, _, _, _ := amd64.Cpuid(0, 0); maxLeaf < 7 {
		return
	}
	if _, ebx, _, _ := amd64.Cpuid(7, 0); ebx&cpuid7EBXFSGSBase == 0 {
		return
	}
	amd64.WriteCR4(amd64.ReadCR4() | cr4FSGSBase)
	haveFSGSBase = true
}

// setFSBase loads the FS base, by instruction when it can.
//
//go:nosplit
func setFSBase(v uint64) {
	if haveFSGSBase {
		amd64.Wrfsbase(v)
		return
	}
	amd64.Wrmsr(msrFSBase, v)
}

// HaveFSGSBase reports whether user programs may use the FSGSBASE
// instructions: bit 1 (HWCAP2_FSGSBASE) of AT_HWCAP2, as Linux sets it.
func HaveFSGSBase() bool { return haveFSGSBase }
