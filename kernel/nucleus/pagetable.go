package nucleus

// The kernel half of the page tables: the direct map of RAM (2 MiB pages),
// the kernel image, and the runtime's demand-paged mmap area (4 KiB pages).
// Intel SDM Vol. 3A §4.5 (4-level paging); the entry format is arch/amd64's.
//
// Runs on trap paths (page faults, mmap): //go:nosplit, no allocation.

import "github.com/ringo-os/ringo/arch/amd64"

var kernelPML4 uint64 // physical address of the kernel's PML4

// Software meaning of a not-present PTE in the mmap area: pteDemand marks a
// committed page that gets a zeroed frame on first touch; its Write bit
// says whether the page is writable once present.
const pteDemand = amd64.PTESoft9

// walk returns the address of the level-1 entry for va, creating missing
// tables when create is set. It returns 0 if a table is missing (and not
// created), memory ran out, or a large page covers va.
//
//go:nosplit
func walk(va uintptr, create bool) uintptr {
	table := kernelPML4
	for level := 4; level > 1; level-- {
		e := phys2virt(table) + uintptr(amd64.Index(uint64(va), level))*8
		pte := amd64.PTE(*u64at(e))
		if !pte.Has(amd64.PTEPresent) {
			if !create {
				return 0
			}
			f := allocFrame()
			if f == 0 {
				return 0
			}
			pte = amd64.MakePTE(f, amd64.PTEPresent|amd64.PTEWrite)
			*u64at(e) = uint64(pte)
		} else if pte.Has(amd64.PTEHuge) {
			return 0
		}
		table = pte.Addr()
	}
	return phys2virt(table) + uintptr(amd64.Index(uint64(va), 1))*8
}

// mapHuge maps the 2 MiB page at va to pa with flags (kernel only, for the
// direct map and the image).
//
//go:nosplit
func mapHuge(va uintptr, pa uint64, flags amd64.PTE) bool {
	table := kernelPML4
	for level := 4; level > 2; level-- {
		e := phys2virt(table) + uintptr(amd64.Index(uint64(va), level))*8
		pte := amd64.PTE(*u64at(e))
		if !pte.Has(amd64.PTEPresent) {
			f := allocFrame()
			if f == 0 {
				return false
			}
			pte = amd64.MakePTE(f, amd64.PTEPresent|amd64.PTEWrite)
			*u64at(e) = uint64(pte)
		}
		table = pte.Addr()
	}
	e := phys2virt(table) + uintptr(amd64.Index(uint64(va), 2))*8
	*u64at(e) = uint64(amd64.MakePTE(pa, flags|amd64.PTEPresent|amd64.PTEHuge))
	return true
}

// buildKernelTables makes the final kernel page tables and loads them:
// the direct map over every usable RAM region, the image at
// KernelVirtBase, and the (empty) top table of the mmap area, which exists
// from boot so that every address space made later can share it. The boot
// identity map is gone afterwards: a stray low address now faults.
//
//go:nosplit
func buildKernelTables() {
	kernelPML4 = allocFrame()
	if kernelPML4 == 0 {
		BootFail("paging: ", "no frame for the kernel PML4")
	}
	const dm = amd64.PTEWrite | amd64.PTEGlobal | amd64.PTENoExec
	for i := 0; i < boot.NRegions; i++ {
		r := &boot.Regions[i]
		if r.Type != MemUsable {
			continue
		}
		for pa := r.Base &^ (amd64.HugeSize - 1); pa < r.Base+r.Len; pa += amd64.HugeSize {
			if !mapHuge(uintptr(DirectMapBase+pa), pa, dm) {
				BootFail("paging: ", "out of frames building the direct map")
			}
		}
	}
	// The image: physical 0 .. kernelEnd, at KernelVirtBase.
	for pa := uint64(0); pa < kernelEnd; pa += amd64.HugeSize {
		mapHuge(uintptr(KernelVirtBase+pa), pa, amd64.PTEWrite|amd64.PTEGlobal)
	}
	if walk(MmapBase, true) == 0 {
		BootFail("paging: ", "out of frames for the mmap area")
	}
	setCR3(kernelPML4)
}

// loadedCR3 mirrors CR3, which only setCR3 writes: SwitchToUser compares
// against it on every entry to ring 3 instead of reading the register.
var loadedCR3 uint64

//go:nosplit
func setCR3(cr3 uint64) {
	amd64.WriteCR3(cr3)
	loadedCR3 = cr3
}

// invalidate drops a kernel page's TLB entry after its PTE changed (host
// tests replace it: INVLPG is privileged).
var invalidate = amd64.Invlpg
