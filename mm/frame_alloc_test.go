package mm

import (
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

func TestFrameAllocatorCoalescesBuddiesBackToTheStartingFreeCount(t *testing.T) {
	e := newEnv(t, 8)
	start := e.alloc.FreeFrames()
	var got []PFN
	for i := 0; i < 100; i++ {
		p, err := e.alloc.Alloc(i%4, KindKernel)
		require.NoError(t, err)
		require.Zero(t, uint64(p)&(1<<(i%4)-1), "block of order %d must be aligned", i%4)
		got = append(got, p)
	}
	require.Less(t, e.alloc.FreeFrames(), start)
	for _, p := range got {
		e.alloc.PutPage(p)
	}
	require.Equal(t, start, e.alloc.FreeFrames())
	// Fully coalesced: a MaxOrder block is available again.
	p, err := e.alloc.Alloc(MaxOrder, KindKernel)
	require.NoError(t, err)
	e.alloc.PutPage(p)
}

func TestFrameAllocatorRunsOutWithENOMEMAndRecovers(t *testing.T) {
	e := newEnv(t, 2)
	var got []PFN
	for {
		p, err := e.alloc.Alloc(0, KindAnon)
		if err != nil {
			require.ErrorIs(t, err, abi.ENOMEM)
			break
		}
		got = append(got, p)
	}
	require.Zero(t, e.alloc.FreeFrames())
	for _, p := range got {
		e.alloc.PutPage(p)
	}
	require.Equal(t, uint64(len(got)), e.alloc.FreeFrames())
}

func TestFrameAllocatorRejectsBadRequests(t *testing.T) {
	e := newEnv(t, 2)
	for _, c := range []struct {
		name  string
		order int
		kind  FrameKind
	}{
		{"negative order", -1, KindKernel},
		{"order above MaxOrder", MaxOrder + 1, KindKernel},
		{"free kind", 0, KindFree},
		{"unknown kind", 0, numKinds},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.alloc.Alloc(c.order, c.kind)
			require.ErrorIs(t, err, abi.EINVAL)
		})
	}
	r := e.ram.Range()
	require.ErrorIs(t, e.alloc.AddRange(PhysRange{r.Start, r.Start + 4*PageSize}), abi.EINVAL, "overlap")
	require.ErrorIs(t, e.alloc.AddRange(PhysRange{1 << 40, 1<<40 + PageSize}), abi.EINVAL, "unreachable")
	require.NoError(t, e.alloc.AddRange(PhysRange{5, 6}), "empty range is ignored")
}

func TestFrameAllocatorCanBeFedASecondRange(t *testing.T) {
	ram, err := NewSimRAM(0, 4<<20)
	require.NoError(t, err)
	a, err := NewFrameAllocator(ram, []PhysRange{{0, 1 << 20}})
	require.NoError(t, err)
	before := a.TotalFrames()
	require.NoError(t, a.AddRange(PhysRange{2 << 20, 4 << 20}))
	require.Equal(t, before+512, a.TotalFrames())
	require.Equal(t, before-1+512, a.FreeFrames(), "all but the zero frame are free")
}

func TestPageRefcountFreesOnLastPut(t *testing.T) {
	e := newEnv(t, 2)
	free := e.alloc.FreeFrames()
	p, err := GetZeroedPage()
	require.NoError(t, err)
	GetPage(p)
	require.Equal(t, 2, e.alloc.PageCount(p))
	PutPage(p)
	require.Equal(t, free-1, e.alloc.FreeFrames())
	FreePage(p)
	require.Equal(t, free, e.alloc.FreeFrames())
	require.Panics(t, func() { PutPage(p) }, "a put nobody holds is a kernel bug")
}

func TestMeminfoFormatMatchesProcMeminfo(t *testing.T) {
	m := Meminfo{Total: 4096, Free: 1000, Anon: 3, Shmem: 1, PageTables: 2}
	require.Equal(t, ""+
		"MemTotal:          16384 kB\n"+
		"MemFree:            4000 kB\n"+
		"MemAvailable:       4000 kB\n"+
		"AnonPages:            12 kB\n"+
		"Shmem:                 4 kB\n"+
		"PageTables:            8 kB\n", m.String())
}

func TestGetZeroedPageWithoutAllocatorIsENOMEM(t *testing.T) {
	prev := SetDefaultAllocator(nil)
	defer SetDefaultAllocator(prev)
	_, err := GetZeroedPage()
	require.ErrorIs(t, err, abi.ENOMEM)
	require.Nil(t, PageBytes(1))
}
