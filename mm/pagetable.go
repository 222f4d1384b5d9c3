package mm

import (
	"sync"
	"unsafe"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// This file is the 4-level x86-64 page table: map, unmap, protect, walk,
// over arch/amd64's PTE layout, with table pages taken from the frame
// allocator and reached through PhysMem. Mirrors the pgd/p4d/pud/pmd/pte
// helpers of mm/memory.c (__pte_alloc, zap_pte_range) without the folding
// of levels: x86-64 with 4 levels has exactly PML4, PDPT, PD and PT.

// Address-space halves. The user half is PML4 entries 0..255, the kernel
// half 256..511 (Intel SDM §4.5: a 48-bit canonical address space).
const (
	UserTop         uint64 = 1 << 47 // first non-canonical address
	KernelBase      uint64 = 0xffff_8000_0000_0000
	kernelFirstPML4        = 256
)

// tableEntries views a table frame as its 512 entries.
func tableEntries(b []byte) *[amd64.EntriesPerTable]amd64.PTE {
	return (*[amd64.EntriesPerTable]amd64.PTE)(unsafe.Pointer(unsafe.SliceData(b)))
}

func pteToPFN(p amd64.PTE) PFN { return PFN(p.Addr() >> amd64.PageShift) }

func pfnToPhys(p PFN) uint64 { return uint64(p) << amd64.PageShift }

// Intermediate entries of user tables allow everything; the leaf decides
// (Linux's _PAGE_TABLE).
const userTableFlags = amd64.PTEPresent | amd64.PTEWrite | amd64.PTEUser

// Kernel intermediate entries are supervisor-only.
const kernelTableFlags = amd64.PTEPresent | amd64.PTEWrite

// KernelHalf is the kernel's part of every address space: PML4 entries
// 256..511. Their PDPT pages are allocated once, up front, and copied into
// every new PML4, so a kernel mapping added later is seen by every address
// space (Linux achieves the same with sync_global_pgds and, for vmalloc,
// preallocate_vmalloc_pages). Address-space teardown never frees them.
type KernelHalf struct {
	alloc *FrameAllocator
	pml4  [256]amd64.PTE // fixed after NewKernelHalf: read without mu
	mu    sync.Mutex     // serialises Map (the tables below pml4)
}

// NewKernelHalf allocates the 256 kernel PDPT pages (1 MiB).
func NewKernelHalf(alloc *FrameAllocator) (*KernelHalf, error) {
	k := &KernelHalf{alloc: alloc}
	for i := range k.pml4 {
		pfn, err := alloc.AllocZeroed(KindPageTable)
		if err != nil {
			for _, e := range k.pml4[:i] {
				alloc.PutPage(pteToPFN(e))
			}
			return nil, err
		}
		k.pml4[i] = amd64.MakePTE(pfnToPhys(pfn), kernelTableFlags)
	}
	return k, nil
}

// Map installs a supervisor-only 4 KiB kernel mapping. EINVAL for a
// user-half or unaligned address or for flags that ask for PTEUser.
// Kernel mappings carry the Global bit: they survive CR3 reloads. A half
// from NewKernelHalfFromEntries belongs to the nucleus: EPERM.
func (k *KernelHalf) Map(va uint64, pfn PFN, flags amd64.PTE) error {
	if k.foreign() {
		return errForeignKernelHalf
	}
	if va < KernelBase || va&(PageSize-1) != 0 || flags&amd64.PTEUser != 0 {
		return abi.EINVAL
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	top := &k.pml4[amd64.Index(va, 4)-kernelFirstPML4]
	e, err := walkCreate(k.alloc, top, va, kernelTableFlags)
	if err != nil {
		return err
	}
	*e = amd64.MakePTE(pfnToPhys(pfn), flags|amd64.PTEPresent|amd64.PTEGlobal)
	return nil
}

// walkCreate descends from a PML4 entry to the leaf PTE of va, creating
// missing tables with the given intermediate flags.
func walkCreate(alloc *FrameAllocator, top *amd64.PTE, va uint64, tflags amd64.PTE) (*amd64.PTE, error) {
	e := top
	for level := 3; level >= 1; level-- {
		if !e.Has(amd64.PTEPresent) {
			pfn, err := alloc.AllocZeroed(KindPageTable)
			if err != nil {
				return nil, err
			}
			*e = amd64.MakePTE(pfnToPhys(pfn), tflags)
		}
		if e.Has(amd64.PTEHuge) {
			return nil, abi.EEXIST
		}
		t := tableEntries(alloc.mem.Frame(pteToPFN(*e)))
		e = &t[amd64.Index(va, level)]
	}
	return e, nil
}

// PageTable is one address space's PML4 and the user-half tables under it.
type PageTable struct {
	alloc *FrameAllocator
	root  PFN
	tlb   TLB // the CPU's; only invlpg and flushAll call it (usertlb.go)
	utlb  userTLB
}

// NewPageTable allocates a PML4 with the kernel half copied in (Linux's
// pgd_alloc + pgd_ctor).
func NewPageTable(alloc *FrameAllocator, kernel *KernelHalf, tlb TLB) (*PageTable, error) {
	root, err := alloc.AllocZeroed(KindPageTable)
	if err != nil {
		return nil, err
	}
	if kernel != nil {
		t := tableEntries(alloc.mem.Frame(root))
		copy(t[kernelFirstPML4:], kernel.pml4[:])
	}
	return &PageTable{alloc: alloc, root: root, tlb: tlb}, nil
}

// Root is the physical address to load into CR3.
func (pt *PageTable) Root() uint64 { return pfnToPhys(pt.root) }

func (pt *PageTable) pml4() *[amd64.EntriesPerTable]amd64.PTE {
	return tableEntries(pt.alloc.mem.Frame(pt.root))
}

// lookup returns the leaf PTE slot of a user address, or nil when a table
// on the way is missing (and create is false).
func (pt *PageTable) lookup(va uint64, create bool) (*amd64.PTE, error) {
	if va >= UserTop {
		return nil, abi.EINVAL
	}
	top := &pt.pml4()[amd64.Index(va, 4)]
	if create {
		return walkCreate(pt.alloc, top, va, userTableFlags)
	}
	e := top
	for level := 3; level >= 1; level-- {
		if !e.Has(amd64.PTEPresent) || e.Has(amd64.PTEHuge) {
			return nil, nil
		}
		e = &tableEntries(pt.alloc.mem.Frame(pteToPFN(*e)))[amd64.Index(va, level)]
	}
	return e, nil
}

// Map installs a 4 KiB user mapping of pfn at va with the given leaf flags
// (Present is added). EINVAL for a kernel-half or unaligned va, EEXIST if
// something is mapped there, ENOMEM if a table page cannot be allocated.
// It does not touch reference counts: that is the fault code's business.
func (pt *PageTable) Map(va uint64, pfn PFN, flags amd64.PTE) error {
	if va&(PageSize-1) != 0 {
		return abi.EINVAL
	}
	e, err := pt.lookup(va, true)
	if err != nil {
		return err
	}
	if e.Has(amd64.PTEPresent) {
		return abi.EEXIST
	}
	*e = amd64.MakePTE(pfnToPhys(pfn), flags|amd64.PTEPresent)
	return nil
}

// Unmap clears the leaf of va and invalidates it; it returns the old entry
// (zero if nothing was mapped).
func (pt *PageTable) Unmap(va uint64) amd64.PTE {
	e, _ := pt.lookup(va, false)
	if e == nil || !e.Has(amd64.PTEPresent) {
		return 0
	}
	old := *e
	*e = 0
	pt.invlpg(va)
	return old
}

// Protect replaces the flag bits of a present leaf, keeping its frame, and
// invalidates it. It reports whether a leaf was present.
func (pt *PageTable) Protect(va uint64, flags amd64.PTE) bool {
	e, _ := pt.lookup(va, false)
	if e == nil || !e.Has(amd64.PTEPresent) {
		return false
	}
	*e = amd64.MakePTE(e.Addr(), flags|amd64.PTEPresent)
	pt.invlpg(va)
	return true
}

// Walk returns the leaf entry mapping va (zero if none). It also resolves
// kernel-half addresses, including 2 MiB and 1 GiB leaves.
func (pt *PageTable) Walk(va uint64) amd64.PTE {
	if !amd64.Canonical(va) {
		return 0
	}
	e := pt.pml4()[amd64.Index(va, 4)]
	for level := 3; level >= 1; level-- {
		if !e.Has(amd64.PTEPresent) {
			return 0
		}
		e = tableEntries(pt.alloc.mem.Frame(pteToPFN(e)))[amd64.Index(va, level)]
		if level > 1 && e.Has(amd64.PTEHuge) {
			return e
		}
	}
	if !e.Has(amd64.PTEPresent) {
		return 0
	}
	return e
}

// forEachPresent calls fn for every present user leaf in [start, end),
// skipping missing tables a whole table at a time.
func (pt *PageTable) forEachPresent(start, end uint64, fn func(va uint64, e *amd64.PTE)) {
	pt.visit(pt.pml4(), 4, 0, start, end, fn)
}

func (pt *PageTable) visit(t *[amd64.EntriesPerTable]amd64.PTE, level int, base, start, end uint64, fn func(uint64, *amd64.PTE)) {
	// Shifts, not divisions by span: under TCG a 64-bit DIV is a helper
	// call, and a walk made eight of them.
	shift := amd64.PageShift + 9*uint(level-1)
	span := uint64(1) << shift
	limit := amd64.EntriesPerTable
	if level == 4 {
		limit = kernelFirstPML4
	}
	// Only the slots that [start, end) touches: a 4 KiB munmap looks at
	// one entry per level, not all 512 (under TCG each slot skipped is a
	// translated block).
	first := 0
	if start > base {
		first = int((start - base) >> shift)
	}
	if end > base {
		limit = min(limit, int((end-base-1)>>shift)+1)
	} else {
		limit = 0
	}
	for i := first; i < limit; i++ { // every slot here overlaps [start, end)
		lo := base + uint64(i)*span
		e := &t[i]
		if !e.Has(amd64.PTEPresent) {
			continue
		}
		if level == 1 {
			fn(lo, e)
			continue
		}
		pt.visit(tableEntries(pt.alloc.mem.Frame(pteToPFN(*e))), level-1, lo, start, end, fn)
	}
}

// Destroy frees the PML4 and every user-half table under it. The leaves
// must already be unmapped (exit_mmap zaps every VMA first); kernel-half
// tables are shared and stay. Mirrors free_pgtables + pgd_free.
func (pt *PageTable) Destroy() {
	pt.freeTables(pt.pml4(), 4)
	pt.alloc.PutPage(pt.root)
	pt.root = 0
}

func (pt *PageTable) freeTables(t *[amd64.EntriesPerTable]amd64.PTE, level int) {
	limit := amd64.EntriesPerTable
	if level == 4 {
		limit = kernelFirstPML4
	}
	for i := 0; i < limit; i++ {
		e := t[i]
		if !e.Has(amd64.PTEPresent) {
			continue
		}
		if level > 1 {
			child := pteToPFN(e)
			pt.freeTables(tableEntries(pt.alloc.mem.Frame(child)), level-1)
			pt.alloc.PutPage(child)
		}
		t[i] = 0
	}
}
