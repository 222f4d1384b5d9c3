package kernel

// fs stores ramfs file data in page frames; for MAP_SHARED file mappings
// those frames must be the very frames mm maps into user page tables, so
// the VFS draws them from mm's allocator (Linux: the page cache and the
// buddy allocator are one pool).

import (
	"github.com/ringo-os/ringo/mm"
)

// pageFrames is fs.PageFrames over an mm.FrameAllocator.
type pageFrames struct{ a *mm.FrameAllocator }

func (p pageFrames) AllocPage() (mm.PFN, error)  { return p.a.AllocZeroed(mm.KindKernel) }
func (p pageFrames) PageBytes(pfn mm.PFN) []byte { return p.a.Mem().Frame(pfn) }
func (p pageFrames) GetPage(pfn mm.PFN)          { p.a.GetPage(pfn) }
func (p pageFrames) PutPage(pfn mm.PFN)          { p.a.PutPage(pfn) }
