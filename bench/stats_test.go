package bench

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSummarizeMedianAndSpread(t *testing.T) {
	cases := []struct {
		name    string
		samples []float64
		want    Summary
	}{
		{"one", []float64{7}, Summary{N: 1, Median: 7, Min: 7, Max: 7}},
		{"odd unsorted", []float64{9, 1, 5}, Summary{N: 3, Median: 5, Min: 1, Max: 9}},
		{"even is mean of middle two", []float64{4, 1, 3, 10}, Summary{N: 4, Median: 3.5, Min: 1, Max: 10}},
		{"ties", []float64{2, 2, 2, 8, 8}, Summary{N: 5, Median: 2, Min: 2, Max: 8}},
		{"zero allowed", []float64{0, 1}, Summary{N: 2, Median: 0.5, Min: 0, Max: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := append([]float64(nil), c.samples...)
			got, err := Summarize(c.samples)
			require.NoError(t, err)
			require.Equal(t, c.want, got)
			require.Equal(t, in, c.samples, "Summarize must not reorder its input")
		})
	}
}

func TestSummarizeRejectsEmptyNaNAndInf(t *testing.T) {
	for name, s := range map[string][]float64{
		"empty": nil,
		"NaN":   {1, math.NaN()},
		"+Inf":  {math.Inf(1)},
		"-Inf":  {1, math.Inf(-1)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Summarize(s)
			require.Error(t, err)
		})
	}
}

func TestRatioNeedsPositiveDenominator(t *testing.T) {
	r, ok := Ratio(300, 100)
	require.True(t, ok)
	require.Equal(t, 3.0, r)
	for _, b := range []float64{0, -1} {
		_, ok := Ratio(1, b)
		require.False(t, ok)
	}
}
