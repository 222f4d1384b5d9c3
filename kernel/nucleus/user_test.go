package nucleus

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/arch/amd64"
)

// tlsDesc is a present, DPL 3, 32-bit data descriptor (what set_thread_area
// installs for glibc and musl).
const tlsDesc = 0x00cff3000000ffff

// The selector check the nucleus runs before every entry to ring 3: what
// reaches IRETQ and the segment loads must not fault in ring 0, whatever
// the task layer left in UserRegs, and the check is skipped only for the
// usual 64-bit set or the state it accepted last.
func TestSelectorCheckBeforeRing3(t *testing.T) {
	reset := func() { selChecked = selectorState{cs: amd64.UserCS64, ss: amd64.UserDS} }
	usual64 := amd64.UserRegs{CS: amd64.UserCS64, SS: amd64.UserDS}
	i386 := amd64.UserRegs{CS: amd64.UserCS32, SS: amd64.UserDS, DS: amd64.UserDS, ES: amd64.UserDS, GS: 12<<3 | 3}
	i386.TLS[0] = tlsDesc

	t.Run("the usual 64-bit set needs no check", func(t *testing.T) {
		reset()
		r := usual64
		require.False(t, selectorsNeedCheck(&r))
	})
	t.Run("all-zero registers are checked, not taken for the start state", func(t *testing.T) {
		reset()
		var r amd64.UserRegs
		require.True(t, selectorsNeedCheck(&r))
		fixSelectors(&r)
		require.Equal(t, uint64(amd64.UserCS64), r.CS)
		require.Equal(t, uint64(amd64.UserDS), r.SS)
	})
	t.Run("a kernel CS becomes the user one", func(t *testing.T) {
		reset()
		r := usual64
		r.CS, r.SS = 0x10, 0x18
		fixSelectors(&r)
		require.Equal(t, uint64(amd64.UserCS64), r.CS)
		require.Equal(t, uint64(amd64.UserDS), r.SS)
	})
	t.Run("i386 selectors are checked once, then remembered", func(t *testing.T) {
		reset()
		r := i386
		require.True(t, selectorsNeedCheck(&r))
		fixSelectors(&r)
		require.Equal(t, i386, r, "a valid i386 set is kept as it is")
		require.False(t, selectorsNeedCheck(&r), "the same state again")
		r.RAX, r.RIP = 20, 0x8049000 // a system call later: only other registers changed
		require.False(t, selectorsNeedCheck(&r))
	})
	t.Run("a changed TLS descriptor is checked again", func(t *testing.T) {
		reset()
		r := i386
		fixSelectors(&r)
		r.TLS[0] = tlsDesc &^ (1 << 47) // not present any more
		require.True(t, selectorsNeedCheck(&r))
		fixSelectors(&r)
		require.Zero(t, r.GS, "a selector naming a non-present descriptor is nulled")
		require.Equal(t, uint16(amd64.UserDS), r.DS)
	})
	t.Run("a changed selector is checked again", func(t *testing.T) {
		reset()
		r := i386
		fixSelectors(&r)
		r.FS = 0x43 // GDT slot 8: the TSS, never loadable from ring 3
		require.True(t, selectorsNeedCheck(&r))
		fixSelectors(&r)
		require.Zero(t, r.FS)
		require.Equal(t, uint16(12<<3|3), r.GS)
	})
	t.Run("RPL 0 and LDT selectors are nulled", func(t *testing.T) {
		reset()
		r := i386
		r.GS, r.ES = 12<<3, 12<<3|4|3
		fixSelectors(&r)
		require.Zero(t, r.GS)
		require.Zero(t, r.ES)
	})
}

// Whatever descriptor the task layer put in a TLS slot, only one that a
// data register can load from ring 0 without a fault is kept.
func TestUserSelectorDescriptors(t *testing.T) {
	sel := uint16(12<<3 | 3)
	for _, tc := range []struct {
		name string
		desc uint64
		keep bool
	}{
		{"present DPL 3 data", tlsDesc, true},
		{"not present", tlsDesc &^ (1 << 47), false},
		{"DPL 0", tlsDesc &^ (3 << 45), false},
		{"system descriptor (S=0)", tlsDesc &^ (1 << 44), false},
		{"readable code", tlsDesc | 1<<43, true},
		{"execute-only code", tlsDesc&^(1<<41) | 1<<43, false},
		{"empty", 0, false},
	} {
		var r amd64.UserRegs
		r.TLS[0] = tc.desc
		got := userSelector(sel, &r)
		if tc.keep {
			require.Equal(t, sel, got, tc.name)
		} else {
			require.Zero(t, got, tc.name)
		}
	}
}
