package exec

// The PT_LOAD loop of load_elf_binary and elf_load: which file pages and
// which anonymous pages each segment becomes, where, with what protection.

import (
	"debug/elf"
	"fmt"
	"math"
	"math/bits"

	"github.com/ringo-os/ringo/abi"
)

// Prot is a set of PROT_* bits (include/uapi/asm-generic/mman-common.h).
type Prot uint32

const (
	ProtRead  Prot = 0x1
	ProtWrite Prot = 0x2
	ProtExec  Prot = 0x4
)

func (p Prot) String() string {
	b := []byte("---")
	if p&ProtRead != 0 {
		b[0] = 'r'
	}
	if p&ProtWrite != 0 {
		b[1] = 'w'
	}
	if p&ProtExec != 0 {
		b[2] = 'x'
	}
	return string(b)
}

// makeProt mirrors fs/binfmt_elf.c:make_prot (x86 adds nothing).
func makeProt(f elf.ProgFlag) Prot {
	var p Prot
	if f&elf.PF_R != 0 {
		p |= ProtRead
	}
	if f&elf.PF_W != 0 {
		p |= ProtWrite
	}
	if f&elf.PF_X != 0 {
		p |= ProtExec
	}
	return p
}

// Segment is one PT_LOAD turned into mapping requests. Addresses include
// the load bias. The caller performs, in this order:
//
//  1. if FileLen > 0: map FileLen bytes of the file from FileOffset at
//     Start, MAP_PRIVATE, protection FileProt (MAP_FIXED_NOREPLACE when
//     NoReplace, else MAP_FIXED);
//  2. clear the bytes [ZeroStart, ZeroEnd) (padzero; empty when there is
//     nothing to clear);
//  3. if AnonEnd > AnonStart: map zero-filled anonymous pages there with
//     AnonProt (vm_brk_flags; it replaces whatever is mapped).
//
// Bytes of the last file page past end of file read as zero; file pages
// wholly past end of file raise SIGBUS when touched, as in Linux.
type Segment struct {
	Index int  // index of the program header
	Prog  Prog // the program header itself

	Start      uint64 // ELF_PAGESTART(bias + p_vaddr)
	FileLen    uint64 // page-aligned length of the file mapping; 0: none
	FileOffset uint64 // page-aligned file offset of Start
	FileProt   Prot   // p_flags as PROT_*, plus PROT_EXEC under READ_IMPLIES_EXEC
	NoReplace  bool   // map with MAP_FIXED_NOREPLACE (the first segment)

	ZeroStart, ZeroEnd uint64 // padzero range, within the last file page
	AnonStart, AnonEnd uint64 // page-aligned anonymous (bss) range
	AnonProt           Prot   // read|write, plus exec if the segment or READ_IMPLIES_EXEC says so
}

// Plan is an Image placed in an address space.
type Plan struct {
	ABI      ABI
	LoadBias uint64 // 0 for ET_EXEC
	Segments []Segment
	Entry    uint64 // e_entry + bias: AT_ENTRY and the initial rip
	Phdr     uint64 // AT_PHDR
	PhNum    int    // AT_PHNUM
	// ExecStack says whether the stack VMA gets VM_EXEC (setup_arg_pages:
	// PT_GNU_STACK with PF_X, or no PT_GNU_STACK for an ia32 task).
	ExecStack       bool
	ReadImpliesExec bool // set READ_IMPLIES_EXEC in the task's personality

	// The mm_struct fields /proc/PID/stat and prctl(PR_SET_MM) report,
	// computed as load_elf_binary does (start_code is ^0 + bias when no
	// segment is executable, exactly as in Linux).
	StartCode, EndCode, StartData, EndData uint64

	// StartBrk is mm->start_brk without randomization: the page-aligned
	// end of the highest PT_LOAD, or ELF_ET_DYN_BASE for a static PIE.
	StartBrk uint64
	brkMoved bool
}

// checkLoads runs the per-segment rules of the PT_LOAD loop that do not
// depend on where a static PIE lands. Linux meets them after
// begin_new_exec, so every failure here is a lateFail. When one segment
// breaks several rules Linux may report a different one internally; user
// space never sees which, as the task is killed with SIGSEGV.
func (img *Image) checkLoads() error {
	taskSize := img.ABI.TaskSize()
	first := true
	var minAddr, maxAddr uint64 = math.MaxUint64, 0
	align := uint64(0)
	for _, p := range img.Progs {
		if p.Type != elf.PT_LOAD {
			continue
		}
		// total_mapping_size and maximum_alignment.
		minAddr = min(minAddr, pageStart(p.Vaddr))
		maxAddr = max(maxAddr, p.Vaddr+p.Memsz)
		if p.Align != 0 && p.Align&(p.Align-1) == 0 {
			align = max(align, p.Align)
		}
	}
	if minAddr != math.MaxUint64 {
		img.TotalSize = maxAddr - minAddr
	}
	img.Align = max(pageAlign(align), PageSize)

	for i, p := range img.Progs {
		if p.Type != elf.PT_LOAD {
			continue
		}
		if first && img.Type == elf.ET_DYN && img.TotalSize == 0 {
			return lateFail(abi.EINVAL, "static PIE whose PT_LOADs span no memory")
		}
		first = false
		if err := img.checkMapping(i, p); err != nil {
			return err
		}
		// The TASK_SIZE rule, on the unbiased p_vaddr as in Linux.
		if p.Vaddr >= taskSize || p.Filesz > p.Memsz || p.Memsz > taskSize || taskSize-p.Memsz < p.Vaddr {
			reason := fmt.Sprintf("PT_LOAD %d [%#x, +%#x) does not fit below TASK_SIZE %#x", i, p.Vaddr, p.Memsz, taskSize)
			if p.Filesz > p.Memsz {
				reason = fmt.Sprintf("PT_LOAD %d has p_filesz %#x > p_memsz %#x", i, p.Filesz, p.Memsz)
			}
			return lateFail(abi.EINVAL, reason)
		}
		// phdr_addr: the last PT_LOAD whose file range holds e_phoff.
		if p.Off <= img.Phoff && img.Phoff < p.Off+p.Filesz {
			img.phdrVaddr = img.Phoff - p.Off + p.Vaddr
		}
	}
	if img.Type == elf.ET_EXEC && img.Entry >= taskSize {
		return lateFail(abi.EINVAL, fmt.Sprintf("entry point %#x is beyond TASK_SIZE", img.Entry))
	}
	return nil
}

// checkMapping applies what vm_mmap and padzero would refuse for the file
// part of a segment (elf_map, elf_load).
func (img *Image) checkMapping(i int, p Prog) error {
	if p.Filesz == 0 {
		return nil
	}
	off := p.Off - pageOffset(p.Vaddr)
	size := pageAlign(p.Filesz + pageOffset(p.Vaddr))
	if size == 0 {
		return nil // elf_map maps nothing for a size that wraps to 0
	}
	// vm_mmap: offset_in_page(off) and offset + len wrapping are EINVAL.
	if pageOffset(off) != 0 {
		return lateFail(abi.EINVAL, fmt.Sprintf("PT_LOAD %d: p_offset %#x and p_vaddr %#x differ modulo the page size", i, p.Off, p.Vaddr))
	}
	if end, carry := bits.Add64(off, size, 0); carry != 0 || end < off {
		return lateFail(abi.EINVAL, fmt.Sprintf("PT_LOAD %d: file range wraps", i))
	}
	// do_mmap's file_mmap_ok: a regular file ends at MAX_LFS_FILESIZE.
	if size > math.MaxInt64 || off > math.MaxInt64-size {
		return lateFail(abi.EOVERFLOW, fmt.Sprintf("PT_LOAD %d: file range beyond the largest file offset", i))
	}
	// padzero writes to the page holding p_vaddr+p_filesz. If the segment
	// is writable and that page lies wholly past end of file, the write
	// faults (SIGBUS inside clear_user) and elf_load returns EFAULT.
	prot := makeProt(p.Flags)
	zeroStart := p.Vaddr + p.Filesz
	if p.Memsz > p.Filesz && prot&ProtWrite != 0 && pageOffset(zeroStart) != 0 {
		pageOff := off + (pageStart(zeroStart) - pageStart(p.Vaddr))
		if pageOff >= pageAlign(uint64(img.FileSize)) {
			return lateFail(abi.EFAULT, fmt.Sprintf("PT_LOAD %d: bss begins in a page past the end of the file", i))
		}
	}
	return nil
}

// Plan places the image. For ET_EXEC mapAddr must be 0. For a static PIE
// (Relocatable) mapAddr is the start of a free range of TotalSize bytes the
// caller's mmap allocator found top-down, as Linux's first elf_map does
// with load_bias 0; every segment then lands MAP_FIXED inside it. When
// Align exceeds the page size Linux rounds that address down to Align and
// maps the first segment MAP_FIXED_NOREPLACE there; Plan does the same.
//
// Errors: EINVAL for a non-zero mapAddr with ET_EXEC (a caller bug);
// ENOMEM (late) if a segment would end beyond TASK_SIZE after the bias;
// EINVAL (late) if the biased entry point is beyond TASK_SIZE.
//
// Mirrors the PT_LOAD loop of fs/binfmt_elf.c:load_elf_binary and elf_load.
func (img *Image) Plan(mapAddr uint64) (*Plan, error) {
	taskSize := img.ABI.TaskSize()
	var bias uint64
	noReplaceFirst := img.Type == elf.ET_EXEC
	if img.Type == elf.ET_EXEC && mapAddr != 0 {
		return nil, failf(abi.EINVAL, "ET_EXEC images are not relocatable")
	}
	if img.Relocatable() {
		var first Prog
		for _, p := range img.Progs {
			if p.Type == elf.PT_LOAD {
				first = p
				break
			}
		}
		switch {
		case img.Align > PageSize:
			bias = pageStart((mapAddr &^ (img.Align - 1)) - first.Vaddr)
			noReplaceFirst = true
		case first.Filesz == 0:
			// elf_load maps nothing for the first segment, so the bias
			// stays at ELF_PAGESTART(0 - p_vaddr).
			bias = pageStart(-first.Vaddr)
		default:
			bias = mapAddr - pageStart(first.Vaddr)
		}
	}

	pl := &Plan{
		ABI:             img.ABI,
		LoadBias:        bias,
		PhNum:           len(img.Progs),
		ReadImpliesExec: img.ReadImpliesExec,
		ExecStack:       img.ExecStack == ExecStackEnableX || (img.ExecStack == ExecStackDefault && img.ReadImpliesExec),
	}
	startCode, endCode, startData, endData, elfBrk := uint64(math.MaxUint64), uint64(0), uint64(0), uint64(0), uint64(0)
	first := true
	for i, p := range img.Progs {
		if p.Type != elf.PT_LOAD {
			continue
		}
		s := img.elfLoad(i, p, bias)
		s.NoReplace = first && noReplaceFirst
		first = false
		// vm_mmap and vm_brk_flags refuse ranges that leave the task's
		// address space (get_unmapped_area: ENOMEM); in C the ends wrap
		// modulo 2^64, so the lengths are computed the same way.
		if !fits(s.Start, s.FileLen, taskSize) || !fits(s.AnonStart, s.AnonEnd-s.AnonStart, taskSize) {
			return nil, lateFail(abi.ENOMEM, fmt.Sprintf("PT_LOAD %d ends beyond TASK_SIZE at load bias %#x", i, bias))
		}
		pl.Segments = append(pl.Segments, s)

		if p.Flags&elf.PF_X != 0 {
			startCode = min(startCode, p.Vaddr)
			endCode = max(endCode, p.Vaddr+p.Filesz)
		}
		startData = max(startData, p.Vaddr)
		endData = max(endData, p.Vaddr+p.Filesz)
		elfBrk = max(elfBrk, p.Vaddr+p.Memsz)
	}
	pl.Entry = img.Entry + bias
	if pl.Entry >= taskSize {
		return nil, lateFail(abi.EINVAL, fmt.Sprintf("entry point %#x is beyond TASK_SIZE", pl.Entry))
	}
	pl.Phdr = img.phdrVaddr + bias
	pl.StartCode, pl.EndCode = startCode+bias, endCode+bias
	pl.StartData, pl.EndData = startData+bias, endData+bias

	// The "brk" handling of load_elf_binary: a static PIE's brk moves out
	// of the mmap region to ELF_ET_DYN_BASE (CONFIG_COMPAT_BRK off).
	if img.Type == elf.ET_DYN {
		elfBrk, pl.brkMoved = img.ABI.ETDynBase(), true
	} else {
		elfBrk += bias
	}
	pl.StartBrk = pageAlign(elfBrk)
	return pl, nil
}

// elfLoad mirrors fs/binfmt_elf.c:elf_load (with elf_map and padzero) for
// one PT_LOAD at load bias bias.
func (img *Image) elfLoad(i int, p Prog, bias uint64) Segment {
	prot := makeProt(p.Flags)
	addr := bias + p.Vaddr
	s := Segment{Index: i, Prog: p, Start: pageStart(addr), FileProt: prot}
	// do_mmap: PROT_READ implies PROT_EXEC under READ_IMPLIES_EXEC.
	if img.ReadImpliesExec && prot&ProtRead != 0 {
		s.FileProt |= ProtExec
	}
	var zeroStart, zeroEnd uint64
	if p.Filesz != 0 {
		s.FileLen = pageAlign(p.Filesz + pageOffset(p.Vaddr))
		s.FileOffset = p.Off - pageOffset(p.Vaddr)
		zeroStart = s.Start + pageOffset(p.Vaddr) + p.Filesz
		zeroEnd = s.Start + pageOffset(p.Vaddr) + p.Memsz
		// clear_user on a read-only mapping fails and Linux ignores the
		// failure: only a writable segment gets its tail cleared.
		if p.Memsz > p.Filesz && prot&ProtWrite != 0 && pageOffset(zeroStart) != 0 {
			s.ZeroStart, s.ZeroEnd = zeroStart, pageAlign(zeroStart)
		}
	} else {
		zeroStart = s.Start
		zeroEnd = zeroStart + pageOffset(p.Vaddr) + p.Memsz
	}
	if p.Memsz > p.Filesz {
		s.AnonStart, s.AnonEnd = pageAlign(zeroStart), pageAlign(zeroEnd)
		// vm_brk_flags: VM_DATA_DEFAULT_FLAGS (read, write, and exec
		// under READ_IMPLIES_EXEC) plus VM_EXEC if the segment asks.
		s.AnonProt = ProtRead | ProtWrite
		if prot&ProtExec != 0 || img.ReadImpliesExec {
			s.AnonProt |= ProtExec
		}
	}
	return s
}

// fits reports whether [start, start+length) lies below limit, without
// overflowing.
func fits(start, length, limit uint64) bool {
	return length == 0 || (start <= limit && length <= limit-start)
}
