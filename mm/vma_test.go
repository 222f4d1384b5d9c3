package mm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestVMASplitAndMergeWithOpenCloseCounts(t *testing.T) {
	e := newEnv(t, 16)
	for _, c := range []struct {
		name          string
		op            func(as *AddressSpace, a uint64) error
		vmas          int
		opens, closes int
	}{
		{"munmap middle page: two splits", func(as *AddressSpace, a uint64) error { return as.Munmap(a+PageSize, PageSize) }, 2, 2, 1},
		{"munmap head page: one split", func(as *AddressSpace, a uint64) error { return as.Munmap(a, PageSize) }, 1, 1, 1},
		{"munmap all", func(as *AddressSpace, a uint64) error { return as.Munmap(a, 4*PageSize) }, 0, 0, 1},
		{"mprotect middle: three VMAs", func(as *AddressSpace, a uint64) error { return as.Mprotect(a+PageSize, PageSize, ProtRead) }, 3, 2, 0},
		{"mprotect tail", func(as *AddressSpace, a uint64) error { return as.Mprotect(a+3*PageSize, PageSize, ProtRead) }, 2, 1, 0},
		{"mprotect to the same protection: no split", func(as *AddressSpace, a uint64) error { return as.Mprotect(a+PageSize, PageSize, rw) }, 1, 0, 0},
		{"madvise DODUMP middle clears the driver's VM_DONTDUMP", func(as *AddressSpace, a uint64) error { return as.Madvise(a+PageSize, 2*PageSize, MadvDoDump) }, 3, 2, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			as := e.newAS(t, Layout64())
			f, d := newDriverFile(t)
			a, err := as.Mmap(0, 4*PageSize, rw, MapShared, 3, 0, lookupOf(f))
			require.NoError(t, err)
			require.NoError(t, c.op(as, a))
			require.Len(t, as.VMAs(), c.vmas)
			require.Equal(t, c.opens, d.opens)
			require.Equal(t, c.closes, d.closes)
			require.Equal(t, int64(c.vmas), f.refs.Load(), "one file reference per VMA")
			for _, v := range as.VMAs() {
				require.NotZero(t, v.Flags&VMDontExpand, "driver flags survive splits")
				require.Equal(t, v.Ops, VMOperations(d))
			}
			as.Release()
			require.Equal(t, d.opens+1, d.closes, "1 mmap + N opens = N+1 closes")
			require.Zero(t, f.refs.Load())
		})
	}
}

func TestAnonymousVMAsMergeBackAfterMprotect(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	a, err := as.Mmap(0, 4*PageSize, rw, anonPriv, -1, 0, nil)
	require.NoError(t, err)
	require.NoError(t, as.Mprotect(a+PageSize, PageSize, ProtRead))
	require.Len(t, as.VMAs(), 3)
	require.NoError(t, as.Mprotect(a+PageSize, PageSize, rw))
	require.Len(t, as.VMAs(), 1)
	// Adjacent new anonymous mappings merge with the old one.
	_, err = as.Mmap(a+4*PageSize, PageSize, rw, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	require.Len(t, as.VMAs(), 1)
	require.Equal(t, a+5*PageSize, as.VMAs()[0].End)
	// Different protection does not merge.
	_, err = as.Mmap(a+5*PageSize, PageSize, ProtRead, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	require.Len(t, as.VMAs(), 2)
}

func TestFileVMAsMergeOnlyWithContiguousOffsetsAndNeverWithDriverOps(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	plain := &fakeFile{read: true, writ: true, name: "/plain"}
	_, err := as.Mmap(base, PageSize, ProtRead, MapPrivate|MapFixed, 3, 0, lookupOf(plain))
	require.NoError(t, err)
	_, err = as.Mmap(base+PageSize, PageSize, ProtRead, MapPrivate|MapFixed, 3, PageSize, lookupOf(plain))
	require.NoError(t, err)
	require.Len(t, as.VMAs(), 1, "offsets 0 and 1 are contiguous")
	require.Equal(t, int64(1), plain.refs.Load())
	_, err = as.Mmap(base+2*PageSize, PageSize, ProtRead, MapPrivate|MapFixed, 3, 5*PageSize, lookupOf(plain))
	require.NoError(t, err)
	require.Len(t, as.VMAs(), 2)
	f, _ := newDriverFile(t)
	_, err = as.Mmap(0x20000000, PageSize, rw, MapShared|MapFixed, 3, 0, lookupOf(f))
	require.NoError(t, err)
	_, err = as.Mmap(0x20001000, PageSize, rw, MapShared|MapFixed, 3, PageSize, lookupOf(f))
	require.NoError(t, err)
	require.Len(t, as.VMAs(), 4, "VMAs with a close callback never merge")
}

// findIndex is find_vma's index: the first VMA ending above addr, for
// every address around every boundary of a set with gaps.
func TestFindIndexAgainstALinearScan(t *testing.T) {
	for n := 0; n <= 9; n++ {
		as := &AddressSpace{}
		for i := 0; i < n; i++ {
			start := uint64(0x10000 + i*0x3000) // 0x2000 mapped, 0x1000 hole
			as.vmas = append(as.vmas, &VMA{Start: start, End: start + 0x2000})
		}
		for addr := uint64(0xf000); addr < uint64(0x10000+n*0x3000+0x2000); addr += 0x800 {
			want := len(as.vmas)
			for i, v := range as.vmas {
				if v.End > addr {
					want = i
					break
				}
			}
			require.Equal(t, want, as.findIndex(addr), "%d VMAs, addr %#x", n, addr)
		}
	}
}
