package nucleus

// Host tests of the nucleus's frame allocator and the runtime's memory
// (mmap/munmap/madvise, demand faults) over simulated physical memory: a
// buffer stands in for RAM and directMap points at it, so the same
// nosplit code that runs on the metal runs here.

import (
	"testing"
	"unsafe"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/stretchr/testify/require"
)

// simRAM gives the nucleus 8 MiB of "physical memory" starting at physical
// address 1 MiB (below that is the hole the allocator never uses).
func simRAM(t *testing.T) {
	const size = 9 << 20
	buf := make([]byte, size+pageSize)
	base := (uintptr(unsafe.Pointer(&buf[0])) + pageSize - 1) &^ (pageSize - 1)
	oldDM, oldInv := directMap, invalidate
	directMap = base
	invalidate = func(uintptr) {}
	frames = struct {
		ranges   [80]physRange
		nranges  int
		cur      int
		freeHead uint64
		total    uint64
		free     uint64
	}{}
	holes := [3][2]uint64{{0, 1 << 20}, {3 << 20, 4 << 20}, {0, 0}}
	addFreeRange(0, size, &holes)
	kernelPML4 = allocFrame()
	mmapNext = MmapBase
	t.Cleanup(func() {
		directMap, invalidate = oldDM, oldInv
		_ = buf
	})
}

func TestFrameAllocatorSkipsHolesAndCounts(t *testing.T) {
	simRAM(t)
	// 8 MiB from 1 MiB, minus the 1 MiB hole at 3 MiB: 7 MiB of frames,
	// one of them the PML4.
	require.Equal(t, uint64(7<<20/pageSize), frames.total)
	require.Equal(t, frames.total-1, frames.free)
	seen := map[uint64]bool{}
	for {
		p := allocFrame()
		if p == 0 {
			break
		}
		require.False(t, p < 1<<20 || p >= 3<<20 && p < 4<<20, "frame %#x is in a hole", p)
		require.False(t, seen[p], "frame %#x handed out twice", p)
		seen[p] = true
	}
	require.Zero(t, frames.free)
	for p := range seen {
		freeFrame(p)
	}
	require.Equal(t, frames.total-1, frames.free)
}

func TestAllocFrameZeroesReusedFrames(t *testing.T) {
	simRAM(t)
	p := allocFrame()
	*u64at(phys2virt(p) + 100) = 0xdeadbeef
	freeFrame(p)
	q := allocFrame()
	require.Equal(t, p, q, "LIFO reuse")
	require.Zero(t, *u64at(phys2virt(q) + 100))
}

func pte(t *testing.T, va uintptr) amd64.PTE {
	e := walk(va, false)
	require.NotZero(t, e, "no page table for %#x", va)
	return amd64.PTE(*u64at(e))
}

func TestReservationCostsNoFrames(t *testing.T) {
	simRAM(t)
	free := frames.free
	a := sysMmap(0, 1<<30, 0, mapPrivate|mapAnonymous, -1, 0) // PROT_NONE, 1 GiB
	require.Equal(t, uintptr(MmapBase), a)
	require.Equal(t, free, frames.free, "a PROT_NONE reservation must not cost frames")
}

func TestCommitIsDemandPagedAndDontneedRezeroes(t *testing.T) {
	simRAM(t)
	a := sysMmap(0, 64<<10, 0, mapPrivate|mapAnonymous, -1, 0)
	r := sysMmap(a, 64<<10, protRead|protWrite, mapPrivate|mapAnonymous|mapFixed, -1, 0)
	require.Equal(t, a, r)
	free := frames.free
	require.False(t, pte(t, a).Has(amd64.PTEPresent))
	require.True(t, pte(t, a).Has(pteDemand))

	require.True(t, demandFault(a+5, true), "first touch of a committed page")
	require.Equal(t, free-1, frames.free)
	p := pte(t, a)
	require.True(t, p.Has(amd64.PTEPresent|amd64.PTEWrite|amd64.PTENoExec))
	require.False(t, p.Has(amd64.PTEUser), "kernel pages are supervisor-only")
	*u64at(phys2virt(p.Addr())) = 42

	require.Equal(t, uintptr(0), sysMadvise(a, 64<<10, madvDontneed))
	require.Equal(t, free, frames.free, "DONTNEED returns the frame")
	require.True(t, demandFault(a, false))
	require.Zero(t, *u64at(phys2virt(pte(t, a).Addr())), "a DONTNEED page reads as zero again")

	require.Equal(t, uintptr(0), sysMunmap(a, 64<<10))
	require.False(t, demandFault(a, false), "munmapped: a real fault")
}

func TestReadOnlyCommitRefusesWrites(t *testing.T) {
	simRAM(t)
	a := sysMmap(0, pageSize, protRead, mapPrivate|mapAnonymous, -1, 0)
	require.False(t, demandFault(a, true))
	require.True(t, demandFault(a, false))
}

func TestRuntimeMmapErrnos(t *testing.T) {
	simRAM(t)
	neg := func(e abi.Errno) uintptr { return errno(e) }
	cases := []struct {
		name string
		got  uintptr
		want uintptr
	}{
		{"length 0", sysMmap(0, 0, protRead, mapPrivate|mapAnonymous, -1, 0), neg(abi.EINVAL)},
		{"unaligned offset", sysMmap(0, pageSize, protRead, mapPrivate|mapAnonymous, -1, 1), neg(abi.EINVAL)},
		{"length wraps", sysMmap(0, ^uintptr(0), protRead, mapPrivate|mapAnonymous, -1, 0), neg(abi.ENOMEM)},
		{"file mapping", sysMmap(0, pageSize, protRead, mapPrivate, 3, 0), neg(abi.ENODEV)},
		{"shared anonymous", sysMmap(0, pageSize, protRead, mapShared|mapAnonymous, -1, 0), neg(abi.EINVAL)},
		{"fixed unaligned", sysMmap(MmapBase+1, pageSize, protRead, mapPrivate|mapAnonymous|mapFixed, -1, 0), neg(abi.EINVAL)},
		{"fixed in the user half", sysMmap(0x400000, pageSize, protRead, mapPrivate|mapAnonymous|mapFixed, -1, 0), neg(abi.ENOMEM)},
		{"lower-half hint", sysMmap(0xc000000000, pageSize, protRead, mapPrivate|mapAnonymous, -1, 0), neg(abi.ENOMEM)},
		{"munmap unaligned", sysMunmap(MmapBase+1, pageSize), neg(abi.EINVAL)},
		{"munmap length 0", sysMunmap(MmapBase, 0), neg(abi.EINVAL)},
		{"munmap outside", sysMunmap(0x400000, pageSize), neg(abi.EINVAL)},
		{"madvise unknown", sysMadvise(MmapBase, pageSize, 99), neg(abi.EINVAL)},
		{"madvise unaligned", sysMadvise(MmapBase+8, pageSize, madvDontneed), neg(abi.EINVAL)},
	}
	for _, c := range cases {
		require.Equal(t, int64(c.want), int64(c.got), c.name)
	}
}

func TestDaysFromCivil(t *testing.T) {
	require.Equal(t, int64(0), daysFromCivil(1970, 1, 1))
	require.Equal(t, int64(20415), daysFromCivil(2025, 11, 23))
	require.Equal(t, int64(11016), daysFromCivil(2000, 2, 29))
}
