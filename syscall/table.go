// The row type of the three tables and read-only access to them.

package syscall

// ABI names one of the three x86 system call tables.
type ABI uint8

const (
	// AMD64 is the x86_64 ABI: SYSCALL with the number in rax and arguments
	// in rdi, rsi, rdx, r10, r8, r9 (LINUX-SEMANTICS §1.1).
	AMD64 ABI = iota
	// I386 is the i386 ABI: int $0x80 with the number in eax and arguments
	// in ebx, ecx, edx, esi, edi, ebp (§1.2), converted as compat calls.
	I386
	// X32 is the x32 ABI: SYSCALL with X32SyscallBit set in rax, x86_64
	// registers, its own table (§1.4).
	X32
	numABIs
)

// String returns the ABI's name as Linux's .tbl files spell it.
func (a ABI) String() string {
	switch a {
	case AMD64:
		return "x86_64"
	case I386:
		return "i386"
	case X32:
		return "x32"
	}
	return "ABI(" + itoa(uint64(a)) + ")"
}

// X32SyscallBit marks an x32 system call number in rax
// (arch/x86/include/uapi/asm/unistd.h:__X32_SYSCALL_BIT).
const X32SyscallBit = 0x40000000

// Syscall is one row of a table: what Linux's .tbl file says about a number.
type Syscall struct {
	// Name is the call's name in the .tbl file ("pread64", "_llseek").
	Name string
	// Func is the handler key: the Linux entry point that serves this row
	// ("sys_read", "compat_sys_openat"). The kernel attaches Go handlers by
	// these names (see Handlers). Empty for numbers Linux reserves without
	// an entry point (uselib, afs_syscall ...), which return -ENOSYS.
	Func string
	// Args are the argument kinds, one per register in ABI order.
	Args Sig
}

// tableOf returns the literal for abi. The literals are package data that
// nothing writes; only Dispatcher copies them, so tests need no reset.
func tableOf(abi ABI) []Syscall {
	switch abi {
	case AMD64:
		return amd64Table[:]
	case I386:
		return i386Table[:]
	case X32:
		return x32Table[:]
	}
	return nil
}

// Table returns a copy of the ABI's table; index = Linux number (for X32
// without X32SyscallBit). Empty slots have an empty Name.
func Table(abi ABI) []Syscall {
	return append([]Syscall(nil), tableOf(abi)...)
}

// NRSyscalls returns the size of the ABI's table, Linux's NR_syscalls,
// IA32_NR_syscalls and X32_NR_syscalls: numbers at or above it are -ENOSYS.
func NRSyscalls(abi ABI) int { return len(tableOf(abi)) }

// Lookup returns the row for nr, and false for numbers outside the table
// and for empty slots.
func Lookup(abi ABI, nr int) (Syscall, bool) {
	t := tableOf(abi)
	if nr < 0 || nr >= len(t) || t[nr].Name == "" {
		return Syscall{}, false
	}
	return t[nr], true
}

// Number returns the number of the named call in the ABI's table
// (Number(I386, "_llseek") = 140); false if the ABI has no such call.
func Number(abi ABI, name string) (int, bool) {
	for nr, sc := range tableOf(abi) {
		if sc.Name == name && name != "" {
			return nr, true
		}
	}
	return 0, false
}
