package bench

// The table as text (for the terminal) and as CSV (for spreadsheets and
// plotting scripts). Both are deterministic: the same Table gives the same
// bytes, which is what the golden tests check.

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// fmtNS prints nanoseconds: one decimal below 1 µs, where it matters, whole
// nanoseconds above.
func fmtNS(v float64) string {
	if v < 1000 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// cellText is "median (min–max)", or the status and reason.
func cellText(c Cell) string {
	switch c.Status {
	case OK:
		if c.NS.N == 1 {
			return fmtNS(c.NS.Median)
		}
		return fmt.Sprintf("%s (%s–%s)", fmtNS(c.NS.Median), fmtNS(c.NS.Min), fmtNS(c.NS.Max))
	case NA:
		return "n/a " + c.Reason
	}
	if c.Reason == SideFailed {
		return "FAILED (see below)"
	}
	return "FAILED " + c.Reason
}

func sideTitle(s SideResult) string {
	return fmt.Sprintf("%s ns (n=%d)", s.Name, len(s.Boots))
}

// WriteText prints the table for a terminal.
func WriteText(w io.Writer, t Table) error {
	var b strings.Builder
	fmt.Fprintln(&b, "ns per operation: median over boots (min–max); each boot's number is the best of its rounds")
	for _, s := range t.Sides {
		k := s.Kernel
		if k == "" {
			k = "-"
		}
		fmt.Fprintf(&b, "%s: %s, %d boot(s)\n", s.Name, k, len(s.Boots))
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	hdr := []string{"path"}
	for _, s := range t.Sides {
		hdr = append(hdr, sideTitle(s))
	}
	if len(t.Sides) == 2 {
		hdr = append(hdr, t.Sides[0].Name+"/"+t.Sides[1].Name)
	}
	fmt.Fprintln(tw, strings.Join(hdr, "\t"))
	for _, r := range t.Rows {
		cols := []string{r.Path}
		for _, c := range r.Cells {
			cols = append(cols, cellText(c))
		}
		if len(t.Sides) == 2 {
			if ratio, ok := t.RatioOf(r); ok {
				cols = append(cols, strconv.FormatFloat(ratio, 'f', 2, 64)+"x")
			} else {
				cols = append(cols, "-")
			}
		}
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range t.Failures {
		fmt.Fprintf(&b, "\nFAILED: %s", f)
	}
	if len(t.Failures) > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCSV writes one line per row: for each side its status, median, min,
// max (ns), boot count, median TSC cycles and note, then the ratio.
func WriteCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	hdr := []string{"path"}
	for _, s := range t.Sides {
		p := strings.ToLower(s.Name) + "_"
		hdr = append(hdr, p+"status", p+"median_ns", p+"min_ns", p+"max_ns", p+"boots", p+"median_cycles", p+"note")
	}
	if len(t.Sides) == 2 {
		hdr = append(hdr, "ratio")
	}
	if err := cw.Write(hdr); err != nil {
		return err
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, r := range t.Rows {
		rec := []string{r.Path}
		for _, c := range r.Cells {
			if c.Status == OK {
				cyc := ""
				if c.Cycles.N > 0 {
					cyc = num(c.Cycles.Median)
				}
				rec = append(rec, "ok", num(c.NS.Median), num(c.NS.Min), num(c.NS.Max), strconv.Itoa(c.NS.N), cyc, "")
			} else {
				rec = append(rec, c.Status.String(), "", "", "", "", "", c.Reason)
			}
		}
		if len(t.Sides) == 2 {
			if ratio, ok := t.RatioOf(r); ok {
				rec = append(rec, strconv.FormatFloat(ratio, 'f', 4, 64))
			} else {
				rec = append(rec, "")
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
