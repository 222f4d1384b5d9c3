package mm

// The kernel's own TLB for user-memory access. copy_to_user and friends
// (usercopy.go) reach a user page by walking the page table in software,
// as the CPU would from ring 3: four levels, each a frame lookup. Under
// QEMU's TCG that walk was the larger part of a 4-byte ioctl result
// (about 80 translated blocks). userTLB remembers the last few pages the
// walk found, like the CPU's own TLB, and is invalidated at the same
// moments: every PTE change in this package that could make a cached
// translation stale already calls the CPU's INVLPG (unmap, protect, COW,
// fork, mremap, exit), and all of them go through invlpg/flushAll below,
// which drop the cached entry too. A page that gains a mapping or write
// permission needs no flush (the cache holds only present pages, and a
// write is cached only once the walk allowed one).
//
// Guarded by the AddressSpace's mu, like the page table itself.

import "github.com/ringo-os/ringo/arch/amd64"

const userTLBSize = 16 // direct-mapped on the virtual page number

type userTLBEntry struct {
	tag   uint64 // va>>PageShift + 1; 0 is empty
	write bool   // the walk allowed (and marked dirty) a write
	page  []byte // the frame's PageSize bytes
}

type userTLB [userTLBSize]userTLBEntry

// slot is where va's page would be cached, and the tag it would have.
func (t *userTLB) slot(va uint64) (*userTLBEntry, uint64) {
	vpn := va >> amd64.PageShift
	return &t[vpn%userTLBSize], vpn + 1
}

// lookup returns the cached page holding va, if the access is allowed.
func (t *userTLB) lookup(va uint64, acc Access) []byte {
	e, tag := t.slot(va)
	if e.tag != tag || acc == AccessWrite && !e.write || acc == AccessExec {
		return nil
	}
	return e.page
}

// fill remembers a page the walk just allowed for acc.
func (t *userTLB) fill(va uint64, acc Access, page []byte) {
	e, tag := t.slot(va)
	*e = userTLBEntry{tag: tag, write: acc == AccessWrite, page: page}
}

// drop forgets va's page.
func (t *userTLB) drop(va uint64) {
	if e, tag := t.slot(va); e.tag == tag {
		*e = userTLBEntry{}
	}
}

// invlpg invalidates va's translation in the CPU and in userTLB.
func (pt *PageTable) invlpg(va uint64) {
	pt.utlb.drop(va)
	pt.tlb.Invlpg(va)
}

// flushAll invalidates every translation of this page table.
func (pt *PageTable) flushAll() {
	pt.utlb = userTLB{}
	pt.tlb.FlushAll()
}
