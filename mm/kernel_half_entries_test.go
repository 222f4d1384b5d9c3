package mm

import (
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/stretchr/testify/require"
)

func TestKernelHalfFromEntriesIsCopiedAndNeverWritten(t *testing.T) {
	env := newEnv(t, 8)
	var entries [256]uint64
	for i := range entries {
		entries[i] = uint64(0x100000+i*PageSize) | uint64(amd64.PTEPresent|amd64.PTEWrite)
	}
	k := NewKernelHalfFromEntries(entries)
	require.Equal(t, abi.EPERM, k.Map(KernelBase, 1, amd64.PTEWrite), "the nucleus owns these tables")
	free := env.alloc.FreeFrames()
	pt, err := NewPageTable(env.alloc, k, NopTLB{})
	require.NoError(t, err)
	root := tableEntries(env.alloc.Mem().Frame(PFN(pt.Root() >> amd64.PageShift)))
	for i, e := range entries {
		require.Equal(t, amd64.PTE(e), root[256+i])
	}
	pt.Destroy()
	require.Equal(t, free, env.alloc.FreeFrames(), "only the PML4 was mm's")
}
