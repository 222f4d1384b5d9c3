package mm

import (
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

func TestFaultResultsAreLinuxSignals(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	f, _ := newDriverFile(t)
	noops := &fakeFile{read: true, writ: true, name: "/plain"}
	ro, _ := as.Mmap(0x10000000, PageSize, ProtRead, anonPriv|MapFixed, -1, 0, nil)
	none, _ := as.Mmap(0x10002000, PageSize, ProtNone, anonPriv|MapFixed, -1, 0, nil)
	drv, err := as.Mmap(0x10004000, 2*PageSize, rw, MapShared|MapFixed, 3, 0, lookupOf(f))
	require.NoError(t, err)
	plain, err := as.Mmap(0x10008000, PageSize, rw, MapShared|MapFixed, 3, 0, lookupOf(noops))
	require.NoError(t, err)
	for _, c := range []struct {
		name string
		va   uint64
		acc  Access
		want FaultResult
	}{
		{"read of unmapped address", 0x20000000, AccessRead, FaultResult{Signo: SIGSEGV, Code: SEGV_MAPERR, Addr: 0x20000000}},
		{"read of NULL", 0, AccessRead, FaultResult{Signo: SIGSEGV, Code: SEGV_MAPERR}},
		{"write to read-only", ro + 5, AccessWrite, FaultResult{Signo: SIGSEGV, Code: SEGV_ACCERR, Addr: ro + 5}},
		{"fetch from non-exec", ro, AccessExec, FaultResult{Signo: SIGSEGV, Code: SEGV_ACCERR, Addr: ro}},
		{"read of PROT_NONE", none, AccessRead, FaultResult{Signo: SIGSEGV, Code: SEGV_ACCERR, Addr: none}},
		{"kernel address", KernelBase + 0x1000, AccessRead, FaultResult{Signo: SIGSEGV, Code: SEGV_MAPERR, Addr: KernelBase + 0x1000}},
		{"non-canonical address is #GP", 0x0000_8000_0000_0000, AccessRead, FaultResult{Signo: SIGSEGV, Code: 0x80}},
		{"driver page past the first: SIGBUS", drv + PageSize + 8, AccessRead, FaultResult{Signo: SIGBUS, Code: BUS_ADRERR, Addr: drv + PageSize}},
		{"file VMA with dummy ops: SIGBUS", plain, AccessRead, FaultResult{Signo: SIGBUS, Code: BUS_ADRERR, Addr: plain}},
		{"read of read-only works", ro, AccessRead, FaultResult{}},
		{"driver page 0 works", drv, AccessWrite, FaultResult{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, as.UserAccess(c.va, c.acc))
		})
	}
	// After a PROT_NONE read fault the page is still PROT_NONE.
	require.NoError(t, as.Mprotect(none, PageSize, rw))
	require.True(t, as.UserAccess(none, AccessWrite).OK())
	require.NoError(t, as.Mprotect(none, PageSize, ProtNone))
	require.Equal(t, int32(SEGV_ACCERR), as.UserAccess(none, AccessRead).Code)
	require.Equal(t, PMPresent|PMExclusive, as.PagemapEntry(none, false), "PROT_NONE keeps the page")
}

func TestDemandZeroReadMapsTheZeroPageThenWriteGetsAPrivatePage(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	a, err := as.Mmap(0, PageSize, rw, anonPriv, -1, 0, nil)
	require.NoError(t, err)
	require.True(t, as.UserAccess(a, AccessRead).OK())
	require.Equal(t, PMPresent|uint64(e.alloc.ZeroPFN()), as.PagemapEntry(a, true))
	require.True(t, as.UserAccess(a, AccessWrite).OK())
	ent := as.PagemapEntry(a, true)
	require.Equal(t, PMPresent|PMExclusive, ent&^PMPFNMask)
	require.NotEqual(t, uint64(e.alloc.ZeroPFN()), ent&PMPFNMask)
	require.Equal(t, make([]byte, PageSize), e.ram.Frame(e.alloc.ZeroPFN()), "zero page never written")
}

func TestStackGrowsDownWithinTheLimitOnly(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	top, err := as.SetupStack(4 * PageSize)
	require.NoError(t, err)
	require.True(t, as.UserAccess(top-64*PageSize, AccessWrite).OK(), "grows")
	require.Equal(t, top-64*PageSize, as.VMAs()[0].Start)
	require.Equal(t, int32(SEGV_MAPERR), as.UserAccess(top-DefaultStackLimit-PageSize, AccessRead).Code)
	require.Contains(t, as.Maps(), "[stack]")
}

func TestPrivateFileMappingCopiesOnWriteAndSharedSeesOriginal(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	f, d := newDriverFile(t)
	shared, err := as.Mmap(0, PageSize, rw, MapShared, 3, 0, lookupOf(f))
	require.NoError(t, err)
	priv, err := as.Mmap(0, PageSize, rw, MapPrivate, 3, 0, lookupOf(f))
	require.NoError(t, err)
	buf := make([]byte, 4)
	_, err = as.CopyIn(buf, priv)
	require.NoError(t, err)
	require.Equal(t, "asdf", string(buf))
	require.Equal(t, as.PagemapEntry(priv, true)&PMPFNMask, uint64(d.page), "unwritten private page is the driver's page")
	_, err = as.CopyOut(priv, []byte("PRIV"))
	require.NoError(t, err)
	require.Equal(t, PMPresent|PMExclusive, as.PagemapEntry(priv, true)&^PMPFNMask, "now an exclusive anonymous page")
	_, err = as.CopyIn(buf, shared)
	require.NoError(t, err)
	require.Equal(t, "asdf", string(buf), "COW kept the write private")
	require.Equal(t, "asdf", string(PageBytes(d.page)[:4]))
	_, err = as.CopyOut(shared, []byte("SHRD"))
	require.NoError(t, err)
	require.Equal(t, "SHRD", string(PageBytes(d.page)[:4]), "shared write reaches the driver page")
}

func TestSeedDriverTwoSharedMappingsShareOneFrame(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	f, d := newDriverFile(t)
	a1, err := as.Mmap(0, PageSize, rw, MapShared, 3, 0, lookupOf(f))
	require.NoError(t, err)
	a2, err := as.Mmap(0, PageSize, rw, MapShared, 3, 0, lookupOf(f))
	require.NoError(t, err)
	require.Equal(t, a1-PageSize, a2, "second mapping 4096 below the first")
	require.Zero(t, as.PagemapEntry(a1, true), "untouched page reads 0")
	_, err = as.CopyOut(a1, []byte("hi"))
	require.NoError(t, err)
	buf := make([]byte, 4)
	_, err = as.CopyIn(buf, a2)
	require.NoError(t, err)
	require.Equal(t, "hidf", string(buf))
	want := PMPresent | PMFile | uint64(d.page)
	require.Equal(t, want, as.PagemapEntry(a1, true))
	require.Equal(t, want, as.PagemapEntry(a2, true))
	require.Equal(t, PMPresent|PMFile, as.PagemapEntry(a2, false), "PFN hidden without CAP_SYS_ADMIN")
	require.Equal(t, 3, e.alloc.PageCount(d.page), "driver + two PTEs")
	require.NoError(t, as.Munmap(a1, PageSize))
	require.NoError(t, as.Munmap(a2, PageSize))
	require.Equal(t, 1, e.alloc.PageCount(d.page))
	require.Zero(t, d.opens)
	require.Equal(t, 2, d.closes)
	require.Equal(t, 2, d.faults)
	require.Zero(t, f.refs.Load())
}

func TestSharedAnonymousMemoryIsSharedAcrossForkAndFreedAtTheEnd(t *testing.T) {
	e := newEnv(t, 16)
	free := e.alloc.FreeFrames()
	parent, err := NewAddressSpace(e.alloc, e.kernel, nil, Layout64())
	require.NoError(t, err)
	a, err := parent.Mmap(0, 2*PageSize, rw, MapShared|MapAnonymous, -1, 0, nil)
	require.NoError(t, err)
	child, err := parent.Fork()
	require.NoError(t, err)
	_, err = child.CopyOut(a+PageSize, []byte("from child"))
	require.NoError(t, err)
	buf := make([]byte, 10)
	_, err = parent.CopyIn(buf, a+PageSize)
	require.NoError(t, err)
	require.Equal(t, "from child", string(buf))
	require.Equal(t, PMPresent|PMFile, parent.PagemapEntry(a+PageSize, false))
	require.Contains(t, parent.Maps(), "/dev/zero (deleted)")
	child.Release()
	parent.Release()
	require.Equal(t, free, e.alloc.FreeFrames())
}

func TestForkKeepsPrivateDataPrivateByCopyOnWrite(t *testing.T) {
	e := newEnv(t, 16)
	free := e.alloc.FreeFrames()
	parent, err := NewAddressSpace(e.alloc, e.kernel, nil, Layout64())
	require.NoError(t, err)
	a, err := parent.Mmap(0, PageSize, rw, anonPriv, -1, 0, nil)
	require.NoError(t, err)
	_, err = parent.CopyOut(a, []byte("parent"))
	require.NoError(t, err)
	child, err := parent.Fork()
	require.NoError(t, err)
	pfn := parent.PagemapEntry(a, true) & PMPFNMask
	require.Equal(t, pfn, child.PagemapEntry(a, true)&PMPFNMask, "shared until written")
	require.Zero(t, parent.PagemapEntry(a, true)&PMExclusive)
	_, err = child.CopyOut(a, []byte("child!"))
	require.NoError(t, err)
	buf := make([]byte, 6)
	_, err = parent.CopyIn(buf, a)
	require.NoError(t, err)
	require.Equal(t, "parent", string(buf))
	_, err = child.CopyIn(buf, a)
	require.NoError(t, err)
	require.Equal(t, "child!", string(buf))
	// The parent's write now reuses its page: no copy.
	anon := e.alloc.Meminfo().Anon
	_, err = parent.CopyOut(a, []byte("P"))
	require.NoError(t, err)
	require.Equal(t, anon, e.alloc.Meminfo().Anon)
	require.Equal(t, pfn, parent.PagemapEntry(a, true)&PMPFNMask)
	child.Release()
	parent.Release()
	require.Equal(t, free, e.alloc.FreeFrames())
}

func TestForkSkipsDontCopyAndCallsOpen(t *testing.T) {
	e := newEnv(t, 16)
	parent := e.newAS(t, Layout64())
	f, d := newDriverFile(t)
	_, err := parent.Mmap(0, PageSize, rw, MapShared, 3, 0, lookupOf(f))
	require.NoError(t, err)
	a, err := parent.Mmap(0, PageSize, rw, anonPriv, -1, 0, nil)
	require.NoError(t, err)
	require.NoError(t, parent.Madvise(a, PageSize, MadvDontFork))
	child, err := parent.Fork()
	require.NoError(t, err)
	require.Len(t, child.VMAs(), 1)
	require.Equal(t, 1, d.opens)
	child.Release()
	require.Equal(t, 1, d.closes)
}

func TestOOMDuringFaultIsReportedNotPanicked(t *testing.T) {
	e := newEnv(t, 2)
	as := e.newAS(t, Layout64())
	a, err := as.Mmap(0, 4<<20, rw, anonPriv, -1, 0, nil)
	require.NoError(t, err)
	var r FaultResult
	for va := a; va < a+4<<20; va += PageSize {
		if r = as.UserAccess(va, AccessWrite); !r.OK() {
			break
		}
	}
	require.True(t, r.OOM)
	_, err = as.CopyOut(a+(4<<20)-PageSize, []byte{1})
	require.ErrorIs(t, err, abi.EFAULT)
}
