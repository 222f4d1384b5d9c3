package boot

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"testing"
	"unsafe"

	"github.com/ringo-os/ringo/kernel/nucleus"
	"github.com/stretchr/testify/require"
)

// fakeKernel builds a minimal x86-64 ELF shaped like the Go linker's output
// for Ringo: PT_LOADs with a constant vaddr-offset, bss in the last one.
func fakeKernel(t *testing.T, mutate func(ph []elf.Prog64, eh *elf.Header64)) []byte {
	base := uint64(nucleus.KernelVirtBase + nucleus.KernelPhysLoad)
	ph := []elf.Prog64{
		{Type: uint32(elf.PT_LOAD), Flags: uint32(elf.PF_R | elf.PF_X), Off: 0, Vaddr: base, Paddr: base, Filesz: 0x3000, Memsz: 0x3000, Align: 0x1000},
		{Type: uint32(elf.PT_LOAD), Flags: uint32(elf.PF_R | elf.PF_W), Off: 0x3000, Vaddr: base + 0x3000, Paddr: base + 0x3000, Filesz: 0x1000, Memsz: 0x5000, Align: 0x1000},
	}
	eh := elf.Header64{
		Type: uint16(elf.ET_EXEC), Machine: uint16(elf.EM_X86_64), Version: 1,
		Entry: base + 0x1000, Phoff: 64, Ehsize: 64, Phentsize: 56, Phnum: uint16(len(ph)),
	}
	copy(eh.Ident[:], elf.ELFMAG)
	eh.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	eh.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	eh.Ident[elf.EI_VERSION] = 1
	if mutate != nil {
		mutate(ph, &eh)
	}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, eh)
	binary.Write(&b, binary.LittleEndian, ph)
	img := make([]byte, 0x4000)
	copy(img, b.Bytes())
	img[0x1000] = 0xfa // something non-zero in the text
	return img
}

func TestMultibootHeaderFields(t *testing.T) {
	img := fakeKernel(t, nil)
	out, h, err := AddMultibootHeader(img)
	require.NoError(t, err)
	require.Equal(t, uint32(0x1BADB002), h.Magic)
	require.Equal(t, uint32(0x00010002), h.Flags)
	require.Zero(t, h.Magic+h.Flags+h.Checksum, "magic+flags+checksum must be 0 mod 2^32")
	require.Equal(t, uint32(nucleus.KernelPhysLoad), h.LoadAddr)
	require.Equal(t, uint32(nucleus.KernelPhysLoad+0x4000), h.LoadEndAddr, "end of the file image")
	require.Equal(t, uint32(nucleus.KernelPhysLoad+0x8000), h.BssEndAddr, "end of the last segment in memory")
	require.Equal(t, uint32(nucleus.KernelPhysLoad+0x1000), h.EntryAddr)

	// The loader finds it where header_addr says, in the first 8 KiB,
	// after the program headers, and the rest of the file is unchanged.
	off := int(h.HeaderAddr - h.LoadAddr)
	require.Less(t, off, MultibootSearch)
	require.GreaterOrEqual(t, off, 64+2*56)
	require.Zero(t, off%4)
	var got MultibootHeader
	require.NoError(t, binary.Read(bytes.NewReader(out[off:off+32]), binary.LittleEndian, &got))
	require.Equal(t, h, got)
	require.Equal(t, img[:off], out[:off])
	require.Equal(t, img[off+32:], out[off+32:])
}

func TestMultibootHeaderRejectsBadImages(t *testing.T) {
	cases := map[string]func(ph []elf.Prog64, eh *elf.Header64){
		"not x86-64":            func(ph []elf.Prog64, eh *elf.Header64) { eh.Machine = uint16(elf.EM_386) },
		"offset mismatch":       func(ph []elf.Prog64, eh *elf.Header64) { ph[1].Vaddr += 0x1000 },
		"bss not last":          func(ph []elf.Prog64, eh *elf.Header64) { ph[0].Memsz += 0x1000 },
		"linked at 0x400000":    func(ph []elf.Prog64, eh *elf.Header64) { ph[0].Vaddr, ph[1].Vaddr = 0x400000, 0x403000 },
		"entry outside image":   func(ph []elf.Prog64, eh *elf.Header64) { eh.Entry = 0x401000 },
		"no loadable segments":  func(ph []elf.Prog64, eh *elf.Header64) { ph[0].Type, ph[1].Type = 0, 0 },
		"wrong physical window": func(ph []elf.Prog64, eh *elf.Header64) { ph[0].Vaddr -= 0x1000; ph[0].Off = 0; ph[1].Vaddr -= 0x1000 },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := AddMultibootHeader(fakeKernel(t, mutate))
			require.Error(t, err)
		})
	}
	_, _, err := AddMultibootHeader([]byte("not an ELF at all"))
	require.Error(t, err)
}

func TestMultibootHeaderNeedsAGap(t *testing.T) {
	img := fakeKernel(t, nil)
	for i := 64 + 2*56; i < 0x1000; i++ {
		img[i] = 0xcc
	}
	for i := 0x1001; i < 0x2000; i++ {
		img[i] = 0xcc
	}
	_, _, err := AddMultibootHeader(img)
	require.ErrorContains(t, err, "no free 32-byte gap")
}

// mbInfo builds a Multiboot information structure in a buffer whose offsets
// play the part of physical addresses.
type mbInfo struct{ buf []byte }

func newInfo() *mbInfo { return &mbInfo{buf: make([]byte, 0x3000)} }

func (m *mbInfo) put32(off int, v uint32) { binary.LittleEndian.PutUint32(m.buf[off:], v) }
func (m *mbInfo) put64(off int, v uint64) { binary.LittleEndian.PutUint64(m.buf[off:], v) }
func (m *mbInfo) base() uintptr           { return uintptr(unsafe.Pointer(&m.buf[0])) }

// standard: info at 0x100, memory map at 0x400 with two regions, command
// line at 0x800, one module at 0x900.
func standardInfo() *mbInfo {
	m := newInfo()
	m.put32(0x100, mbInfoMemory|mbInfoCmdline|mbInfoMods|mbInfoMmap)
	m.put32(0x100+16, 0x800)
	m.put32(0x100+20, 1)
	m.put32(0x100+24, 0x900)
	m.put32(0x100+44, 48)
	m.put32(0x100+48, 0x400)
	for i, r := range []nucleus.MemRegion{{Base: 0, Len: 0x9fc00, Type: 1}, {Base: 0x100000, Len: 0x7ee0000, Type: 1}} {
		o := 0x400 + i*24
		m.put32(o, 20)
		m.put64(o+4, r.Base)
		m.put64(o+12, r.Len)
		m.put32(o+20, r.Type)
	}
	copy(m.buf[0x800:], "/kernel GODEBUG=x=1 ringo.crash=nucleus\x00")
	m.put32(0x900, 0x1000)
	m.put32(0x904, 0x1800)
	return m
}

func TestParseMultiboot(t *testing.T) {
	m := standardInfo()
	var bi nucleus.BootInfo
	require.Equal(t, "", ParseMultiboot(MultibootBootloaderMagic, 0x100, m.base(), uint64(len(m.buf)), &bi))
	require.Equal(t, 2, bi.NRegions)
	require.Equal(t, nucleus.MemRegion{Base: 0x100000, Len: 0x7ee0000, Type: 1}, bi.Regions[1])
	require.Equal(t, "/kernel GODEBUG=x=1 ringo.crash=nucleus", string(bi.Cmdline[:bi.CmdlineLen]))
	require.Equal(t, uint64(0x1000), bi.InitrdStart)
	require.Equal(t, uint64(0x1800), bi.InitrdEnd)
}

func TestParseMultibootRejectsMalformedInfo(t *testing.T) {
	cases := []struct {
		name, want string
		edit       func(m *mbInfo)
		magic      uint32
	}{
		{"bad magic", "bad bootloader magic", nil, 0x1234},
		{"no memory map", "no memory map", func(m *mbInfo) { m.put32(0x100, mbInfoCmdline) }, 0},
		{"huge mmap length", "memory map length", func(m *mbInfo) { m.put32(0x100+44, 1<<20) }, 0},
		{"mmap outside memory", "memory map length", func(m *mbInfo) { m.put32(0x100+48, 0x2ff0) }, 0},
		{"entry size too small", "bad size field", func(m *mbInfo) { m.put32(0x400, 4) }, 0},
		{"entry overruns map", "bad size field", func(m *mbInfo) { m.put32(0x418, 200) }, 0},
		{"region wraps", "wraps around", func(m *mbInfo) { m.put64(0x404, ^uint64(0)) }, 0},
		{"module end before start", "initrd module", func(m *mbInfo) { m.put32(0x904, 0x10) }, 0},
		{"module list outside", "module list", func(m *mbInfo) { m.put32(0x100+24, 0x2ffc) }, 0},
		{"info outside memory", "outside mapped memory", func(m *mbInfo) {}, 1},
		{"endless command line", "longer than 511", func(m *mbInfo) {
			for i := 0x800; i < 0xa00; i++ {
				m.buf[i] = 'x'
			}
			m.put32(0x100+20, 0)
		}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := standardInfo()
			if c.edit != nil {
				c.edit(m)
			}
			magic := uint32(MultibootBootloaderMagic)
			info := uintptr(0x100)
			switch c.magic {
			case 0:
			case 1:
				info = uintptr(len(m.buf) - 10)
			default:
				magic = c.magic
			}
			var bi nucleus.BootInfo
			require.Contains(t, ParseMultiboot(magic, info, m.base(), uint64(len(m.buf)), &bi), c.want)
		})
	}
}

// The Go linker puts the section header table in the first page, right
// after the program headers; its first entry is 64 zero bytes, which must
// not take the header.
func TestMultibootHeaderKeepsTheSectionHeaders(t *testing.T) {
	const shoff = 64 + 2*56 // right after the program headers, as the Go linker does
	img := fakeKernel(t, func(ph []elf.Prog64, eh *elf.Header64) {
		eh.Shoff, eh.Shentsize, eh.Shnum, eh.Shstrndx = shoff, 64, 2, 1
	})
	// Entry 0 is SHN_UNDEF (zeros); entry 1 a string table at 0x2000.
	strtab := elf.Section64{Name: 1, Type: uint32(elf.SHT_STRTAB), Off: 0x2000, Size: 11}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, strtab)
	copy(img[shoff+64:], b.Bytes())
	copy(img[0x2000:], "\x00.shstrtab\x00")

	out, h, err := AddMultibootHeader(img)
	require.NoError(t, err)
	off := uint64(h.HeaderAddr - h.LoadAddr)
	require.False(t, off < shoff+2*64 && shoff < off+32, "header at %#x is inside the section headers", off)
	f, err := elf.NewFile(bytes.NewReader(out))
	require.NoError(t, err, "the output is still an ELF debug/elf can read")
	require.Len(t, f.Sections, 2)
	require.Equal(t, ".shstrtab", f.Sections[1].Name)
}
