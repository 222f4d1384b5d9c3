package mm

import (
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

// mapped is the fixture of the §6.3 tables: four pages at 0x10000000
// (private anonymous, read-write) and a hole, then one page at 0x10005000.
func mapped(t *testing.T, e *testEnv) *AddressSpace {
	as := e.newAS(t, Layout64())
	_, err := as.Mmap(0x10000000, 4*PageSize, rw, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	_, err = as.Mmap(0x10005000, PageSize, ProtRead, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	return as
}

const base = 0x10000000

func TestMunmapErrnos(t *testing.T) {
	e := newEnv(t, 16)
	for _, c := range []struct {
		name      string
		addr, len uint64
		want      error
	}{
		{"unaligned", base + 1, PageSize, abi.EINVAL},
		{"zero length", base, 0, abi.EINVAL},
		{"start past TASK_SIZE", TaskSize64 + PageSize, PageSize, abi.EINVAL},
		{"length past TASK_SIZE", base, TaskSize64, abi.EINVAL},
		{"huge length", base, 1<<64 - 1, abi.EINVAL},
		{"nothing mapped is success", 0x20000000, PageSize, nil},
		{"unaligned length rounds up", base, 1, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			as := mapped(t, e)
			err := as.Munmap(c.addr, c.len)
			if c.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, c.want)
			}
			require.NoError(t, as.CheckInvariants())
		})
	}
}

func TestMprotectErrnos(t *testing.T) {
	e := newEnv(t, 16)
	ro := &fakeFile{read: true, name: "/ro"}
	for _, c := range []struct {
		name      string
		addr, len uint64
		prot      uint32
		want      error
	}{
		{"unaligned", base + 1, PageSize, ProtRead, abi.EINVAL},
		{"unknown prot bit", base, PageSize, 0x100, abi.EINVAL},
		{"PROT_GROWSDOWN on a normal VMA", base, PageSize, ProtRead | ProtGrowsDown, abi.EINVAL},
		{"PROT_GROWSDOWN|PROT_GROWSUP", base, PageSize, ProtRead | ProtGrowsDown | ProtGrowsUp, abi.EINVAL},
		{"hole in range", base, 6 * PageSize, ProtRead, abi.ENOMEM},
		{"nothing mapped", 0x20000000, PageSize, ProtRead, abi.ENOMEM},
		{"wrapping range", base, 1<<64 - PageSize, ProtRead, abi.ENOMEM},
		{"zero length is success", base + 1<<30, 0, ProtRead, nil},
		{"PROT_SEM accepted", base, PageSize, ProtRead | ProtSem, nil},
		{"write on shared read-only file mapping", 0x30000000, PageSize, rw, abi.EACCES},
	} {
		t.Run(c.name, func(t *testing.T) {
			as := mapped(t, e)
			_, err := as.Mmap(0x30000000, PageSize, ProtRead, MapShared|MapFixed, 3, 0, lookupOf(ro))
			require.NoError(t, err)
			err = as.Mprotect(c.addr, c.len, c.prot)
			if c.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, c.want)
			}
			require.NoError(t, as.CheckInvariants())
		})
	}
}

func TestMprotectBeforeAHoleStillAppliesToTheMappedPart(t *testing.T) {
	e := newEnv(t, 16)
	as := mapped(t, e)
	require.ErrorIs(t, as.Mprotect(base, 6*PageSize, ProtRead), abi.ENOMEM)
	require.Equal(t, SEGV_ACCERR, int(as.UserAccess(base, AccessWrite).Code))
}

func TestMremapErrnos(t *testing.T) {
	e := newEnv(t, 16)
	for _, c := range []struct {
		name           string
		addr, old, new uint64
		flags          uint32
		newAddr        uint64
		want           error
	}{
		{"unknown flag", base, PageSize, PageSize, 8, 0, abi.EINVAL},
		{"FIXED without MAYMOVE", base, PageSize, PageSize, MremapFixed, 0x40000000, abi.EINVAL},
		{"DONTUNMAP without MAYMOVE", base, PageSize, PageSize, MremapDontUnmap, 0, abi.EINVAL},
		{"DONTUNMAP with old != new", base, PageSize, 2 * PageSize, MremapDontUnmap | MremapMayMove, 0, abi.EINVAL},
		{"unaligned", base + 1, PageSize, PageSize, 0, 0, abi.EINVAL},
		{"new length 0", base, PageSize, 0, 0, 0, abi.EINVAL},
		{"no VMA at addr", 0x20000000, PageSize, PageSize, 0, 0, abi.EFAULT},
		{"old length 0 on private mapping", base, 0, PageSize, MremapMayMove, 0, abi.EINVAL},
		{"range past VMA end", base, 5 * PageSize, 6 * PageSize, MremapMayMove, 0, abi.EFAULT},
		{"no room without MAYMOVE", base, 4 * PageSize, 8 * PageSize, 0, 0, abi.ENOMEM},
		{"FIXED unaligned new address", base, PageSize, PageSize, MremapFixed | MremapMayMove, 0x40000001, abi.EINVAL},
		{"FIXED overlapping ranges", base, 2 * PageSize, 2 * PageSize, MremapFixed | MremapMayMove, base + PageSize, abi.EINVAL},
		{"FIXED past TASK_SIZE", base, PageSize, 2 * PageSize, MremapFixed | MremapMayMove, TaskSize64 - PageSize, abi.EINVAL},
	} {
		t.Run(c.name, func(t *testing.T) {
			as := mapped(t, e)
			_, err := as.Mremap(c.addr, c.old, c.new, c.flags, c.newAddr)
			require.ErrorIs(t, err, c.want)
			require.NoError(t, as.CheckInvariants())
		})
	}
}

func TestMremapRefusesToGrowDontExpandMappingsWithEFAULT(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	f, d := newDriverFile(t)
	a, err := as.Mmap(0, PageSize, rw, MapShared, 3, 0, lookupOf(f))
	require.NoError(t, err)
	_, err = as.Mremap(a, PageSize, 2*PageSize, MremapMayMove, 0)
	require.ErrorIs(t, err, abi.EFAULT)
	_, err = as.Mremap(a, PageSize, PageSize, MremapMayMove|MremapDontUnmap, 0)
	require.ErrorIs(t, err, abi.EINVAL)
	// Moving without growth is allowed: Open on the copy, Close on the source.
	b, err := as.Mremap(a, PageSize, PageSize, MremapMayMove|MremapFixed, 0x50000000)
	require.NoError(t, err)
	require.Equal(t, uint64(0x50000000), b)
	require.Equal(t, 1, d.opens)
	require.Equal(t, 1, d.closes)
}

func TestMremapGrowsInPlaceShrinksAndMovesData(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	a, err := as.Mmap(base, 2*PageSize, rw, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	_, err = as.CopyOut(a, []byte("moved"))
	require.NoError(t, err)
	got, err := as.Mremap(a, 2*PageSize, 4*PageSize, 0, 0)
	require.NoError(t, err)
	require.Equal(t, a, got, "grown in place")
	require.Len(t, as.VMAs(), 1)
	got, err = as.Mremap(a, 4*PageSize, PageSize, 0, 0)
	require.NoError(t, err)
	require.Equal(t, a, got)
	require.Equal(t, a+PageSize, as.VMAs()[0].End)
	// Block growth in place, then move.
	_, err = as.Mmap(a+PageSize, PageSize, ProtRead, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	_, err = as.CopyOut(a, []byte("moved"))
	require.NoError(t, err)
	anon := e.alloc.Meminfo().Anon
	moved, err := as.Mremap(a, PageSize, 3*PageSize, MremapMayMove, 0)
	require.NoError(t, err)
	require.NotEqual(t, a, moved)
	buf := make([]byte, 5)
	_, err = as.CopyIn(buf, moved)
	require.NoError(t, err)
	require.Equal(t, "moved", string(buf))
	require.Equal(t, anon, e.alloc.Meminfo().Anon, "the page moved, no copy")
	require.Equal(t, SEGV_MAPERR, int(as.UserAccess(a, AccessRead).Code))
	// DONTUNMAP: old range stays mapped but empty.
	d, err := as.Mremap(moved, PageSize, PageSize, MremapMayMove|MremapDontUnmap, 0)
	require.NoError(t, err)
	_, err = as.CopyIn(buf, d)
	require.NoError(t, err)
	require.Equal(t, "moved", string(buf))
	_, err = as.CopyIn(buf, moved)
	require.NoError(t, err)
	require.Equal(t, make([]byte, 5), buf)
	require.NoError(t, as.CheckInvariants())
}

func TestMsyncMincoreMadviseErrnos(t *testing.T) {
	e := newEnv(t, 16)
	as := mapped(t, e)
	vec, err := as.Mmap(0x40000000, PageSize, rw, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	for _, c := range []struct {
		name string
		call func() error
		want error
	}{
		{"msync unaligned", func() error { return as.Msync(base+1, PageSize, MsSync) }, abi.EINVAL},
		{"msync MS_SYNC|MS_ASYNC", func() error { return as.Msync(base, PageSize, MsSync|MsAsync) }, abi.EINVAL},
		{"msync unknown bit", func() error { return as.Msync(base, PageSize, 8) }, abi.EINVAL},
		{"msync unmapped", func() error { return as.Msync(0x20000000, PageSize, MsSync) }, abi.ENOMEM},
		{"msync over a hole", func() error { return as.Msync(base, 6*PageSize, MsAsync) }, abi.ENOMEM},
		{"msync mapped", func() error { return as.Msync(base, 4*PageSize, MsSync) }, nil},
		{"msync zero length", func() error { return as.Msync(0x20000000, 0, MsSync) }, nil},
		{"mincore unaligned", func() error { return as.Mincore(base+1, PageSize, vec) }, abi.EINVAL},
		{"mincore unmapped", func() error { return as.Mincore(0x20000000, PageSize, vec) }, abi.ENOMEM},
		{"mincore over a hole", func() error { return as.Mincore(base, 6*PageSize, vec) }, abi.ENOMEM},
		{"mincore beyond TASK_SIZE", func() error { return as.Mincore(base, 1<<63, vec) }, abi.ENOMEM},
		{"mincore bad vector", func() error { return as.Mincore(base, PageSize, 0x60000000) }, abi.EFAULT},
		{"mincore kernel vector", func() error { return as.Mincore(base, PageSize, KernelBase) }, abi.EFAULT},
		{"mincore read-only vector", func() error { return as.Mincore(base, PageSize, 0x10005000) }, abi.EFAULT},
		{"mincore ok", func() error { return as.Mincore(base, 4*PageSize, vec) }, nil},
		{"madvise unknown advice", func() error { return as.Madvise(base, PageSize, 999) }, abi.EINVAL},
		{"madvise MADV_HUGEPAGE unsupported", func() error { return as.Madvise(base, PageSize, 14) }, abi.EINVAL},
		{"madvise unaligned", func() error { return as.Madvise(base+1, PageSize, MadvDontNeed) }, abi.EINVAL},
		{"madvise wrapping length", func() error { return as.Madvise(base, 1<<64-1, MadvDontNeed) }, abi.EINVAL},
		{"madvise over a hole", func() error { return as.Madvise(base, 6*PageSize, MadvDontNeed) }, abi.ENOMEM},
		{"madvise unmapped", func() error { return as.Madvise(0x20000000, PageSize, MadvNormal) }, abi.ENOMEM},
		{"madvise zero length", func() error { return as.Madvise(0x20000000, 0, MadvDontNeed) }, nil},
		{"madvise MADV_FREE on private anon", func() error { return as.Madvise(base, PageSize, MadvFree) }, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			if c.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, c.want)
			}
		})
	}
}

func TestMincoreReportsTouchedPages(t *testing.T) {
	e := newEnv(t, 16)
	as := mapped(t, e)
	vec, err := as.Mmap(0x40000000, PageSize, rw, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	require.True(t, as.UserAccess(base+PageSize, AccessWrite).OK())
	require.True(t, as.UserAccess(base+3*PageSize, AccessRead).OK())
	require.NoError(t, as.Mincore(base, 4*PageSize-100, vec))
	got := make([]byte, 4)
	_, err = as.CopyIn(got, vec)
	require.NoError(t, err)
	require.Equal(t, []byte{0, 1, 0, 1}, got)
}

func TestMadviseDontNeedZeroesPrivateAnonymousMemory(t *testing.T) {
	e := newEnv(t, 16)
	as := mapped(t, e)
	anon := e.alloc.Meminfo().Anon
	_, err := as.CopyOut(base, []byte("data"))
	require.NoError(t, err)
	require.NoError(t, as.Madvise(base, PageSize, MadvDontNeed))
	buf := make([]byte, 4)
	_, err = as.CopyIn(buf, base)
	require.NoError(t, err)
	require.Equal(t, make([]byte, 4), buf)
	require.Equal(t, anon, e.alloc.Meminfo().Anon, "the dropped page went back (the zero page is read)")
}

func TestMadviseDontForkSplitsAndFlags(t *testing.T) {
	e := newEnv(t, 16)
	as := mapped(t, e)
	require.NoError(t, as.Madvise(base+PageSize, PageSize, MadvDontFork))
	vmas := as.VMAs()
	require.Len(t, vmas, 4)
	require.NotZero(t, vmas[1].Flags&VMDontCopy)
	require.NoError(t, as.Madvise(base+PageSize, PageSize, MadvDoFork))
	require.Len(t, as.VMAs(), 2, "merged back")
}

func TestBrkGrowsShrinksAndReturnsTheOldBreakOnFailure(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	require.NoError(t, as.SetStartBrk(0x601234))
	start := uint64(0x602000)
	require.Equal(t, start, as.Brk(0), "brk(0) is the current break")
	require.Equal(t, start, as.Brk(start-PageSize), "below start_brk fails")
	require.Equal(t, start+0xd00, as.Brk(start+0xd00))
	require.Equal(t, start+5*PageSize+1, as.Brk(start+5*PageSize+1))
	_, err := as.CopyOut(start+5*PageSize, []byte{1})
	require.NoError(t, err)
	require.Len(t, as.VMAs(), 1, "one [heap] VMA")
	require.Contains(t, as.Maps(), "[heap]")
	// A mapping one page above the break blocks growth up to it.
	_, err = as.Mmap(start+10*PageSize, PageSize, rw, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	cur := as.Brk(0)
	require.Equal(t, cur, as.Brk(start+9*PageSize+1), "would leave no page gap")
	require.Equal(t, start+9*PageSize, as.Brk(start+9*PageSize))
	require.Equal(t, start+9*PageSize, as.Brk(1<<63), "absurd break fails")
	// Shrink frees the pages.
	require.Equal(t, start, as.Brk(start))
	require.Equal(t, SEGV_MAPERR, int(as.UserAccess(start+5*PageSize, AccessRead).Code))
	require.NoError(t, as.CheckInvariants())
}

// A small copy to or from user memory through a caller's stack buffer
// allocates nothing: put_user of an int or a timespec is on many paths.
func TestSmallUserCopiesDoNotAllocate(t *testing.T) {
	e := newEnv(t, 16)
	as := mapped(t, e)
	_, err := as.CopyOut(base, []byte("warm")) // fault the page in first
	require.NoError(t, err)
	n := testing.AllocsPerRun(100, func() {
		var b [16]byte
		b[0] = 7
		if _, err := as.CopyOut(base+8, b[:]); err != nil {
			t.Fatal(err)
		}
		if _, err := as.CopyIn(b[:8], base+8); err != nil || b[0] != 7 {
			t.Fatal("round trip", err)
		}
	})
	require.Zero(t, n, "allocations per CopyOut+CopyIn")
}
