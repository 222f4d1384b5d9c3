package syscall

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestKindWidening checks each kind's rule for one register, on the 64-bit
// ABIs and on i386 (LINUX-SEMANTICS §1.1 "arg width", §1.3 step 1).
func TestKindWidening(t *testing.T) {
	const garbage = 0xdead_beef_0000_0000
	tests := []struct {
		name       string
		kind       Kind
		reg        uint64
		wantNative uint64
		wantCompat uint64
	}{
		{"LongAllOnesIsMinusOneOnI386", Long, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff_ffff_ffff},
		{"LongKeepsAll64BitsNatively", Long, 0x1_0000_0000, 0x1_0000_0000, 0},
		{"LongPositive", Long, 0x7fff_ffff, 0x7fff_ffff, 0x7fff_ffff},
		{"PtrStaysZeroExtendedOnI386", Ptr, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff},
		{"PtrHighGarbageDroppedOnI386", Ptr, garbage | 0x1000, garbage | 0x1000, 0x1000},
		{"SizeStaysZeroExtended", Size, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff},
		{"UlongStaysZeroExtended", Ulong, 0x8000_0000, 0x8000_0000, 0x8000_0000},
		{"StrIsAPointer", Str, garbage | 0x2000, garbage | 0x2000, 0x2000},
		{"IntDropsHighGarbage", Int, garbage | 3, 3, 3},
		{"IntSignExtends", Int, 0xffff_ffff, 0xffff_ffff_ffff_ffff, 0xffff_ffff_ffff_ffff},
		{"FdDropsHighHalf", Fd, 0x1_0000_0003, 3, 3},
		{"FdMinusOne", Fd, 0xffff_ffff, 0xffff_ffff_ffff_ffff, 0xffff_ffff_ffff_ffff},
		{"UintZeroExtends", Uint, garbage | 0xffff_ffff, 0xffff_ffff, 0xffff_ffff},
		{"ModeKeeps16Bits", Mode, 0x1_0001_01ed, 0o755, 0o755},
		{"U16Keeps16Bits", U16, 0xffff_fffe, 0xfffe, 0xfffe},
		{"LoffNative", Loff, 0xffff_ffff_ffff_fff0, 0xffff_ffff_ffff_fff0, 0xffff_fff0},
		{"U64Native", U64, 0x1234_5678_9abc_def0, 0x1234_5678_9abc_def0, 0x9abc_def0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := args(tt.kind)
			regs := [MaxArgs]uint64{tt.reg}
			var out [MaxArgs]uint64
			require.Equal(t, 1, s.convert(false, &regs, &out))
			require.Equal(t, tt.wantNative, out[0], "x86_64")
			out = [MaxArgs]uint64{}
			require.Equal(t, 1, s.convert(true, &regs, &out))
			require.Equal(t, tt.wantCompat, out[0], "i386")
		})
	}
}

func TestRegisterPairsAreJoined(t *testing.T) {
	tests := []struct {
		name string
		sig  Sig
		regs [MaxArgs]uint64
		want []uint64
	}{
		{"LoThenHi", args(Lo, Hi), [MaxArgs]uint64{0x89ab_cdef, 0x0123_4567}, []uint64{0x0123_4567_89ab_cdef}},
		{"HiThenLo", args(Hi, Lo), [MaxArgs]uint64{0x0123_4567, 0x89ab_cdef}, []uint64{0x0123_4567_89ab_cdef}},
		{"HalvesLoseHighGarbage", args(Lo, Hi), [MaxArgs]uint64{0xffff_0000_0000_0001, 0xffff_0000_0000_0002}, []uint64{0x2_0000_0001}},
		{"TwoPairsShiftLaterArgs", args(Fd, Lo, Hi, Lo, Hi, Int), [MaxArgs]uint64{4, 1, 2, 3, 4, 0xffff_ffff},
			[]uint64{4, 0x2_0000_0001, 0x4_0000_0003, 0xffff_ffff_ffff_ffff}},
		{"IgnoredIsDropped", args(Fd, Ptr, Ulong, Loff, Ignored, Int), [MaxArgs]uint64{1, 2, 3, 4, 0xdead, 6},
			[]uint64{1, 2, 3, 4, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out [MaxArgs]uint64
			n := tt.sig.convert(true, &tt.regs, &out)
			require.Equal(t, tt.want, out[:n])
			require.Equal(t, make([]uint64, MaxArgs-n), out[n:], "unused slots stay zero")
		})
	}
}

// End to end through the real i386 rows: the pread64 position in esi/edi,
// _llseek's offset high-first in ecx/edx, fadvise64_64's two pairs.
func TestI386RowsJoinSplitOffsets(t *testing.T) {
	r := &recorder{}
	d := newDispatcher(t, false, Handlers[Context]{
		"sys_pread64": r.handle, "sys_llseek": r.handle, "sys_fadvise64_64": r.handle,
		"sys_fallocate": r.handle, "compat_sys_preadv2": r.handle, "sys_preadv2": r.handle,
	})
	const hi = 0xffff_ffff_0000_0000 // garbage a 64-bit caller of int $0x80 may leave
	tests := []struct {
		name string
		via  Entry
		rax  uint64
		regs [MaxArgs]uint64
		want []uint64
	}{
		{"Pread64PosInEsiEdi", EntryInt80, 180,
			[MaxArgs]uint64{hi | 3, hi | 0x804_c000, hi | 4096, hi | 0x2000, hi | 0x1},
			[]uint64{3, 0x804_c000, 4096, 0x1_0000_2000}},
		{"LlseekHighFirst", EntryInt80, 140,
			[MaxArgs]uint64{3, 0x1, 0x8000_0000, 0xbfff_f000, 2},
			[]uint64{3, 0x1_8000_0000, 0xbfff_f000, 2}},
		{"Fadvise64_64TwoPairs", EntryInt80, 272,
			[MaxArgs]uint64{5, 0x1000, 0x0, 0xffff_ffff, 0x7fff_ffff, 4},
			[]uint64{5, 0x1000, 0x7fff_ffff_ffff_ffff, 4}},
		{"FallocateModeThenPairs", EntryInt80, 324,
			[MaxArgs]uint64{5, 1, 0x10, 0x0, 0x20, 0x0},
			[]uint64{5, 1, 0x10, 0x20}},
		{"Preadv2I386PairThenFlags", EntryInt80, 378,
			[MaxArgs]uint64{3, 0x1000, 2, 0x5, 0x1, 0x8},
			[]uint64{3, 0x1000, 2, 0x1_0000_0005, 8}},
		{"Preadv2NativeDropsPosH", EntrySyscall, 327,
			[MaxArgs]uint64{3, 0x7ffd_0000_1000, 2, 0x1_0000_0005, 0xdead, 8},
			[]uint64{3, 0x7ffd_0000_1000, 2, 0x1_0000_0005, 8}},
		{"Pread64NativeOneRegister", EntrySyscall, 17,
			[MaxArgs]uint64{3, 0x7ffd_0000_1000, 8, 0x1_0000_2000},
			[]uint64{3, 0x7ffd_0000_1000, 8, 0x1_0000_2000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dispatchRegs(d, &task{1}, tt.via, tt.rax, &tt.regs)
			require.Equal(t, tt.want, r.last.V[:r.last.N])
		})
	}
	require.Equal(t, int64(0x1_0000_2000), func() int64 {
		dispatchRegs(d, &task{1}, EntryInt80, 180, &[MaxArgs]uint64{3, 0, 1, 0x2000, 1})
		return r.last.Loff(3)
	}())
}

// End to end through real rows: close(0x1_0000_0003) closes fd 3 (§1.1 ✓),
// a read buffer at 0xffffffff stays a valid-looking pointer on i386, and
// i386 lseek's compat_off_t offset is sign-extended.
func TestRealRowsConvertByDeclaredKind(t *testing.T) {
	r := &recorder{}
	d := newDispatcher(t, false, Handlers[Context]{
		"sys_close": r.handle, "sys_read": r.handle, "compat_sys_lseek": r.handle,
		"sys_lseek": r.handle, "sys_mkdir": r.handle, "sys_mmap_pgoff": r.handle,
	})
	tests := []struct {
		name string
		via  Entry
		rax  uint64
		regs [MaxArgs]uint64
		want []uint64
	}{
		{"CloseDropsHighHalfOfFd", EntrySyscall, 3, [MaxArgs]uint64{0x1_0000_0003}, []uint64{3}},
		{"I386ReadPointerAndCountZeroExtended", EntryInt80, 3,
			[MaxArgs]uint64{0xffff_ffff_0000_0000, 0xffff_ffff, 0xffff_ffff}, []uint64{0, 0xffff_ffff, 0xffff_ffff}},
		{"I386LseekOffsetSignExtended", EntryInt80, 19,
			[MaxArgs]uint64{3, 0xffff_fff6, 1}, []uint64{3, 0xffff_ffff_ffff_fff6, 1}},
		{"NativeLseekOffsetIsWholeRegister", EntrySyscall, 8,
			[MaxArgs]uint64{3, 0x1_0000_0000, 0}, []uint64{3, 0x1_0000_0000, 0}},
		{"MkdirModeIsUmodeT", EntrySyscall, 83, [MaxArgs]uint64{0x1000, 0x1_01ed}, []uint64{0x1000, 0o755}},
		{"Mmap2AllUnsignedLong", EntryInt80, 192,
			[MaxArgs]uint64{0, 4096, 3, 0x22, 0xffff_ffff, 0xffff_ffff},
			[]uint64{0, 4096, 3, 0x22, 0xffff_ffff_ffff_ffff, 0xffff_ffff}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dispatchRegs(d, &task{1}, tt.via, tt.rax, &tt.regs)
			require.Equal(t, tt.want, r.last.V[:r.last.N])
		})
	}
}

func TestMalformedSigsAreRejected(t *testing.T) {
	tests := []struct {
		name string
		sig  Sig
	}{
		{"SevenRegisters", args(Int, Int, Int, Int, Int, Int, Int)},
		{"LoAtEnd", args(Fd, Lo)},
		{"HiWithoutLo", args(Hi, Int)},
		{"LoThenLo", args(Lo, Lo)},
		{"UnknownKind", args(Kind(200))},
		{"ZeroKind", args(Kind(0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NotEmpty(t, tt.sig.validate())
		})
	}
	require.Empty(t, args().validate())
	require.Equal(t, "Kind(200)", Kind(200).String())
	require.Equal(t, "Lo", Lo.String())
	require.Equal(t, []Kind{Fd, Ptr, Size}, args(Fd, Ptr, Size).Kinds())
}

// args builds a Sig of any length: more than MaxArgs kinds marks it
// malformed, which validate must report.
func args(kinds ...Kind) Sig {
	var s Sig
	s.n = uint8(copy(s.kinds[:], kinds))
	if len(kinds) > MaxArgs {
		s.n = MaxArgs + 1
	}
	return s
}
