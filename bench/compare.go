package bench

// Several boots of each kernel become one table: a row per path (a
// benchmark under one ABI, or a boot-time measurement), a cell per kernel
// holding the median and spread of that path's numbers over the boots.

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// BootFunc boots a kernel once with the initramfs file initrd and returns
// what the guest printed, parsed (Collector.Runs). A kernel that does not
// boot, crashes or times out returns an error.
type BootFunc func(initrd string) ([]Run, error)

// Side is one kernel of the comparison.
type Side struct {
	Name string // column title: "Ringo", "Linux"
	Boot BootFunc
}

// SideResult is every boot of one side. Err is the first failure; a side
// with an error contributes no numbers at all (see Collect).
type SideResult struct {
	Name   string
	Kernel string  // "Linux 6.1.0-56-amd64", from BENCH info; may be empty
	Boots  [][]Run // one []Run per completed boot
	Err    error
}

// Collect boots side boots times and checks that every boot ran every ABI
// in abis to "BENCH done". It stops at the first failure: a kernel that
// does not finish once is reported as failed, with no numbers, because a
// median over the boots that happened to work would hide the failure.
func Collect(side Side, initrd string, abis []string, boots int, log io.Writer) SideResult {
	return CollectInterleaved([]Side{side}, initrd, abis, boots, log)[0]
}

// CollectInterleaved is Collect for several sides, taking turns: boot 1 of
// every side, then boot 2 of every side, and so on. On a shared host the
// speed of the emulator drifts over a run (other jobs, frequency scaling);
// booting all of one kernel and then all of the other put a slow period on
// one side only, and moved the ratios by a third. Taking turns spreads it
// over both. A side that fails stops there, with no numbers (as Collect);
// the others go on.
func CollectInterleaved(sides []Side, initrd string, abis []string, boots int, log io.Writer) []SideResult {
	res := make([]SideResult, len(sides))
	for i, side := range sides {
		res[i].Name = side.Name
		switch {
		case boots < 1:
			res[i].Err = fmt.Errorf("%s: %d boots requested, need at least 1", side.Name, boots)
		case len(abis) == 0:
			res[i].Err = fmt.Errorf("%s: no ABI to run", side.Name)
		}
	}
	for b := 1; b <= boots; b++ {
		for i, side := range sides {
			r := &res[i]
			if r.Err != nil {
				continue
			}
			fmt.Fprintf(log, "bench: %s boot %d/%d\n", side.Name, b, boots)
			runs, err := side.Boot(initrd)
			if err == nil {
				err = checkRuns(runs, abis)
			}
			if err != nil {
				r.Err = fmt.Errorf("%s side failed (boot %d/%d): %w", side.Name, b, boots, err)
				r.Boots = nil
				continue
			}
			if r.Kernel == "" {
				r.Kernel = strings.TrimSpace(runs[0].Info["sysname"] + " " + runs[0].Info["release"])
			}
			r.Boots = append(r.Boots, runs)
		}
	}
	return res
}

// checkRuns insists on exactly the expected ABIs, in order, each done.
func checkRuns(runs []Run, abis []string) error {
	for i, abi := range abis {
		if i >= len(runs) {
			return fmt.Errorf("ABI %s never started (no \"BENCH start abi=%s\")", abi, abi)
		}
		if runs[i].ABI != abi {
			return fmt.Errorf("expected ABI %s, the guest ran %s", abi, runs[i].ABI)
		}
		if !runs[i].Done {
			return fmt.Errorf("ABI %s: %w", abi, ErrNotDone)
		}
	}
	if len(runs) > len(abis) {
		return fmt.Errorf("unexpected extra ABI %s", runs[len(abis)].ABI)
	}
	return nil
}

// SideFailed is the Reason of every cell of a side that failed; the
// side's error is in Table.Failures.
const SideFailed = "side failed"

// Cell is one kernel's result for one path.
type Cell struct {
	Status Status
	NS     Summary // OK only
	Cycles Summary // OK only; N is 0 if the guest printed no cycles
	Reason string  // NA or Failed: why
}

// Row is one path of the table.
type Row struct {
	Path  string // "boot/boot_to_main", "x86_64/getpid", "i386/anon_fault"
	Cells []Cell // one per side, in Table.Sides order
}

// Table is the comparison: Sides are the columns (Ringo first, then Linux).
type Table struct {
	Sides    []SideResult
	Rows     []Row
	Failures []string // one line per failed side
}

// RatioOf returns Sides[0]'s median over Sides[1]'s for a row (how many
// times slower the first kernel is); ok is false unless both are measured.
func (t *Table) RatioOf(r Row) (float64, bool) {
	if len(r.Cells) != 2 || r.Cells[0].Status != OK || r.Cells[1].Status != OK {
		return 0, false
	}
	return Ratio(r.Cells[0].NS.Median, r.Cells[1].NS.Median)
}

// BuildTable lays the sides out as rows. Boot-time rows come first (they
// are reported by the first ABI's run), then each ABI's benchmarks in the
// order the guest printed them.
func BuildTable(abis []string, sides ...SideResult) (Table, error) {
	t := Table{Sides: sides}
	if len(sides) == 0 {
		return t, errors.New("bench: no sides to compare")
	}
	type key struct{ abi, name string }
	var order []key
	seen := map[key]bool{}
	add := func(k key) {
		if !seen[k] {
			seen[k] = true
			order = append(order, k)
		}
	}
	for _, name := range bootMeasurements {
		for _, s := range sides {
			for _, boot := range s.Boots {
				if _, ok := boot[0].Lookup(name); ok {
					add(key{"boot", name})
				}
			}
		}
	}
	for _, abi := range abis {
		for _, s := range sides {
			for _, boot := range s.Boots {
				for _, run := range boot {
					if run.ABI != abi {
						continue
					}
					for _, m := range run.Measurements {
						if !isBootMeasurement(m.Name) {
							add(key{abi, m.Name})
						}
					}
				}
			}
		}
	}
	for _, s := range sides {
		if s.Err != nil {
			t.Failures = append(t.Failures, s.Err.Error())
		}
	}
	for _, k := range order {
		row := Row{Path: k.abi + "/" + k.name}
		for _, s := range sides {
			abi := k.abi
			if abi == "boot" && len(abis) > 0 {
				abi = abis[0] // the program that was /init
			}
			row.Cells = append(row.Cells, cellFor(s, abi, k.name))
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// bootMeasurements are the measurements of a boot rather than of one ABI's
// program, in the order of the table's boot rows.
var bootMeasurements = []string{BootToUser, BootToMain, QEMUToUser, QEMUToMain}

func isBootMeasurement(name string) bool { return slices.Contains(bootMeasurements, name) }

// cellFor summarises one path of one side over its boots: an error in any
// boot fails the cell; all n/a is n/a; otherwise every boot must have
// measured it.
func cellFor(s SideResult, abi, name string) Cell {
	if s.Err != nil {
		return Cell{Status: Failed, Reason: SideFailed}
	}
	var ns, cycles []float64
	na := 0
	for i, boot := range s.Boots {
		var m Measurement
		found := false
		for _, run := range boot {
			if run.ABI == abi {
				m, found = run.Lookup(name)
			}
		}
		switch {
		case !found:
			return Cell{Status: Failed, Reason: fmt.Sprintf("not reported in boot %d", i+1)}
		case m.Status == Failed:
			return Cell{Status: Failed, Reason: m.Reason}
		case m.Status == NA:
			na++
		default:
			ns = append(ns, m.NS)
			if m.Cycles > 0 {
				cycles = append(cycles, m.Cycles)
			}
		}
	}
	if na == len(s.Boots) {
		first := Cell{Status: NA}
		for _, run := range s.Boots[0] {
			if m, ok := run.Lookup(name); ok && run.ABI == abi {
				first.Reason = m.Reason
			}
		}
		return first
	}
	if na > 0 {
		return Cell{Status: Failed, Reason: "n/a in some boots only"}
	}
	c := Cell{Status: OK}
	var err error
	if c.NS, err = Summarize(ns); err != nil {
		return Cell{Status: Failed, Reason: err.Error()}
	}
	if len(cycles) == len(ns) {
		c.Cycles, _ = Summarize(cycles)
	}
	return c
}
