package boot

// The post-link step: make the Go linker's ELF bootable by writing a
// Multiboot v1 header with the "address fields valid" flag into a zero gap
// of its first 8 KiB (Multiboot spec §3.1). QEMU's -kernel then loads the
// file flat at its physical address and jumps to the 32-bit entry; the ELF
// itself stays a normal ELF for gdb and objdump.
//
// Host-side Go (used by cmd/ringo), not part of the kernel's boot path.

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ringo-os/ringo/kernel/nucleus"
)

// Multiboot v1 header constants.
const (
	MultibootMagic = 0x1BADB002
	// MultibootFlags: bit 1 asks for the memory map; bit 16 says the
	// address fields below are valid (a.out kludge), so the loader needs
	// no ELF support and ignores the 64-bit ELF.
	MultibootFlags = 0x00010002
	// MultibootSearch is how far into the file the loader looks.
	MultibootSearch = 8192
	headerSize      = 32
)

// MultibootHeader is the 32-byte header, all fields little-endian u32.
type MultibootHeader struct {
	Magic, Flags, Checksum                        uint32
	HeaderAddr, LoadAddr, LoadEndAddr, BssEndAddr uint32
	EntryAddr                                     uint32
}

// virtToPhys maps a linked kernel address to its load address.
func virtToPhys(v uint64) (uint32, error) {
	if v < nucleus.KernelVirtBase || v-nucleus.KernelVirtBase >= 1<<30 {
		return 0, fmt.Errorf("address %#x is outside the kernel image window", v)
	}
	return uint32(v - nucleus.KernelVirtBase), nil
}

// AddMultibootHeader returns a copy of the kernel ELF with the header
// written in, and the header itself.
func AddMultibootHeader(image []byte) ([]byte, MultibootHeader, error) {
	var h MultibootHeader
	f, err := elf.NewFile(bytes.NewReader(image))
	if err != nil {
		return nil, h, fmt.Errorf("kernel image: %w", err)
	}
	if f.Class != elf.ELFCLASS64 || f.Machine != elf.EM_X86_64 {
		return nil, h, errors.New("kernel image: not an x86-64 ELF")
	}
	var loads []*elf.Prog
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD {
			loads = append(loads, p)
		}
	}
	if len(loads) == 0 {
		return nil, h, errors.New("kernel image: no PT_LOAD segments")
	}
	// Flat loading works only if every segment keeps vaddr-offset.
	base := loads[0].Vaddr - loads[0].Off
	var fileEnd, memEnd uint64
	for i, p := range loads {
		if p.Vaddr-p.Off != base {
			return nil, h, fmt.Errorf("kernel image: segment %d breaks vaddr-offset = %#x", i, base)
		}
		if i < len(loads)-1 && p.Filesz != p.Memsz {
			return nil, h, fmt.Errorf("kernel image: segment %d has bss but is not last", i)
		}
		fileEnd = max(fileEnd, p.Off+p.Filesz)
		memEnd = max(memEnd, p.Vaddr+p.Memsz)
	}
	loadAddr, err := virtToPhys(base)
	if err != nil {
		return nil, h, err
	}
	if loadAddr != nucleus.KernelPhysLoad {
		return nil, h, fmt.Errorf("kernel image: linked for load address %#x, the nucleus expects %#x", loadAddr, nucleus.KernelPhysLoad)
	}
	bssEnd, err := virtToPhys(memEnd)
	if err != nil {
		return nil, h, err
	}
	entry, err := virtToPhys(f.Entry)
	if err != nil {
		return nil, h, fmt.Errorf("entry point: %w", err)
	}
	off, err := findGap(image, f)
	if err != nil {
		return nil, h, err
	}
	h = MultibootHeader{
		Magic: MultibootMagic, Flags: MultibootFlags,
		Checksum:    checksum(MultibootMagic, MultibootFlags),
		HeaderAddr:  loadAddr + uint32(off),
		LoadAddr:    loadAddr,
		LoadEndAddr: loadAddr + uint32(fileEnd),
		BssEndAddr:  bssEnd,
		EntryAddr:   entry,
	}
	out := bytes.Clone(image)
	var buf bytes.Buffer
	binary.Write(&buf, binary.LittleEndian, h)
	copy(out[off:], buf.Bytes())
	return out, h, nil
}

// findGap finds 32 zero bytes, 4-byte aligned, in the first 8 KiB that no
// ELF header, program header, section or section header occupies. The
// section header table needs its own check: the Go linker puts it in the
// first page, and its first entry (SHN_UNDEF) is all zeros, which once
// took the Multiboot header and left an ELF that debug/elf could not open.
func findGap(image []byte, f *elf.File) (int, error) {
	le := binary.LittleEndian
	shoff := le.Uint64(image[0x28:])                                                 // e_shoff
	shEnd := shoff + uint64(le.Uint16(image[0x3a:]))*uint64(le.Uint16(image[0x3c:])) // e_shentsize * e_shnum
	used := func(lo, hi uint64) bool {
		phEnd := uint64(64 + 56*len(f.Progs))
		if lo < phEnd {
			return true
		}
		if lo < shEnd && shoff < hi {
			return true
		}
		for _, s := range f.Sections {
			if s.Type != elf.SHT_NOBITS && s.Size > 0 && lo < s.Offset+s.Size && s.Offset < hi {
				return true
			}
		}
		return false
	}
	for off := 0; off+headerSize <= MultibootSearch && off+headerSize <= len(image); off += 4 {
		if !bytes.Equal(image[off:off+headerSize], make([]byte, headerSize)) {
			continue
		}
		if !used(uint64(off), uint64(off+headerSize)) {
			return off, nil
		}
	}
	return 0, errors.New("kernel image: no free 32-byte gap in the first 8 KiB for the Multiboot header")
}

// checksum makes magic + flags + checksum == 0 (mod 2^32).
func checksum(magic, flags uint32) uint32 { return -(magic + flags) }
