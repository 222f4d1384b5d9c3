package kernel

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/arch/x86/x86asm"
)

// The image must be an ELF object both libcs accept: ET_DYN for x86-64, a
// PT_LOAD at vaddr 0 and a PT_DYNAMIC, and the three symbols defined.
func TestVDSOImageIsAnELFWithTheSymbols(t *testing.T) {
	img := buildVDSOImage()
	f, err := elf.NewFile(bytes.NewReader(img))
	require.NoError(t, err)
	require.Equal(t, elf.ET_DYN, f.Type)
	require.Equal(t, elf.EM_X86_64, f.Machine)
	var types []elf.ProgType
	for _, p := range f.Progs {
		types = append(types, p.Type)
	}
	require.Equal(t, []elf.ProgType{elf.PT_LOAD, elf.PT_DYNAMIC}, types)
	// No section headers (like Linux's vDSO as the libcs read it): walk
	// the dynamic symbol table the way musl's __vdsosym does.
	le := binary.LittleEndian
	dyn := dynamicSection(img, f.Progs[1].Off, 16)
	symtab, strtab := []uint64{dyn[elf.DT_SYMTAB]}, []uint64{dyn[elf.DT_STRTAB]}
	nsyms := le.Uint32(img[dyn[elf.DT_HASH]+4:])
	got := map[string]uint64{}
	for i := uint64(1); i < uint64(nsyms); i++ {
		e := img[symtab[0]+24*i:]
		name := img[strtab[0]+uint64(le.Uint32(e)):]
		name = name[:bytes.IndexByte(name, 0)]
		require.Equal(t, byte(0x12), e[4], "STB_GLOBAL STT_FUNC")
		require.NotZero(t, le.Uint16(e[6:]), "defined (st_shndx != SHN_UNDEF)")
		got[string(name)] = le.Uint64(e[8:])
	}
	require.Equal(t, map[string]uint64{
		"__vdso_clock_gettime": vdsoCodeOff + vdsoClockGettimeOff,
		"__vdso_gettimeofday":  vdsoCodeOff + vdsoGettimeofdayOff,
		"__vdso_time":          vdsoCodeOff + vdsoTimeOff,
	}, got)
	soname := img[strtab[0]+dyn[elf.DT_SONAME]:]
	require.Equal(t, "linux-vdso.so.1", string(soname[:bytes.IndexByte(soname, 0)]))
}

// Every RIP-relative operand of the code must land on a vvar field: the
// vvar page sits just before the image page, the code at vdsoCodeOff.
func TestVDSOCodeReadsTheVvarPage(t *testing.T) {
	code := vdsoCode[:]
	codeAddr := uint64(4096 + vdsoCodeOff) // vvar at 0
	fields := map[uint64]int{}
	funcs := map[int]bool{vdsoClockGettimeOff: true, vdsoGettimeofdayOff: true, vdsoTimeOff: true}
	starts := 0
	for pc := 0; pc < len(code); {
		if funcs[pc] {
			starts++
		}
		inst, err := x86asm.Decode(code[pc:], 64)
		require.NoError(t, err, "at +%#x", pc)
		for _, a := range inst.Args {
			if m, ok := a.(x86asm.Mem); ok && m.Base == x86asm.RIP {
				target := codeAddr + uint64(pc+inst.Len) + uint64(int64(int32(m.Disp)))
				require.Contains(t, []uint64{0, 8, 16}, target, "at +%#x: %v", pc, inst)
				fields[target]++
			}
		}
		pc += inst.Len
	}
	require.Equal(t, 3, starts, "the three functions start on instruction boundaries")
	require.Equal(t, map[uint64]int{0: 3, 8: 3, 16: 3}, fields, "each function reads tsc0, mult and the wall base")
}

// The i386 code finds vvar from the address CALL/POP leaves in EBP: every
// EBP-relative operand must land on a vvar field (vvar at 0, the POP's
// label at codeAddr+popAt).
func TestVDSO32CodeReadsTheVvarPage(t *testing.T) {
	code := vdsoCode32[:]
	codeAddr := int64(4096 + vdsoCodeOff)
	ebp := int64(-1)
	fields := map[int64]int{}
	for pc := 0; pc < len(code); {
		inst, err := decode32(code[pc:])
		require.NoError(t, err, "at +%#x", pc)
		if inst.Op == x86asm.POP && inst.Args[0] == x86asm.EBP && pc > vdso32CgtNsOff && pc < vdso32SysVsyscallOff {
			ebp = codeAddr + int64(pc) // the CALL pushed this instruction's address
		}
		for _, a := range inst.Args {
			if m, ok := a.(x86asm.Mem); ok && m.Base == x86asm.EBP && int32(m.Disp) < 0 {
				require.NotEqual(t, int64(-1), ebp, "at +%#x: vvar read before the POP", pc)
				target := ebp + int64(int32(m.Disp))
				require.Contains(t, []int64{0, 4, 8, 12, 16, 20}, target, "at +%#x: %v", pc, inst)
				fields[target]++
			}
		}
		pc += inst.Len
	}
	require.Equal(t, map[int64]int{0: 1, 4: 1, 8: 2, 12: 2, 16: 1, 20: 1}, fields)
	require.Equal(t, []byte{0xcd, 0x80, 0xc3}, code[vdso32VsyscallOff:vdso32VsyscallOff+3], "__kernel_vsyscall is int $0x80; ret")
}

func TestVDSO32ImageIsAnELF32(t *testing.T) {
	for _, compat := range []bool{false, true} {
		img := buildVDSOImage32(compat)
		f, err := elf.NewFile(bytes.NewReader(img))
		require.NoError(t, err)
		require.Equal(t, elf.ELFCLASS32, f.Class)
		require.Equal(t, elf.EM_386, f.Machine)
		require.Equal(t, elf.ET_DYN, f.Type)
		require.Len(t, f.Progs, 2)
		for _, o := range []int{vdso32SigretOff, vdso32RtSigretOff} {
			inst, err := x86asm.Decode(img[vdsoCodeOff+o:], 32)
			require.NoError(t, err)
			require.Contains(t, []x86asm.Op{x86asm.POP, x86asm.MOV}, inst.Op, "a sigreturn trampoline at +%#x", o)
		}
		require.Equal(t, []byte{0xcd, 0x80}, img[vdsoCodeOff+vdso32SysVsyscallOff-2:vdsoCodeOff+vdso32SysVsyscallOff],
			"__kernel_rt_sigreturn ends in int $0x80")
		value, size := symbol32(img, f.Progs[1].Off, "__kernel_vsyscall")
		if compat {
			require.Equal(t, []uint32{vdsoCodeOff + vdso32SysVsyscallOff, uint32(len(vdsoCode32) - vdso32SysVsyscallOff)}, []uint32{value, size},
				"the flavour AT_SYSINFO points at")
		} else {
			require.Equal(t, []uint32{vdsoCodeOff + vdso32VsyscallOff, 3}, []uint32{value, size}, "the flavour AT_SYSINFO points at")
		}
		require.Equal(t, vdso32Vsyscall(compat), value-vdsoCodeOff)
	}
}

// The SYSCALL flavour, instruction by instruction, and the two offsets
// the kernel relies on: SYSCALL's return address is the int $0x80 that a
// restart re-executes, and the landing pad follows it.
func TestVDSO32SyscallFlavour(t *testing.T) {
	code := vdsoCode32[vdso32SysVsyscallOff:]
	var got []string
	at := map[int]x86asm.Op{}
	for pc := 0; pc < len(code); {
		inst, err := decode32(code[pc:])
		require.NoError(t, err, "at +%#x", pc)
		got = append(got, x86asm.IntelSyntax(inst, 0, nil))
		at[vdso32SysVsyscallOff+pc] = inst.Op
		pc += inst.Len
	}
	require.Equal(t, []string{"push ecx", "push ebp", "mov ebp, ecx", "syscall", "int 0x80", "pop ebp", "pop ecx", "ret"}, got)
	require.Equal(t, x86asm.INT, at[vdso32SysRetOff], "SYSCALL returns onto the int $0x80")
	require.Equal(t, x86asm.POP, at[vdso32LandingOff], "the landing pad pops ebp")
}

// Both images' DT_HASH tables find every exported symbol the way a dynamic
// linker looks one up (glibc's do_lookup_x with DT_HASH): the symbol's
// bucket, then the chain, comparing names.
func TestVDSOHashTablesFindEverySymbol(t *testing.T) {
	require.Equal(t, []uint32{1, 4, 1, 0, 2, 3, 0}, oneBucketHash(3))
	le := binary.LittleEndian
	for _, c := range []struct {
		img           []byte
		dynEnt, symEn uint64
		names         []string
	}{
		{buildVDSOImage(), 16, 24, []string{"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time"}},
		{buildVDSOImage32(false), 8, 16, []string{"__kernel_vsyscall", "__vdso_clock_gettime64", "__vdso_clock_gettime",
			"__kernel_sigreturn", "__kernel_rt_sigreturn"}},
		{buildVDSOImage32(true), 8, 16, []string{"__kernel_vsyscall", "__vdso_clock_gettime64", "__vdso_clock_gettime",
			"__kernel_sigreturn", "__kernel_rt_sigreturn"}},
	} {
		f, err := elf.NewFile(bytes.NewReader(c.img))
		require.NoError(t, err)
		dyn := dynamicSection(c.img, f.Progs[1].Off, c.dynEnt)
		hash := c.img[dyn[elf.DT_HASH]:]
		nbucket, nchain := le.Uint32(hash), le.Uint32(hash[4:])
		require.Equal(t, uint32(len(c.names)+1), nchain)
		for _, name := range c.names {
			found := false
			for i := le.Uint32(hash[8+4*(elfHash(name)%nbucket):]); i != 0; i = le.Uint32(hash[8+4*nbucket+4*i:]) {
				require.Less(t, i, nchain, "chain index inside the table")
				sym := c.img[dyn[elf.DT_SYMTAB]+c.symEn*uint64(i):]
				s := c.img[dyn[elf.DT_STRTAB]+uint64(le.Uint32(sym)):]
				if string(s[:bytes.IndexByte(s, 0)]) == name {
					found = true
					break
				}
			}
			require.True(t, found, "%s through DT_HASH", name)
		}
	}
}

// decode32 is x86asm.Decode in 32-bit mode, plus SYSCALL, which x86asm
// (like Intel's manual) does not accept outside 64-bit mode and AMD's
// CPUs execute there.
func decode32(code []byte) (x86asm.Inst, error) {
	if len(code) >= 2 && code[0] == 0x0f && code[1] == 0x05 {
		return x86asm.Inst{Op: x86asm.SYSCALL, Len: 2}, nil
	}
	return x86asm.Decode(code, 32)
}

// symbol32 looks name up in an ELFCLASS32 image's dynamic symbol table
// (the image has no section headers for debug/elf to find it by) and
// returns its value and size.
func symbol32(img []byte, dynOff uint64, name string) (value, size uint32) {
	le := binary.LittleEndian
	dyn := dynamicSection(img, dynOff, 8)
	for sym := img[dyn[elf.DT_SYMTAB]:]; len(sym) >= 16; sym = sym[16:] {
		s := img[dyn[elf.DT_STRTAB]+uint64(le.Uint32(sym)):]
		if string(s[:bytes.IndexByte(s, 0)]) == name {
			return le.Uint32(sym[4:]), le.Uint32(sym[8:])
		}
	}
	return 0, 0
}

// dynamicSection reads the d_tag/d_val pairs at off up to DT_NULL, with
// 16-byte entries (ELFCLASS64) or 8-byte ones (ELFCLASS32).
func dynamicSection(img []byte, off, entSize uint64) map[elf.DynTag]uint64 {
	le := binary.LittleEndian
	dyn := map[elf.DynTag]uint64{}
	for ; ; off += entSize {
		var tag, val uint64
		if entSize == 16 {
			tag, val = le.Uint64(img[off:]), le.Uint64(img[off+8:])
		} else {
			tag, val = uint64(le.Uint32(img[off:])), uint64(le.Uint32(img[off+4:]))
		}
		if elf.DynTag(tag) == elf.DT_NULL {
			return dyn
		}
		dyn[elf.DynTag(tag)] = val
	}
}

// elfHash is the SysV ABI's ELF hash function.
func elfHash(name string) uint32 {
	var h uint32
	for i := 0; i < len(name); i++ {
		h = h<<4 + uint32(name[i])
		if g := h & 0xf0000000; g != 0 {
			h ^= g >> 24
		}
		h &^= 0xf0000000
	}
	return h
}
