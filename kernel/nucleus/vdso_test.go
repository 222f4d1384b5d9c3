package nucleus

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// elfHash is the SysV ELF symbol hash (the System V ABI, "Hash Table").
func elfHash(name string) uint32 {
	var h uint32
	for i := 0; i < len(name); i++ {
		h = h<<4 + uint32(name[i])
		g := h & 0xf0000000
		h ^= g >> 24
		h &^= g
	}
	return h
}

// TestVDSOImageResolvesTheClock reads the image the way the runtime does
// (runtime/vdso_linux.go): the first PT_LOAD gives the load offset, the
// PT_DYNAMIC segment the tables, the SysV hash the symbol, the version
// definitions LINUX_2.6; __vdso_clock_gettime must come out as the
// address of vdsoClockGettime.
func TestVDSOImageResolvesTheClock(t *testing.T) {
	base := buildVDSO()
	require.Equal(t, uintptr(unsafe.Pointer(&vdso)), base, "the image is the vdso variable")
	img := unsafe.Slice((*byte)(unsafe.Pointer(&vdso)), unsafe.Sizeof(vdso))
	f, err := elf.NewFile(bytes.NewReader(img))
	require.NoError(t, err)
	require.Equal(t, elf.ET_DYN, f.Type)
	require.Equal(t, elf.EM_X86_64, f.Machine)

	var loadOffset uint64
	var dynamic []byte
	for i, p := range f.Progs {
		switch p.Type {
		case elf.PT_LOAD:
			require.Zero(t, i, "the first segment is the load segment")
			loadOffset = uint64(base) + p.Off - p.Vaddr
			require.Equal(t, uint64(len(img)), p.Memsz)
		case elf.PT_DYNAMIC:
			dynamic = img[p.Off : p.Off+p.Filesz]
		}
	}
	require.NotNil(t, dynamic)
	le := binary.LittleEndian
	tags := map[elf.DynTag]uint64{}
	for i := 0; ; i += 16 {
		tag := elf.DynTag(le.Uint64(dynamic[i:]))
		if tag == elf.DT_NULL {
			break
		}
		tags[tag] = le.Uint64(dynamic[i+8:])
	}
	at := func(tag elf.DynTag) []byte {
		v, ok := tags[tag]
		require.True(t, ok, "%v present", tag)
		return img[loadOffset+v-uint64(base):]
	}
	strtab, symtab, hash, verdef := at(elf.DT_STRTAB), at(elf.DT_SYMTAB), at(elf.DT_HASH), at(elf.DT_VERDEF)
	str := func(off uint32) string { return string(strtab[off : off+uint32(bytes.IndexByte(strtab[off:], 0))]) }

	// The symbol, through its hash bucket and chain.
	nbucket := le.Uint32(hash)
	chain := func(i uint32) uint32 { return le.Uint32(hash[8+4*nbucket+4*i:]) }
	found := false
	for i := le.Uint32(hash[8+4*(elfHash("__vdso_clock_gettime")%nbucket):]); i != 0; i = chain(i) {
		sym := symtab[24*i:]
		if str(le.Uint32(sym)) != "__vdso_clock_gettime" {
			continue
		}
		require.Equal(t, byte(elf.STB_GLOBAL)<<4|byte(elf.STT_FUNC), sym[4])
		require.NotEqual(t, uint16(elf.SHN_UNDEF), le.Uint16(sym[6:]))
		require.Equal(t, uint64(vdsoClockGettimeAddr), loadOffset+le.Uint64(sym[8:]), "resolves to vdsoClockGettime")
		found = true
	}
	require.True(t, found, "__vdso_clock_gettime in the hash table")

	// LINUX_2.6 among the non-base version definitions.
	require.Equal(t, uint32(0x3ae75f6), elfHash("LINUX_2.6"))
	var versions []string
	for d := verdef; ; {
		if le.Uint16(d[2:])&verFlgBase == 0 {
			require.Equal(t, elfHash("LINUX_2.6"), le.Uint32(d[8:]))
			versions = append(versions, str(le.Uint32(d[le.Uint32(d[12:]):])))
		}
		next := le.Uint32(d[16:])
		if next == 0 {
			break
		}
		d = d[next:]
	}
	require.Equal(t, []string{"LINUX_2.6"}, versions)
}
