package bench

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseRealLinuxConsoleGivesTwoFinishedRuns(t *testing.T) {
	f, err := os.Open("testdata/linux-6.1-console.txt")
	require.NoError(t, err)
	defer f.Close()
	runs, err := Parse(f)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	require.Equal(t, ABI64, runs[0].ABI)
	require.Equal(t, ABI32, runs[1].ABI)
	for _, r := range runs {
		require.True(t, r.Done, r.ABI)
		require.Equal(t, "6.1.0-56-amd64", r.Info["release"])
		m, ok := r.Lookup("getpid")
		require.True(t, ok)
		require.Equal(t, OK, m.Status)
		require.Greater(t, m.NS, 0.0)
		na, ok := r.Lookup("lkmc_mmap_fault")
		require.True(t, ok)
		require.Equal(t, NA, na.Status)
		require.Equal(t, "no-/proc/lkmc_mmap", na.Reason)
	}
	_, ok := runs[0].Lookup(BootToMain)
	require.True(t, ok, "/init reports boot_to_main")
	_, ok = runs[1].Lookup(BootToMain)
	require.False(t, ok, "the chained program does not")
}

func TestParseMeasurementFields(t *testing.T) {
	runs, err := Parse(strings.NewReader(strings.Join([]string{
		"BENCH start abi=x86_64 chained=0",
		"BENCH getpid ns=342.4 cycles=888.9 iters=65536 rounds=5",
		"BENCH eventfd_close error=ENOSYS op=eventfd2",
		"BENCH fdtest_ioctl_create n/a reason=no-/dev/fd_test",
		"BENCH done",
	}, "\n")))
	require.NoError(t, err)
	require.Equal(t, []Measurement{
		{Name: "getpid", Status: OK, NS: 342.4, Cycles: 888.9, Iters: 65536, Rounds: 5},
		{Name: "eventfd_close", Status: Failed, Reason: "ENOSYS op=eventfd2"},
		{Name: "fdtest_ioctl_create", Status: NA, Reason: "no-/dev/fd_test"},
	}, runs[0].Measurements)
}

func TestParseIgnoresKernelMessagesAndCarriageReturns(t *testing.T) {
	runs, err := Parse(strings.NewReader(
		"SeaBIOS (version 1.16)\r\n[    0.000000] Linux version 6.1\r\n" +
			"BENCH start abi=x86_64 chained=0\r\n[    1.2] random: crng init done\r\n" +
			"BENCH getpid ns=1.5\r\nBENCH done\r\n[    5.4] reboot: Power down\r\n"))
	require.NoError(t, err)
	require.Len(t, runs, 1)
	require.True(t, runs[0].Done)
	require.Len(t, runs[0].Measurements, 1)
}

func TestParseRunWithoutDoneIsNotDone(t *testing.T) {
	runs, err := Parse(strings.NewReader("BENCH start abi=x86_64\nBENCH getpid ns=1\n"))
	require.NoError(t, err)
	require.Len(t, runs, 1)
	require.False(t, runs[0].Done)
	require.ErrorIs(t, checkRuns(runs, []string{ABI64}), ErrNotDone)
}

func TestParseMalformedBenchLinesAreErrors(t *testing.T) {
	start := "BENCH start abi=x86_64\n"
	cases := []struct{ name, input string }{
		{"empty", "BENCH \n"},
		{"before start", "BENCH getpid ns=1\n"},
		{"start without abi", "BENCH start chained=0\n"},
		{"abi started twice", start + "BENCH done\n" + start},
		{"no number", start + "BENCH getpid cycles=3\n"},
		{"ns not a number", start + "BENCH getpid ns=fast\n"},
		{"ns negative", start + "BENCH getpid ns=-1\n"},
		{"ns NaN", start + "BENCH getpid ns=NaN\n"},
		{"ns infinite", start + "BENCH getpid ns=+Inf\n"},
		{"cycles junk", start + "BENCH getpid ns=1 cycles=x\n"},
		{"iters zero", start + "BENCH getpid ns=1 iters=0\n"},
		{"rounds huge", start + "BENCH getpid ns=1 rounds=99999999999999999999\n"},
		{"not key=value", start + "BENCH getpid ns=1 junk\n"},
		{"empty key", start + "BENCH getpid =1\n"},
		{"key twice", start + "BENCH getpid ns=1 ns=2\n"},
		{"name with slash", start + "BENCH get/pid ns=1\n"},
		{"name upper case", start + "BENCH GETPID ns=1\n"},
		{"name reserved", start + "BENCH qemu_to_main ns=1\n"},
		{"name reserved for the host", start + "BENCH qemu_to_user ns=1\n"},
		{"reported twice", start + "BENCH getpid ns=1\nBENCH getpid ns=2\n"},
		{"done twice", start + "BENCH done\nBENCH done\n"},
		{"result after done", start + "BENCH done\nBENCH getpid ns=1\n"},
		{"bad info", start + "BENCH info pid\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.input))
			require.Error(t, err)
		})
	}
}

func TestCollectorTimesFirstEntryAndStartLinesFromQEMUStart(t *testing.T) {
	t0 := time.Unix(1000, 0)
	c := NewCollector(t0)
	require.NoError(t, c.Line("[ 0.1] booting", t0.Add(time.Second)))
	require.NoError(t, c.Line("BENCH entry", t0.Add(2*time.Second)))
	require.NoError(t, c.Line("BENCH start abi=x86_64", t0.Add(3*time.Second)))
	require.NoError(t, c.Line("BENCH done", t0.Add(4*time.Second)))
	require.NoError(t, c.Line("BENCH entry", t0.Add(5*time.Second))) // the chained program's
	require.NoError(t, c.Line("BENCH start abi=i386 chained=1", t0.Add(6*time.Second)))
	runs := c.Runs()
	require.Len(t, runs, 2)
	m, ok := runs[0].Lookup(QEMUToUser)
	require.True(t, ok)
	require.Equal(t, float64(2*time.Second), m.NS)
	m, ok = runs[0].Lookup(QEMUToMain)
	require.True(t, ok)
	require.Equal(t, float64(3*time.Second), m.NS)
	for _, name := range []string{QEMUToUser, QEMUToMain} {
		_, ok = runs[1].Lookup(name)
		require.False(t, ok, name)
	}

	// A console without the entry line (an older bench program) has no
	// qemu_to_user; Parse, with no host clock, times nothing.
	c = NewCollector(t0)
	require.NoError(t, c.Line("BENCH start abi=x86_64", t0.Add(3*time.Second)))
	_, ok = c.Runs()[0].Lookup(QEMUToUser)
	require.False(t, ok)
	runs, err := Parse(strings.NewReader("BENCH entry\nBENCH start abi=x86_64\nBENCH done\n"))
	require.NoError(t, err)
	require.Empty(t, runs[0].Measurements)
}

func BenchmarkParseLinuxConsole(b *testing.B) {
	data, err := os.ReadFile("testdata/linux-6.1-console.txt")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(strings.NewReader(string(data))); err != nil {
			b.Fatal(err)
		}
	}
}
