package mm

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// randomOps drives one address space with random calls. Addresses and
// lengths are drawn mostly from a small window (so calls collide), and
// sometimes from anywhere in 64 bits; prot and flag words are random.
type randomOps struct {
	r    *rand.Rand
	as   *AddressSpace
	file *fakeFile
}

const window = 0x10000000

func (o *randomOps) addr() uint64 {
	switch o.r.Intn(10) {
	case 0:
		return o.r.Uint64()
	case 1:
		return window + uint64(o.r.Intn(64*PageSize))
	case 2:
		return 0
	}
	return window + uint64(o.r.Intn(64))*PageSize
}

func (o *randomOps) length() uint64 {
	switch o.r.Intn(10) {
	case 0:
		return o.r.Uint64()
	case 1:
		return 0
	case 2:
		return uint64(o.r.Intn(5 * PageSize))
	}
	return uint64(1+o.r.Intn(16)) * PageSize
}

func (o *randomOps) word(common ...uint32) uint32 {
	if o.r.Intn(8) == 0 {
		return o.r.Uint32()
	}
	var w uint32
	for _, c := range common {
		if o.r.Intn(2) == 0 {
			w |= c
		}
	}
	return w
}

func (o *randomOps) step() {
	as := o.as
	switch o.r.Intn(12) {
	case 0, 1:
		flags := o.word(MapPrivate, MapShared, MapAnonymous, MapFixed, MapFixedNoReplace, MapPopulate, MapGrowsDown, Map32Bit)
		_, _ = as.Mmap(o.addr(), o.length(), o.word(ProtRead, ProtWrite, ProtExec), flags, 3, uint64(o.r.Intn(4))*PageSize, lookupOf(o.file))
	case 2:
		_ = as.Munmap(o.addr(), o.length())
	case 3:
		_ = as.Mprotect(o.addr(), o.length(), o.word(ProtRead, ProtWrite, ProtExec, ProtGrowsDown))
	case 4:
		_, _ = as.Mremap(o.addr(), o.length(), o.length(), o.word(MremapMayMove, MremapFixed, MremapDontUnmap), o.addr())
	case 5:
		as.Brk(o.addr())
	case 6:
		_ = as.Madvise(o.addr(), o.length(), int32(o.r.Intn(24)))
	case 7:
		_ = as.Mincore(o.addr(), o.length(), o.addr())
	case 8:
		_ = as.Msync(o.addr(), o.length(), int32(o.r.Intn(8)))
	case 9:
		as.UserAccess(o.addr(), Access(o.r.Intn(3)))
	case 10:
		buf := make([]byte, o.r.Intn(3*PageSize))
		if o.r.Intn(2) == 0 {
			_, _ = as.CopyIn(buf, o.addr())
		} else {
			_, _ = as.CopyOut(o.addr(), buf)
		}
	case 11:
		_, _ = as.CopyInString(o.addr(), o.r.Intn(300))
	}
}

func TestRandomCallsNeverPanicLeakOrCorruptTheVMATree(t *testing.T) {
	cases := 100_000
	if testing.Short() {
		cases = 10_000
	}
	e := newEnv(t, 64)
	start := e.alloc.FreeFrames()
	r := rand.New(rand.NewSource(4))
	d := &fakeDriver{}
	page, err := GetZeroedPage()
	require.NoError(t, err)
	d.page = page
	file := &fakeFile{read: true, writ: true, ops: d, name: "/dev/fake"}
	var as *AddressSpace
	for i := 0; i < cases; i++ {
		if i%2000 == 0 {
			if as != nil {
				as.Release()
			}
			layout := Layout64()
			if r.Intn(2) == 0 {
				layout = Layout32()
			}
			as, err = NewAddressSpace(e.alloc, e.kernel, NewRecordingTLB(), layout)
			require.NoError(t, err)
			require.NoError(t, as.SetStartBrk(window+32*PageSize))
		}
		o := &randomOps{r: r, as: as, file: file}
		o.step()
		if err := as.CheckInvariants(); err != nil {
			t.Fatalf("case %d: VMA tree inconsistent: %v\n%s", i, err, as.Maps())
		}
	}
	as.Release()
	FreePage(page)
	require.Equal(t, start, e.alloc.FreeFrames(), "no frame leaked")
	require.Zero(t, file.refs.Load(), "no file reference leaked")
	require.Positive(t, file.mmaps)
	require.Equal(t, file.mmaps+d.opens, d.closes, "each mmap + each open is closed once")
}

func TestThousandAddressSpacesWithRandomMappingsLeaveFreeCountUnchanged(t *testing.T) {
	e := newEnv(t, 64)
	start := e.alloc.FreeFrames()
	r := rand.New(rand.NewSource(1000))
	f, _ := newDriverFile(t)
	afterDriver := e.alloc.FreeFrames()
	require.Equal(t, start-1, afterDriver, "the driver's page")
	for i := 0; i < 1000; i++ {
		layout := Layout64()
		if i%3 == 0 {
			layout = Layout32()
		}
		as, err := NewAddressSpace(e.alloc, e.kernel, nil, layout)
		require.NoError(t, err)
		for j := 0; j < 8; j++ {
			flags := uint32(anonPriv)
			switch r.Intn(3) {
			case 0:
				flags = MapShared | MapAnonymous
			case 1:
				flags = MapShared
			}
			a, err := as.Mmap(0, uint64(1+r.Intn(8))*PageSize, rw, flags, 3, 0, lookupOf(f))
			require.NoError(t, err)
			as.UserAccess(a, Access(r.Intn(2)))
			_, _ = as.CopyOut(a+uint64(r.Intn(PageSize)), []byte("x"))
		}
		if i%2 == 0 {
			child, err := as.Fork()
			require.NoError(t, err)
			_, _ = child.CopyOut(as.VMAs()[0].Start, []byte("y"))
			child.Release()
		}
		as.Release()
	}
	require.Equal(t, afterDriver, e.alloc.FreeFrames())
	require.Zero(t, f.refs.Load())
}
