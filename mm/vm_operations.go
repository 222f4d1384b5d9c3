package mm

// This file is the contract between mm and the rest of the kernel: the
// vm_flags, the vm_operations_struct a driver installs from its mmap method,
// and what mm needs from an open file. fs (file mmap) and drivers/ (the
// seeds' lkmc_mmap) are written against these names.

// PFN is a physical frame number (physical address >> 12), the Go stand-in
// for Linux's struct page *.
type PFN uint64

// VMFlags mirrors vm_flags (include/linux/mm.h); the values are Linux's, so
// a flag can be read off a Linux VMA dump and looked up here.
type VMFlags uint64

const (
	VMRead       VMFlags = 0x00000001
	VMWrite      VMFlags = 0x00000002
	VMExec       VMFlags = 0x00000004
	VMShared     VMFlags = 0x00000008
	VMMayRead    VMFlags = 0x00000010
	VMMayWrite   VMFlags = 0x00000020
	VMMayExec    VMFlags = 0x00000040
	VMMayShare   VMFlags = 0x00000080
	VMGrowsDown  VMFlags = 0x00000100
	VMPFNMap     VMFlags = 0x00000400
	VMLocked     VMFlags = 0x00002000
	VMIO         VMFlags = 0x00004000
	VMDontCopy   VMFlags = 0x00020000
	VMDontExpand VMFlags = 0x00040000
	VMAccount    VMFlags = 0x00100000
	VMNoReserve  VMFlags = 0x00200000
	VMDontDump   VMFlags = 0x04000000
	VMMixedMap   VMFlags = 0x10000000
)

// VMFaultResult mirrors vm_fault_t (include/linux/mm_types.h): 0 means the
// handler set VMFault.Page.
type VMFaultResult uint32

const (
	VMFaultOOM     VMFaultResult = 0x000001
	VMFaultSIGBUS  VMFaultResult = 0x000002
	VMFaultSIGSEGV VMFaultResult = 0x000040
	VMFaultNoPage  VMFaultResult = 0x000100 // handler installed the PTE itself
	VMFaultLocked  VMFaultResult = 0x000200
	VMFaultRetry   VMFaultResult = 0x000400
)

// FaultFlag mirrors enum fault_flag (include/linux/mm_types.h).
type FaultFlag uint32

const (
	FaultFlagWrite       FaultFlag = 1 << 0
	FaultFlagUser        FaultFlag = 1 << 6
	FaultFlagInstruction FaultFlag = 1 << 8
)

// VMFault mirrors struct vm_fault: what a Fault handler is told and what it
// hands back.
type VMFault struct {
	VMA     *VMA
	Address uint64    // page-aligned faulting address
	Pgoff   uint64    // VMA.Pgoff + (Address-VMA.Start)>>12
	Flags   FaultFlag // FaultFlagWrite etc.

	// Page is set by the handler when it returns 0. As in Linux, the
	// handler passes a reference it took with GetPage (the seed's
	// get_page(page); vmf->page = page); the core consumes it for the PTE.
	Page PFN
}

// VMOperations mirrors vm_operations_struct. A driver's mmap method sets
// VMA.Ops; VMA.Ops nil means the dummy vm_ops of mmap_region (a fault on an
// empty PTE of a file VMA is then SIGBUS, §6.4). Rules (§6.2): Open is not
// called for the first mmap, only for each duplicate VMA (split, fork,
// mremap move); Close runs once per removed VMA: 1 mmap + N opens = N+1
// closes.
type VMOperations interface {
	Open(vma *VMA)
	Close(vma *VMA)
	Fault(vmf *VMFault) VMFaultResult
}

// MappedFile is what a VMA needs from the file it maps (vm_file): a
// reference held from mmap until the VMA is gone (get_file/fput), and the
// fields /proc/PID/maps prints.
type MappedFile interface {
	IncRef()
	DecRef()
	// MapsName is the name printed in /proc/PID/maps (a path, or
	// "/dev/zero (deleted)" for shared anonymous memory).
	MapsName() string
	// MapsDevIno is the backing device and inode number printed in maps.
	MapsDevIno() (major, minor uint32, ino uint64)
}

// MmapFile is what do_mmap needs from an open file (struct file + f_op).
type MmapFile interface {
	MappedFile
	// Readable and Writable are FMODE_READ and FMODE_WRITE of the open file.
	Readable() bool
	Writable() bool
	// Mmap is f_op->mmap. It returns ENODEV (abi.ENODEV) when the file has no mmap
	// method; any other error aborts the mmap and the VMA is discarded
	// without Close (§6.1 step 8).
	Mmap(vma *VMA) error
}

// VMA mirrors vm_area_struct: one contiguous range of an address space with
// one set of flags and one backing. The fields below are the contract with
// drivers; mm may add private fields.
type VMA struct {
	Start, End  uint64       // [Start, End), page aligned
	Flags       VMFlags      // VM_* flags
	Pgoff       uint64       // offset into File in pages (vm_pgoff)
	File        MappedFile   // vm_file; nil for anonymous memory
	Ops         VMOperations // vm_ops; nil = dummy ops
	PrivateData any          // vm_private_data, for the driver
	Name        string       // "[anon:NAME]", "[vdso]", or "" (maps uses File, [heap], [stack])

	as *AddressSpace // vm_mm: the address space the VMA belongs to
}

// AddressSpace returns the address space the VMA belongs to (vm_mm).
func (v *VMA) AddressSpace() *AddressSpace { return v.as }

// Len is End - Start.
func (v *VMA) Len() uint64 { return v.End - v.Start }
