package kernel

// Hostile input for the signal calls the fuzzer leaves out (it must not
// install random handlers or stacks): random actions, masks, stacks and
// sigreturns from random stack pointers, through both tables. The kernel
// must never oops; the process may die, but only by SIGSEGV (a frame it
// made unwritable, a bad sigreturn) or by a signal's default action.

import (
	"math/rand"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/stretchr/testify/require"
)

func TestSignalCallsSurviveHostileInput(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	arg := func() uint64 {
		switch rng.Intn(6) {
		case 0:
			return uint64(rng.Intn(70)) - 2
		case 1:
			return scratch + uint64(rng.Intn(scratchSize))
		case 2:
			return 0xffff880000000000 + uint64(rng.Intn(1<<20))
		case 3:
			return rng.Uint64()
		case 4:
			return 8
		}
		return 0
	}
	deaths, calls := 0, 0
	for round := 0; round < 200; round++ {
		ia32 := round%2 == 1
		u, k := newUser(t, ia32)
		random := make([]byte, 4096)
		for i := 0; i < 200 && u.regs != nil; i++ {
			rng.Read(random)
			u.poke(scratch+uint64(rng.Intn(scratchSize-4096)), random)
			u.regs.RSP = scratch + uint64(rng.Intn(scratchSize))
			if rng.Intn(20) == 0 {
				u.regs.RSP = arg()
			}
			a := []uint64{arg(), arg(), arg(), arg()}
			calls++
			switch n := rng.Intn(9); {
			case ia32 || n == 8:
				nrs := []uint64{174, 175, 176, 186}
				if rng.Intn(30) == 0 { // sigreturns usually end the process
					nrs = []uint64{173, 119}
				}
				u.int80(nrs[rng.Intn(len(nrs))], a...)
			default:
				nrs := []uint64{13, 14, 127, 131, 13, 14, 131, 127}
				nr := nrs[n]
				if rng.Intn(30) == 0 {
					nr = 15
				}
				u.syscall(nr, a...)
			}
			if u.regs != nil && rng.Intn(40) == 0 {
				u.trap(amd64.TrapInfo{Kind: amd64.TrapPageFault, Vector: 14, CR2: unmapped, ErrorCode: 6})
			}
		}
		for _, r := range k.Log().Records() {
			require.NotContains(t, r.Text, "Oops", "round %d", round)
		}
		if u.regs == nil {
			deaths++
			ws := u.p.Wait()
			require.True(t, ws > 0 && ws <= abi.SIGRTMAX, "killed by a signal, status %#x", ws)
			u.regs = nil
		}
	}
	require.Greater(t, calls, 2000, "enough calls before the processes died")
	t.Logf("%d calls; %d of 200 processes were killed by their own signals", calls, deaths)
}
