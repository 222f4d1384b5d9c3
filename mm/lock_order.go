package mm

// Lock order in package mm (outermost first):
//
//	AddressSpace.mu   (mmap_lock: the VMA list, the page table, brk)
//	  shmemFile.mu    (the pages of one shared anonymous object)
//	    FrameAllocator.mu (free lists, reference and map counts; a leaf)
//
//	KernelHalf.mu     (kernel page-table updates) → FrameAllocator.mu
//
// VMOperations callbacks (Open, Close, Fault) run with AddressSpace.mu
// held, as Linux runs them under mmap_lock; a driver's Fault may call
// GetPage / GetZeroedPage (FrameAllocator.mu) but must not call back into
// the same AddressSpace's mmap calls.
