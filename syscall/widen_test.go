package syscall

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// The dispatcher's widening must give exactly what Sig.convert gives, for
// every row of every table, with garbage in the upper halves and in the
// registers past the row's arguments.
func TestWideningMatchesConvertForEveryRow(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	edge := []uint64{0, 1, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff, 0xffff_ffff_ffff_ffff,
		0x1_0000_0003, 0xdead_beef_8000_ffff, 0x8000_0000_0000_0000}
	fast := 0
	for a := ABI(0); a < numABIs; a++ {
		t.Run(a.String(), func(t *testing.T) {
			for nr, sc := range tableOf(a) {
				w := sc.Args.compile(a == I386)
				if !w.ok {
					continue
				}
				fast++
				for trial := 0; trial < 40; trial++ {
					var regs [MaxArgs]uint64
					for i := range regs {
						if trial < len(edge) {
							regs[i] = edge[(trial+i)%len(edge)]
						} else {
							regs[i] = rng.Uint64()
						}
					}
					var want [MaxArgs]uint64
					n := sc.Args.convert(a == I386, &regs, &want)
					got := regs // apply converts in place, zeroing past the row's arguments
					w.apply(&got)
					require.Equal(t, int(sc.Args.n), n, "row %d %s: argument count", nr, sc.Name)
					require.Equal(t, want, got, "row %d %s, registers %#x", nr, sc.Name, regs)
				}
			}
		})
	}
	require.Greater(t, fast, 900, "nearly every row should take the fast form")
}

// Rows that join or drop registers have no widening: the dispatcher must
// fall back to convert for them.
func TestWideningRefusesSplitAndIgnoredRows(t *testing.T) {
	for _, s := range []*Sig{ptr(args(Fd, Lo, Hi)), ptr(args(Hi, Lo)), ptr(args(Fd, Ptr, Ulong, Loff, Ignored, Int))} {
		require.False(t, s.compile(true).ok)
		require.False(t, s.compile(false).ok)
	}
	bad := args(Int, Int, Int, Int, Int, Int, Int)
	require.False(t, bad.compile(false).ok, "malformed row")
}

func ptr(s Sig) *Sig { return &s }
