package exec

// Hand-built ELF files for the tests: a small description turned into the
// bytes Linux would read, so every §8.1 row can be produced exactly.

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
)

type elfSpec struct {
	abi       ABI // selects the header and program-header layout
	class     elf.Class
	typ       elf.Type
	machine   elf.Machine
	entry     uint64
	phoff     uint64
	phentsize int // 0: the ABI's size
	progs     []Prog
	size      int // file size; data after the headers is a byte pattern
}

// validSpec is a static ET_EXEC with text, data+bss and PT_GNU_STACK RW.
func validSpec(a ABI) elfSpec {
	base := uint64(0x400000)
	s := elfSpec{abi: a, class: elf.ELFCLASS64, typ: elf.ET_EXEC, machine: elf.EM_X86_64, phoff: 64}
	if a == ABIIA32 {
		base = 0x8048000
		s.class, s.machine, s.phoff = elf.ELFCLASS32, elf.EM_386, 52
	}
	s.entry = base + 0x100
	s.progs = []Prog{
		{Type: elf.PT_LOAD, Flags: elf.PF_R | elf.PF_X, Off: 0, Vaddr: base, Filesz: 0x200, Memsz: 0x200, Align: 0x1000},
		{Type: elf.PT_LOAD, Flags: elf.PF_R | elf.PF_W, Off: 0x1010, Vaddr: base + 0x2010, Filesz: 0x100, Memsz: 0x2000, Align: 0x1000},
		{Type: elf.PT_TLS, Flags: elf.PF_R, Off: 0x1010, Vaddr: base + 0x2010, Filesz: 0x10, Memsz: 0x20, Align: 8},
		{Type: elf.PT_GNU_STACK, Flags: elf.PF_R | elf.PF_W},
	}
	s.size = 0x1200
	return s
}

// pieSpec is a static PIE (ET_DYN at vaddr 0).
func pieSpec(a ABI) elfSpec {
	s := validSpec(a)
	s.typ = elf.ET_DYN
	s.entry = 0x100
	s.progs[0].Vaddr = 0
	s.progs[1].Vaddr = 0x2010
	s.progs[2].Vaddr = 0x2010
	return s
}

func (s elfSpec) without(t elf.ProgType) elfSpec {
	var ps []Prog
	for _, p := range s.progs {
		if p.Type != t {
			ps = append(ps, p)
		}
	}
	s.progs = ps
	return s
}

func (s elfSpec) with(p ...Prog) elfSpec {
	s.progs = append(append([]Prog(nil), s.progs...), p...)
	return s
}

func buildELF(s elfSpec) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	phent := s.phentsize
	if phent == 0 {
		phent = s.abi.PhEnt()
	}
	ident := [elf.EI_NIDENT]byte{0x7f, 'E', 'L', 'F', byte(s.class), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)}
	if s.abi == ABIIA32 {
		_ = binary.Write(&b, le, elf.Header32{Ident: ident, Type: uint16(s.typ), Machine: uint16(s.machine),
			Version: 1, Entry: uint32(s.entry), Phoff: uint32(s.phoff), Ehsize: 52,
			Phentsize: uint16(phent), Phnum: uint16(len(s.progs))})
	} else {
		_ = binary.Write(&b, le, elf.Header64{Ident: ident, Type: uint16(s.typ), Machine: uint16(s.machine),
			Version: 1, Entry: s.entry, Phoff: s.phoff, Ehsize: 64,
			Phentsize: uint16(phent), Phnum: uint16(len(s.progs))})
	}
	var ph bytes.Buffer
	for _, p := range s.progs {
		if s.abi == ABIIA32 {
			_ = binary.Write(&ph, le, elf.Prog32{Type: uint32(p.Type), Off: uint32(p.Off), Vaddr: uint32(p.Vaddr),
				Paddr: uint32(p.Vaddr), Filesz: uint32(p.Filesz), Memsz: uint32(p.Memsz), Flags: uint32(p.Flags), Align: uint32(p.Align)})
		} else {
			_ = binary.Write(&ph, le, elf.Prog64{Type: uint32(p.Type), Flags: uint32(p.Flags), Off: p.Off, Vaddr: p.Vaddr,
				Paddr: p.Vaddr, Filesz: p.Filesz, Memsz: p.Memsz, Align: p.Align})
		}
	}
	size := max(s.size, b.Len())
	out := make([]byte, size)
	for i := range out {
		out[i] = byte(i*7 + 1) // recognisable, never all zero
	}
	copy(out, b.Bytes())
	if s.phoff < uint64(size) {
		copy(out[s.phoff:], ph.Bytes())
	}
	return out
}

// withBytes writes data at off in an ELF image.
func withBytes(file []byte, off int, data []byte) []byte {
	out := append([]byte(nil), file...)
	if need := off + len(data); need > len(out) {
		out = append(out, make([]byte, need-len(out))...)
	}
	copy(out[off:], data)
	return out
}
