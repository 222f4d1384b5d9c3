package mm

import "github.com/ringo-os/ringo/arch/amd64"

// Fork duplicates the address space for fork(2). Mirrors kernel/fork.c:
// dup_mmap and mm/memory.c:copy_page_range: every VMA except VM_DONTCOPY
// ones is copied (the copy takes a file reference and gets Ops.Open);
// shared pages are mapped in both; private pages become copy-on-write —
// read-only in parent and child until one of them writes. VM_WIPEONFORK
// VMAs start empty in the child.
func (as *AddressSpace) Fork() (*AddressSpace, error) {
	as.mu.Lock()
	defer as.mu.Unlock()
	child, err := NewAddressSpace(as.alloc, as.kernel, NopTLB{}, as.layout)
	if err != nil {
		return nil, err
	}
	child.startBrk, child.brk, child.startStack = as.startBrk, as.brk, as.startStack
	child.stackLimit, child.CapSysRawIO = as.stackLimit, as.CapSysRawIO
	// child is not published yet: nobody else can take its lock.
	for _, v := range as.vmas {
		if v.Flags&VMDontCopy != 0 {
			continue
		}
		nv := *v
		if nv.File != nil {
			nv.File.IncRef()
		}
		child.vmas = append(child.vmas, &nv)
		nv.as = child
		if nv.Ops != nil {
			nv.Ops.Open(&nv)
		}
		if v.Flags&VMWipeOnFork != 0 {
			continue
		}
		var failed error
		as.pt.forEachPresent(v.Start, v.End, func(va uint64, e *amd64.PTE) {
			if failed != nil {
				return
			}
			ce, err := child.pt.lookup(va, true)
			if err != nil {
				failed = err
				return
			}
			if v.Flags&VMShared == 0 && e.Has(amd64.PTEWrite) {
				*e &^= amd64.PTEWrite
				as.pt.invlpg(va)
			}
			*ce = *e
			as.alloc.mapPage(pteToPFN(*e))
		})
		if failed != nil {
			child.Release()
			return nil, failed
		}
	}
	return child, nil
}
