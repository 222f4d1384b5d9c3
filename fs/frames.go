package fs

import (
	"sync"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/mm"
)

// This file is the page-cache frame provider. Ramfs keeps file data in
// whole page frames (as Linux's page cache does) so that read/write and
// a MAP_SHARED mapping see the same bytes. The kernel plugs mm's frame
// allocator in; the default keeps frames on the Go heap for host tests.

// PageFrames allocates and reference-counts page frames.
type PageFrames interface {
	AllocPage() (mm.PFN, error)  // a zeroed frame with one reference
	PageBytes(pfn mm.PFN) []byte // the frame's 4096 bytes
	GetPage(pfn mm.PFN)          // take a reference (get_page)
	PutPage(pfn mm.PFN)          // drop one; the last frees the frame
}

// HeapFrames is a PageFrames on the Go heap. PFNs start at 1.
type HeapFrames struct {
	mu     sync.Mutex
	next   mm.PFN
	frames map[mm.PFN]*heapFrame
	// Limit, if non-zero, is the number of live frames after which
	// AllocPage fails with ENOMEM (tests of ENOSPC/ENOMEM paths).
	Limit int
}

type heapFrame struct {
	data [pageSize]byte
	refs int
}

// NewHeapFrames returns an empty heap frame provider.
func NewHeapFrames() *HeapFrames { return &HeapFrames{frames: map[mm.PFN]*heapFrame{}} }

// AllocPage implements PageFrames.
func (h *HeapFrames) AllocPage() (mm.PFN, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.Limit > 0 && len(h.frames) >= h.Limit {
		return 0, abi.ENOMEM
	}
	h.next++
	h.frames[h.next] = &heapFrame{refs: 1}
	return h.next, nil
}

// PageBytes implements PageFrames.
func (h *HeapFrames) PageBytes(pfn mm.PFN) []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	if f := h.frames[pfn]; f != nil {
		return f.data[:]
	}
	return nil
}

// GetPage implements PageFrames.
func (h *HeapFrames) GetPage(pfn mm.PFN) {
	h.mu.Lock()
	if f := h.frames[pfn]; f != nil {
		f.refs++
	}
	h.mu.Unlock()
}

// PutPage implements PageFrames.
func (h *HeapFrames) PutPage(pfn mm.PFN) {
	h.mu.Lock()
	if f := h.frames[pfn]; f != nil {
		if f.refs--; f.refs == 0 {
			delete(h.frames, pfn)
		}
	}
	h.mu.Unlock()
}

// Live is the number of allocated frames (leak checks in tests).
func (h *HeapFrames) Live() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.frames)
}
