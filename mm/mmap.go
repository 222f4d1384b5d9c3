package mm

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// This file is mmap: argument validation in Linux's order (§6.1),
// placement (get_unmapped_area), and mmap_region. Mirrors
// arch/x86/kernel/sys_x86_64.c:sys_mmap, mm/mmap.c:ksys_mmap_pgoff,
// do_mmap and mmap_region.

// PROT_* (include/uapi/asm-generic/mman-common.h).
const (
	ProtNone      = 0x0
	ProtRead      = 0x1
	ProtWrite     = 0x2
	ProtExec      = 0x4
	ProtSem       = 0x8
	ProtGrowsDown = 0x01000000
	ProtGrowsUp   = 0x02000000
)

// MAP_* (x86 values).
const (
	MapShared         = 0x01
	MapPrivate        = 0x02
	MapSharedValidate = 0x03
	MapType           = 0x0f
	MapDroppable      = 0x08
	MapFixed          = 0x10
	MapAnonymous      = 0x20
	Map32Bit          = 0x40
	MapGrowsDown      = 0x0100
	MapDenyWrite      = 0x0800
	MapExecutable     = 0x1000
	MapLocked         = 0x2000
	MapNoReserve      = 0x4000
	MapPopulate       = 0x8000
	MapNonBlock       = 0x10000
	MapStack          = 0x20000
	MapHugeTLB        = 0x40000
	MapSync           = 0x80000
	MapFixedNoReplace = 0x100000
	MapUninitialized  = 0x4000000
	mapHuge2MB        = 21 << 26
	mapHuge1GB        = 30 << 26

	// legacyMapMask is LEGACY_MAP_MASK (include/linux/mman.h): what
	// MAP_SHARED_VALIDATE accepts. MAP_FIXED_NOREPLACE is not in it, so
	// MAP_SHARED_VALIDATE|MAP_FIXED_NOREPLACE is EOPNOTSUPP, as on Linux.
	legacyMapMask = MapShared | MapPrivate | MapFixed | MapAnonymous | MapDenyWrite |
		MapExecutable | MapUninitialized | MapGrowsDown | MapLocked | MapNoReserve |
		MapPopulate | MapNonBlock | MapStack | MapHugeTLB | Map32Bit | mapHuge2MB | mapHuge1GB
)

// FileLookup is fget for mmap: it turns an fd into an open file, or
// returns EBADF. mm calls it only for non-anonymous mappings and only
// after the offset check, which is Linux's order; whatever reference it
// takes the caller drops after Mmap returns (ksys_mmap_pgoff's fput). The
// VMA takes its own with IncRef.
type FileLookup func(fd int) (MmapFile, error)

// Mmap is the x86_64 mmap(2): off is in bytes and must be page aligned.
// Mirrors sys_mmap.
func (as *AddressSpace) Mmap(addr, length uint64, prot, flags uint32, fd int, off uint64, fget FileLookup) (uint64, error) {
	if off&(PageSize-1) != 0 {
		return 0, abi.EINVAL
	}
	return as.Mmap2(addr, length, prot, flags, fd, off>>amd64.PageShift, fget)
}

// Mmap2 is mmap_pgoff: the i386 mmap2(2) (offset in pages) and the common
// body of both ABIs. Mirrors ksys_mmap_pgoff.
func (as *AddressSpace) Mmap2(addr, length uint64, prot, flags uint32, fd int, pgoff uint64, fget FileLookup) (uint64, error) {
	var file MmapFile
	if flags&MapAnonymous == 0 {
		if fget == nil {
			return 0, abi.EBADF
		}
		f, err := fget(fd)
		if err != nil {
			return 0, err
		}
		if f == nil {
			return 0, abi.EBADF
		}
		if flags&MapHugeTLB != 0 {
			return 0, abi.EINVAL // not a hugetlbfs file
		}
		file = f
	}
	return as.DoMmap(file, addr, length, prot, flags, pgoff)
}

// DoMmap maps file (nil for anonymous memory) with Linux's do_mmap rules;
// the ELF loader calls it directly. It returns the mapped address.
func (as *AddressSpace) DoMmap(file MmapFile, addr, length uint64, prot, flags uint32, pgoff uint64) (uint64, error) {
	as.mu.Lock()
	addr, populate, err := as.doMmapLocked(file, addr, length, prot, flags, pgoff)
	if err == nil && populate {
		as.populateLocked(addr, addr+pageRoundUp(length))
	}
	as.mu.Unlock()
	return addr, err
}

// doMmapLocked is do_mmap.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) doMmapLocked(file MmapFile, addr, length uint64, prot, flags uint32, pgoff uint64) (uint64, bool, error) {
	if length == 0 {
		return 0, false, abi.EINVAL
	}
	if flags&MapFixedNoReplace != 0 {
		flags |= MapFixed
	}
	if flags&MapFixed == 0 {
		addr = roundHintToMin(addr)
	}
	length = pageRoundUp(length)
	if length == 0 {
		return 0, false, abi.ENOMEM
	}
	if pgoff+length>>amd64.PageShift < pgoff {
		return 0, false, abi.EOVERFLOW
	}
	if len(as.vmas) > MaxMapCount {
		return 0, false, abi.ENOMEM
	}
	// (RLIMIT_DATA / overcommit accounting is not modelled.)
	addr, err := as.getUnmappedArea(addr, length, flags)
	if err != nil {
		return 0, false, err
	}
	if flags&MapFixedNoReplace != 0 && as.overlaps(addr, addr+length) {
		return 0, false, abi.EEXIST
	}
	if flags&MapLocked != 0 {
		// mlock accounting is not implemented; an unprivileged task
		// with RLIMIT_MEMLOCK 0 gets EPERM from can_do_mlock.
		return 0, false, abi.EPERM
	}
	vmFlags := protToVMFlags(prot) | VMMayRead | VMMayWrite | VMMayExec

	if file != nil {
		// file_mmap_ok: the mapping must end within MAX_LFS_FILESIZE.
		// (Linux exempts FMODE_UNSIGNED_OFFSET files such as /dev/mem;
		// MmapFile does not say, so every file gets the check.)
		const maxLFSFileSize = 1<<63 - 1
		if pgoff > (maxLFSFileSize-length)>>amd64.PageShift {
			return 0, false, abi.EOVERFLOW
		}
		switch flags & MapType {
		case MapShared, MapSharedValidate:
			if flags&MapType == MapShared {
				flags &= legacyMapMask
			} else if flags&^legacyMapMask != 0 {
				return 0, false, abi.EOPNOTSUPP
			}
			if prot&ProtWrite != 0 && !file.Writable() {
				return 0, false, abi.EACCES
			}
			vmFlags |= VMShared | VMMayShare
			if !file.Writable() {
				vmFlags &^= VMMayWrite | VMShared
			}
			fallthrough
		case MapPrivate:
			if !file.Readable() {
				return 0, false, abi.EACCES
			}
			if flags&MapGrowsDown != 0 {
				return 0, false, abi.EINVAL
			}
		default:
			return 0, false, abi.EINVAL
		}
	} else {
		switch flags & MapType {
		case MapShared:
			if flags&MapGrowsDown != 0 {
				return 0, false, abi.EINVAL
			}
			pgoff = 0
			vmFlags |= VMShared | VMMayShare
		case MapPrivate, MapDroppable:
			pgoff = addr >> amd64.PageShift
		default:
			return 0, false, abi.EINVAL
		}
	}
	if flags&MapGrowsDown != 0 {
		vmFlags |= VMGrowsDown
	}
	if flags&MapNoReserve != 0 {
		vmFlags |= VMNoReserve
	}
	if err := as.mmapRegion(file, addr, length, vmFlags, pgoff); err != nil {
		return 0, false, err
	}
	populate := flags&(MapPopulate|MapNonBlock) == MapPopulate
	return addr, populate, nil
}

// protToVMFlags is calc_vm_prot_bits. Unknown PROT bits are ignored, as
// mmap does (§6.1 step 7).
func protToVMFlags(prot uint32) VMFlags {
	var f VMFlags
	if prot&ProtRead != 0 {
		f |= VMRead
	}
	if prot&ProtWrite != 0 {
		f |= VMWrite
	}
	if prot&ProtExec != 0 {
		f |= VMExec
	}
	return f
}

// roundHintToMin is round_hint_to_min: a hint is rounded down to a page,
// and a non-null hint below mmap_min_addr is raised to it.
func roundHintToMin(hint uint64) uint64 {
	hint = pageRoundDown(hint)
	if hint != 0 && hint < MmapMinAddr {
		return MmapMinAddr
	}
	return hint
}

// mmapRegion creates the VMA: check the VMA count, let the file's Mmap
// adjust the new VMA, then unmap what is in the way, insert and merge.
// Mirrors mm/vma.c:mmap_region. Unlike Linux, f_op->mmap runs before the
// old mappings are removed, so a failing Mmap leaves them intact (6.12
// restores them too, via vms_abort_munmap_vmas); the VMA is not linked yet
// during Mmap, so a driver cannot InsertPage from Mmap, only from Fault.
//
// Preconditions: as.mu is held; [addr, addr+length) is valid and aligned.
func (as *AddressSpace) mmapRegion(file MmapFile, addr, length uint64, vmFlags VMFlags, pgoff uint64) error {
	end := addr + length
	if !as.mapCountAllows(addr, end, 1) {
		return abi.ENOMEM
	}
	v := &VMA{Start: addr, End: end, Flags: vmFlags, Pgoff: pgoff}
	switch {
	case file != nil:
		v.File = file
		file.IncRef()
		if err := file.Mmap(v); err != nil {
			// Discarded without Close (§6.1 step 8).
			file.DecRef()
			return err
		}
	case vmFlags&VMShared != 0:
		s := newShmemFile(as.alloc)
		v.File, v.Ops = s, s
	}
	if err := as.unmapRange(addr, end); err != nil {
		panic("mm: unmapRange failed after mapCountAllows") // cannot happen
	}
	i := as.insertVMA(v)
	as.mergeAround(i)
	return nil
}

// mapCountAllows reports whether replacing [start, end) with extra new
// VMAs keeps the VMA count within MaxMapCount at every step (each split
// checks it, as __split_vma does).
//
// Preconditions: as.mu is held.
func (as *AddressSpace) mapCountAllows(start, end uint64, extra int) bool {
	splits, removed := 0, 0
	for i := as.findIndex(start); i < len(as.vmas) && as.vmas[i].Start < end; i++ {
		v := as.vmas[i]
		if v.Start < start {
			splits++
		}
		if v.End > end {
			splits++
		}
		removed++
	}
	n := len(as.vmas)
	return (splits == 0 || n+splits-1 < MaxMapCount) && n+splits-removed+extra <= MaxMapCount
}

// getUnmappedArea picks the address of a new mapping. Mirrors
// __get_unmapped_area and arch_get_unmapped_area_topdown.
//
// Preconditions: as.mu is held; length is page aligned and non-zero.
func (as *AddressSpace) getUnmappedArea(addr, length uint64, flags uint32) (uint64, error) {
	task := as.layout.TaskSize
	if length > task {
		return 0, abi.ENOMEM
	}
	if flags&MapFixed != 0 {
		if addr > task-length {
			return 0, abi.ENOMEM
		}
		if addr&(PageSize-1) != 0 {
			return 0, abi.EINVAL
		}
		if addr < MmapMinAddr && !as.CapSysRawIO {
			return 0, abi.EPERM // security_mmap_addr
		}
		return addr, nil
	}
	if addr != 0 && addr <= task-length && as.gapFits(addr, length) {
		return addr, nil
	}
	lo, hi := MmapMinAddr, as.layout.MmapBase
	if flags&Map32Bit != 0 && !as.layout.Compat {
		// MAP_32BIT: the first 2 GiB, bottom-up from 1 GiB.
		if a, ok := as.findGap(0x40000000, 0x80000000, length, false); ok {
			return a, nil
		}
		return 0, abi.ENOMEM
	}
	if a, ok := as.findGap(lo, hi, length, true); ok {
		return a, nil
	}
	// Top-down failed: fall back to bottom-up from TASK_UNMAPPED_BASE.
	if a, ok := as.findGap(pageRoundUp(task/3), task, length, false); ok {
		return a, nil
	}
	return 0, abi.ENOMEM
}

// gapStart / gapEnd bound the free gap before vmas[i], keeping the stack
// guard gap below a VM_GROWSDOWN VMA (vm_start_gap).
func (as *AddressSpace) gapBounds(i int) (start, end uint64) {
	if i > 0 {
		start = as.vmas[i-1].End
	}
	end = as.layout.TaskSize
	if i < len(as.vmas) {
		v := as.vmas[i]
		end = v.Start
		if v.Flags&VMGrowsDown != 0 {
			if end > StackGuardGap {
				end -= StackGuardGap
			} else {
				end = 0
			}
		}
	}
	return start, end
}

// gapFits reports whether [addr, addr+length) is free, guard gaps included.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) gapFits(addr, length uint64) bool {
	i := as.findIndex(addr)
	s, e := as.gapBounds(i)
	return addr >= s && addr+length <= e && addr >= MmapMinAddr
}

// findGap searches [lo, hi) for length free bytes, from the top when
// topDown (vm_unmapped_area).
//
// Preconditions: as.mu is held.
func (as *AddressSpace) findGap(lo, hi, length uint64, topDown bool) (uint64, bool) {
	try := func(i int) (uint64, bool) {
		s, e := as.gapBounds(i)
		s, e = max(s, lo), min(e, hi)
		if e <= s || e-s < length {
			return 0, false
		}
		if topDown {
			return e - length, true
		}
		return s, true
	}
	if topDown {
		for i := len(as.vmas); i >= 0; i-- {
			if a, ok := try(i); ok {
				return a, true
			}
		}
		return 0, false
	}
	for i := 0; i <= len(as.vmas); i++ {
		if a, ok := try(i); ok {
			return a, true
		}
	}
	return 0, false
}

// populateLocked prefaults [start, end) for MAP_POPULATE: write faults for
// private writable mappings (to break COW now), read faults otherwise.
// Errors are ignored, as in Linux (§6.1 step 9).
//
// Preconditions: as.mu is held.
func (as *AddressSpace) populateLocked(start, end uint64) {
	for va := start; va < end; va += PageSize {
		v, _ := as.vmaLookup(va)
		if v == nil {
			continue
		}
		acc := AccessRead
		if v.Flags&(VMWrite|VMShared) == VMWrite {
			acc = AccessWrite
		}
		if e, _ := as.pt.lookup(va, false); e != nil && e.Has(amd64.PTEPresent) &&
			(acc == AccessRead || e.Has(amd64.PTEWrite)) {
			continue
		}
		if v.Flags&(VMRead|VMWrite|VMExec) == 0 {
			continue
		}
		if r := as.faultLocked(va, acc, false); !r.OK() {
			return
		}
	}
}
