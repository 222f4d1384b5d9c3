package nucleus

// The local APIC in virtual-wire mode: the only thing Ringo asks of it is
// to pass the 8259 PIC's interrupt line through to the CPU.
//
// Why it matters: with the local APIC enabled (its state after reset), an
// interrupt from the PIC reaches the CPU only through the LINT0 pin, and
// only if LINT0's LVT entry is unmasked in ExtINT mode (Intel SDM Vol. 3A
// §10.5.1; the MultiProcessor Specification §3.6.2.2 calls this "virtual
// wire mode"). Reset leaves every LVT entry masked. SeaBIOS programs
// LINT0 before it boots the kernel, qboot does not, and neither is a
// promise: a kernel that relies on its firmware here gets no timer tick,
// so time.Sleep never returns. Linux sets the same state itself
// (arch/x86/kernel/apic/apic.c: init_bsp_APIC, "Set up the virtual wire
// mode"), and so does Ringo, at boot, before the PIC is unmasked.
//
// The interrupt itself is acknowledged at the PIC (picEOI): an ExtINT
// delivery bypasses the local APIC's in-service logic, so it wants no
// APIC EOI. The spurious vector (0xff) needs none either (SDM §10.9);
// interrupt() ignores it like any vector the PIC does not own.
//
// Runs at boot beneath the runtime: //go:nosplit, no allocation.

import "github.com/ringo-os/ringo/arch/amd64"

const (
	msrAPICBase    = 0x1b    // IA32_APIC_BASE
	apicBaseEnable = 1 << 11 // APIC global enable
	apicBaseMask   = 0xffffff000

	// Register offsets in the APIC's 4 KiB page (SDM Table 10-1).
	apicTPR      = 0x80
	apicSVR      = 0xf0
	apicLVTTimer = 0x320
	apicLVTLINT0 = 0x350
	apicLVTLINT1 = 0x360
	apicLVTError = 0x370

	apicSVREnable  = 1 << 8  // APIC software enable
	apicLVTMasked  = 1 << 16 // LVT mask bit
	apicModeExtINT = 7 << 8  // delivery mode: the PIC supplies the vector
	apicModeNMI    = 4 << 8

	vecSpurious = 0xff
)

// setupVirtualWire puts the local APIC in virtual-wire mode (above). When
// IA32_APIC_BASE says the APIC is globally disabled, the PIC's line goes
// straight to the CPU and there is nothing to do.
//
//go:nosplit
func setupVirtualWire() {
	base := amd64.Rdmsr(msrAPICBase)
	if base&apicBaseEnable == 0 {
		return
	}
	// The register page is device memory, not RAM: it gets an uncached
	// 2 MiB mapping in the direct map (PCD|PWT, as ioremap_uc would),
	// which otherwise covers only usable RAM.
	pa := base & apicBaseMask
	region := pa &^ (amd64.HugeSize - 1)
	if !mapHuge(uintptr(DirectMapBase+region), region,
		amd64.PTEWrite|amd64.PTEGlobal|amd64.PTENoExec|amd64.PTEPCD|amd64.PTEPWT) {
		BootFail("apic: ", "no frame to map the local APIC")
	}
	regs := phys2virt(pa)
	// Software enable first: while the APIC is software-disabled every
	// LVT entry reads as masked whatever is written (SDM §10.4.7.2).
	*u32at(regs + apicSVR) = apicSVREnable | vecSpurious
	*u32at(regs + apicTPR) = 0 // accept every priority class
	*u32at(regs + apicLVTTimer) = apicLVTMasked
	*u32at(regs + apicLVTError) = apicLVTMasked
	*u32at(regs + apicLVTLINT0) = apicModeExtINT // edge, active high, unmasked
	*u32at(regs + apicLVTLINT1) = apicModeNMI
}
