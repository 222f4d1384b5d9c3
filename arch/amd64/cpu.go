package amd64

// Thin wrappers around privileged and special instructions. Each is a few
// lines of assembly in cpu_amd64.s; the Go declarations here document them.
//
// Runs beneath the Go runtime and on trap paths: every function is
// assembly with NOSPLIT, allocates nothing and takes no lock. They are only
// meaningful in ring 0 on the metal; host tests must not call them.

// Outb writes a byte to an I/O port (OUT imm/DX, AL).
func Outb(port uint16, v uint8)

// Inb reads a byte from an I/O port.
func Inb(port uint16) uint8

// Outl writes a 32-bit value to an I/O port.
func Outl(port uint16, v uint32)

// Rdmsr reads a model-specific register (Intel SDM Vol. 4).
func Rdmsr(msr uint32) uint64

// Wrmsr writes a model-specific register.
func Wrmsr(msr uint32, v uint64)

// Wrfsbase writes the FS base with WRFSBASE (Intel SDM Vol. 2D), which the
// CPU accepts only once CR4.FSGSBASE is set. It does what WRMSR to
// IA32_FS_BASE does without its serialization, and under QEMU's TCG
// without ending the translated block.
func Wrfsbase(v uint64)

// Rdtsc returns the time-stamp counter.
func Rdtsc() uint64

// Cpuid executes CPUID with EAX=leaf, ECX=sub.
func Cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// ReadCR0, ReadCR2, ReadCR3, ReadCR4 and their writers access the control
// registers (Intel SDM Vol. 3A §2.5).
func ReadCR0() uint64
func ReadCR2() uint64
func ReadCR3() uint64
func ReadCR4() uint64
func WriteCR0(v uint64)
func WriteCR3(v uint64)
func WriteCR4(v uint64)

// Invlpg drops the TLB entry for one virtual address (Intel SDM Vol. 3A §4.10.4.1).
func Invlpg(va uintptr)

// Lgdt, Lidt load the descriptor-table registers from a 10-byte
// pseudo-descriptor at p; Ltr loads the task register.
func Lgdt(p uintptr)
func Lidt(p uintptr)
func Ltr(sel uint16)

// ReloadSegments loads CS with cs (by a far return) and DS, ES, SS with ds,
// FS and GS with the null selector (their bases stay in the MSRs).
func ReloadSegments(cs, ds uint16)

// Halt enables interrupts and halts until the next one (STI; HLT), then
// disables them again: the idle instruction pair whose STI shadow makes it
// race-free (an interrupt pending at STI is taken after HLT starts).
func Halt()

// DisableInterrupts and EnableInterrupts are CLI and STI.
func DisableInterrupts()
func EnableInterrupts()

// ReadFlags returns RFLAGS (PUSHFQ): FlagIF says whether interrupts are on.
func ReadFlags() uint64

// FlagIF is RFLAGS.IF, interrupts enabled (Intel SDM Vol. 1 §3.4.3.3).
const FlagIF = 1 << 9

// Fxsave and Fxrstor save and load the 512-byte x87/SSE state at a
// 16-byte-aligned address (Intel SDM Vol. 1 §10.5).
func Fxsave(p uintptr)
func Fxrstor(p uintptr)

// ZeroPage clears 4 KiB at va, 128 bytes per loop iteration. Hand-written
// so that the nucleus never reaches the runtime's SSE memclr on a trap
// path. Not REP STOSQ: QEMU's TCG runs a REP string instruction one
// element per translated-block execution, 512 of them for a page.
func ZeroPage(va uintptr)

// Memcpy copies n bytes (no SSE, no runtime call): 64 bytes per loop
// iteration, then 8, then single bytes; not REP MOVSB, for the reason
// ZeroPage gives. The areas must not overlap.
func Memcpy(dst, src, n uintptr)
