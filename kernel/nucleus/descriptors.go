package nucleus

// The CPU's descriptor tables: GDT (Linux's x86-64 selector layout), the
// TSS with its interrupt stacks, the IDT pointing every vector at its stub
// in trap_amd64.s, and the SYSCALL MSRs (Intel SDM Vol. 3A §3.4, §6.14,
// §7.7; Vol. 2B SYSCALL).
//
// Runs beneath the runtime (Init) and on the context-switch path
// (setKernelStack): //go:nosplit, no allocation.

import (
	"unsafe"

	"github.com/ringo-os/ringo/arch/amd64"
)

var (
	gdt [16]uint64
	tss [104]byte
	idt [256][2]uint64
	// 10-byte pseudo-descriptors for LGDT/LIDT.
	gdtr, idtr [16]byte

	istException [16 << 10]byte // IST2: exceptions
	istDouble    [4 << 10]byte  // IST3: #DF and NMI
	istInt80     [4 << 10]byte  // IST4: INT $0x80, whose frame int80Entry reads with interrupts on

	trapStubTable      [256]uintptr // trap_amd64.s: the entry of each vector (0x80: int80Entry)
	syscallEntryAddr   uintptr
	idleLoopAddr       uintptr
	syscall32EntryAddr uintptr // CSTAR: SYSCALL from 32-bit user code
	// compatStackLoad may fault; a fault there resumes at compatStackDone
	// (user_amd64.s, the exception table in trap.go).
	compatStackLoadAddr, compatStackDoneAddr uintptr

	// curKstackTop is the running thread's nucleus stack top: IST1 and
	// the stack syscallEntry switches to for the runtime's own SYSCALL
	// (ring 3's never switch: user_amd64.s). syscallSavedSP is scratch
	// for it (one CPU, interrupts off).
	curKstackTop   uintptr
	syscallSavedSP uintptr
)

const (
	msrEFER   = 0xc0000080
	msrSTAR   = 0xc0000081
	msrLSTAR  = 0xc0000082
	msrCSTAR  = 0xc0000083 // SYSCALL from compat mode (AMD)
	msrSFMASK = 0xc0000084
	msrFSBase = 0xc0000100
	msrGSBase = 0xc0000101

	// SYSCALL clears these RFLAGS bits: TF, DF, IOPL, NT, AC (Linux's
	// syscall_init), but not IF, which Linux also masks: the exit runs
	// with interrupts on and defers those that arrive (irq_window.go).
	sfmask = 0x47500
)

//go:nosplit
func addrOf(p unsafe.Pointer) uintptr { return uintptr(p) }

//go:nosplit
func putDescPtr(d *[16]byte, base uintptr, limit uint16) {
	*u16at(addrOf(unsafe.Pointer(&d[0]))) = limit
	*u64at(addrOf(unsafe.Pointer(&d[2]))) = uint64(base)
}

//go:nosplit
func tssSet(off uintptr, v uint64) { *u64at(addrOf(unsafe.Pointer(&tss[0])) + off) = v }

// setKernelStack points IST1 and syscallEntry at a thread's nucleus stack.
//
//go:nosplit
func setKernelStack(top uintptr) {
	curKstackTop = top
	tssSet(36, uint64(top)) // IST1
}

//go:nosplit
func setupDescriptors() {
	gdt[1] = 0x00cf9a000000ffff // 0x08 kernel 32-bit code (unused)
	gdt[2] = 0x00af9a000000ffff // 0x10 kernel code, 64-bit
	gdt[3] = 0x00cf92000000ffff // 0x18 kernel data
	gdt[4] = 0x00cffa000000ffff // 0x23 user 32-bit code, DPL 3
	gdt[5] = 0x00cff2000000ffff // 0x2b user data, DPL 3
	gdt[6] = 0x00affa000000ffff // 0x33 user 64-bit code, DPL 3
	// 0x40: the 64-bit TSS descriptor (16 bytes, type 9, present).
	base := uint64(addrOf(unsafe.Pointer(&tss[0])))
	gdt[8] = (uint64(len(tss))-1)&0xffff | (base&0xffffff)<<16 | 0x89<<40 | (base>>24&0xff)<<56
	gdt[9] = base >> 32

	tssSet(44, uint64(addrOf(unsafe.Pointer(&istException[0]))+uintptr(len(istException)))) // IST2
	tssSet(52, uint64(addrOf(unsafe.Pointer(&istDouble[0]))+uintptr(len(istDouble))))       // IST3
	tssSet(60, uint64(addrOf(unsafe.Pointer(&istInt80[0]))+uintptr(len(istInt80))))         // IST4
	*u16at(addrOf(unsafe.Pointer(&tss[102]))) = uint16(len(tss))                            // no I/O bitmap

	for v := 0; v < 256; v++ {
		h := uint64(trapStubTable[v])
		ist, attr := uint64(1), uint64(0x8e) // interrupt gate, DPL 0
		switch {
		case v == 2 || v == 8:
			ist = 3
		case v < 32:
			ist = 2
		}
		if v == 3 || v == 4 {
			attr = 0xee // reachable from ring 3 by INT3, INTO
		}
		if v == 0x80 {
			// INT $0x80: a trap gate, which leaves interrupts on
			// (irq_window.go), reachable from ring 3, on its own
			// stack, since an interrupt arriving while int80Entry
			// reads the frame comes in on IST1.
			ist, attr = 4, 0xef
		}
		idt[v][0] = h&0xffff | selKernelCS<<16 | ist<<32 | attr<<40 | (h>>16&0xffff)<<48
		idt[v][1] = h >> 32
	}

	putDescPtr(&gdtr, addrOf(unsafe.Pointer(&gdt[0])), uint16(len(gdt)*8-1))
	putDescPtr(&idtr, addrOf(unsafe.Pointer(&idt[0])), uint16(len(idt)*16-1))
	amd64.Lgdt(addrOf(unsafe.Pointer(&gdtr[0])))
	amd64.ReloadSegments(selKernelCS, selKernelDS)
	amd64.Ltr(selTSS)
	amd64.Lidt(addrOf(unsafe.Pointer(&idtr[0])))

	amd64.Wrmsr(msrSTAR, uint64(selUser32CS)<<48|uint64(selKernelCS)<<32)
	amd64.Wrmsr(msrLSTAR, uint64(syscallEntryAddr))
	amd64.Wrmsr(msrCSTAR, uint64(syscall32EntryAddr))
	amd64.Wrmsr(msrSFMASK, sfmask)
}
