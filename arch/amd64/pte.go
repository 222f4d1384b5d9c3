package amd64

// Page-table entry format of 4-level x86-64 paging (Intel SDM Vol. 3A §4.5,
// Tables 4-15 to 4-20). The same layout is used at every level; PS is only
// meaningful in PDPT and PD entries (1 GiB / 2 MiB pages), and in a 4 KiB PTE
// bit 7 is PAT instead.
//
// This file is plain data: mm's page tables (host-tested with a software
// walker) and the nucleus's own kernel-half tables both use these names.
type PTE uint64

const (
	PTEPresent  PTE = 1 << 0  // P: the entry maps something
	PTEWrite    PTE = 1 << 1  // R/W: writes allowed
	PTEUser     PTE = 1 << 2  // U/S: ring 3 may access
	PTEPWT      PTE = 1 << 3  // page-level write-through
	PTEPCD      PTE = 1 << 4  // page-level cache disable
	PTEAccessed PTE = 1 << 5  // A: set by the CPU on any access
	PTEDirty    PTE = 1 << 6  // D: set by the CPU on a write (leaf entries)
	PTEHuge     PTE = 1 << 7  // PS: 2 MiB (PD) or 1 GiB (PDPT) page
	PTEGlobal   PTE = 1 << 8  // G: kept in the TLB across CR3 loads (needs CR4.PGE)
	PTENoExec   PTE = 1 << 63 // XD/NX: instruction fetch faults (needs EFER.NXE)

	// Bits 9-11 and 52-58 are ignored by the MMU and free for software.
	// Ringo uses two of them; see the users for the exact meaning.
	PTESoft9  PTE = 1 << 9
	PTESoft10 PTE = 1 << 10
	PTESoft11 PTE = 1 << 11

	// PTEAddrMask selects the physical frame address (bits 12-51; MAXPHYADDR
	// is at most 52 on current CPUs).
	PTEAddrMask PTE = 0x000f_ffff_ffff_f000
)

// Addr returns the physical address the entry points at.
func (p PTE) Addr() uint64 { return uint64(p & PTEAddrMask) }

// Has reports whether all the given flag bits are set.
func (p PTE) Has(f PTE) bool { return p&f == f }

// MakePTE builds an entry for a physical address and flags.
func MakePTE(phys uint64, flags PTE) PTE { return PTE(phys)&PTEAddrMask | flags }

// Paging geometry.
const (
	PageShift = 12
	PageSize  = 1 << PageShift // 4 KiB
	HugeSize  = 1 << 21        // 2 MiB (a PD-level leaf)
	// EntriesPerTable is the number of 8-byte entries in one 4 KiB table.
	EntriesPerTable = 512
)

// Index returns the table index of a virtual address at a paging level:
// level 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT (Intel SDM §4.5, Figure 4-8).
func Index(va uint64, level int) int {
	return int(va>>(PageShift+9*uint(level-1))) & (EntriesPerTable - 1)
}

// Canonical reports whether va is a canonical 48-bit address: bits 63..47
// all equal (Intel SDM Vol. 1 §3.3.7.1). Non-canonical accesses raise #GP,
// not #PF, and SYSRET to a non-canonical RIP faults in ring 0.
func Canonical(va uint64) bool {
	top := va >> 47
	return top == 0 || top == 0x1ffff
}

// Page-fault error code bits pushed by the CPU with #PF (Intel SDM Vol. 3A
// §4.7, Figure 4-12), as Linux names them in arch/x86/include/asm/trap_pf.h.
const (
	PFProt  = 1 << 0 // 0: page not present; 1: protection violation
	PFWrite = 1 << 1 // the access was a write
	PFUser  = 1 << 2 // the access came from ring 3
	PFRsvd  = 1 << 3 // a reserved bit was set in a paging entry
	PFInstr = 1 << 4 // the access was an instruction fetch
)
