package exec

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

func load(t testing.TB, file []byte, opts Options) (*Image, error) {
	t.Helper()
	return Load(bytes.NewReader(file), int64(len(file)), opts)
}

func mustLoad(t testing.TB, file []byte, opts Options) *Image {
	t.Helper()
	img, err := load(t, file, opts)
	require.NoError(t, err)
	return img
}

// requireExecErr checks the errno, whether Linux meets the failure after
// the point of no return, and that the reason mentions want.
func requireExecErr(t *testing.T, err error, errno abi.Errno, late bool, want string) {
	t.Helper()
	require.ErrorIs(t, err, errno)
	var e *Error
	require.True(t, errors.As(err, &e), "error %v is not an *exec.Error", err)
	require.Equal(t, late, e.AfterPointOfNoReturn, "after point of no return")
	require.Contains(t, e.Reason, want)
}

// Every ENOEXEC row of §8.1, plus the read errors around them.
func TestLoadRejectsWhatLinuxRejectsBeforeThePointOfNoReturn(t *testing.T) {
	good64 := buildELF(validSpec(ABI64))
	type tc struct {
		name  string
		file  []byte
		opts  Options
		errno abi.Errno
		why   string
	}
	mod := func(f func(*elfSpec)) []byte { s := validSpec(ABI64); f(&s); return buildELF(s) }
	mod32 := func(f func(*elfSpec)) []byte { s := validSpec(ABIIA32); f(&s); return buildELF(s) }
	interp := func(off uint64, size uint64) Prog {
		return Prog{Type: elf.PT_INTERP, Flags: elf.PF_R, Off: off, Filesz: size, Memsz: size, Align: 1}
	}
	ld := "/lib64/ld-linux-x86-64.so.2\x00"
	cases := []tc{
		{"EmptyFileIsENOEXEC", nil, Options{}, abi.ENOEXEC, "bad magic"},
		{"BadMagicIsENOEXEC", withBytes(good64, 0, []byte("\x7fELG")), Options{}, abi.ENOEXEC, "bad magic"},
		{"ShellScriptIsENOEXEC", []byte("#!/bin/sh\necho hi\n"), Options{}, abi.ENOEXEC, "bad magic"},
		{"TruncatedHeaderIsENOEXEC", good64[:16], Options{}, abi.ENOEXEC, "e_type 0"},
		{"HeaderCutBeforePhentsizeIsENOEXEC", good64[:20], Options{}, abi.ENOEXEC, "e_phentsize 0"},
		{"ETRelIsENOEXEC", mod(func(s *elfSpec) { s.typ = elf.ET_REL }), Options{}, abi.ENOEXEC, "e_type 1"},
		{"ETCoreIsENOEXEC", mod(func(s *elfSpec) { s.typ = elf.ET_CORE }), Options{}, abi.ENOEXEC, "e_type 4"},
		{"ForeignMachineIsENOEXEC", mod(func(s *elfSpec) { s.machine = elf.EM_AARCH64 }), Options{IA32: true}, abi.ENOEXEC, "e_machine 183"},
		{"X32IsENOEXEC", mod32(func(s *elfSpec) { s.machine = elf.EM_X86_64 }), Options{IA32: true}, abi.ENOEXEC, "e_phentsize"},
		{"I386WithoutIA32IsENOEXEC", buildELF(validSpec(ABIIA32)), Options{}, abi.ENOEXEC, "IA32 emulation is disabled"},
		{"PhentsizeZeroIsENOEXEC", mod(func(s *elfSpec) { s.phentsize = 0xffff }), Options{}, abi.ENOEXEC, "e_phentsize"},
		{"Phentsize32In64IsENOEXEC", mod(func(s *elfSpec) { s.phentsize = 32 }), Options{}, abi.ENOEXEC, "e_phentsize 32"},
		{"Phentsize56In32IsENOEXEC", mod32(func(s *elfSpec) { s.phentsize = 56 }), Options{IA32: true}, abi.ENOEXEC, "e_phentsize 56"},
		{"NoProgramHeadersIsENOEXEC", mod(func(s *elfSpec) { s.progs = nil }), Options{}, abi.ENOEXEC, "0 program headers"},
		{"ProgramHeadersOver4096BytesIsENOEXEC", mod(func(s *elfSpec) {
			for len(s.progs) < 74 { // 74*56 = 4144
				s.progs = append(s.progs, Prog{Type: elf.PT_NULL})
			}
			s.size = 0x2000
		}), Options{}, abi.ENOEXEC, "74 program headers"},
		{"ProgramHeadersPastEOFIsENOEXEC", mod(func(s *elfSpec) { s.phoff = 0x11f0 }), Options{}, abi.ENOEXEC, "program headers"},
		{"NegativePhoffIsENOEXEC", mod(func(s *elfSpec) { s.phoff = 1 << 63 }), Options{}, abi.ENOEXEC, "program headers"},
		{"PTInterpIsENOEXECDynamicLinkingNotSupported", withBytes(mod(func(s *elfSpec) {
			*s = s.with(interp(0x800, uint64(len(ld))))
		}), 0x800, []byte(ld)), Options{}, abi.ENOEXEC, "dynamic linking is not supported yet (PT_INTERP \"/lib64/ld-linux-x86-64.so.2\")"},
		{"PTInterpOneByteIsENOEXEC", mod(func(s *elfSpec) { *s = s.with(interp(0x800, 1)) }), Options{}, abi.ENOEXEC, "PT_INTERP of 1 bytes"},
		{"PTInterpOverPathMaxIsENOEXEC", mod(func(s *elfSpec) { *s = s.with(interp(0x800, 4097)) }), Options{}, abi.ENOEXEC, "PT_INTERP of 4097 bytes"},
		{"PTInterpWithoutNULIsENOEXEC", withBytes(mod(func(s *elfSpec) { *s = s.with(interp(0x800, 4)) }), 0x800, []byte("/abc")),
			Options{}, abi.ENOEXEC, "not NUL-terminated"},
		{"PTInterpPastEOFIsEIO", mod(func(s *elfSpec) { *s = s.with(interp(0x11f0, 64)) }), Options{}, abi.EIO, "short read"},
		{"PTInterpNegativeOffsetIsEINVAL", mod(func(s *elfSpec) { *s = s.with(interp(1<<63, 64)) }), Options{}, abi.EINVAL, "out of range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, err := load(t, c.file, c.opts)
			require.Nil(t, img)
			requireExecErr(t, err, c.errno, false, c.why)
		})
	}
}

// The PT_LOAD rows of §8.1: Linux finds them after begin_new_exec.
func TestLoadRejectsBadSegmentsAfterThePointOfNoReturn(t *testing.T) {
	type tc struct {
		name  string
		spec  elfSpec
		errno abi.Errno
		why   string
	}
	seg := func(a ABI, f func(p *Prog)) elfSpec {
		s := validSpec(a)
		s.progs = append([]Prog(nil), s.progs...)
		f(&s.progs[1])
		return s
	}
	pieEmpty := pieSpec(ABI64)
	pieEmpty.progs = []Prog{{Type: elf.PT_LOAD, Flags: elf.PF_R, Vaddr: 0, Memsz: 0, Align: 0x1000}}
	farEntry := validSpec(ABI64)
	farEntry.entry = ABI64.TaskSize()
	cases := []tc{
		{"FileszOverMemszIsEINVAL", seg(ABI64, func(p *Prog) { p.Memsz = p.Filesz - 1 }), abi.EINVAL, "p_filesz 0x100 > p_memsz 0xff"},
		{"VaddrAtTaskSizeIsEINVAL", seg(ABI64, func(p *Prog) { p.Vaddr, p.Filesz, p.Memsz = ABI64.TaskSize()+0x10, 0, 0x10 }), abi.EINVAL, "TASK_SIZE"},
		{"SegmentEndPastTaskSizeIsEINVAL", seg(ABI64, func(p *Prog) { p.Vaddr, p.Memsz = ABI64.TaskSize()-0x1ff0, 0x2000 }), abi.EINVAL, "TASK_SIZE"},
		{"HugeMemszIsEINVAL", seg(ABI64, func(p *Prog) { p.Memsz = 1<<64 - 1 }), abi.EINVAL, "TASK_SIZE"},
		{"IA32SegmentPast0xFFFFE000IsEINVAL", seg(ABIIA32, func(p *Prog) { p.Vaddr, p.Filesz, p.Memsz = 0xFFFFD010, 0x100, 0x1000 }), abi.EINVAL, "TASK_SIZE 0xffffe000"},
		{"OffsetNotCongruentToVaddrIsEINVAL", seg(ABI64, func(p *Prog) { p.Off = 0x1018 }), abi.EINVAL, "differ modulo the page size"},
		{"WritableBssInPagePastEOFIsEFAULT", seg(ABI64, func(p *Prog) { p.Off, p.Vaddr = 0x3010, 0x404010 }), abi.EFAULT, "past the end of the file"},
		{"EntryAtTaskSizeIsEINVAL", farEntry, abi.EINVAL, "entry point"},
		{"StaticPIEWithEmptySpanIsEINVAL", pieEmpty, abi.EINVAL, "span no memory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, err := load(t, buildELF(c.spec), Options{IA32: true})
			require.Nil(t, img)
			requireExecErr(t, err, c.errno, true, c.why)
		})
	}
}

func TestReadOnlyBssInPagePastEOFLoadsLikeLinux(t *testing.T) {
	// clear_user on a read-only mapping fails and elf_load ignores it.
	s := validSpec(ABI64)
	s.progs[1].Flags = elf.PF_R
	s.progs[1].Off, s.progs[1].Vaddr = 0x3010, 0x404010
	img := mustLoad(t, buildELF(s), Options{})
	pl, err := img.Plan(0)
	require.NoError(t, err)
	require.Equal(t, uint64(0), pl.Segments[1].ZeroEnd-pl.Segments[1].ZeroStart, "no padzero on a read-only segment")
}

func TestLoadAcceptsExactly4096BytesOfProgramHeaders(t *testing.T) {
	s := validSpec(ABIIA32)
	for len(s.progs) < 128 { // 128*32 = 4096
		s.progs = append(s.progs, Prog{Type: elf.PT_NULL})
	}
	s.size = 0x2000
	img := mustLoad(t, buildELF(s), Options{IA32: true})
	require.Equal(t, 128, img.PhNum())
}

func TestLoadIgnoresEIClassLikeLinux(t *testing.T) {
	// binfmt_elf never reads e_ident[EI_CLASS]: the e_machine and
	// e_phentsize checks decide which loader a file belongs to.
	file := withBytes(buildELF(validSpec(ABI64)), elf.EI_CLASS, []byte{byte(elf.ELFCLASS32)})
	img := mustLoad(t, file, Options{IA32: true})
	require.Equal(t, ABI64, img.ABI)
}

func TestLoadReportsABIAndTLS(t *testing.T) {
	for _, a := range []ABI{ABI64, ABIIA32} {
		t.Run(a.String(), func(t *testing.T) {
			img := mustLoad(t, buildELF(validSpec(a)), Options{IA32: true})
			require.Equal(t, a, img.ABI)
			require.Equal(t, elf.ET_EXEC, img.Type)
			require.NotNil(t, img.TLS)
			require.Equal(t, uint64(0x20), img.TLS.Memsz)
			require.False(t, img.Relocatable())
		})
	}
}

func TestGNUStackDecidesExecStackAndReadImpliesExec(t *testing.T) {
	stack := func(f elf.ProgFlag) Prog { return Prog{Type: elf.PT_GNU_STACK, Flags: f} }
	cases := []struct {
		name            string
		abi             ABI
		spec            func(elfSpec) elfSpec
		execStack       bool
		readImpliesExec bool
	}{
		{"X8664NoGNUStackIsNonExec", ABI64, func(s elfSpec) elfSpec { return s.without(elf.PT_GNU_STACK) }, false, false},
		{"X8664RWStackIsNonExec", ABI64, func(s elfSpec) elfSpec { return s }, false, false},
		{"X8664RWXStackIsExec", ABI64, func(s elfSpec) elfSpec {
			return s.without(elf.PT_GNU_STACK).with(stack(elf.PF_R | elf.PF_W | elf.PF_X))
		}, true, false},
		{"LastGNUStackWins", ABI64, func(s elfSpec) elfSpec { return s.with(stack(elf.PF_R | elf.PF_W | elf.PF_X)) }, true, false},
		{"IA32NoGNUStackIsReadImpliesExec", ABIIA32, func(s elfSpec) elfSpec { return s.without(elf.PT_GNU_STACK) }, true, true},
		{"IA32RWStackIsNonExec", ABIIA32, func(s elfSpec) elfSpec { return s }, false, false},
		{"IA32RWXStackIsExecWithoutReadImpliesExec", ABIIA32, func(s elfSpec) elfSpec { return s.without(elf.PT_GNU_STACK).with(stack(elf.PF_X)) }, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := mustLoad(t, buildELF(c.spec(validSpec(c.abi))), Options{IA32: true})
			pl, err := img.Plan(0)
			require.NoError(t, err)
			require.Equal(t, c.execStack, pl.ExecStack)
			require.Equal(t, c.readImpliesExec, pl.ReadImpliesExec)
			data := pl.Segments[1]
			if c.readImpliesExec {
				require.Equal(t, ProtRead|ProtWrite|ProtExec, data.FileProt, "PROT_READ implies PROT_EXEC")
				require.Equal(t, ProtRead|ProtWrite|ProtExec, data.AnonProt)
			} else {
				require.Equal(t, ProtRead|ProtWrite, data.FileProt)
				require.Equal(t, ProtRead|ProtWrite, data.AnonProt)
			}
		})
	}
}

func TestPlanOfETExecMapsFileBssAndPadzero(t *testing.T) {
	img := mustLoad(t, buildELF(validSpec(ABI64)), Options{})
	pl, err := img.Plan(0)
	require.NoError(t, err)
	require.Equal(t, uint64(0), pl.LoadBias)
	require.Equal(t, uint64(0x400100), pl.Entry)
	require.Equal(t, uint64(0x400040), pl.Phdr, "AT_PHDR = p_vaddr + e_phoff - p_offset")
	require.Equal(t, 4, pl.PhNum)
	require.Equal(t, []Segment{
		{Index: 0, Prog: img.Progs[0], Start: 0x400000, FileLen: 0x1000, FileOffset: 0, FileProt: ProtRead | ProtExec, NoReplace: true},
		{Index: 1, Prog: img.Progs[1], Start: 0x402000, FileLen: 0x1000, FileOffset: 0x1000, FileProt: ProtRead | ProtWrite,
			ZeroStart: 0x402110, ZeroEnd: 0x403000, AnonStart: 0x403000, AnonEnd: 0x405000, AnonProt: ProtRead | ProtWrite},
	}, pl.Segments)
	require.Equal(t, uint64(0x405000), pl.StartBrk, "PAGE_ALIGN(p_vaddr+p_memsz)")
	require.Equal(t, uint64(0x400000), pl.StartCode)
	require.Equal(t, uint64(0x400200), pl.EndCode)
	require.Equal(t, uint64(0x402010), pl.StartData)
	require.Equal(t, uint64(0x402110), pl.EndData)
}

func TestPlanOfETExecRejectsABase(t *testing.T) {
	img := mustLoad(t, buildELF(validSpec(ABI64)), Options{})
	_, err := img.Plan(0x10000)
	require.ErrorIs(t, err, abi.EINVAL)
}

func TestAtPhdrIsLoadBiasWhenNoSegmentHoldsTheHeaders(t *testing.T) {
	s := pieSpec(ABI64)
	s.progs[0].Off, s.progs[0].Vaddr = 0x1000, 0x1000 // text no longer covers offset 64
	img := mustLoad(t, buildELF(s), Options{})
	pl, err := img.Plan(0x7f0000000000)
	require.NoError(t, err)
	require.Equal(t, pl.LoadBias, pl.Phdr)
}

func TestBssOnlySegmentIsAnonymous(t *testing.T) {
	s := validSpec(ABI64)
	s = s.with(Prog{Type: elf.PT_LOAD, Flags: elf.PF_R | elf.PF_W, Vaddr: 0x410800, Memsz: 0x1000, Align: 0x1000})
	img := mustLoad(t, buildELF(s), Options{})
	pl, err := img.Plan(0)
	require.NoError(t, err)
	bss := pl.Segments[2]
	require.Equal(t, uint64(0), bss.FileLen)
	require.Equal(t, uint64(0x410000), bss.AnonStart)
	require.Equal(t, uint64(0x412000), bss.AnonEnd)
	require.Equal(t, uint64(0x412000), pl.StartBrk)
}

func TestStaticPIEFollowsTheCallersMapping(t *testing.T) {
	for _, a := range []ABI{ABI64, ABIIA32} {
		t.Run(a.String(), func(t *testing.T) {
			img := mustLoad(t, buildELF(pieSpec(a)), Options{IA32: true})
			require.True(t, img.Relocatable())
			require.Equal(t, uint64(0x4010), img.TotalSize)
			base := uint64(0x7fed63889000)
			if a == ABIIA32 {
				base = 0xf7f00000
			}
			pl, err := img.Plan(base)
			require.NoError(t, err)
			require.Equal(t, base, pl.LoadBias)
			require.Equal(t, base+0x100, pl.Entry)
			require.Equal(t, base+uint64(map[ABI]int{ABI64: 64, ABIIA32: 52}[a]), pl.Phdr)
			require.Equal(t, base, pl.Segments[0].Start)
			require.False(t, pl.Segments[0].NoReplace)
			require.Equal(t, base+0x2000, pl.Segments[1].Start)
			require.Equal(t, pageAlign(a.ETDynBase()), pl.StartBrk)
		})
	}
}

func TestStaticPIEBrkStartsAtETDynBase(t *testing.T) {
	img := mustLoad(t, buildELF(pieSpec(ABI64)), Options{})
	pl, err := img.Plan(0x7f0000000000)
	require.NoError(t, err)
	require.Equal(t, uint64(0x555555555000), pl.StartBrk)

	img32 := mustLoad(t, buildELF(pieSpec(ABIIA32)), Options{IA32: true})
	pl32, err := img32.Plan(0xf7000000)
	require.NoError(t, err)
	require.Equal(t, uint64(0x56555000), pl32.StartBrk, "COMPAT_ELF_ET_DYN_BASE")
}

func TestStaticPIEWithLargeAlignIsRoundedDown(t *testing.T) {
	s := pieSpec(ABI64)
	s.progs[0].Align = 0x200000
	img := mustLoad(t, buildELF(s), Options{})
	require.Equal(t, uint64(0x200000), img.Align)
	pl, err := img.Plan(0x7f0000123000)
	require.NoError(t, err)
	require.Equal(t, uint64(0x7f0000000000), pl.LoadBias)
	require.True(t, pl.Segments[0].NoReplace)
}

func TestNonPowerOfTwoAlignIsIgnored(t *testing.T) {
	s := pieSpec(ABI64)
	s.progs[0].Align = 0x300000
	img := mustLoad(t, buildELF(s), Options{})
	require.Equal(t, uint64(PageSize), img.Align)
}

func TestStaticPIEPlacedTooHighIsENOMEM(t *testing.T) {
	img := mustLoad(t, buildELF(pieSpec(ABI64)), Options{})
	_, err := img.Plan(ABI64.TaskSize() - 0x1000)
	requireExecErr(t, err, abi.ENOMEM, true, "beyond TASK_SIZE")
	_, err = img.Plan(1<<64 - 0x1000)
	require.ErrorIs(t, err, abi.ENOMEM)
}

func TestRandomizeBrkStaysInLinuxRange(t *testing.T) {
	cases := []struct {
		name string
		abi  ABI
		spec elfSpec
		lo   uint64
		rng  uint64
	}{
		{"ETExec64GapPageThen1GiB", ABI64, validSpec(ABI64), 0x405000 + PageSize, 1 << 30},
		{"ETExecIA32GapPageThen32MiB", ABIIA32, validSpec(ABIIA32), 0x804d000 + PageSize, 32 << 20},
		{"StaticPIE64FromETDynBase", ABI64, pieSpec(ABI64), 0x555555555000, 1 << 30},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := mustLoad(t, buildELF(c.spec), Options{IA32: true})
			pl, err := img.Plan(map[elf.Type]uint64{elf.ET_EXEC: 0, elf.ET_DYN: 0x7f0000000000}[img.Type])
			require.NoError(t, err)
			for _, r := range [][]byte{bytes.Repeat([]byte{0}, 8), bytes.Repeat([]byte{0xff}, 8), []byte("12345678")} {
				brk, err := pl.RandomizeBrk(bytes.NewReader(r))
				require.NoError(t, err)
				require.GreaterOrEqual(t, brk, c.lo)
				require.Less(t, brk, c.lo+c.rng)
				require.Zero(t, pageOffset(brk))
			}
			_, err = pl.RandomizeBrk(bytes.NewReader(nil))
			require.Error(t, err, "a failing random source is reported")
		})
	}
}

func TestBadMagicWithI386MachineIsStillBadMagic(t *testing.T) {
	file := withBytes(buildELF(validSpec(ABIIA32)), 0, []byte("MZ\x90\x00"))
	_, err := load(t, file, Options{})
	requireExecErr(t, err, abi.ENOEXEC, false, "bad magic")
}

// decodeHeader and decodeProg read the fields debug/elf's structs define,
// at their offsets: checked against binary.Decode into those structs, the
// reflective reference, for random bytes.
func TestHeaderDecodingMatchesDebugELF(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	le := binary.LittleEndian
	for round := 0; round < 100; round++ {
		var buf [binprmBufSize]byte
		for i := range buf {
			buf[i] = byte(rng.Uint32())
		}
		var h64 elf.Header64
		_, err := binary.Decode(buf[:], le, &h64)
		require.NoError(t, err)
		require.Equal(t, header{elf.Type(h64.Type), elf.Machine(h64.Machine), h64.Entry, h64.Phoff, h64.Phentsize, h64.Phnum},
			decodeHeader(ABI64, &buf))
		var h32 elf.Header32
		_, err = binary.Decode(buf[:], le, &h32)
		require.NoError(t, err)
		require.Equal(t, header{elf.Type(h32.Type), elf.Machine(h32.Machine), uint64(h32.Entry), uint64(h32.Phoff), h32.Phentsize, h32.Phnum},
			decodeHeader(ABIIA32, &buf))

		var p64 elf.Prog64
		_, err = binary.Decode(buf[:], le, &p64)
		require.NoError(t, err)
		require.Equal(t, Prog{elf.ProgType(p64.Type), elf.ProgFlag(p64.Flags), p64.Off, p64.Vaddr, p64.Filesz, p64.Memsz, p64.Align},
			decodeProg(ABI64, buf[:]))
		var p32 elf.Prog32
		_, err = binary.Decode(buf[:], le, &p32)
		require.NoError(t, err)
		require.Equal(t, Prog{elf.ProgType(p32.Type), elf.ProgFlag(p32.Flags), uint64(p32.Off), uint64(p32.Vaddr),
			uint64(p32.Filesz), uint64(p32.Memsz), uint64(p32.Align)}, decodeProg(ABIIA32, buf[:]))
	}
}
