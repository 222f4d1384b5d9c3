package bench

// The statistics of a table cell: several boots give several best-of-rounds
// numbers for one path; the table shows their median and their spread.

import (
	"errors"
	"math"
	"sort"
)

// Summary is the median and the range of a set of samples.
type Summary struct {
	N                int
	Median, Min, Max float64
}

// Summarize computes the median (the mean of the two middle samples when N
// is even) and min/max. It refuses an empty set and NaN or infinite
// samples, which would make every derived number meaningless.
func Summarize(samples []float64) (Summary, error) {
	if len(samples) == 0 {
		return Summary{}, errors.New("bench: no samples")
	}
	s := append([]float64(nil), samples...)
	for _, v := range s {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Summary{}, errors.New("bench: sample is NaN or infinite")
		}
	}
	sort.Float64s(s)
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return Summary{N: n, Median: med, Min: s[0], Max: s[n-1]}, nil
}

// Ratio is a/b for the table's "Ringo / Linux" column; ok is false when b
// is not positive (no meaningful ratio).
func Ratio(a, b float64) (r float64, ok bool) {
	if b <= 0 {
		return 0, false
	}
	return a / b, true
}
