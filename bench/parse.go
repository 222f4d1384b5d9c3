package bench

// Parsing the guest's console. bench.c prints, per ABI it runs:
//
//	BENCH start abi=x86_64 chained=0
//	BENCH boot_to_main ns=1437145097
//	BENCH info pid=1 sysname=Linux release=6.1.0-56-amd64
//	BENCH getpid ns=342.4 cycles=888.9 iters=65536 rounds=5
//	BENCH fdtest_ioctl_create n/a reason=no-/dev/fd_test
//	BENCH eventfd_close error=ENOSYS op=eventfd2
//	BENCH done
//
// Anything else on the console (kernel messages) is ignored; a BENCH line
// that does not parse is an error, never silently dropped.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Status says whether a path produced a number.
type Status int

const (
	OK     Status = iota // measured
	NA                   // not applicable: the device is absent
	Failed               // the kernel refused a call, or the run failed
)

func (s Status) String() string {
	switch s {
	case OK:
		return "ok"
	case NA:
		return "n/a"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Measurement is one BENCH result line.
type Measurement struct {
	Name   string
	Status Status
	NS     float64 // per operation (OK only)
	Cycles float64 // TSC cycles per operation (OK only; 0 if not printed)
	Iters  int
	Rounds int
	Reason string // NA: why; Failed: "ENOSYS op=eventfd2"
}

// Names of the measurements that are not per-operation benchmarks.
const (
	// BootToUser is the guest's CLOCK_BOOTTIME read by the program's
	// first instructions, before the C library starts (bench_entry).
	BootToUser = "boot_to_user"
	// BootToMain is the guest's CLOCK_BOOTTIME read first thing in main.
	BootToMain = "boot_to_main"
	// QEMUToUser is host wall time from starting QEMU to the "BENCH
	// entry" line that /init's first instructions write (bench_entry):
	// QEMU start to the first user instruction, firmware included.
	QEMUToUser = "qemu_to_user"
	// QEMUToMain is host wall time from starting QEMU to the first
	// "BENCH start" line: boot time as a user waiting for it sees it.
	QEMUToMain = "qemu_to_main"
)

// Run is what one ABI's program reported during one boot.
type Run struct {
	ABI          string            // "x86_64" or "i386"
	Info         map[string]string // BENCH info key=value pairs
	Measurements []Measurement     // in the order printed
	Done         bool              // saw "BENCH done"
}

// Lookup returns the measurement called name.
func (r *Run) Lookup(name string) (Measurement, bool) {
	for _, m := range r.Measurements {
		if m.Name == name {
			return m, true
		}
	}
	return Measurement{}, false
}

// ErrNotDone is returned for an ABI whose program started but never printed
// "BENCH done" (it crashed, hung or the kernel died): none of its numbers
// count.
var ErrNotDone = errors.New("the benchmark did not finish (no \"BENCH done\")")

// Collector turns a console stream, line by line, into Runs. It also
// timestamps the first "BENCH start" against the host clock.
type Collector struct {
	start time.Time
	runs  []*Run
	entry time.Duration // host time to the first BENCH entry; 0 if none
	first time.Duration // host time to the first BENCH start; 0 if none
}

// NewCollector starts a collector; start is when QEMU was started.
func NewCollector(start time.Time) *Collector {
	return &Collector{start: start}
}

// Line consumes one console line received at host time at.
func (c *Collector) Line(line string, at time.Time) error {
	i := strings.Index(line, "BENCH ")
	if i < 0 {
		return nil
	}
	fields := strings.Fields(line[i+len("BENCH "):])
	if len(fields) == 0 {
		return fmt.Errorf("bench: empty BENCH line %q", line)
	}
	if fields[0] == "entry" {
		// Written by bench_entry before anything else; a chained program
		// writes one too, later, which times nothing.
		if len(c.runs) == 0 && c.entry == 0 && !c.start.IsZero() {
			c.entry = at.Sub(c.start)
		}
		return nil
	}
	if fields[0] == "start" {
		kv, err := keyValues(fields[1:])
		if err != nil {
			return fmt.Errorf("bench: %q: %w", line, err)
		}
		if kv["abi"] == "" {
			return fmt.Errorf("bench: %q: start without abi=", line)
		}
		for _, r := range c.runs {
			if r.ABI == kv["abi"] {
				return fmt.Errorf("bench: ABI %s started twice", r.ABI)
			}
		}
		if len(c.runs) == 0 && !c.start.IsZero() {
			c.first = at.Sub(c.start)
		}
		c.runs = append(c.runs, &Run{ABI: kv["abi"], Info: map[string]string{}})
		return nil
	}
	if len(c.runs) == 0 {
		return fmt.Errorf("bench: %q before any BENCH start", line)
	}
	run := c.runs[len(c.runs)-1]
	switch fields[0] {
	case "done":
		if run.Done {
			return fmt.Errorf("bench: ABI %s: BENCH done twice", run.ABI)
		}
		run.Done = true
		return nil
	case "info":
		kv, err := keyValues(fields[1:])
		if err != nil {
			return fmt.Errorf("bench: %q: %w", line, err)
		}
		for k, v := range kv {
			run.Info[k] = v
		}
		return nil
	}
	if run.Done {
		return fmt.Errorf("bench: ABI %s: %q after BENCH done", run.ABI, line)
	}
	m, err := parseMeasurement(fields)
	if err != nil {
		return fmt.Errorf("bench: %q: %w", line, err)
	}
	if _, dup := run.Lookup(m.Name); dup {
		return fmt.Errorf("bench: ABI %s: %s reported twice", run.ABI, m.Name)
	}
	run.Measurements = append(run.Measurements, m)
	return nil
}

// Runs returns what was collected, one Run per ABI in the order they
// started. The first run gets the host's QEMUToUser and QEMUToMain
// measurements. Runs that did not finish are returned too (Done false);
// use Finished to check.
func (c *Collector) Runs() []Run {
	out := make([]Run, len(c.runs))
	for i, r := range c.runs {
		out[i] = *r
		out[i].Measurements = append([]Measurement(nil), r.Measurements...)
		if i == 0 && c.entry > 0 {
			out[i].Measurements = append(out[i].Measurements,
				Measurement{Name: QEMUToUser, Status: OK, NS: float64(c.entry.Nanoseconds())})
		}
		if i == 0 && c.first > 0 {
			out[i].Measurements = append(out[i].Measurements,
				Measurement{Name: QEMUToMain, Status: OK, NS: float64(c.first.Nanoseconds())})
		}
	}
	return out
}

// Parse reads a whole console log (no host timing).
func Parse(r io.Reader) ([]Run, error) {
	c := NewCollector(time.Time{})
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if err := c.Line(sc.Text(), time.Time{}); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return c.Runs(), nil
}

// parseMeasurement parses "name ns=.. cycles=.. iters=.. rounds=..",
// "name n/a reason=.." or "name error=ERRNO op=..".
func parseMeasurement(fields []string) (Measurement, error) {
	m := Measurement{Name: fields[0]}
	if !validName(m.Name) {
		return m, fmt.Errorf("bad benchmark name %q", m.Name)
	}
	rest := fields[1:]
	if len(rest) > 0 && rest[0] == "n/a" {
		kv, err := keyValues(rest[1:])
		if err != nil {
			return m, err
		}
		m.Status, m.Reason = NA, kv["reason"]
		return m, nil
	}
	kv, err := keyValues(rest)
	if err != nil {
		return m, err
	}
	if e, ok := kv["error"]; ok {
		m.Status, m.Reason = Failed, e
		if op := kv["op"]; op != "" {
			m.Reason += " op=" + op
		}
		return m, nil
	}
	ns, ok := kv["ns"]
	if !ok {
		return m, errors.New("no ns=, n/a or error=")
	}
	if m.NS, err = parsePositive(ns); err != nil {
		return m, fmt.Errorf("ns: %w", err)
	}
	if c, ok := kv["cycles"]; ok {
		if m.Cycles, err = parsePositive(c); err != nil {
			return m, fmt.Errorf("cycles: %w", err)
		}
	}
	for _, f := range []struct {
		key string
		dst *int
	}{{"iters", &m.Iters}, {"rounds", &m.Rounds}} {
		if v, ok := kv[f.key]; ok {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return m, fmt.Errorf("%s=%q is not a positive count", f.key, v)
			}
			*f.dst = n
		}
	}
	m.Status = OK
	return m, nil
}

// parsePositive accepts finite numbers >= 0 (a clock can read 0.0 ns/op
// only if broken, but rejecting it would hide that; NaN and Inf are junk).
func parsePositive(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return v, nil
}

func keyValues(fields []string) (map[string]string, error) {
	kv := make(map[string]string, len(fields))
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%q is not key=value", f)
		}
		if _, dup := kv[k]; dup {
			return nil, fmt.Errorf("key %q twice", k)
		}
		kv[k] = v
	}
	return kv, nil
}

func validName(s string) bool {
	if s == "" || s == "start" || s == "done" || s == "info" || s == "entry" || s == QEMUToUser || s == QEMUToMain {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
