package mm

import (
	"sync/atomic"

	"github.com/ringo-os/ringo/abi"
)

// This file holds the global-free page helpers a driver calls, Linux style
// (get_zeroed_page, get_page, put_page, page_address). They work on the
// default allocator, which the kernel installs once at boot with
// SetDefaultAllocator and host tests install (and restore) per test.

var defaultAllocator atomic.Pointer[FrameAllocator]

// SetDefaultAllocator installs a as the allocator behind the package-level
// helpers and returns the previous one (nil at first), so that a test can
// restore it: `defer mm.SetDefaultAllocator(mm.SetDefaultAllocator(a))`.
func SetDefaultAllocator(a *FrameAllocator) *FrameAllocator {
	return defaultAllocator.Swap(a)
}

// DefaultAllocator returns the installed allocator, or nil.
func DefaultAllocator() *FrameAllocator { return defaultAllocator.Load() }

// GetZeroedPage allocates one cleared kernel frame with a reference count
// of 1. Mirrors get_zeroed_page(GFP_KERNEL); ENOMEM when memory is short or
// no allocator is installed.
func GetZeroedPage() (PFN, error) {
	a := defaultAllocator.Load()
	if a == nil {
		return 0, abi.ENOMEM
	}
	return a.AllocZeroed(KindKernel)
}

// FreePage drops the reference GetZeroedPage returned. Mirrors free_page;
// the frame is really freed only when no mapping holds it any more.
func FreePage(pfn PFN) { PutPage(pfn) }

// GetPage takes a reference on pfn. A Fault handler calls it before
// handing the page back in VMFault.Page. Mirrors get_page.
func GetPage(pfn PFN) {
	if a := defaultAllocator.Load(); a != nil {
		a.GetPage(pfn)
	}
}

// PutPage drops a reference on pfn. Mirrors put_page.
func PutPage(pfn PFN) {
	if a := defaultAllocator.Load(); a != nil {
		a.PutPage(pfn)
	}
}

// PageBytes is the kernel's byte view of frame pfn (page_address), nil if
// the frame is not reachable RAM.
func PageBytes(pfn PFN) []byte {
	a := defaultAllocator.Load()
	if a == nil {
		return nil
	}
	return a.mem.Frame(pfn)
}
