package mm

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// This file is madvise(2), mincore(2) and msync(2): the calls that look at
// or drop the pages of existing VMAs. Mirrors mm/madvise.c, mm/mincore.c
// and mm/msync.c.

// MADV_* (include/uapi/asm-generic/mman-common.h).
const (
	MadvNormal     = 0
	MadvRandom     = 1
	MadvSequential = 2
	MadvWillNeed   = 3
	MadvDontNeed   = 4
	MadvFree       = 8
	MadvRemove     = 9
	MadvDontFork   = 10
	MadvDoFork     = 11
	MadvDontDump   = 16
	MadvDoDump     = 17
	MadvWipeOnFork = 18
	MadvKeepOnFork = 19
	MadvCold       = 20
	MadvPageOut    = 21
)

// madviseSupported is Ringo's madvise_behavior_valid: the advice a kernel
// without KSM, THP, memory-failure and userfaultfd accepts. Everything else
// (MADV_REMOVE, MADV_HUGEPAGE, MADV_MERGEABLE ...) is EINVAL, as on such a
// kernel.
func madviseSupported(advice int32) bool {
	switch advice {
	case MadvNormal, MadvRandom, MadvSequential, MadvWillNeed, MadvDontNeed, MadvFree,
		MadvDontFork, MadvDoFork, MadvDontDump, MadvDoDump, MadvWipeOnFork, MadvKeepOnFork,
		MadvCold, MadvPageOut:
		return true
	}
	return false
}

// VMWipeOnFork is VM_WIPEONFORK: the child sees zero-filled memory.
const VMWipeOnFork VMFlags = 0x02000000

// Madvise is madvise(2). Checks in do_madvise's order; advice is applied
// to the mapped parts of the range and a hole makes the result ENOMEM.
func (as *AddressSpace) Madvise(start, length uint64, advice int32) error {
	if !madviseSupported(advice) {
		return abi.EINVAL
	}
	if start&(PageSize-1) != 0 {
		return abi.EINVAL
	}
	l := pageRoundUp(length)
	if length != 0 && l == 0 {
		return abi.EINVAL
	}
	end := start + l
	if end < start {
		return abi.EINVAL
	}
	if end == start {
		return nil
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	var result error
	tmp := start
	for tmp < end {
		v, i := as.vmaLookup(tmp)
		if v == nil {
			// A hole: skip to the next VMA, remember ENOMEM.
			result = abi.ENOMEM
			if i == len(as.vmas) || as.vmas[i].Start >= end {
				break
			}
			tmp = as.vmas[i].Start
			continue
		}
		segEnd := min(v.End, end)
		if err := as.madviseVMA(i, tmp, segEnd, advice); err != nil {
			return err
		}
		tmp = segEnd
	}
	return result
}

// madviseVMA applies one advice to [start, end) inside vmas[i].
//
// Preconditions: as.mu is held.
func (as *AddressSpace) madviseVMA(i int, start, end uint64, advice int32) error {
	v := as.vmas[i]
	switch advice {
	case MadvDontNeed, MadvFree:
		if v.Flags&(VMLocked|VMPFNMap) != 0 {
			return abi.EINVAL
		}
		if advice == MadvFree && (v.File != nil || v.Flags&VMShared != 0) {
			return abi.EINVAL // MADV_FREE is for private anonymous memory
		}
		// Zap: private anonymous memory reads back as zero, file and
		// shared pages refault from their backing.
		as.zapRange(start, end)
	case MadvDontFork, MadvDoFork, MadvDontDump, MadvDoDump, MadvWipeOnFork, MadvKeepOnFork:
		var set, clr VMFlags
		switch advice {
		case MadvDontFork:
			if v.Flags&VMIO != 0 {
				return abi.EINVAL
			}
			set = VMDontCopy
		case MadvDoFork:
			if v.Flags&VMIO != 0 {
				return abi.EINVAL
			}
			clr = VMDontCopy
		case MadvDontDump:
			set = VMDontDump
		case MadvDoDump:
			clr = VMDontDump
		case MadvWipeOnFork:
			if v.File != nil || v.Flags&VMShared != 0 {
				return abi.EINVAL
			}
			set = VMWipeOnFork
		case MadvKeepOnFork:
			clr = VMWipeOnFork
		}
		return as.setVMAFlags(i, start, end, v.Flags&^clr|set)
	}
	// NORMAL, RANDOM, SEQUENTIAL, WILLNEED, COLD, PAGEOUT: hints with no
	// effect on a kernel without readahead or swap.
	return nil
}

// setVMAFlags changes the flags of [start, end) inside vmas[i] (splitting
// as needed), without touching PTEs; then merges.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) setVMAFlags(i int, start, end uint64, flags VMFlags) error {
	if as.vmas[i].Flags == flags {
		return nil
	}
	v, i, err := as.isolateRange(i, start, end)
	if err != nil {
		return err
	}
	v.Flags = flags
	as.mergeAround(i)
	return nil
}

// Mincore is mincore(2): one byte per page of [start, start+length),
// 1 if the page is resident, written to user memory at vec. Ringo reports
// a page resident when this address space maps it (Linux also consults
// the page cache for unmapped file pages). Unaligned start is EINVAL, a
// range beyond the task or with a hole ENOMEM, an unwritable vec EFAULT.
func (as *AddressSpace) Mincore(start, length, vec uint64) error {
	if start&(PageSize-1) != 0 {
		return abi.EINVAL
	}
	task := as.layout.TaskSize
	if start > task || length > task-start {
		return abi.ENOMEM
	}
	pages := (length + PageSize - 1) >> amd64.PageShift
	if pages == 0 {
		return nil
	}
	as.mu.Lock()
	out := make([]byte, 0, min(pages, 4096))
	var err error
	for p := uint64(0); p < pages; p++ {
		va := start + p<<amd64.PageShift
		if v, _ := as.vmaLookup(va); v == nil {
			err = abi.ENOMEM
			break
		}
		var b byte
		if e, _ := as.pt.lookup(va, false); e != nil && e.Has(amd64.PTEPresent) {
			b = 1
		}
		out = append(out, b)
	}
	as.mu.Unlock()
	if err != nil {
		return err
	}
	if _, cerr := as.CopyOut(vec, out); cerr != nil {
		return cerr
	}
	return nil
}

// MS_* flags (include/uapi/asm-generic/mman-common.h).
const (
	MsAsync      = 1
	MsInvalidate = 2
	MsSync       = 4
)

// Msync is msync(2). Validation and ENOMEM for unmapped parts as in
// mm/msync.c. Pages of shared mappings are the backing file's own pages,
// so there is nothing to write back here; a file that needs fsync does it
// in its own code.
func (as *AddressSpace) Msync(start, length uint64, flags int32) error {
	if flags&^(MsAsync|MsInvalidate|MsSync) != 0 {
		return abi.EINVAL
	}
	if start&(PageSize-1) != 0 {
		return abi.EINVAL
	}
	if flags&MsAsync != 0 && flags&MsSync != 0 {
		return abi.EINVAL
	}
	l := pageRoundUp(length)
	end := start + l
	if end < start {
		return abi.ENOMEM
	}
	// A length so large that PAGE_ALIGN wraps to 0 is "nothing to do"
	// in Linux too.
	if end == start {
		return nil
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	var result error
	for tmp := start; tmp < end; {
		i := as.findIndex(tmp)
		if i == len(as.vmas) {
			return abi.ENOMEM
		}
		v := as.vmas[i]
		if v.Start > tmp {
			if flags == MsSync {
				return abi.ENOMEM
			}
			result = abi.ENOMEM
			tmp = v.Start
			if tmp >= end {
				break
			}
		}
		if flags&MsInvalidate != 0 && v.Flags&VMLocked != 0 {
			return abi.EBUSY
		}
		tmp = v.End
	}
	return result
}
