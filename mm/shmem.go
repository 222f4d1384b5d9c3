package mm

import (
	"sync"
	"sync/atomic"
)

// This file is shared anonymous memory: mmap(MAP_SHARED|MAP_ANONYMOUS)
// and its pages, shared across fork. Linux backs it with a shmem file
// (mm/shmem.c:shmem_zero_setup), printed as "/dev/zero (deleted)" in maps;
// Ringo does the same with shmemFile, which is both the VMA's File and its
// Ops.

// shmemDevMinor mimics the shm_mnt superblock's device (00:01). Inode
// numbers come from a per-allocator counter (Linux: get_next_ino), so that
// no global state survives a test.
const shmemDevMinor = 1

// shmemFile is one shared anonymous object.
type shmemFile struct {
	alloc *FrameAllocator
	ino   uint64
	refs  atomic.Int64

	mu    sync.Mutex
	pages map[uint64]PFN // pgoff -> frame, one reference each
}

func newShmemFile(alloc *FrameAllocator) *shmemFile {
	s := &shmemFile{alloc: alloc, ino: alloc.shmemIno.Add(1), pages: map[uint64]PFN{}}
	s.refs.Store(1)
	return s
}

// IncRef implements MappedFile.
func (s *shmemFile) IncRef() { s.refs.Add(1) }

// DecRef implements MappedFile; the last reference frees the pages.
func (s *shmemFile) DecRef() {
	if s.refs.Add(-1) != 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for off, pfn := range s.pages {
		s.alloc.PutPage(pfn)
		delete(s.pages, off)
	}
}

// MapsName implements MappedFile.
func (s *shmemFile) MapsName() string { return "/dev/zero (deleted)" }

// MapsDevIno implements MappedFile.
func (s *shmemFile) MapsDevIno() (uint32, uint32, uint64) { return 0, shmemDevMinor, s.ino }

// Open implements VMOperations (shmem_vm_ops has no open).
func (s *shmemFile) Open(*VMA) {}

// Close implements VMOperations (shmem_vm_ops has no close).
func (s *shmemFile) Close(*VMA) {}

// Fault implements VMOperations: find or create the page at vmf.Pgoff.
// Mirrors shmem_fault.
func (s *shmemFile) Fault(vmf *VMFault) VMFaultResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	pfn, ok := s.pages[vmf.Pgoff]
	if !ok {
		p, err := s.alloc.AllocZeroed(KindShmem)
		if err != nil {
			return VMFaultOOM
		}
		pfn = p
		s.pages[vmf.Pgoff] = pfn
	}
	s.alloc.GetPage(pfn)
	vmf.Page = pfn
	return 0
}
