package mm

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// This file renders /proc/PID/pagemap: one little-endian u64 per virtual
// page (§7.1, Documentation/admin-guide/mm/pagemap.rst). Mirrors
// fs/proc/task_mmu.c:pagemap_read and pte_to_pagemap_entry.

// Pagemap entry bits.
const (
	PMPFNMask   uint64 = 1<<55 - 1
	PMSoftDirty uint64 = 1 << 55
	PMExclusive uint64 = 1 << 56 // mapped exactly once
	PMFile      uint64 = 1 << 61 // file page or shared anonymous
	PMSwap      uint64 = 1 << 62
	PMPresent   uint64 = 1 << 63
)

// PagemapEntry is the entry of the page holding va. showPFN is the
// opener's CAP_SYS_ADMIN: without it the PFN field reads 0 (since 4.2).
func (as *AddressSpace) PagemapEntry(va uint64, showPFN bool) uint64 {
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.pagemapEntryLocked(va, showPFN)
}

// Preconditions: as.mu is held.
func (as *AddressSpace) pagemapEntryLocked(va uint64, showPFN bool) uint64 {
	if va >= UserTop {
		return 0
	}
	e, _ := as.pt.lookup(pageRoundDown(va), false)
	if e == nil || !e.Has(amd64.PTEPresent) {
		return 0
	}
	pfn := pteToPFN(*e)
	entry := PMPresent
	if showPFN {
		entry |= uint64(pfn) & PMPFNMask
	}
	if pfn == as.alloc.zero {
		// The zero page is not a "normal" page: no file, no exclusive.
		return entry
	}
	if !e.Has(pteAnon) {
		entry |= PMFile
	}
	if as.alloc.MapCount(pfn) == 1 {
		entry |= PMExclusive
	}
	return entry
}

// ReadPagemap is read(2) on the pagemap file at offset off: off and
// len(buf) must be multiples of 8 (EINVAL); reading at or past the end of
// the address space returns 0 bytes.
func (as *AddressSpace) ReadPagemap(buf []byte, off int64, showPFN bool) (int, error) {
	if off < 0 || off%8 != 0 || len(buf)%8 != 0 {
		return 0, abi.EINVAL
	}
	end := (as.layout.TaskSize >> amd64.PageShift) * 8
	if uint64(off) >= end {
		return 0, nil
	}
	n := min(uint64(len(buf)), end-uint64(off))
	as.mu.Lock()
	defer as.mu.Unlock()
	for i := uint64(0); i < n; i += 8 {
		va := (uint64(off) + i) / 8 << amd64.PageShift
		binary.LittleEndian.PutUint64(buf[i:], as.pagemapEntryLocked(va, showPFN))
	}
	return int(n), nil
}
