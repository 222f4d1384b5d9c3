package bench

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// console builds a guest console for one boot: per ABI, its lines then
// "BENCH done" (unless done is false for that ABI).
func console(t *testing.T, abis map[string][]string, order []string, done map[string]bool) []Run {
	t.Helper()
	var b strings.Builder
	for _, abi := range order {
		fmt.Fprintf(&b, "BENCH start abi=%s\n", abi)
		for _, l := range abis[abi] {
			fmt.Fprintf(&b, "BENCH %s\n", l)
		}
		if done == nil || done[abi] {
			b.WriteString("BENCH done\n")
		}
	}
	runs, err := Parse(strings.NewReader(b.String()))
	require.NoError(t, err)
	return runs
}

// scripted returns a BootFunc that replays boots in order and counts calls.
func scripted(boots []func() ([]Run, error), calls *int) BootFunc {
	return func(string) ([]Run, error) {
		i := *calls
		*calls++
		return boots[i]()
	}
}

func TestCollectFailsSideWhoseRunHasNoDone(t *testing.T) {
	calls := 0
	runs := console(t, map[string][]string{ABI64: {"getpid ns=5"}}, []string{ABI64}, map[string]bool{})
	res := Collect(Side{Name: "Ringo", Boot: scripted([]func() ([]Run, error){
		func() ([]Run, error) { return runs, nil },
	}, &calls)}, "initrd", []string{ABI64}, 3, io.Discard)
	require.ErrorIs(t, res.Err, ErrNotDone)
	require.Contains(t, res.Err.Error(), "Ringo side failed (boot 1/3)")
	require.Empty(t, res.Boots, "no numbers from a run that did not finish")
	require.Equal(t, 1, calls, "stops at the first failed boot")
}

func TestCollectStopsAtFirstBootErrorAndDropsEarlierBoots(t *testing.T) {
	calls := 0
	good := console(t, map[string][]string{ABI64: {"getpid ns=5"}}, []string{ABI64}, nil)
	res := Collect(Side{Name: "Linux", Boot: scripted([]func() ([]Run, error){
		func() ([]Run, error) { return good, nil },
		func() ([]Run, error) { return nil, errors.New("timed out after 10m0s") },
		func() ([]Run, error) { return good, nil },
	}, &calls)}, "initrd", []string{ABI64}, 3, io.Discard)
	require.ErrorContains(t, res.Err, "Linux side failed (boot 2/3): timed out")
	require.Empty(t, res.Boots)
	require.Equal(t, 2, calls)
}

func TestCollectChecksTheABIsOfEveryBoot(t *testing.T) {
	both := []string{ABI64, ABI32}
	cases := []struct {
		name  string
		order []string
		want  string
	}{
		{"i386 never started", []string{ABI64}, "ABI i386 never started"},
		{"wrong order", []string{ABI32, ABI64}, "expected ABI x86_64, the guest ran i386"},
		{"nothing ran", nil, "ABI x86_64 never started"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			calls := 0
			runs := console(t, map[string][]string{}, c.order, nil)
			res := Collect(Side{Name: "Linux", Boot: scripted([]func() ([]Run, error){
				func() ([]Run, error) { return runs, nil },
			}, &calls)}, "initrd", both, 1, io.Discard)
			require.ErrorContains(t, res.Err, c.want)
		})
	}
	t.Run("extra ABI", func(t *testing.T) {
		calls := 0
		runs := console(t, map[string][]string{}, both, nil)
		res := Collect(Side{Name: "Linux", Boot: scripted([]func() ([]Run, error){
			func() ([]Run, error) { return runs, nil },
		}, &calls)}, "initrd", []string{ABI64}, 1, io.Discard)
		require.ErrorContains(t, res.Err, "unexpected extra ABI i386")
	})
}

func TestCollectRejectsZeroBootsAndNoABI(t *testing.T) {
	never := func(string) ([]Run, error) { panic("must not boot") }
	res := Collect(Side{Name: "Linux", Boot: never}, "initrd", []string{ABI64}, 0, io.Discard)
	require.Error(t, res.Err)
	res = Collect(Side{Name: "Linux", Boot: never}, "initrd", nil, 1, io.Discard)
	require.Error(t, res.Err)
}

// sideOf builds a finished SideResult from one console per boot (x86_64 only).
func sideOf(t *testing.T, name string, boots ...[]string) SideResult {
	t.Helper()
	calls := 0
	var script []func() ([]Run, error)
	for _, lines := range boots {
		runs := console(t, map[string][]string{ABI64: lines}, []string{ABI64}, nil)
		runs[0].Info["sysname"], runs[0].Info["release"] = name, "1.0"
		script = append(script, func() ([]Run, error) { return runs, nil })
	}
	res := Collect(Side{Name: name, Boot: scripted(script, &calls)}, "initrd", []string{ABI64}, len(boots), io.Discard)
	require.NoError(t, res.Err)
	return res
}

func TestBuildTableCellRules(t *testing.T) {
	s := sideOf(t, "Linux",
		[]string{"getpid ns=3", "boot_to_main ns=100", "boot_to_user ns=90", "fault ns=10", "dev n/a reason=no-dev", "flaky ns=1", "odd ns=2", "gone ns=1"},
		[]string{"boot_to_user ns=250", "boot_to_main ns=300", "getpid ns=1", "fault error=ENOMEM op=mmap", "dev n/a reason=no-dev", "flaky n/a reason=x", "odd ns=4"},
		[]string{"boot_to_user ns=150", "boot_to_main ns=200", "getpid ns=2", "fault ns=12", "dev n/a reason=no-dev", "flaky ns=1", "odd ns=6", "gone ns=1"},
	)
	tab, err := BuildTable([]string{ABI64}, s)
	require.NoError(t, err)
	cells := map[string]Cell{}
	var paths []string
	for _, r := range tab.Rows {
		paths = append(paths, r.Path)
		cells[r.Path] = r.Cells[0]
	}
	require.Equal(t, []string{"boot/boot_to_user", "boot/boot_to_main", "x86_64/getpid", "x86_64/fault",
		"x86_64/dev", "x86_64/flaky", "x86_64/odd", "x86_64/gone"}, paths)
	require.Equal(t, Cell{Status: OK, NS: Summary{N: 3, Median: 200, Min: 100, Max: 300}}, cells["boot/boot_to_main"])
	require.Equal(t, Cell{Status: OK, NS: Summary{N: 3, Median: 150, Min: 90, Max: 250}}, cells["boot/boot_to_user"],
		"a boot row whatever its place in the console")
	require.Equal(t, Summary{N: 3, Median: 2, Min: 1, Max: 3}, cells["x86_64/getpid"].NS)
	require.Equal(t, Cell{Status: Failed, Reason: "ENOMEM op=mmap"}, cells["x86_64/fault"])
	require.Equal(t, Cell{Status: NA, Reason: "no-dev"}, cells["x86_64/dev"])
	require.Equal(t, Cell{Status: Failed, Reason: "n/a in some boots only"}, cells["x86_64/flaky"])
	require.Equal(t, Summary{N: 3, Median: 4, Min: 2, Max: 6}, cells["x86_64/odd"].NS)
	require.Equal(t, Cell{Status: Failed, Reason: "not reported in boot 2"}, cells["x86_64/gone"])
}

func TestBuildTableFailedSideHasNoNumbersAndIsListed(t *testing.T) {
	linux := sideOf(t, "Linux", []string{"getpid ns=3"})
	ringo := SideResult{Name: "Ringo", Err: errors.New("Ringo side failed (boot 1/3): Ringo cannot run user programs yet")}
	tab, err := BuildTable([]string{ABI64}, ringo, linux)
	require.NoError(t, err)
	require.Equal(t, []string{ringo.Err.Error()}, tab.Failures)
	for _, r := range tab.Rows {
		require.Equal(t, Cell{Status: Failed, Reason: SideFailed}, r.Cells[0], r.Path)
		_, ok := tab.RatioOf(r)
		require.False(t, ok, "no ratio against a failed side")
	}
}

func TestBuildTableWithoutSidesIsAnError(t *testing.T) {
	_, err := BuildTable([]string{ABI64})
	require.Error(t, err)
}

// The sides take turns, so that a slow stretch of the host falls on both;
// a side that fails stops, the other finishes its boots.
func TestCollectInterleavedTakesTurnsAndIsolatesAFailedSide(t *testing.T) {
	var order []string
	good := console(t, map[string][]string{ABI64: {"getpid ns=5"}}, []string{ABI64}, nil)
	boot := func(name string, failAt int) BootFunc {
		n := 0
		return func(string) ([]Run, error) {
			n++
			order = append(order, fmt.Sprintf("%s%d", name, n))
			if n == failAt {
				return nil, errors.New("kernel panic")
			}
			return good, nil
		}
	}
	res := CollectInterleaved([]Side{{Name: "Ringo", Boot: boot("R", 0)}, {Name: "Linux", Boot: boot("L", 2)}},
		"initrd", []string{ABI64}, 3, io.Discard)
	require.Equal(t, []string{"R1", "L1", "R2", "L2", "R3"}, order)
	require.NoError(t, res[0].Err)
	require.Len(t, res[0].Boots, 3)
	require.ErrorContains(t, res[1].Err, "Linux side failed (boot 2/3): kernel panic")
	require.Empty(t, res[1].Boots, "no numbers from a side that failed once")

	res = CollectInterleaved([]Side{{Name: "Ringo", Boot: boot("R", 0)}}, "initrd", nil, 1, io.Discard)
	require.ErrorContains(t, res[0].Err, "no ABI")
}
