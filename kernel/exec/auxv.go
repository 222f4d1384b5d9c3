package exec

// The auxiliary vector's entry types (include/uapi/linux/auxvec.h,
// arch/x86/include/uapi/asm/auxvec.h).

import "fmt"

// AuxType is an AT_* value.
type AuxType uint64

// Names as in Linux, like debug/elf's PT_ and EM_ constants.
const (
	AT_NULL              AuxType = 0
	AT_EXECFD            AuxType = 2
	AT_PHDR              AuxType = 3
	AT_PHENT             AuxType = 4
	AT_PHNUM             AuxType = 5
	AT_PAGESZ            AuxType = 6
	AT_BASE              AuxType = 7
	AT_FLAGS             AuxType = 8
	AT_ENTRY             AuxType = 9
	AT_UID               AuxType = 11
	AT_EUID              AuxType = 12
	AT_GID               AuxType = 13
	AT_EGID              AuxType = 14
	AT_PLATFORM          AuxType = 15
	AT_HWCAP             AuxType = 16
	AT_CLKTCK            AuxType = 17
	AT_SECURE            AuxType = 23
	AT_RANDOM            AuxType = 25
	AT_HWCAP2            AuxType = 26
	AT_RSEQ_FEATURE_SIZE AuxType = 27
	AT_RSEQ_ALIGN        AuxType = 28
	AT_EXECFN            AuxType = 31
	AT_SYSINFO           AuxType = 32
	AT_SYSINFO_EHDR      AuxType = 33
	AT_MINSIGSTKSZ       AuxType = 51
)

var auxNames = map[AuxType]string{
	AT_NULL: "AT_NULL", AT_EXECFD: "AT_EXECFD", AT_PHDR: "AT_PHDR", AT_PHENT: "AT_PHENT",
	AT_PHNUM: "AT_PHNUM", AT_PAGESZ: "AT_PAGESZ", AT_BASE: "AT_BASE", AT_FLAGS: "AT_FLAGS",
	AT_ENTRY: "AT_ENTRY", AT_UID: "AT_UID", AT_EUID: "AT_EUID", AT_GID: "AT_GID",
	AT_EGID: "AT_EGID", AT_PLATFORM: "AT_PLATFORM", AT_HWCAP: "AT_HWCAP", AT_CLKTCK: "AT_CLKTCK",
	AT_SECURE: "AT_SECURE", AT_RANDOM: "AT_RANDOM", AT_HWCAP2: "AT_HWCAP2",
	AT_RSEQ_FEATURE_SIZE: "AT_RSEQ_FEATURE_SIZE", AT_RSEQ_ALIGN: "AT_RSEQ_ALIGN",
	AT_EXECFN: "AT_EXECFN", AT_SYSINFO: "AT_SYSINFO", AT_SYSINFO_EHDR: "AT_SYSINFO_EHDR",
	AT_MINSIGSTKSZ: "AT_MINSIGSTKSZ",
}

func (t AuxType) String() string {
	if n, ok := auxNames[t]; ok {
		return n
	}
	return fmt.Sprintf("AT_%d", uint64(t))
}

// AuxEntry is one (type, value) pair of the auxiliary vector; the kernel
// keeps the list as mm->saved_auxv for /proc/PID/auxv.
type AuxEntry struct {
	Type AuxType
	Val  uint64
}

const (
	// clocksPerSec is CLOCKS_PER_SEC = USER_HZ, what AT_CLKTCK reports.
	clocksPerSec = 100
	// rseqFeatureSize and rseqAlign are offsetof(struct rseq, end) and
	// __alignof__(struct rseq) (include/uapi/linux/rseq.h).
	rseqFeatureSize = 28
	rseqAlign       = 32
)
