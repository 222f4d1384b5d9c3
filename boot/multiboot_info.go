package boot

// Parsing of the Multiboot v1 information structure (Multiboot spec §3.3).
//
// Runs beneath the Go runtime (called from bootMain): //go:nosplit, no
// allocation; errors are constant strings. It reads the structure through
// the direct map (virt = physToVirt + phys), so host tests can hand it a
// byte slice by passing the slice's address as physToVirt.

import (
	"unsafe"

	"github.com/ringo-os/ringo/kernel/nucleus"
)

// MultibootBootloaderMagic is what the loader leaves in EAX.
const MultibootBootloaderMagic = 0x2BADB002

// Multiboot info flag bits (spec §3.3).
const (
	mbInfoMemory  = 1 << 0
	mbInfoCmdline = 1 << 2
	mbInfoMods    = 1 << 3
	mbInfoMmap    = 1 << 6
)

const (
	maxMmapBytes = 64 << 10 // a sane bound for mmap_length
	mmapEntryMin = 20       // base(8) + length(8) + type(4), after the size field
)

// ParseMultiboot fills out from the Multiboot information at physical
// address info. limit is the highest physical address (exclusive) that may
// be read. It returns "" on success or a message naming what is malformed.
//
//go:nosplit
func ParseMultiboot(magic uint32, info uintptr, physToVirt uintptr, limit uint64, out *nucleus.BootInfo) string {
	if magic != MultibootBootloaderMagic {
		return "bad bootloader magic in EAX (not booted by a Multiboot v1 loader)"
	}
	if !readable(info, 52, limit) {
		return "information structure outside mapped memory"
	}
	flags := rd32(physToVirt, info)
	out.InfoStart, out.InfoEnd = uint64(info), uint64(info)+52

	if flags&mbInfoMmap == 0 {
		return "no memory map (flags bit 6 clear); refusing to guess the RAM size"
	}
	mlen := uintptr(rd32(physToVirt, info+44))
	maddr := uintptr(rd32(physToVirt, info+48))
	if mlen == 0 || mlen > maxMmapBytes || !readable(maddr, mlen, limit) {
		return "memory map length or address out of range"
	}
	out.NRegions = 0
	for off := uintptr(0); off < mlen; {
		if off+4 > mlen {
			return "memory map entry truncated"
		}
		size := uintptr(rd32(physToVirt, maddr+off))
		if size < mmapEntryMin || off+4+size > mlen {
			return "memory map entry with a bad size field"
		}
		if out.NRegions == len(out.Regions) {
			return "memory map has too many entries"
		}
		r := &out.Regions[out.NRegions]
		r.Base = rd64(physToVirt, maddr+off+4)
		r.Len = rd64(physToVirt, maddr+off+12)
		r.Type = rd32(physToVirt, maddr+off+20)
		if r.Base+r.Len < r.Base {
			return "memory map region wraps around"
		}
		out.NRegions++
		off += 4 + size
	}

	out.CmdlineLen = 0
	if flags&mbInfoCmdline != 0 {
		p := uintptr(rd32(physToVirt, info+16))
		for out.CmdlineLen < len(out.Cmdline) {
			if !readable(p+uintptr(out.CmdlineLen), 1, limit) {
				return "command line outside mapped memory"
			}
			c := *(*byte)(unsafe.Add(nil, physToVirt+p+uintptr(out.CmdlineLen)))
			if c == 0 {
				break
			}
			out.Cmdline[out.CmdlineLen] = c
			out.CmdlineLen++
		}
		if out.CmdlineLen == len(out.Cmdline) {
			return "command line longer than 511 bytes"
		}
	}

	out.InitrdStart, out.InitrdEnd = 0, 0
	if flags&mbInfoMods != 0 && rd32(physToVirt, info+20) > 0 {
		mods := uintptr(rd32(physToVirt, info+24))
		if !readable(mods, 16, limit) {
			return "module list outside mapped memory"
		}
		start, end := uint64(rd32(physToVirt, mods)), uint64(rd32(physToVirt, mods+4))
		if end < start || end > limit {
			return "initrd module has a bad address range"
		}
		out.InitrdStart, out.InitrdEnd = start, end
	}
	return ""
}

//go:nosplit
func readable(p, n uintptr, limit uint64) bool {
	return p+n >= p && uint64(p+n) <= limit
}

//go:nosplit
func rd32(base, p uintptr) uint32 { return *(*uint32)(unsafe.Add(nil, base+p)) }

//go:nosplit
func rd64(base, p uintptr) uint64 { return *(*uint64)(unsafe.Add(nil, base+p)) }
