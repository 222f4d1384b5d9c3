package nucleus

// Init brings the machine from "long mode, boot page tables" to "ready for
// the Go runtime": memory, descriptor tables, threads, clocks, and the
// Linux process stack that rt0 reads. Called once by package boot.
//
// Runs before the runtime exists: //go:nosplit, no allocation.

import "github.com/ringo-os/ringo/arch/amd64"

// kernelEnd is the physical end of the image including bss, read from the
// image's own Multiboot header (bss_end_addr), so nothing is hard-coded.
var kernelEnd uint64

//go:nosplit
func findKernelEnd() uint64 {
	base := uintptr(KernelVirtBase + KernelPhysLoad)
	for off := uintptr(0); off < 8192; off += 4 {
		p := base + off
		if *u32at(p) == 0x1badb002 && *u32at(p)+*u32at(p + 4)+*u32at(p + 8) == 0 && *u32at(p + 4)&0x10000 != 0 {
			return uint64(*u32at(p + 24))
		}
	}
	BootFail("boot: ", "no Multiboot header in the image (was it made by ringo build?)")
	return 0
}

// Init returns the stack pointer to enter _rt0_amd64_linux with.
//
//go:nosplit
func Init(bi *BootInfo, stackTop uintptr) uintptr {
	boot = bi
	printk("Ringo: nucleus starting")
	crashNucleus = cmdlineHas("ringo.crash=nucleus")
	kernelEnd = findKernelEnd()

	holes := [3][2]uint64{
		{0, 1 << 20}, // BIOS area, real-mode IVT, EBDA
		{KernelPhysLoad, kernelEnd},
		{bi.InitrdStart &^ (pageSize - 1), bi.InitrdEnd},
	}
	for i := 0; i < bi.NRegions; i++ {
		r := &bi.Regions[i]
		if r.Type == MemUsable {
			addFreeRange(r.Base, r.Base+r.Len, &holes)
		}
	}
	if frames.total < 4096 {
		BootFail("memory: ", "less than 16 MiB of usable RAM")
	}
	reserveUserPool()
	buildKernelTables()
	setupDescriptors()
	setupFSGSBase()
	setupThreads()
	setupFutex()
	setupFDs()
	setupClocks()
	// The 16-byte-aligned area FXSAVE needs; its MXCSR_MASK word says
	// which MXCSR bits the CPU takes (fpu__init_system_mxcsr).
	amd64.Fxsave(fpuDefault.Addr())
	if m := *u32at(fpuDefault.Addr() + amd64.FxMXCSRMask); m != 0 {
		amd64.MXCSRFeatureMask = m
	}
	randState = amd64.Rdtsc() ^ uint64(clock.rtcBoot)
	printkDec("Ringo: memory: usable frames ", frames.total, " (4 KiB)")
	printkDec("Ringo: TSC MHz ", clock.tscHz/1e6, "")
	sp := buildProcessStack(stackTop)
	amd64.EnableInterrupts()
	return sp
}

// defaultGODEBUG is the runtime's GODEBUG when the command line has none.
const defaultGODEBUG = "GODEBUG=asyncpreemptoff=1"

// buildProcessStack lays out what execve leaves for a Linux process
// (LINUX-SEMANTICS §8.3): argc, argv, envp, auxv. The runtime needs
// AT_PAGESZ (mallocinit dies without it) and uses AT_RANDOM for its hash
// seeds. The environment comes from command-line words of the form
// NAME=value with an upper-case NAME (GODEBUG=..., GOMAXPROCS=...).
//
// Without a GODEBUG word the runtime gets GODEBUG=asyncpreemptoff=1:
// goroutines are preempted at function calls only, as Linux's kernel code
// is at its preemption points (PREEMPT_VOLUNTARY). Asynchronous preemption
// is a signal per attempt (tgkill, a signal frame, the handler,
// rt_sigreturn: over a thousand instructions here), and on Ringo most
// attempts find no safe point: 63 of 63 before /init, 165 of 190 in the
// in-kernel self-tests. GODEBUG=asyncpreemptoff=0 on the command line
// turns it back on.
//
//go:nosplit
func buildProcessStack(top uintptr) uintptr {
	// Strings at the top: argv[0], the environment words, 16 random bytes.
	p := top - 256
	argv0 := p
	for i, c := range []byte("ringo\x00") {
		*u8at(p + uintptr(i)) = c
	}
	godebug := p + 64
	for i, c := range []byte(defaultGODEBUG + "\x00") {
		*u8at(godebug + uintptr(i)) = c
	}
	random := p + 16
	for i := uintptr(0); i < 16; i++ {
		randState ^= randState<<13 ^ amd64.Rdtsc()
		*u8at(random + i) = uint8(randState >> 24)
	}
	env := p - 512 // copy of the command line; env words point into it
	line := boot.Cmdline[:boot.CmdlineLen]
	for i, c := range line {
		if c == ' ' {
			c = 0
		}
		*u8at(env + uintptr(i)) = c
	}
	*u8at(env + uintptr(len(line))) = 0

	var envp [16]uintptr
	n := 0
	haveGODEBUG := false
	for i := 0; i < len(line) && n < len(envp)-1; {
		j := i
		for j < len(line) && line[j] != ' ' {
			j++
		}
		if j > i && line[i] >= 'A' && line[i] <= 'Z' {
			for k := i; k < j; k++ {
				if line[k] == '=' {
					haveGODEBUG = haveGODEBUG || k-i == len("GODEBUG") && string(line[i:k]) == "GODEBUG"
					envp[n] = env + uintptr(i)
					n++
					break
				}
			}
		}
		i = j + 1
	}
	if !haveGODEBUG {
		envp[n] = godebug
		n++
	}

	sp := (env - 64) &^ 15
	words := [...]uintptr{6, pageSize, 25, random, atSysinfoEhdr, buildVDSO(), 0, 0} // AT_PAGESZ, AT_RANDOM, AT_SYSINFO_EHDR, AT_NULL
	sp -= uintptr(len(words)) * 8
	for i, w := range words {
		*u64at(sp + uintptr(i)*8) = uint64(w)
	}
	sp -= 8 // envp terminator
	*u64at(sp) = 0
	for i := n - 1; i >= 0; i-- {
		sp -= 8
		*u64at(sp) = uint64(envp[i])
	}
	sp -= 16 // argv[0], NULL
	*u64at(sp) = uint64(argv0)
	*u64at(sp + 8) = 0
	sp -= 8
	*u64at(sp) = 1 // argc
	return sp
}
