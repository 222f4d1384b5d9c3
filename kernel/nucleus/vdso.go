package nucleus

// A vDSO for the kernel's own Go runtime.
//
// The runtime reads the clock all the time: its scheduler, its timers and
// time.Now call nanotime or walltime, and on Linux those go through the
// vDSO's __vdso_clock_gettime when the process's auxiliary vector names
// one (AT_SYSINFO_EHDR), else through the clock_gettime system call. Down
// here the system call is a SYSCALL into the nucleus and an IRETQ back,
// some hundreds of instructions; a boot made about 360 of them before
// /init. So the nucleus hands the runtime a vDSO too: a minimal ELF image
// (just what runtime/vdso_linux.go reads: one PT_LOAD, a dynamic section,
// a symbol table with SysV hash and a LINUX_2.6 version definition) whose
// one symbol, __vdso_clock_gettime, is vdsoClockGettime in vdso_amd64.s,
// which reads the TSC like monotonicNow.
//
// The image is built by buildVDSO before the runtime starts (Init):
// //go:nosplit, no allocation.

import (
	"unsafe"
)

// ELF constants, as in elf.h.
const (
	ptLoad      = 1
	ptDynamic   = 2
	dtNull      = 0
	dtHash      = 4
	dtStrtab    = 5
	dtSymtab    = 6
	dtStrsz     = 10
	dtSyment    = 11
	dtVerdef    = 0x6ffffffc
	dtVerdefNum = 0x6ffffffd
	stbGlobal   = 1
	sttFunc     = 2
	shnAbs      = 0xfff1
	verFlgBase  = 1

	atSysinfoEhdr = 33
)

// vdsoStrings is the string table: "", the symbol's name, the version.
const (
	vdsoStrings     = "\x00__vdso_clock_gettime\x00LINUX_2.6\x00"
	vdsoStrSym      = 1
	vdsoStrVersion  = 22
	vdsoLinux26Hash = 0x3ae75f6 // ELF hash of "LINUX_2.6"
	vdsoNumSyms     = 2         // the null symbol and __vdso_clock_gettime
	vdsoNumDynamic  = 8
	vdsoHashBuckets = 1
)

type elfEhdr struct {
	ident                      [16]byte
	typ, machine               uint16
	version                    uint32
	entry, phoff, shoff        uint64
	flags                      uint32
	ehsize, phentsize, phnum   uint16
	shentsize, shnum, shstrndx uint16
}

type elfPhdr struct {
	typ, flags                          uint32
	offset, vaddr, paddr, filesz, memsz uint64
	align                               uint64
}

type elfDyn struct {
	tag int64
	val uint64
}

type elfSym struct {
	name        uint32
	info, other byte
	shndx       uint16
	value, size uint64
}

type elfVerdef struct {
	version, flags, ndx, cnt uint16
	hash, aux, next          uint32
}

type elfVerdaux struct {
	name, next uint32
}

// vdsoImage is the whole image, laid out as one struct so that every
// offset is a field offset. The runtime reads it in place.
type vdsoImage struct {
	ehdr    elfEhdr
	phdr    [2]elfPhdr
	dynamic [vdsoNumDynamic]elfDyn
	symtab  [vdsoNumSyms]elfSym
	hash    [2 + vdsoHashBuckets + vdsoNumSyms]uint32 // nbucket, nchain, buckets, chains
	verdef  [2]struct {
		def elfVerdef
		aux elfVerdaux
	}
	strtab [len(vdsoStrings)]byte
}

var vdso vdsoImage

// vdsoClockGettime is __vdso_clock_gettime for the runtime (C calling
// convention: clock id in DI, *timespec in SI, result in AX).
func vdsoClockGettime()

var vdsoClockGettimeAddr uintptr // its address (vdso_amd64.s)

// buildVDSO fills in the image and returns its address for the auxiliary
// vector.
//
//go:nosplit
func buildVDSO() uintptr {
	v := &vdso
	base := uintptr(unsafe.Pointer(v))
	off := func(p unsafe.Pointer) uint64 { return uint64(uintptr(p) - base) }

	v.ehdr.ident = [16]byte{0x7f, 'E', 'L', 'F', 2, 1, 1} // 64-bit, little endian, version 1
	v.ehdr.typ, v.ehdr.machine, v.ehdr.version = 3, 62, 1 // ET_DYN, EM_X86_64
	v.ehdr.phoff = off(unsafe.Pointer(&v.phdr))
	v.ehdr.ehsize = uint16(unsafe.Sizeof(v.ehdr))
	v.ehdr.phentsize, v.ehdr.phnum = uint16(unsafe.Sizeof(v.phdr[0])), uint16(len(v.phdr))

	size := uint64(unsafe.Sizeof(*v))
	v.phdr[0] = elfPhdr{typ: ptLoad, flags: 5, filesz: size, memsz: size, align: 4096} // at offset and address 0
	dyn := off(unsafe.Pointer(&v.dynamic))
	v.phdr[1] = elfPhdr{typ: ptDynamic, flags: 4, offset: dyn, vaddr: dyn, paddr: dyn,
		filesz: uint64(unsafe.Sizeof(v.dynamic)), memsz: uint64(unsafe.Sizeof(v.dynamic)), align: 8}

	v.dynamic = [vdsoNumDynamic]elfDyn{
		{dtHash, off(unsafe.Pointer(&v.hash))},
		{dtStrtab, off(unsafe.Pointer(&v.strtab))},
		{dtSymtab, off(unsafe.Pointer(&v.symtab))},
		{dtStrsz, uint64(len(vdsoStrings))},
		{dtSyment, uint64(unsafe.Sizeof(v.symtab[0]))},
		{dtVerdef, off(unsafe.Pointer(&v.verdef))},
		{dtVerdefNum, uint64(len(v.verdef))},
		{dtNull, 0},
	}

	// The symbol's value is relative to the load address, like any
	// vDSO's: here it points back into the kernel's text.
	v.symtab[1] = elfSym{name: vdsoStrSym, info: stbGlobal<<4 | sttFunc, shndx: shnAbs,
		value: uint64(vdsoClockGettimeAddr - base)}

	// One bucket holding symbol 1, whose chain ends.
	v.hash = [...]uint32{vdsoHashBuckets, vdsoNumSyms, 1, 0, 0}

	// The base definition, then LINUX_2.6 (vdsoFindVersion walks them).
	for i := range v.verdef {
		d := &v.verdef[i]
		d.def = elfVerdef{version: 1, ndx: uint16(i + 1), cnt: 1,
			aux: uint32(unsafe.Offsetof(d.aux))}
		d.aux.name = vdsoStrVersion
		if i == 0 {
			d.def.flags = verFlgBase
		} else {
			d.def.hash = vdsoLinux26Hash
		}
		if i+1 < len(v.verdef) {
			d.def.next = uint32(unsafe.Sizeof(*d))
		}
	}
	for i := 0; i < len(vdsoStrings); i++ {
		v.strtab[i] = vdsoStrings[i]
	}
	return base
}
