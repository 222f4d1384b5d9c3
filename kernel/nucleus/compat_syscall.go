package nucleus

// SYSCALL from compatibility mode: whether this CPU has it. The entry
// itself is syscall32Entry (user_amd64.s), the policy the task layer's
// (kernel/compat_syscall.go).
//
// Called at boot from Go above the runtime; touches only CPUID.

import "github.com/ringo-os/ringo/arch/amd64"

// CPUID leaf 0 vendor strings, as EBX, EDX, ECX.
var compatSyscallVendors = [...][3]uint32{
	{0x68747541, 0x69746e65, 0x444d4163}, // "AuthenticAMD"
	{0x6f677948, 0x6e65476e, 0x656e6975}, // "HygonGenuine"
}

// CompatSyscall reports whether SYSCALL works in compatibility mode on
// this CPU, entering through MSR_CSTAR: on AMD's and Hygon's it does, on
// Intel's it raises #UD (Intel SDM Vol. 2B, SYSCALL: "#UD if ... not in
// 64-bit mode"). It is Linux's X86_FEATURE_SYSCALL32, which init_amd and
// init_hygon set; the 32-bit vDSO's __kernel_vsyscall issues SYSCALL only
// where it is true, and int $0x80 elsewhere.
func CompatSyscall() bool {
	_, ebx, ecx, edx := amd64.Cpuid(0, 0)
	for _, v := range compatSyscallVendors {
		if ebx == v[0] && edx == v[1] && ecx == v[2] {
			return true
		}
	}
	return false
}
