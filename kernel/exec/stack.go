package exec

// The initial stack of a new image (§8.3), from high addresses to low:
//
//	stack top  ──  8 zero bytes
//	               execve's filename           ← AT_EXECFN
//	               envp strings, argv strings  (argv[0] lowest) ← arg_start
//	               random gap 0..8191, 16-byte aligned
//	               "x86_64" / "i686"           ← AT_PLATFORM
//	               16 random bytes             ← AT_RANDOM
//	               padding to 16 bytes
//	               auxv pairs, AT_NULL 0
//	               NULL, envp[], NULL, argv[]
//	rsp        ──  argc
//
// Words are 8 bytes for a 64-bit task and 4 for ia32.

import (
	"encoding/binary"
	"io"

	"github.com/ringo-os/ringo/abi"
)

const (
	// mmapMinAddr is vm.mmap_min_addr (4096, as on the reference host).
	mmapMinAddr = 4096
	// stackExpand is the 128 KiB setup_arg_pages adds below the strings.
	stackExpand = 128 << 10
	// stackAlignGap is the range of arch_align_stack's random shift.
	stackAlignGap = 8192
)

// Cred is the part of the credentials the auxv reports.
type Cred struct {
	UID, EUID, GID, EGID uint32
}

// StackParams is everything BuildStack needs.
type StackParams struct {
	Args *Args // from CopyStrings
	Plan *Plan // from Image.Plan

	Cred   Cred
	Secure bool   // AT_SECURE: bprm->secureexec (setuid and the like)
	HWCap  uint64 // AT_HWCAP: CPUID.1:EDX
	HWCap2 uint64 // AT_HWCAP2: bit 0 ring3mwait, bit 1 FSGSBASE
	// MinSigStkSz is AT_MINSIGSTKSZ, get_sigframe_size(): the signal
	// frame size for this CPU's XSAVE layout (0xd30 on the reference host).
	MinSigStkSz uint64
	// VDSOBase (AT_SYSINFO_EHDR) and, for ia32, VDSOEntry (AT_SYSINFO,
	// __kernel_vsyscall) are reported only when a vDSO is mapped
	// (VDSOBase != 0). Both libcs fall back to plain syscalls without one.
	VDSOBase, VDSOEntry uint64
	// Rseq is CONFIG_RSEQ: when set, AT_RSEQ_FEATURE_SIZE and AT_RSEQ_ALIGN
	// are reported. Leave it false while rseq returns ENOSYS.
	Rseq bool
	// RlimitStack is RLIMIT_STACK's soft limit (math.MaxUint64: infinity).
	RlimitStack uint64
	// RandomizeVASpace is kernel.randomize_va_space (Linux default 2);
	// 0, or a task with ADDR_NO_RANDOMIZE, gets a fixed stack top and no gap.
	RandomizeVASpace int
	// Rand supplies the AT_RANDOM bytes and, when randomizing, the stack
	// offsets. Required.
	Rand io.Reader
}

// Stack is the built stack: the kernel maps [VMAStart, Top) as the stack
// VMA (VM_GROWSDOWN, executable if Exec), writes Image at SP and starts the
// task with rsp = SP.
type Stack struct {
	Top      uint64 // vm_end of the stack VMA, page aligned
	VMAStart uint64 // vm_start after setup_arg_pages and create_elf_tables
	SP       uint64 // initial stack pointer: points at argc, 16-byte aligned
	Image    []byte // the bytes of [SP, Top)
	Exec     bool   // the stack VMA gets VM_EXEC

	// mm->arg_start/arg_end/env_start/env_end, for /proc/PID/cmdline and
	// environ, and mm->start_stack (= SP).
	ArgStart, ArgEnd, EnvStart, EnvEnd uint64

	ExecFn, Platform, Random uint64 // where AT_EXECFN, AT_PLATFORM, AT_RANDOM point
	Auxv                     []AuxEntry
}

// BuildStack places the stack and fills it.
//
// Errors: EINVAL if Args (from CopyStrings), Plan or Rand is missing (a
// caller bug); ENOMEM if the strings do not fit below the stack top
// (setup_arg_pages); EFAULT if the tables would grow the stack past
// RLIMIT_STACK (find_extend_vma fails in create_elf_tables). Both of the latter come after the point of no
// return in Linux. An error from Rand is returned unchanged.
//
// Mirrors fs/binfmt_elf.c:randomize_stack_top and create_elf_tables and
// fs/exec.c:setup_arg_pages.
func BuildStack(sp StackParams) (*Stack, error) {
	if sp.Args == nil || sp.Plan == nil || sp.Rand == nil {
		return nil, failf(abi.EINVAL, "BuildStack needs Args, Plan and Rand")
	}
	if sp.Args.stringBytes == 0 {
		return nil, failf(abi.EINVAL, "Args must come from CopyStrings")
	}
	a, pl := sp.Args, sp.Plan
	abiKind := pl.ABI
	ws := uint64(abiKind.WordSize())
	randomize := sp.RandomizeVASpace != 0

	// randomize_stack_top(STACK_TOP).
	top := abiKind.StackTop()
	if randomize {
		r, err := getRandomLong(sp.Rand)
		if err != nil {
			return nil, err
		}
		top -= (r & abiKind.stackRndMask()) * PageSize
	}
	// setup_arg_pages: arch_align_stack, then back up to a page boundary.
	top, err := archAlignStack(top, randomize, sp.Rand)
	if err != nil {
		return nil, err
	}
	top = pageAlign(top)
	vmaSize := top - pageStart(top-a.stringBytes)
	if top < mmapMinAddr || vmaSize >= top-mmapMinAddr {
		return nil, lateFail(abi.ENOMEM, "argument strings do not fit below the stack top")
	}
	argStart := top - a.stringBytes
	execFn := top - kernelPtrSize - uint64(len(a.Filename)+1)
	// expand_stack_locked to min(RLIMIT_STACK, strings + 128 KiB).
	vmaStart := top - vmaSize
	expand := min(sp.RlimitStack&^(PageSize-1), vmaSize+stackExpand)
	vmaStart = min(vmaStart, top-expand)

	// create_elf_tables.
	p, err := archAlignStack(argStart, randomize, sp.Rand)
	if err != nil {
		return nil, err
	}
	platform := abiKind.Platform()
	p -= uint64(len(platform) + 1)
	uPlatform := p
	var randBytes [16]byte
	if _, err := io.ReadFull(sp.Rand, randBytes[:]); err != nil {
		return nil, err
	}
	p -= uint64(len(randBytes))
	uRand := p

	auxv := buildAuxv(sp, uRand, execFn, uPlatform)
	argc, envc := uint64(len(a.Argv)), uint64(len(a.Envp))
	tableWords := 2*uint64(len(auxv)) + (argc + 1) + (envc + 1) + 1
	spAddr := (p - tableWords*ws) &^ 15 // STACK_ADD, then STACK_ROUND

	newStart := pageStart(spAddr)
	if newStart < vmaStart {
		// find_extend_vma: acct_stack_growth refuses to pass the limit.
		if top-newStart > sp.RlimitStack {
			return nil, lateFail(abi.EFAULT, "initial stack exceeds RLIMIT_STACK")
		}
		vmaStart = newStart
	}

	st := &Stack{
		Top: top, VMAStart: vmaStart, SP: spAddr, Exec: pl.ExecStack,
		ExecFn: execFn, Platform: uPlatform, Random: uRand, Auxv: auxv,
		Image: make([]byte, top-spAddr),
	}
	img := st.Image
	at := func(addr uint64) []byte { return img[addr-spAddr:] }
	put := func(addr, v uint64) {
		if ws == 8 {
			binary.LittleEndian.PutUint64(at(addr), v)
		} else {
			binary.LittleEndian.PutUint32(at(addr), uint32(v))
		}
	}

	// Strings: argv, envp, filename, ascending from argStart.
	q := argStart
	word := spAddr
	put(word, argc)
	word += ws
	st.ArgStart = q
	for _, s := range a.Argv {
		put(word, q)
		word += ws
		q += uint64(copy(at(q), s)) + 1
	}
	word += ws // NULL
	st.ArgEnd, st.EnvStart = q, q
	for _, s := range a.Envp {
		put(word, q)
		word += ws
		q += uint64(copy(at(q), s)) + 1
	}
	word += ws // NULL
	st.EnvEnd = q
	copy(at(execFn), a.Filename)
	for _, e := range auxv {
		put(word, uint64(e.Type))
		put(word+ws, e.Val)
		word += 2 * ws
	}
	copy(at(uPlatform), platform)
	copy(at(uRand), randBytes[:])
	return st, nil
}

// archAlignStack mirrors arch/x86/kernel/process.c:arch_align_stack.
func archAlignStack(sp uint64, randomize bool, rnd io.Reader) (uint64, error) {
	if randomize {
		r, err := getRandomU32Below(rnd, stackAlignGap)
		if err != nil {
			return 0, err
		}
		sp -= uint64(r)
	}
	return sp &^ 0xf, nil
}

// buildAuxv lists the auxv in create_elf_tables' order, ARCH_DLINFO first.
func buildAuxv(sp StackParams, uRand, execFn, uPlatform uint64) []AuxEntry {
	pl := sp.Plan
	v := make([]AuxEntry, 0, 26)
	add := func(t AuxType, val uint64) { v = append(v, AuxEntry{t, val}) }
	if sp.VDSOBase != 0 {
		if pl.ABI == ABIIA32 {
			add(AT_SYSINFO, sp.VDSOEntry)
		}
		add(AT_SYSINFO_EHDR, sp.VDSOBase)
	}
	add(AT_MINSIGSTKSZ, sp.MinSigStkSz)
	add(AT_HWCAP, sp.HWCap)
	add(AT_PAGESZ, PageSize)
	add(AT_CLKTCK, clocksPerSec)
	add(AT_PHDR, pl.Phdr)
	add(AT_PHENT, uint64(pl.ABI.PhEnt()))
	add(AT_PHNUM, uint64(pl.PhNum))
	add(AT_BASE, 0) // no interpreter
	add(AT_FLAGS, 0)
	add(AT_ENTRY, pl.Entry)
	add(AT_UID, uint64(sp.Cred.UID))
	add(AT_EUID, uint64(sp.Cred.EUID))
	add(AT_GID, uint64(sp.Cred.GID))
	add(AT_EGID, uint64(sp.Cred.EGID))
	add(AT_SECURE, b2u(sp.Secure))
	add(AT_RANDOM, uRand)
	add(AT_HWCAP2, sp.HWCap2)
	add(AT_EXECFN, execFn)
	add(AT_PLATFORM, uPlatform)
	if sp.Rseq {
		add(AT_RSEQ_FEATURE_SIZE, rseqFeatureSize)
		add(AT_RSEQ_ALIGN, rseqAlign)
	}
	add(AT_NULL, 0)
	return v
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
