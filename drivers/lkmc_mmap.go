package drivers

// This file is seed 001, lkmc_mmap ("how to mmap a Linux kernel buffer to
// user space"), ported line by line: /proc/lkmc_mmap, where every open
// gets one zeroed kernel page holding "asdf"; read and write see its first
// 4 bytes; mmap installs vm_operations whose fault hands out that page, so
// every MAP_SHARED mapping of the file shares one frame with the kernel.
//
// Lifetime: each VMA holds a reference on the file (vm_file), so Release,
// which frees the page, runs only after the last close *and* the last
// munmap. The page itself is reference counted too: each PTE holds one
// (taken by GetPage in Fault), so the frame returns to the allocator only
// when both the driver and every mapping have let go of it.
//
// Differences from the seed (README.md): Fault gives SIGBUS past the first
// page (the seed handed the same page out for every offset), and open
// fails with ENOMEM instead of oopsing when no page is left.

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/mm"
)

const (
	lkmcFilename   = "lkmc_mmap" // static const char *filename
	lkmcBufferSize = 4           // enum { BUFFER_SIZE = 4 }
)

// mmapInfo mirrors struct mmap_info: the page behind one open file.
type mmapInfo struct {
	data mm.PFN // char *data, a page from get_zeroed_page
}

// bytes is the kernel's view of the page (page_address), nil if the frame
// is not reachable (no allocator installed: a kernel set-up bug, EIO).
func (info *mmapInfo) bytes() []byte { return mm.PageBytes(info.data) }

func lkmcLog(f *fs.File, format string, args ...any) {
	f.VFS().Log.PrInfo(prFmt(lkmcFilename, format), args...)
}

// lkmcVMOps mirrors the seed's vm_ops. It carries the file only for the
// log (vm_area_struct reaches it through vm_file in C).
type lkmcVMOps struct{ file *fs.File }

// Close mirrors vm_close: called once for every VMA that goes away.
func (o lkmcVMOps) Close(vma *mm.VMA) { lkmcLog(o.file, "vm_close") }

// Open mirrors vm_open: mm calls it for every copy of a VMA (split, fork,
// mremap); the driver's own mmap calls it for the first one.
func (o lkmcVMOps) Open(vma *mm.VMA) { lkmcLog(o.file, "vm_open") }

// Fault mirrors vm_fault: the first touch of a page of the mapping. It
// takes a reference on the page (get_page) and hands it to mm in
// vmf.Page; mm keeps that reference for the PTE.
func (o lkmcVMOps) Fault(vmf *mm.VMFault) mm.VMFaultResult {
	lkmcLog(o.file, "vm_fault")
	info := vmf.VMA.PrivateData.(*mmapInfo)
	if vmf.Pgoff != 0 || info.data == 0 {
		return mm.VMFaultSIGBUS // only one page exists
	}
	mm.GetPage(info.data)
	vmf.Page = info.data
	return 0
}

// lkmcFops mirrors the seed's fops: mmap, open, release, read, write.
type lkmcFops struct{}

// Mmap mirrors mmap: install the vm_ops, forbid growing the mapping
// (mremap would EFAULT) and keep it out of core dumps.
func (lkmcFops) Mmap(filp *fs.File, vma *mm.VMA) error {
	lkmcLog(filp, "mmap")
	ops := lkmcVMOps{file: filp}
	vma.Ops = ops
	vma.Flags |= mm.VMDontExpand | mm.VMDontDump
	vma.PrivateData = filp.PrivateData
	ops.Open(vma)
	return nil
}

// Open mirrors open: one zeroed page per open file, holding "asdf".
func (lkmcFops) Open(inode *fs.Inode, filp *fs.File) error {
	lkmcLog(filp, "open")
	info := &mmapInfo{}
	page, err := mm.GetZeroedPage()
	if err != nil {
		return abi.ENOMEM // the seed did not check, and would oops in memcpy
	}
	info.data = page
	lkmcLog(filp, "virt_to_phys = 0x%x", uint64(page)<<12)
	copy(mm.PageBytes(info.data), "asdf")
	filp.PrivateData = info
	return nil
}

// Read mirrors read: at most BUFFER_SIZE bytes from the start of the page.
func (lkmcFops) Read(c *fs.Caller, filp *fs.File, buf []byte, off *int64) (int, error) {
	lkmcLog(filp, "read")
	if *off < 0 || *off >= lkmcBufferSize { // the seed's (size_t)*off cast
		return 0, nil
	}
	page := filp.PrivateData.(*mmapInfo).bytes()
	if page == nil {
		return 0, abi.EIO
	}
	ret := min(len(buf), lkmcBufferSize-int(*off))
	copy(buf[:ret], page[*off:])
	*off += int64(ret)
	return ret, nil
}

// Write mirrors write: min(len, BUFFER_SIZE) bytes overwrite the start of
// the page whatever the offset; the offset stays; all of len is "written".
func (lkmcFops) Write(c *fs.Caller, filp *fs.File, buf []byte, off *int64) (int, error) {
	lkmcLog(filp, "write")
	page := filp.PrivateData.(*mmapInfo).bytes()
	if page == nil {
		return 0, abi.EIO
	}
	copy(page, buf[:min(len(buf), lkmcBufferSize)])
	return len(buf), nil
}

// Release mirrors release: the last reference to the file is gone (no
// descriptor and no mapping left), so the driver drops its page.
func (lkmcFops) Release(inode *fs.Inode, filp *fs.File) {
	lkmcLog(filp, "release")
	info := filp.PrivateData.(*mmapInfo)
	mm.FreePage(info.data)
	info.data = 0
	filp.PrivateData = nil
}

// LkmcMmap is the module: the /proc entry.
type LkmcMmap struct{}

// Name implements Module.
func (*LkmcMmap) Name() string { return lkmcFilename }

// Init mirrors myinit: proc_create(filename, 0, NULL, &fops).
func (*LkmcMmap) Init(v *fs.VFS) error {
	_, err := v.ProcCreate(lkmcFilename, 0, nil, lkmcFops{})
	return err
}

// Exit mirrors myexit: remove_proc_entry(filename, NULL).
func (*LkmcMmap) Exit(v *fs.VFS) { v.RemoveProcEntry(lkmcFilename, nil) }
