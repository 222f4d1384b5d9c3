package mm

import (
	"fmt"
	"strings"
)

// This file renders /proc/PID/maps. Mirrors fs/proc/task_mmu.c:show_map_vma
// and show_vma_header_prefix, byte for byte (§7.2).

// mapsNameColumn is the field width before the name: 25 + 6*sizeof(void*)
// - 1 on a 64-bit kernel, for 32-bit tasks too.
const mapsNameColumn = 25 + 6*8 - 1

// Maps returns the whole maps file.
func (as *AddressSpace) Maps() string {
	as.mu.Lock()
	defer as.mu.Unlock()
	var b strings.Builder
	for _, v := range as.vmas {
		as.mapsLine(&b, v)
	}
	return b.String()
}

// mapsLine appends one line.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) mapsLine(b *strings.Builder, v *VMA) {
	perm := func(f VMFlags, c byte) byte {
		if v.Flags&f != 0 {
			return c
		}
		return '-'
	}
	share := byte('p')
	if v.Flags&VMMayShare != 0 {
		share = 's'
	}
	var major, minor uint32
	var ino, off uint64
	if v.File != nil {
		major, minor, ino = v.File.MapsDevIno()
		off = v.Pgoff << 12
	}
	n0 := b.Len()
	fmt.Fprintf(b, "%08x-%08x %c%c%c%c %08x %02x:%02x %d ",
		v.Start, v.End, perm(VMRead, 'r'), perm(VMWrite, 'w'), perm(VMExec, 'x'), share,
		off, major, minor, ino)
	name := as.vmaName(v)
	if name != "" {
		if pad := mapsNameColumn - (b.Len() - n0); pad > 0 {
			b.WriteString(strings.Repeat(" ", pad))
		}
		b.WriteByte(' ')
		b.WriteString(name)
	}
	b.WriteByte('\n')
}

// vmaName is the name column: an explicit name, the file, [heap] for the
// VMA overlapping the brk area, [stack] for the one holding start_stack.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) vmaName(v *VMA) string {
	switch {
	case v.Name != "":
		return v.Name
	case v.File != nil:
		return v.File.MapsName()
	case v.Start <= as.brk && v.End >= as.startBrk && as.startBrk != 0:
		return "[heap]"
	case v.Start <= as.startStack && v.End >= as.startStack && as.startStack != 0:
		return "[stack]"
	}
	return ""
}
