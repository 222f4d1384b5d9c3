package fs

import (
	"sync"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/mm"
)

// This file is ramfs (fs/ramfs/inode.c, file-mmu.c): a filesystem that is
// nothing but the dentry tree plus page-cache pages. It is the root
// filesystem and, as devtmpfs, /dev.

const ramfsMagic = 0x858458f6

// maxLFSFileSize is MAX_LFS_FILESIZE on 64-bit kernels.
const maxLFSFileSize = 1<<63 - 1

// maxNonLFS is MAX_NON_LFS: the largest size a 32-bit open without
// O_LARGEFILE may see.
const maxNonLFS = 1<<31 - 1

// ramfsData is the page cache of one regular ramfs file.
type ramfsData struct {
	v     *VFS
	mu    sync.Mutex // guards pages; taken after Inode.mu
	pages map[uint64]mm.PFN
}

// newRamfsInode mirrors ramfs_get_inode.
func (v *VFS) newRamfsInode(sb *SuperBlock, mode uint32, rdev DevT) *Inode {
	i := v.newInode(sb, mode)
	switch mode & S_IFMT {
	case S_IFREG:
		i.Private = &ramfsData{v: v, pages: map[uint64]mm.PFN{}}
		i.Fops = ramfsFileOps{}
	case S_IFDIR:
		i.nlink = 2
		i.Fops = ramfsDirOps{}
	case S_IFCHR:
		i.Rdev = rdev
		i.Fops = defChrFops{}
	case S_IFIFO:
		i.Fops = fifoOps{}
	}
	return i
}

// Evict frees the file's pages once it is unlinked and closed.
func (d *ramfsData) Evict(i *Inode) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for idx, pfn := range d.pages {
		d.v.frames.PutPage(pfn)
		delete(d.pages, idx)
	}
}

// page returns the frame of page idx, allocating it if alloc.
// Preconditions: d.mu held.
func (d *ramfsData) page(idx uint64, alloc bool) (mm.PFN, abi.Errno) {
	if pfn, ok := d.pages[idx]; ok {
		return pfn, 0
	}
	if !alloc {
		return 0, 0
	}
	pfn, err := d.v.frames.AllocPage()
	if err != nil {
		return 0, abi.ENOSPC
	}
	d.pages[idx] = pfn
	return pfn, 0
}

// truncate mirrors truncate_setsize for ramfs. Preconditions: i.mu held.
func (d *ramfsData) truncate(i *Inode, size int64) {
	d.mu.Lock()
	keep := uint64((size + pageSize - 1) / pageSize)
	for idx, pfn := range d.pages {
		if idx >= keep {
			d.v.frames.PutPage(pfn)
			delete(d.pages, idx)
		}
	}
	if size%pageSize != 0 {
		if pfn, ok := d.pages[uint64(size/pageSize)]; ok {
			clear(d.v.frames.PageBytes(pfn)[size%pageSize:])
		}
	}
	d.mu.Unlock()
	i.size = size
}

// ramfsFileOps mirrors ramfs_file_operations (generic_file_* helpers).
type ramfsFileOps struct{}

// Open mirrors generic_file_open: a 32-bit open without O_LARGEFILE of a
// file larger than 2 GiB fails with EOVERFLOW.
func (ramfsFileOps) Open(inode *Inode, f *File) error {
	if f.Flags()&O_LARGEFILE == 0 && inode.Size() > maxNonLFS {
		return abi.EOVERFLOW
	}
	return nil
}

// Read mirrors generic_file_read_iter over the page cache.
func (ramfsFileOps) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) {
	i := f.Inode
	d := i.Private.(*ramfsData)
	i.mu.Lock()
	defer i.mu.Unlock()
	if *pos >= i.size {
		return 0, nil
	}
	n := int(min(int64(len(dst)), i.size-*pos))
	d.mu.Lock()
	defer d.mu.Unlock()
	for done := 0; done < n; {
		off := *pos + int64(done)
		idx, in := uint64(off/pageSize), int(off%pageSize)
		chunk := min(n-done, pageSize-in)
		if pfn, _ := d.page(idx, false); pfn != 0 {
			copy(dst[done:done+chunk], d.v.frames.PageBytes(pfn)[in:])
		} else {
			clear(dst[done : done+chunk])
		}
		done += chunk
	}
	*pos += int64(n)
	i.atime = f.vfs.Now()
	return n, nil
}

// Write mirrors generic_perform_write: O_APPEND writes at the end; a page
// that cannot be allocated ends the write (ENOSPC if nothing was written).
func (ramfsFileOps) Write(c *Caller, f *File, src []byte, pos *int64) (int, error) {
	i := f.Inode
	d := i.Private.(*ramfsData)
	i.mu.Lock()
	defer i.mu.Unlock()
	if f.Flags()&O_APPEND != 0 {
		*pos = i.size
	}
	if len(src) == 0 {
		return 0, nil
	}
	if *pos > maxLFSFileSize-int64(len(src)) {
		return 0, abi.EFBIG
	}
	d.mu.Lock()
	done := 0
	var err abi.Errno
	for done < len(src) {
		off := *pos + int64(done)
		idx, in := uint64(off/pageSize), int(off%pageSize)
		chunk := min(len(src)-done, pageSize-in)
		var pfn mm.PFN
		if pfn, err = d.page(idx, true); err != 0 {
			break
		}
		copy(d.v.frames.PageBytes(pfn)[in:], src[done:done+chunk])
		done += chunk
	}
	d.mu.Unlock()
	if done == 0 && err != 0 {
		return 0, err
	}
	*pos += int64(done)
	if *pos > i.size {
		i.size = *pos
	}
	i.mtime = f.vfs.Now()
	i.ctime = i.mtime
	return done, nil
}

// Llseek mirrors generic_file_llseek, SEEK_DATA/SEEK_HOLE included (a
// ramfs file has no holes as far as lseek is concerned).
func (ramfsFileOps) Llseek(f *File, pos, offset int64, whence int) (int64, error) {
	return genericLlseek(pos, offset, whence, f.Inode.Size())
}

// genericLlseek mirrors generic_file_llseek_size with eof = i_size.
func genericLlseek(pos, offset int64, whence int, eof int64) (int64, error) {
	switch whence {
	case SEEK_SET:
	case SEEK_CUR:
		if offset == 0 {
			return pos, nil
		}
		offset += pos
	case SEEK_END:
		offset += eof
	case SEEK_DATA:
		if offset < 0 || offset >= eof {
			return 0, abi.ENXIO
		}
	case SEEK_HOLE:
		if offset < 0 || offset >= eof {
			return 0, abi.ENXIO
		}
		offset = eof
	default:
		return 0, abi.EINVAL
	}
	if offset < 0 {
		return 0, abi.EINVAL
	}
	return offset, nil
}

// Mmap mirrors generic_file_mmap: faults are served from the page cache.
func (ramfsFileOps) Mmap(f *File, vma *mm.VMA) error {
	vma.Ops = ramfsVMOps{d: f.Inode.Private.(*ramfsData), inode: f.Inode}
	return nil
}

// ramfsVMOps mirrors generic_file_vm_ops (filemap_fault).
type ramfsVMOps struct {
	d     *ramfsData
	inode *Inode
}

func (ramfsVMOps) Open(vma *mm.VMA)  {}
func (ramfsVMOps) Close(vma *mm.VMA) {}

// Fault mirrors filemap_fault: a page wholly beyond EOF is SIGBUS;
// otherwise the page-cache page, referenced for the caller.
func (o ramfsVMOps) Fault(vmf *mm.VMFault) mm.VMFaultResult {
	size := o.inode.Size()
	if vmf.Pgoff >= uint64((size+pageSize-1)/pageSize) {
		return mm.VMFaultSIGBUS
	}
	o.d.mu.Lock()
	defer o.d.mu.Unlock()
	pfn, err := o.d.page(vmf.Pgoff, true)
	if err != 0 {
		return mm.VMFaultOOM
	}
	o.d.v.frames.GetPage(pfn)
	vmf.Page = pfn
	return 0
}

// ramfsDirOps mirrors simple_dir_operations: read(2) on a directory is
// EISDIR; lseek works; getdents is the VFS's (Getdents64).
type ramfsDirOps struct{}

func (ramfsDirOps) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) {
	return 0, abi.EISDIR
}

func (ramfsDirOps) Llseek(f *File, pos, offset int64, whence int) (int64, error) {
	return genericLlseek(pos, offset, whence, maxLFSFileSize)
}
