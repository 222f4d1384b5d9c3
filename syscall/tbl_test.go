package syscall

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// tblRow is one line of a Linux .tbl file:
// <number> <abi> <name> [<entry point> [<compat entry point> [noreturn]]].
type tblRow struct {
	nr       int
	abi      string
	name     string
	entry    string
	compat   string
	noreturn bool
}

func readTbl(t *testing.T, path string) []tblRow {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var rows []tblRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		require.GreaterOrEqual(t, len(fields), 3, "line %q", sc.Text())
		nr, err := strconv.Atoi(fields[0])
		require.NoError(t, err)
		r := tblRow{nr: nr, abi: fields[1], name: fields[2]}
		if len(fields) > 3 {
			r.entry = fields[3]
		}
		if len(fields) > 4 && fields[4] != "-" {
			r.compat = fields[4]
		}
		r.noreturn = len(fields) > 5 && fields[5] == "noreturn"
		rows = append(rows, r)
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, rows)
	return rows
}

// ia32Wrappers are the i386 rows where Linux's x86_64 kernel names a
// sys_ia32_* wrapper whose only job is to join a 64-bit value from two
// registers; our table joins the pair with Lo/Hi kinds and names the
// handler a native i386 kernel uses (table_i386.go's comments).
var ia32Wrappers = map[string]string{
	"sys_ia32_pread64":         "sys_pread64",
	"sys_ia32_pwrite64":        "sys_pwrite64",
	"sys_ia32_truncate64":      "sys_truncate64",
	"sys_ia32_ftruncate64":     "sys_ftruncate64",
	"sys_ia32_readahead":       "sys_readahead",
	"sys_ia32_fadvise64":       "sys_fadvise64",
	"sys_ia32_fadvise64_64":    "sys_fadvise64_64",
	"sys_ia32_sync_file_range": "sys_sync_file_range",
	"sys_ia32_fallocate":       "sys_fallocate",
}

// checkTable compares a table with the .tbl rows it must hold, in both
// directions: every row present with Linux's name, entry point and
// noreturn mark, and nothing in the table that Linux does not have.
func checkTable(t *testing.T, a ABI, want []tblRow, funcOf func(tblRow) string) {
	t.Helper()
	tbl := Table(a)
	maxNr := 0
	seen := map[int]bool{}
	for _, r := range want {
		maxNr = max(maxNr, r.nr)
		seen[r.nr] = true
		require.Less(t, r.nr, len(tbl), "%s: Linux row %d %s missing", a, r.nr, r.name)
		got := tbl[r.nr]
		require.Equal(t, r.name, got.Name, "%s row %d name", a, r.nr)
		require.Equal(t, funcOf(r), got.Func, "%s row %d (%s) entry point", a, r.nr, r.name)
		require.Equal(t, r.noreturn, got.Args.NoReturn(), "%s row %d (%s) noreturn", a, r.nr, r.name)
	}
	require.Equal(t, maxNr+1, len(tbl), "%s table size must be Linux's NR_syscalls", a)
	for nr, sc := range tbl {
		if !seen[nr] {
			require.Equal(t, Syscall{}, sc, "%s row %d is not in Linux's table", a, nr)
		}
	}
}

func TestAMD64TableMatchesLinuxSyscall64Tbl(t *testing.T) {
	var want []tblRow
	for _, r := range readTbl(t, "testdata/syscall_64.tbl") {
		if r.abi == "common" || r.abi == "64" {
			want = append(want, r)
		} else {
			require.Equal(t, "x32", r.abi)
		}
	}
	checkTable(t, AMD64, want, func(r tblRow) string { return r.entry })
	require.Equal(t, 463, NRSyscalls(AMD64))
}

func TestX32TableMatchesLinuxSyscall64TblCommonAndX32Rows(t *testing.T) {
	var want []tblRow
	x32Only := 0
	for _, r := range readTbl(t, "testdata/syscall_64.tbl") {
		if r.abi == "common" || r.abi == "x32" {
			want = append(want, r)
		}
		if r.abi == "x32" {
			require.True(t, r.nr >= 512 && r.nr <= 547, "x32 row %d", r.nr)
			x32Only++
		}
	}
	require.Equal(t, 36, x32Only, "rows 512-547")
	checkTable(t, X32, want, func(r tblRow) string { return r.entry })
	require.Equal(t, 548, NRSyscalls(X32))
}

func TestI386TableMatchesLinuxSyscall32Tbl(t *testing.T) {
	rows := readTbl(t, "testdata/syscall_32.tbl")
	used := map[string]bool{}
	checkTable(t, I386, rows, func(r tblRow) string {
		require.Equal(t, "i386", r.abi)
		// Under CONFIG_IA32_EMULATION the compat column wins.
		e := r.entry
		if r.compat != "" {
			e = r.compat
		}
		if sub, ok := ia32Wrappers[e]; ok {
			used[e] = true
			return sub
		}
		return e
	})
	require.Len(t, used, len(ia32Wrappers), "every documented substitution is a real row")
	require.Equal(t, 463, NRSyscalls(I386))
}

func TestTablesAreWellFormed(t *testing.T) {
	for a := ABI(0); a < numABIs; a++ {
		for nr, sc := range tableOf(a) {
			require.Empty(t, sc.Args.validate(), "%s row %d %s", a, nr, sc.Name)
			if sc.Name == "" || sc.Func == "" {
				require.Equal(t, Sig{}, sc.Args, "%s row %d: no handler, no arguments", a, nr)
			}
			for _, k := range sc.Args.Kinds() {
				if a == I386 {
					// A 64-bit kind in an i386 row would silently lose its
					// upper half; Linux splits such values into pairs.
					require.NotContains(t, []Kind{Loff, U64, Ignored}, k, "%s row %d %s", a, nr, sc.Name)
				} else {
					require.NotContains(t, []Kind{Lo, Hi}, k, "%s row %d %s", a, nr, sc.Name)
				}
			}
		}
	}
}

// The numbers the §1.5 table of LINUX-SEMANTICS.md lists for the calls
// Ringo needs first: a second, independent check of the lookup helpers.
func TestNumbersOfStartupCallsMatchLinuxSemantics(t *testing.T) {
	tests := []struct {
		name        string
		amd64, i386 int
	}{
		{"read", 0, 3}, {"write", 1, 4}, {"open", 2, 5}, {"close", 3, 6},
		{"openat", 257, 295}, {"statx", 332, 383}, {"getpid", 39, 20},
		{"brk", 12, 45}, {"pread64", 17, 180}, {"ioctl", 16, 54},
		{"exit_group", 231, 252}, {"set_tid_address", 218, 258},
		{"set_robust_list", 273, 311}, {"rseq", 334, 386},
		{"prlimit64", 302, 340}, {"getrandom", 318, 355},
		{"restart_syscall", 219, 0}, {"arch_prctl", 158, 384},
		{"close_range", 436, 436}, {"faccessat2", 439, 439},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nr, ok := Number(AMD64, tt.name)
			require.True(t, ok)
			require.Equal(t, tt.amd64, nr)
			nr, ok = Number(I386, tt.name)
			require.True(t, ok)
			require.Equal(t, tt.i386, nr)
		})
	}
	for _, c := range []struct {
		a    ABI
		name string
		nr   int
	}{
		{I386, "_llseek", 140}, {I386, "mmap2", 192}, {I386, "fstatat64", 300},
		{I386, "set_thread_area", 243}, {I386, "socketcall", 102},
		{I386, "ugetrlimit", 191}, {I386, "clock_gettime64", 403},
		{AMD64, "newfstatat", 262}, {AMD64, "set_thread_area", 205},
		{X32, "rt_sigaction", 512}, {X32, "pwritev2", 547},
	} {
		nr, ok := Number(c.a, c.name)
		require.True(t, ok, "%s %s", c.a, c.name)
		require.Equal(t, c.nr, nr, "%s %s", c.a, c.name)
	}
	_, ok := Number(AMD64, "_llseek")
	require.False(t, ok, "x86_64 has no _llseek")
	_, ok = Number(X32, "ioctl")
	require.True(t, ok, "x32 has ioctl at 514")
	_, ok = Lookup(X32, 16)
	require.False(t, ok, "x32 has no row 16: ioctl is a \"64\" row")
	sc, ok := Lookup(AMD64, 134)
	require.True(t, ok)
	require.Equal(t, Syscall{Name: "uselib"}, sc, "uselib is reserved without an entry point")
	for _, nr := range []int{-1, 336, 423, 463, 512, 1 << 30} {
		_, ok = Lookup(AMD64, nr)
		require.False(t, ok, "x86_64 row %d", nr)
	}
}
