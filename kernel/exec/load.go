package exec

// Reading and validating an executable: the part of load_elf_binary that
// runs before begin_new_exec (fs/binfmt_elf.c), for both the native and the
// compat (i386) loader.

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"unsafe"

	"github.com/ringo-os/ringo/abi"
)

// binprmBufSize is BINPRM_BUF_SIZE: exec reads this much of the file into
// bprm->buf (zero-padded when the file is shorter) and every binfmt looks
// at the header there.
const binprmBufSize = 256

// pathMax is PATH_MAX, the longest PT_INTERP Linux accepts.
const pathMax = 4096

// Options are the kernel configuration choices that change what loads.
type Options struct {
	// IA32 is CONFIG_IA32_EMULATION with ia32_emulation enabled: without
	// it a 32-bit i386 program fails with ENOEXEC, as on Linux (§1.2).
	IA32 bool
}

// ExecStack mirrors EXSTACK_*: what PT_GNU_STACK asked for.
type ExecStack uint8

const (
	// ExecStackDefault: no PT_GNU_STACK. The stack is not executable on
	// x86-64; an ia32 task gets READ_IMPLIES_EXEC instead.
	ExecStackDefault ExecStack = iota
	// ExecStackDisableX: PT_GNU_STACK without PF_X.
	ExecStackDisableX
	// ExecStackEnableX: PT_GNU_STACK with PF_X.
	ExecStackEnableX
)

// Prog is one program header, widened to 64 bits for both classes.
type Prog struct {
	Type   elf.ProgType
	Flags  elf.ProgFlag
	Off    uint64
	Vaddr  uint64
	Filesz uint64
	Memsz  uint64
	Align  uint64
}

// Image is a validated executable: everything Plan needs, read from the
// file once.
type Image struct {
	ABI   ABI
	Type  elf.Type // elf.ET_EXEC or elf.ET_DYN (static PIE)
	Entry uint64   // e_entry, before the load bias
	Phoff uint64   // e_phoff
	// Progs are all program headers in file order (PT_LOAD segments are
	// mapped in this order, later ones over earlier ones).
	Progs []Prog
	// ExecStack is what PT_GNU_STACK said (the last one wins, as in
	// Linux's loop).
	ExecStack ExecStack
	// ReadImpliesExec is the READ_IMPLIES_EXEC personality bit: an ia32
	// program without PT_GNU_STACK gets every PROT_READ mapping
	// executable, now and in its later mmap calls (elf_read_implies_exec).
	ReadImpliesExec bool
	// TLS is the first PT_TLS, or nil. The kernel does nothing with it (the
	// libc finds it through AT_PHDR); it is here for diagnostics.
	TLS *Prog
	// TotalSize is total_mapping_size: the span from the lowest PT_LOAD
	// page to the highest p_vaddr+p_memsz. A static PIE needs a free range
	// this long from the caller's mmap allocator.
	TotalSize uint64
	// Align is maximum_alignment: the largest power-of-two p_align of the
	// PT_LOADs, at least PageSize.
	Align uint64
	// FileSize is the file's size in bytes.
	FileSize int64

	// phdrVaddr is phdr_addr before the bias: where the program headers
	// appear in memory, 0 when no PT_LOAD covers e_phoff.
	phdrVaddr uint64
}

// PhNum is e_phnum (AT_PHNUM).
func (img *Image) PhNum() int { return len(img.Progs) }

// Relocatable reports whether the image is a static PIE whose segments
// move with the address the caller's mmap chose (ET_DYN with PT_LOADs).
func (img *Image) Relocatable() bool {
	return img.Type == elf.ET_DYN && img.TotalSize != 0
}

// header holds the e_* fields both ELF classes share, widened.
type header struct {
	Type      elf.Type
	Machine   elf.Machine
	Entry     uint64
	Phoff     uint64
	Phentsize uint16
	Phnum     uint16
}

// Load reads the executable in r (size bytes long) and validates it as
// Linux's ELF loaders do. Errors are *Error values wrapping Linux's errno:
//
//   - ENOEXEC: not an ELF file, e_type not ET_EXEC/ET_DYN, e_machine not
//     EM_X86_64 (nor EM_386/EM_486 with opts.IA32), e_phentsize wrong,
//     program headers empty, larger than 4096 bytes or not readable,
//     a malformed PT_INTERP, or any PT_INTERP at all (dynamic linking is
//     not supported yet).
//   - EIO / EINVAL: the PT_INTERP string cannot be read (elf_read).
//   - EINVAL, EOVERFLOW, EFAULT with AfterPointOfNoReturn set: the PT_LOAD
//     rules of §8.1 (p_filesz > p_memsz, beyond TASK_SIZE, p_offset not
//     congruent to p_vaddr, bss starting in a page past the end of the file).
//
// The file must also support mmap (Linux: ENOEXEC otherwise); that is the
// caller's check, as this package never sees the file object.
//
// Mirrors fs/binfmt_elf.c:load_elf_binary up to the PT_LOAD loop, run first
// as the native loader and then, for an i386 file, as compat_binfmt_elf.
func Load(r io.ReaderAt, size int64, opts Options) (*Image, error) {
	if size < 0 {
		return nil, failf(abi.EINVAL, fmt.Sprintf("negative file size %d", size))
	}
	// prepare_binprm: the first 256 bytes, zero-padded.
	var buf [binprmBufSize]byte
	n := min(int64(len(buf)), size)
	if _, err := r.ReadAt(buf[:n], 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, failf(abi.EIO, "reading the header: "+err.Error())
	}
	f := io.NewSectionReader(r, 0, size)

	img, err := loadAs(ABI64, &buf, f, size)
	if !errors.Is(err, abi.ENOEXEC) {
		return img, err
	}
	// search_binary_handler goes on to the next binfmt only on ENOEXEC.
	// The compat loader reads e_machine at the same offset and accepts
	// only EM_386/EM_486 (x32 is not supported), so only such files can
	// get further there.
	machine := elf.Machine(binary.LittleEndian.Uint16(buf[18:]))
	if !bytes.Equal(buf[:4], []byte(elf.ELFMAG)) || (machine != elf.EM_386 && machine != elf.EM_486) {
		return nil, err
	}
	if !opts.IA32 {
		return nil, failf(abi.ENOEXEC, "i386 executable, but IA32 emulation is disabled")
	}
	return loadAs(ABIIA32, &buf, f, size)
}

// loadAs is one ELF binfmt: the native one for ABI64, compat for ABIIA32.
func loadAs(a ABI, buf *[binprmBufSize]byte, f *io.SectionReader, size int64) (*Image, error) {
	if !bytes.Equal(buf[:4], []byte(elf.ELFMAG)) {
		return nil, failf(abi.ENOEXEC, "not an ELF file (bad magic)")
	}
	h := decodeHeader(a, buf)
	if h.Type != elf.ET_EXEC && h.Type != elf.ET_DYN {
		return nil, failf(abi.ENOEXEC, fmt.Sprintf("e_type %d is neither ET_EXEC nor ET_DYN", uint16(h.Type)))
	}
	if !machineOK(a, h.Machine) {
		return nil, failf(abi.ENOEXEC, fmt.Sprintf("e_machine %d is not an x86-64 or i386 machine", uint16(h.Machine)))
	}
	progs, err := loadELFPhdrs(a, h, f)
	if err != nil {
		return nil, err
	}
	img := &Image{ABI: a, Type: h.Type, Entry: h.Entry, Phoff: h.Phoff, Progs: progs, FileSize: size}

	if err := checkInterp(progs, f); err != nil {
		return nil, err
	}
	for i := range progs {
		switch progs[i].Type {
		case elf.PT_GNU_STACK:
			// No break out of the loop in Linux either: the last wins.
			if progs[i].Flags&elf.PF_X != 0 {
				img.ExecStack = ExecStackEnableX
			} else {
				img.ExecStack = ExecStackDisableX
			}
		case elf.PT_TLS:
			if img.TLS == nil {
				img.TLS = &progs[i]
			}
		}
	}
	// elf_read_implies_exec: mmap_is_ia32() && EXSTACK_DEFAULT.
	img.ReadImpliesExec = a == ABIIA32 && img.ExecStack == ExecStackDefault

	// From here on Linux is past begin_new_exec.
	if err := img.checkLoads(); err != nil {
		return nil, err
	}
	return img, nil
}

func machineOK(a ABI, m elf.Machine) bool {
	if a == ABIIA32 {
		return m == elf.EM_386 || m == elf.EM_486 // elf_check_arch_ia32
	}
	return m == elf.EM_X86_64
}

// decodeHeader reads bprm->buf as this loader's elfhdr. Like Linux it does
// not look at EI_CLASS or EI_DATA: a file is whatever the loader that
// accepts its e_machine and e_phentsize reads it as (always little-endian).
// Fields are read where debug/elf's structs put them, without reflection
// (binary.Decode's reflective walk was about 180 translated blocks of every
// boot's first exec).
func decodeHeader(a ABI, buf *[binprmBufSize]byte) header {
	le := binary.LittleEndian
	if a == ABIIA32 {
		var h elf.Header32
		return header{
			Type:      elf.Type(le.Uint16(buf[unsafe.Offsetof(h.Type):])),
			Machine:   elf.Machine(le.Uint16(buf[unsafe.Offsetof(h.Machine):])),
			Entry:     uint64(le.Uint32(buf[unsafe.Offsetof(h.Entry):])),
			Phoff:     uint64(le.Uint32(buf[unsafe.Offsetof(h.Phoff):])),
			Phentsize: le.Uint16(buf[unsafe.Offsetof(h.Phentsize):]),
			Phnum:     le.Uint16(buf[unsafe.Offsetof(h.Phnum):]),
		}
	}
	var h elf.Header64
	return header{
		Type:      elf.Type(le.Uint16(buf[unsafe.Offsetof(h.Type):])),
		Machine:   elf.Machine(le.Uint16(buf[unsafe.Offsetof(h.Machine):])),
		Entry:     le.Uint64(buf[unsafe.Offsetof(h.Entry):]),
		Phoff:     le.Uint64(buf[unsafe.Offsetof(h.Phoff):]),
		Phentsize: le.Uint16(buf[unsafe.Offsetof(h.Phentsize):]),
		Phnum:     le.Uint16(buf[unsafe.Offsetof(h.Phnum):]),
	}
}

// decodeProg reads one program header (b holds at least PhEnt bytes), as
// decodeHeader does the file header.
func decodeProg(a ABI, b []byte) Prog {
	le := binary.LittleEndian
	if a == ABIIA32 {
		var p elf.Prog32
		return Prog{
			Type:   elf.ProgType(le.Uint32(b[unsafe.Offsetof(p.Type):])),
			Flags:  elf.ProgFlag(le.Uint32(b[unsafe.Offsetof(p.Flags):])),
			Off:    uint64(le.Uint32(b[unsafe.Offsetof(p.Off):])),
			Vaddr:  uint64(le.Uint32(b[unsafe.Offsetof(p.Vaddr):])),
			Filesz: uint64(le.Uint32(b[unsafe.Offsetof(p.Filesz):])),
			Memsz:  uint64(le.Uint32(b[unsafe.Offsetof(p.Memsz):])),
			Align:  uint64(le.Uint32(b[unsafe.Offsetof(p.Align):])),
		}
	}
	var p elf.Prog64
	return Prog{
		Type:   elf.ProgType(le.Uint32(b[unsafe.Offsetof(p.Type):])),
		Flags:  elf.ProgFlag(le.Uint32(b[unsafe.Offsetof(p.Flags):])),
		Off:    le.Uint64(b[unsafe.Offsetof(p.Off):]),
		Vaddr:  le.Uint64(b[unsafe.Offsetof(p.Vaddr):]),
		Filesz: le.Uint64(b[unsafe.Offsetof(p.Filesz):]),
		Memsz:  le.Uint64(b[unsafe.Offsetof(p.Memsz):]),
		Align:  le.Uint64(b[unsafe.Offsetof(p.Align):]),
	}
}

// loadELFPhdrs mirrors fs/binfmt_elf.c:load_elf_phdrs. Every failure,
// including a short read, makes load_elf_binary return ENOEXEC.
func loadELFPhdrs(a ABI, h header, f *io.SectionReader) ([]Prog, error) {
	if int(h.Phentsize) != a.PhEnt() {
		return nil, failf(abi.ENOEXEC, fmt.Sprintf("e_phentsize %d, want %d", h.Phentsize, a.PhEnt()))
	}
	size := a.PhEnt() * int(h.Phnum)
	if size == 0 || size > PageSize {
		return nil, failf(abi.ENOEXEC, fmt.Sprintf("%d program headers (%d bytes): want 1..%d bytes", h.Phnum, size, PageSize))
	}
	raw := make([]byte, size)
	if err := readFull(f, raw, h.Phoff); err != nil {
		return nil, failf(abi.ENOEXEC, fmt.Sprintf("program headers at offset %#x: %v", h.Phoff, err))
	}
	progs := make([]Prog, h.Phnum)
	for i := range progs {
		progs[i] = decodeProg(a, raw[i*a.PhEnt():])
	}
	return progs, nil
}

// checkInterp mirrors the PT_INTERP loop of load_elf_binary. Linux goes on
// to open and load the interpreter; Ringo has no dynamic linking yet, so a
// well-formed PT_INTERP is ENOEXEC with a reason saying so.
func checkInterp(progs []Prog, f *io.SectionReader) error {
	for _, p := range progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		if p.Filesz > pathMax || p.Filesz < 2 {
			return failf(abi.ENOEXEC, fmt.Sprintf("PT_INTERP of %d bytes: want 2..%d", p.Filesz, pathMax))
		}
		path := make([]byte, p.Filesz)
		if err := readFull(f, path, p.Off); err != nil {
			// elf_read hands the read error back unchanged.
			var e *Error
			if errors.As(err, &e) {
				return e
			}
			return failf(abi.EIO, "reading PT_INTERP: "+err.Error())
		}
		if path[len(path)-1] != 0 {
			return failf(abi.ENOEXEC, "PT_INTERP path is not NUL-terminated")
		}
		return failf(abi.ENOEXEC, fmt.Sprintf("dynamic linking is not supported yet (PT_INTERP %q)", path[:len(path)-1]))
	}
	return nil
}

// readFull mirrors elf_read over kernel_read: a position that is negative as
// a loff_t is EINVAL (rw_verify_area), a short read is EIO.
func readFull(f *io.SectionReader, dst []byte, off uint64) error {
	if off > math.MaxInt64 || uint64(len(dst)) > math.MaxInt64-off {
		return failf(abi.EINVAL, fmt.Sprintf("file offset %#x out of range", off))
	}
	n, err := f.ReadAt(dst, int64(off))
	if n == len(dst) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return failf(abi.EIO, fmt.Sprintf("short read: %d of %d bytes at offset %#x", n, len(dst), off))
	}
	return failf(abi.EIO, err.Error())
}
