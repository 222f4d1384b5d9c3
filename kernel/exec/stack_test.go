package exec

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

// parsedStack is the initial stack read back the way a libc's _start does.
type parsedStack struct {
	argc       uint64
	argv, envp []string
	argvPtrs   []uint64
	envpPtrs   []uint64
	auxv       []AuxEntry
	auxvEnd    uint64 // first byte after AT_NULL's pair
}

// parseStack walks s.Image from s.SP: argc, argv[], NULL, envp[], NULL, auxv.
func parseStack(t *testing.T, a ABI, s *Stack) parsedStack {
	t.Helper()
	ws := uint64(a.WordSize())
	word := func(addr uint64) uint64 {
		require.GreaterOrEqual(t, addr, s.SP)
		require.LessOrEqual(t, addr+ws, s.Top)
		b := s.Image[addr-s.SP:]
		if ws == 8 {
			return binary.LittleEndian.Uint64(b)
		}
		return uint64(binary.LittleEndian.Uint32(b))
	}
	cstr := func(addr uint64) string {
		require.GreaterOrEqual(t, addr, s.SP)
		require.Less(t, addr, s.Top)
		b := s.Image[addr-s.SP:]
		n := bytes.IndexByte(b, 0)
		require.GreaterOrEqual(t, n, 0, "string at %#x not terminated", addr)
		return string(b[:n])
	}
	var p parsedStack
	at := s.SP
	p.argc = word(at)
	at += ws
	for {
		v := word(at)
		at += ws
		if v == 0 {
			break
		}
		p.argvPtrs = append(p.argvPtrs, v)
		p.argv = append(p.argv, cstr(v))
	}
	for {
		v := word(at)
		at += ws
		if v == 0 {
			break
		}
		p.envpPtrs = append(p.envpPtrs, v)
		p.envp = append(p.envp, cstr(v))
	}
	for {
		typ, val := word(at), word(at+ws)
		at += 2 * ws
		p.auxv = append(p.auxv, AuxEntry{AuxType(typ), val})
		if typ == 0 {
			break
		}
	}
	p.auxvEnd = at
	return p
}

func auxVal(t *testing.T, v []AuxEntry, typ AuxType) uint64 {
	t.Helper()
	for _, e := range v {
		if e.Type == typ {
			return e.Val
		}
	}
	t.Fatalf("%v missing from auxv", typ)
	return 0
}

func planFor(t testing.TB, a ABI) *Plan {
	img := mustLoad(t, buildELF(validSpec(a)), Options{IA32: true})
	pl, err := img.Plan(0)
	require.NoError(t, err)
	return pl
}

func stackParams(t testing.TB, a ABI, argv, envp []string) StackParams {
	args, err := CopyStrings("/bin/prog", argv, envp, 8<<20)
	require.NoError(t, err)
	return StackParams{
		Args: args, Plan: planFor(t, a), Cred: Cred{UID: 0, EUID: 0, GID: 0, EGID: 0},
		HWCap: 0x178bfbff, HWCap2: 2, MinSigStkSz: 0xd30, RlimitStack: 8 << 20,
		Rand: bytes.NewReader(bytes.Repeat([]byte{0xA5}, 64)),
	}
}

func TestStackLayoutWordByWord(t *testing.T) {
	argv := []string{"prog", "-v", "hello world"}
	envp := []string{"HOME=/", "PATH=/bin:/usr/bin"}
	for _, a := range []ABI{ABI64, ABIIA32} {
		t.Run(a.String(), func(t *testing.T) {
			sp := stackParams(t, a, argv, envp)
			randBytes := []byte("0123456789abcdef")
			sp.Rand = bytes.NewReader(randBytes)
			st, err := BuildStack(sp)
			require.NoError(t, err)
			ws := uint64(a.WordSize())

			require.Equal(t, a.StackTop(), st.Top, "no randomization")
			require.Zero(t, st.SP%16, "sp %% 16 == 0 at entry")
			require.Equal(t, uint64(len(st.Image)), st.Top-st.SP)

			p := parseStack(t, a, st)
			require.Equal(t, uint64(3), p.argc)
			require.Equal(t, argv, p.argv)
			require.Equal(t, envp, p.envp)

			// auxv, in create_elf_tables' order, with Linux's values.
			pl := sp.Plan
			want := []AuxEntry{
				{AT_MINSIGSTKSZ, 0xd30}, {AT_HWCAP, 0x178bfbff}, {AT_PAGESZ, 4096}, {AT_CLKTCK, 100},
				{AT_PHDR, pl.Phdr}, {AT_PHENT, uint64(a.PhEnt())}, {AT_PHNUM, 4}, {AT_BASE, 0},
				{AT_FLAGS, 0}, {AT_ENTRY, pl.Entry}, {AT_UID, 0}, {AT_EUID, 0}, {AT_GID, 0}, {AT_EGID, 0},
				{AT_SECURE, 0}, {AT_RANDOM, st.Random}, {AT_HWCAP2, 2}, {AT_EXECFN, st.ExecFn},
				{AT_PLATFORM, st.Platform}, {AT_NULL, 0},
			}
			require.Equal(t, want, p.auxv)
			require.Equal(t, want, st.Auxv, "saved_auxv")

			// Strings: argv[0] lowest, then the rest of argv, envp,
			// the filename, then 8 zero bytes at the very top.
			cursor := st.ArgStart
			for i, s := range append(append([]string{}, argv...), envp...) {
				if i < len(argv) {
					require.Equal(t, cursor, p.argvPtrs[i])
				} else {
					require.Equal(t, cursor, p.envpPtrs[i-len(argv)])
				}
				cursor += uint64(len(s)) + 1
			}
			require.Equal(t, st.EnvEnd, cursor)
			require.Equal(t, st.ArgEnd, p.envpPtrs[0])
			require.Equal(t, cursor, st.ExecFn)
			require.Equal(t, "/bin/prog\x00", string(st.Image[st.ExecFn-st.SP:st.Top-8-st.SP]))
			require.Equal(t, make([]byte, 8), st.Image[len(st.Image)-8:])

			// Platform string, then AT_RANDOM's 16 bytes right below it.
			require.Equal(t, a.Platform()+"\x00", string(st.Image[st.Platform-st.SP:][:len(a.Platform())+1]))
			require.Equal(t, st.Platform-16, st.Random)
			require.Equal(t, randBytes, st.Image[st.Random-st.SP:][:16])
			require.LessOrEqual(t, p.auxvEnd, st.Random)
			require.Less(t, st.Random-p.auxvEnd, uint64(16), "only alignment padding between auxv and AT_RANDOM")
			require.Equal(t, st.ArgStart&^15, st.Platform+uint64(len(a.Platform())+1), "no gap without randomization")

			require.Equal(t, st.SP, p.auxvEnd-ws*uint64(2*len(p.auxv)+len(argv)+len(envp)+3), "the tables start at sp")

			regs := StartThread(pl, st)
			require.Equal(t, pl.Entry, regs.RIP)
			require.Equal(t, st.SP, regs.RSP)
			require.Zero(t, regs.RDX, "rdx = 0: no rtld_fini")
			require.Equal(t, uint64(0x202), regs.RFLAGS)
			require.Equal(t, uint16(0x2b), regs.SS)
			require.Zero(t, regs.FS)
			require.Zero(t, regs.GS)
			if a == ABI64 {
				require.Equal(t, uint16(0x33), regs.CS)
				require.Zero(t, regs.DS)
			} else {
				require.Equal(t, uint16(0x23), regs.CS)
				require.Equal(t, uint16(0x2b), regs.DS)
				require.Equal(t, uint16(0x2b), regs.ES)
			}

			// The VMA covers the strings plus setup_arg_pages' 128 KiB.
			require.Equal(t, st.Top-PageSize-128<<10, st.VMAStart)
			require.False(t, st.Exec)
		})
	}
}

func TestAuxvOptionalEntries(t *testing.T) {
	cases := []struct {
		name  string
		abi   ABI
		vdso  bool
		rseq  bool
		first []AuxType
		last  []AuxType
	}{
		{"X8664VDSOComesFirst", ABI64, true, false, []AuxType{AT_SYSINFO_EHDR, AT_MINSIGSTKSZ}, []AuxType{AT_PLATFORM, AT_NULL}},
		{"IA32VDSOHasSysinfoThenEhdr", ABIIA32, true, false, []AuxType{AT_SYSINFO, AT_SYSINFO_EHDR, AT_MINSIGSTKSZ}, []AuxType{AT_PLATFORM, AT_NULL}},
		{"RseqEntriesBeforeNull", ABI64, false, true, []AuxType{AT_MINSIGSTKSZ}, []AuxType{AT_PLATFORM, AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN, AT_NULL}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sp := stackParams(t, c.abi, []string{"p"}, nil)
			if c.vdso {
				sp.VDSOBase, sp.VDSOEntry = 0x7fff0000, 0x7fff0420
			}
			sp.Rseq = c.rseq
			st, err := BuildStack(sp)
			require.NoError(t, err)
			p := parseStack(t, c.abi, st)
			types := make([]AuxType, len(p.auxv))
			for i, e := range p.auxv {
				types[i] = e.Type
			}
			require.Equal(t, c.first, types[:len(c.first)])
			require.Equal(t, c.last, types[len(types)-len(c.last):])
			if c.rseq {
				require.Equal(t, uint64(28), auxVal(t, p.auxv, AT_RSEQ_FEATURE_SIZE))
				require.Equal(t, uint64(32), auxVal(t, p.auxv, AT_RSEQ_ALIGN))
			}
			if c.vdso {
				require.Equal(t, uint64(0x7fff0000), auxVal(t, p.auxv, AT_SYSINFO_EHDR))
			}
		})
	}
}

func TestEmptyArgvBecomesOneEmptyString(t *testing.T) {
	sp := stackParams(t, ABI64, nil, []string{"A=1"})
	st, err := BuildStack(sp)
	require.NoError(t, err)
	p := parseStack(t, ABI64, st)
	require.Equal(t, uint64(1), p.argc)
	require.Equal(t, []string{""}, p.argv)
	require.Equal(t, []string{"A=1"}, p.envp)
}

func TestCredentialsAndSecureReachTheAuxv(t *testing.T) {
	sp := stackParams(t, ABIIA32, []string{"p"}, nil)
	sp.Cred = Cred{UID: 1000, EUID: 0, GID: 100, EGID: 5}
	sp.Secure = true
	st, err := BuildStack(sp)
	require.NoError(t, err)
	p := parseStack(t, ABIIA32, st)
	require.Equal(t, uint64(1000), auxVal(t, p.auxv, AT_UID))
	require.Equal(t, uint64(0), auxVal(t, p.auxv, AT_EUID))
	require.Equal(t, uint64(100), auxVal(t, p.auxv, AT_GID))
	require.Equal(t, uint64(5), auxVal(t, p.auxv, AT_EGID))
	require.Equal(t, uint64(1), auxVal(t, p.auxv, AT_SECURE))
}

func TestRandomizedStackIsReproducibleAndInLinuxRange(t *testing.T) {
	for _, c := range []struct {
		abi ABI
		rnd uint64 // how far randomize_stack_top may go
	}{{ABI64, 0x3fffff * PageSize}, {ABIIA32, 0x7ff * PageSize}} {
		t.Run(c.abi.String(), func(t *testing.T) {
			seeds := rand.New(rand.NewPCG(1, 2))
			for range 200 {
				seed := seeds.Uint64()
				build := func() *Stack {
					sp := stackParams(t, c.abi, []string{"prog", "x"}, []string{"E=1"})
					sp.RandomizeVASpace = 2
					sp.Rand = rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), byte(seed >> 16)})
					st, err := BuildStack(sp)
					require.NoError(t, err)
					return st
				}
				a, b := build(), build()
				require.Equal(t, a, b, "same random stream, same stack")
				require.Zero(t, a.SP%16)
				require.Zero(t, a.Top%PageSize)
				require.LessOrEqual(t, a.Top, c.abi.StackTop())
				require.GreaterOrEqual(t, a.Top, c.abi.StackTop()-c.rnd-PageSize)
				// The create_elf_tables gap is below 8192 bytes.
				require.Less(t, a.ArgStart-(a.Platform+uint64(len(c.abi.Platform())+1)), uint64(8192+16))
				parseStack(t, c.abi, a)
			}
		})
	}
}

func TestBuildStackReportsMissingInputsAndRandomFailure(t *testing.T) {
	sp := stackParams(t, ABI64, []string{"p"}, nil)
	sp.Rand = nil
	_, err := BuildStack(sp)
	require.ErrorIs(t, err, abi.EINVAL)

	sp = stackParams(t, ABI64, []string{"p"}, nil)
	sp.Rand = bytes.NewReader(make([]byte, 15)) // one byte short of AT_RANDOM
	_, err = BuildStack(sp)
	require.Error(t, err)
}

func TestTablesPastRlimitStackIsEFAULT(t *testing.T) {
	// RLIMIT_STACK of one page: the strings fit the ArgMax floor but the
	// stack cannot grow to hold them and the tables.
	argv := []string{strings.Repeat("a", 8088)} // strings end 100 bytes above a page boundary
	args, err := CopyStrings("/p", argv, nil, PageSize)
	require.NoError(t, err)
	sp := stackParams(t, ABI64, argv, nil)
	sp.Args, sp.RlimitStack = args, PageSize
	_, err = BuildStack(sp)
	requireExecErr(t, err, abi.EFAULT, true, "RLIMIT_STACK")
}

func TestCopyStringsE2BIGBoundaries(t *testing.T) {
	const rlim8M = 8 << 20                                                 // limit = min(6 MiB, 2 MiB) = 2 MiB
	fill := func(total int) string { return strings.Repeat("x", total-1) } // total bytes with NUL
	// One argv string and the filename "/p" (3 bytes): pointers take
	// (1+0)*8 bytes. The string may be at most MaxArgStrlen, so several
	// strings make up the total.
	build := func(total int) []string {
		var argv []string
		for total > 0 {
			n := min(total, MaxArgStrlen)
			argv = append(argv, fill(n))
			total -= n
		}
		return argv
	}
	budget := func(limit, nptr int) int { return limit - nptr*8 - 3 }
	cases := []struct {
		name  string
		argv  []string
		envp  []string
		rlim  uint64
		errno abi.Errno
	}{
		{"LongestStringFits", []string{fill(MaxArgStrlen)}, nil, rlim8M, 0},
		{"StringOverMaxArgStrlenIsE2BIG", []string{fill(MaxArgStrlen + 1)}, nil, rlim8M, abi.E2BIG},
		{"EnvStringOverMaxArgStrlenIsE2BIG", []string{"p"}, []string{fill(MaxArgStrlen + 1)}, math.MaxUint64, abi.E2BIG},
		{"QuarterOfRlimitFits", build(budget(2<<20, 16)), nil, rlim8M, 0},
		{"OneByteOverQuarterOfRlimitIsE2BIG", build(budget(2<<20, 16) + 1), nil, rlim8M, abi.E2BIG},
		{"SmallRlimitStillAllowsArgMax", build(budget(ArgMax, 1)), nil, 64 << 10, 0},
		{"SmallRlimitOverArgMaxIsE2BIG", build(budget(ArgMax, 1) + 1), nil, 64 << 10, abi.E2BIG},
		{"InfiniteRlimitCapsAtSixMiB", build(budget(6<<20, 48)), nil, math.MaxUint64, 0},
		{"InfiniteRlimitOverSixMiBIsE2BIG", build(budget(6<<20, 48) + 1), nil, math.MaxUint64, abi.E2BIG},
		{"PointersAloneOverLimitIsE2BIG", make([]string, ArgMax/8), nil, 0, abi.E2BIG},
		{"NULInsideStringIsEINVAL", []string{"a\x00b"}, nil, rlim8M, abi.EINVAL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args, err := CopyStrings("/p", c.argv, c.envp, c.rlim)
			if c.errno == 0 {
				require.NoError(t, err)
				require.Len(t, args.Argv, len(c.argv))
				return
			}
			require.ErrorIs(t, err, c.errno)
			require.Nil(t, args)
		})
	}
}

func TestCopyStringsPointerCountsMatchTheBudgetUsed(t *testing.T) {
	// Sanity check of the budget helper above: 16 strings of 128 KiB take
	// exactly 16 pointers.
	total := 2<<20 - 16*8 - 3
	require.Equal(t, 16, (total+MaxArgStrlen-1)/MaxArgStrlen)
	total6 := 6<<20 - 48*8 - 3
	require.Equal(t, 48, (total6+MaxArgStrlen-1)/MaxArgStrlen)
}

func TestBuildStackRefusesArgsThatSkippedCopyStrings(t *testing.T) {
	sp := stackParams(t, ABI64, []string{"p"}, nil)
	sp.Args = &Args{Filename: "/p", Argv: []string{strings.Repeat("x", 1<<20)}}
	_, err := BuildStack(sp)
	require.ErrorIs(t, err, abi.EINVAL)
}
