package nucleus

// The oops: what the nucleus prints when it cannot go on — a fault inside
// the nucleus, a fault the runtime has no handler for, memory exhausted on
// a page fault. Its shape follows Linux's (arch/x86/kernel/dumpstack.c,
// arch/x86/mm/fault.c): the reason, the vector and error code, CR2, every
// register, and a "Code:" line of the bytes around RIP with the faulting
// byte in <>. As with Linux's scripts/decodecode, the host tool
// (cmd/ringo) disassembles that line with x86asm: nothing beneath the
// runtime can run a disassembler. Then QEMU exits with status 124.
//
// Runs on the trap path: //go:nosplit, no allocation.

import "github.com/ringo-os/ringo/arch/amd64"

var vectorNames = [...]string{"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
	"#SS stack fault", "#GP general protection", "#PF page fault", "reserved",
	"#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD exception"}

//go:nosplit
func oops(tf *TrapFrame, why string) {
	amd64.DisableInterrupts()
	oopsHeader(tf, why)
	oopsRegs(tf)
	printk("Kernel panic - not syncing: Fatal exception")
	Exit(exitOops)
}

//go:nosplit
func oopsHeader(tf *TrapFrame, why string) {
	if tf.Vector == amd64.VecPageFault {
		printkHex("BUG: unable to handle page fault for address: ", amd64.ReadCR2())
	}
	printkStamp()
	puts("Oops: ")
	puts(why)
	puts(" [#1] vector ")
	putdec(tf.Vector, 0, ' ')
	if tf.Vector < uint64(len(vectorNames)) {
		puts(" (")
		puts(vectorNames[tf.Vector])
		puts(")")
	}
	puts(" error_code(0x")
	puthex(tf.ErrorCode, 4)
	puts(")")
	if inNucleus(tf) {
		puts(" in the nucleus")
	}
	putc('\n')
	printkStamp()
	puts("CPU: 0 TID: ")
	putdec(uint64(cur().tid), 0, ' ')
	puts(" Comm: ringo\n")
}

//go:nosplit
func oopsRegs(tf *TrapFrame) {
	printkStamp()
	puts("RIP: ")
	puthex(tf.CS, 4)
	putc(':')
	puthex(tf.RIP, 16)
	putc('\n')
	printkStamp()
	codeLine(tf.RIP)
	regLine("RSP: ", tf.RSP, "EFLAGS: ", tf.RFLAGS)
	regLine("RAX: ", tf.RAX, "RBX: ", tf.RBX)
	regLine("RCX: ", tf.RCX, "RDX: ", tf.RDX)
	regLine("RSI: ", tf.RSI, "RDI: ", tf.RDI)
	regLine("RBP: ", tf.RBP, "R08: ", tf.R8)
	regLine("R09: ", tf.R9, "R10: ", tf.R10)
	regLine("R11: ", tf.R11, "R12: ", tf.R12)
	regLine("R13: ", tf.R13, "R14: ", tf.R14)
	regLine("R15: ", tf.R15, "FS:  ", amd64.Rdmsr(msrFSBase))
	regLine("CR2: ", amd64.ReadCR2(), "CR3: ", amd64.ReadCR3())
}

//go:nosplit
func regLine(a string, av uint64, b string, bv uint64) {
	printkStamp()
	puts(a)
	puthex(av, 16)
	putc(' ')
	puts(b)
	puthex(bv, 16)
	putc('\n')
}

// codeLine prints Linux's "Code:" line: 42 bytes before RIP and 22 from
// it, RIP's byte in <>; only bytes of the kernel image, which is always
// mapped, are read.
//
//go:nosplit
func codeLine(rip uint64) {
	puts("Code:")
	lo, hi := uint64(KernelVirtBase+KernelPhysLoad), uint64(KernelVirtBase)+kernelEnd
	if rip < lo+42 || rip+22 > hi {
		puts(" Unable to access opcode bytes at RIP 0x")
		puthex(rip, 1)
		putc('\n')
		return
	}
	for a := rip - 42; a < rip+22; a++ {
		putc(' ')
		if a == rip {
			putc('<')
		}
		puthex(uint64(*u8at(uintptr(a))), 2)
		if a == rip {
			putc('>')
		}
	}
	putc('\n')
}

//go:nosplit
func oopsOutOfMemory(va uintptr) {
	printkHex("nucleus: out of memory: no frame for the page at ", uint64(va))
	printkDec("nucleus: frames total ", frames.total, "")
	Exit(exitOops)
}
