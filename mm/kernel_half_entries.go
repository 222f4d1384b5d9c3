package mm

// A kernel half that somebody else owns. On the metal the nucleus builds
// the kernel's page tables before the Go runtime starts; every user address
// space must contain its PML4 entries 256-511 verbatim. mm copies them into
// each new PML4 and must never write or free the tables below them: they
// are not mm's frames.

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// NewKernelHalfFromEntries wraps PML4 entries 256..511 built by the
// nucleus (nucleus.KernelPML4Entries). The result is shared into every
// address space like NewKernelHalf's, but it is read-only to mm: Map
// refuses with EPERM and teardown never touches the tables (Linux's
// init_mm page tables, which clone_pgd_range copies into each pgd).
func NewKernelHalfFromEntries(entries [256]uint64) *KernelHalf {
	k := &KernelHalf{}
	for i, e := range entries {
		k.pml4[i] = amd64.PTE(e)
	}
	return k
}

// foreign reports whether the kernel half belongs to the nucleus (no
// allocator of mm's built it), in which case mm may not modify it.
func (k *KernelHalf) foreign() bool { return k.alloc == nil }

var errForeignKernelHalf = abi.EPERM
