package bench

// The chart: one group of horizontal bars per path, one bar per kernel,
// on a logarithmic nanosecond axis (the paths span ten nanoseconds to
// seconds of boot). A bar ends at the median; the thin line across its end
// is the min–max spread. Failed and n/a cells are labelled, not drawn.

import (
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
)

// Chart geometry, in SVG user units.
const (
	svgWidth    = 960
	svgLabelW   = 230 // path names
	svgPlotX0   = svgLabelW + 10
	svgPlotX1   = svgWidth - 110 // room for the median label
	svgTop      = 60
	svgBarH     = 11
	svgBarGap   = 2
	svgGroupGap = 10
	svgBottom   = 40
)

// sideColors are the bars' colours, by side index (Ringo red, Linux blue).
var sideColors = []string{"#c0392b", "#2c7fb8", "#27ae60", "#8e44ad"}

// fmtDecade names 10^k nanoseconds with a readable unit.
func fmtDecade(k int) string {
	units := []string{"ns", "µs", "ms", "s"}
	u := k / 3
	if k < 0 {
		return fmt.Sprintf("1e%d ns", k)
	}
	if u >= len(units) {
		u = len(units) - 1
	}
	v := math.Pow(10, float64(k-3*u))
	return fmt.Sprintf("%g %s", v, units[u])
}

// fmtHuman prints nanoseconds with a unit for the bar labels: "352.7 ns",
// "6.51 µs", "1.55 s".
func fmtHuman(ns float64) string {
	switch {
	case ns < 1e3:
		return strconv.FormatFloat(ns, 'f', 1, 64) + " ns"
	case ns < 1e6:
		return sig3(ns/1e3) + " µs"
	case ns < 1e9:
		return sig3(ns/1e6) + " ms"
	}
	return sig3(ns/1e9) + " s"
}

// sig3 prints about three significant digits without an exponent.
func sig3(v float64) string {
	prec := 2
	if v >= 100 {
		prec = 0
	} else if v >= 10 {
		prec = 1
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// WriteSVG draws t as a standalone SVG document.
func WriteSVG(w io.Writer, t Table) error {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			if c.Status == OK && c.NS.Min > 0 {
				lo = math.Min(lo, c.NS.Min)
				hi = math.Max(hi, c.NS.Max)
			}
		}
	}
	nSides := len(t.Sides)
	groupH := nSides*(svgBarH+svgBarGap) + svgGroupGap
	height := svgTop + len(t.Rows)*groupH + svgBottom

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n",
		svgWidth, height, svgWidth, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", svgWidth, height)
	fmt.Fprintf(&b, `<text x="10" y="20" font-size="14" font-weight="bold">%s</text>`+"\n",
		html.EscapeString("ns per operation, median over boots (log scale; line = min–max)"))
	for i, s := range t.Sides {
		x := 10 + i*220
		fmt.Fprintf(&b, `<rect x="%d" y="32" width="12" height="12" fill="%s"/>`+"\n", x, sideColors[i%len(sideColors)])
		label := s.Name
		if s.Kernel != "" {
			label += " (" + s.Kernel + ")"
		}
		fmt.Fprintf(&b, `<text x="%d" y="42">%s</text>`+"\n", x+16, html.EscapeString(label))
	}

	if math.IsInf(lo, 1) {
		fmt.Fprintf(&b, `<text x="%d" y="%d">no measurements: every cell failed or is n/a</text>`+"\n", svgPlotX0, svgTop+12)
		lo, hi = 1, 10
	}
	dLo, dHi := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	if dHi <= dLo {
		dHi = dLo + 1
	}
	xOf := func(v float64) float64 {
		f := (math.Log10(v) - float64(dLo)) / float64(dHi-dLo)
		return svgPlotX0 + f*(svgPlotX1-svgPlotX0)
	}
	axisY := height - svgBottom + 4
	for k := dLo; k <= dHi; k++ {
		x := xOf(math.Pow(10, float64(k)))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", x, svgTop-6, x, axisY)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x, axisY+14, html.EscapeString(fmtDecade(k)))
	}

	for i, r := range t.Rows {
		y0 := svgTop + i*groupH
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n",
			svgLabelW, y0+nSides*(svgBarH+svgBarGap)/2+4, html.EscapeString(r.Path))
		for j, c := range r.Cells {
			y := y0 + j*(svgBarH+svgBarGap)
			color := sideColors[j%len(sideColors)]
			if c.Status != OK {
				text := "n/a"
				if c.Status == Failed {
					text = "failed"
				}
				fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">%s</text>`+"\n", svgPlotX0+4, y+svgBarH-2, color, text)
				continue
			}
			xm := xOf(c.NS.Median)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", svgPlotX0, y, xm-svgPlotX0, svgBarH, color)
			yc := float64(y) + svgBarH/2.0
			x1, x2 := xOf(c.NS.Min), xOf(c.NS.Max)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", x1, yc, x2, yc)
			for _, x := range []float64{x1, x2} {
				fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black"/>`+"\n", x, y+2, x, y+svgBarH-2)
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%d">%s</text>`+"\n", math.Max(xm, x2)+4, y+svgBarH-2, html.EscapeString(fmtHuman(c.NS.Median)))
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
