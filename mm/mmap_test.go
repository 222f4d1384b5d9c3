package mm

import (
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

func TestMmapErrnosFollowLinuxValidationOrder(t *testing.T) {
	e := newEnv(t, 16)
	rdwr := &fakeFile{read: true, writ: true, name: "/f"}
	rdonly := &fakeFile{read: true, name: "/f"}
	wronly := &fakeFile{writ: true, name: "/f"}
	nommap := &fakeFile{read: true, writ: true, mmapErr: abi.ENODEV}
	taken := uint64(0x10000000)
	for _, c := range []struct {
		name   string
		addr   uint64
		length uint64
		prot   uint32
		flags  uint32
		fd     int
		off    uint64
		file   MmapFile
		want   error
	}{
		{"unaligned offset, even anonymous", 0, 4096, rw, anonPriv, -1, 1, nil, abi.EINVAL},
		{"unaligned offset before bad fd", 0, 4096, rw, MapShared, 99, 4095, nil, abi.EINVAL},
		{"bad fd", 0, 4096, rw, MapShared, 99, 0, nil, abi.EBADF},
		{"fd -1 without MAP_ANONYMOUS", 0, 4096, rw, MapPrivate, -1, 0, rdwr, abi.EBADF},
		{"MAP_HUGETLB on a regular file", 0, 4096, rw, MapPrivate | MapHugeTLB, 3, 0, rdwr, abi.EINVAL},
		{"zero length", 0, 0, rw, anonPriv, -1, 0, nil, abi.EINVAL},
		{"length that wraps when page aligned", 0, 1<<64 - 4095, rw, anonPriv, -1, 0, nil, abi.ENOMEM},
		{"pgoff + pages wraps", 0, 1 << 20, rw, MapShared, 3, 1<<64 - 4096, rdwr, abi.EOVERFLOW},
		{"MAP_FIXED unaligned", 0x10001, 4096, rw, anonPriv | MapFixed, -1, 0, nil, abi.EINVAL},
		{"MAP_FIXED past TASK_SIZE", TaskSize64 - 4096, 8192, rw, anonPriv | MapFixed, -1, 0, nil, abi.ENOMEM},
		{"MAP_FIXED below mmap_min_addr", 0, 4096, rw, anonPriv | MapFixed, -1, 0, nil, abi.EPERM},
		{"length above TASK_SIZE", 0, TaskSize64 + 4096, rw, anonPriv, -1, 0, nil, abi.ENOMEM},
		{"MAP_FIXED_NOREPLACE over a mapping", taken, 4096, rw, anonPriv | MapFixedNoReplace, -1, 0, nil, abi.EEXIST},
		{"MAP_FIXED_NOREPLACE unaligned", taken + 1, 4096, rw, anonPriv | MapFixedNoReplace, -1, 0, nil, abi.EINVAL},
		{"MAP_SHARED_VALIDATE with unknown flag", 0, 4096, rw, MapSharedValidate | 0x200000, 3, 0, rdwr, abi.EOPNOTSUPP},
		{"MAP_SHARED_VALIDATE with MAP_SYNC on a non-DAX file", 0, 4096, rw, MapSharedValidate | MapSync, 3, 0, rdwr, abi.EOPNOTSUPP},
		{"MAP_SHARED PROT_WRITE on read-only fd", 0, 4096, rw, MapShared, 3, 0, rdonly, abi.EACCES},
		{"MAP_PRIVATE on write-only fd, PROT_READ", 0, 4096, ProtRead, MapPrivate, 3, 0, wronly, abi.EACCES},
		{"MAP_PRIVATE on write-only fd, PROT_NONE", 0, 4096, ProtNone, MapPrivate, 3, 0, wronly, abi.EACCES},
		{"MAP_SHARED on write-only fd", 0, 4096, ProtWrite, MapShared, 3, 0, wronly, abi.EACCES},
		{"file without mmap method", 0, 4096, ProtRead, MapShared, 3, 0, nommap, abi.ENODEV},
		{"file MAP_GROWSDOWN", 0, 4096, ProtRead, MapPrivate | MapGrowsDown, 3, 0, rdwr, abi.EINVAL},
		{"file mapping type 0", 0, 4096, ProtRead, 0, 3, 0, rdwr, abi.EINVAL},
		{"file mapping type 0xf", 0, 4096, ProtRead, 0xf, 3, 0, rdwr, abi.EINVAL},
		{"anonymous type 0", 0, 4096, rw, MapAnonymous, -1, 0, nil, abi.EINVAL},
		{"anonymous MAP_SHARED_VALIDATE", 0, 4096, rw, MapSharedValidate | MapAnonymous, -1, 0, nil, abi.EINVAL},
		{"anonymous type 0xf", 0, 4096, rw, 0xf | MapAnonymous, -1, 0, nil, abi.EINVAL},
		{"shared anonymous MAP_GROWSDOWN", 0, 4096, rw, MapShared | MapAnonymous | MapGrowsDown, -1, 0, nil, abi.EINVAL},
		{"MAP_LOCKED without privilege", 0, 4096, rw, anonPriv | MapLocked, -1, 0, nil, abi.EPERM},
	} {
		t.Run(c.name, func(t *testing.T) {
			as := e.newAS(t, Layout64())
			_, err := as.Mmap(taken, 4096, rw, anonPriv|MapFixed, -1, 0, nil)
			require.NoError(t, err)
			before := as.Maps()
			_, err = as.Mmap(c.addr, c.length, c.prot, c.flags, c.fd, c.off, lookupOf(c.file))
			require.ErrorIs(t, err, c.want)
			require.Equal(t, before, as.Maps(), "a failed mmap changes nothing")
			require.NoError(t, as.CheckInvariants())
		})
	}
	require.Zero(t, rdwr.refs.Load()+rdonly.refs.Load()+wronly.refs.Load()+nommap.refs.Load(),
		"failed mmaps hold no file reference")
}

func TestMmapAcceptsWhatLinuxAccepts(t *testing.T) {
	e := newEnv(t, 16)
	rdonly := &fakeFile{read: true, name: "/f"}
	rdwr := &fakeFile{read: true, writ: true, name: "/f"}
	for _, c := range []struct {
		name  string
		addr  uint64
		prot  uint32
		flags uint32
		file  MmapFile
		want  uint64 // 0 = anywhere
		perms string
	}{
		{"unknown PROT bit ignored", 0, rw | 0x100, anonPriv, nil, 0, "rw-p"},
		{"unaligned hint accepted and rounded down", 0x20000123, rw, anonPriv, nil, 0x20000000, "rw-p"},
		{"hint inside page 0 rounds to NULL: no hint", 0x10, rw, anonPriv, nil, Layout64().MmapBase - PageSize, "rw-p"},
		{"MAP_SHARED drops unknown flags", 0, ProtRead, MapShared | 0x200000, rdwr, 0, "r--s"},
		{"private writable map of read-only fd", 0, rw, MapPrivate, rdonly, 0, "rw-p"},
		{"shared read-only map of read-only fd", 0, ProtRead, MapShared, rdonly, 0, "r--s"},
		{"first mmap is top-down below mmap_base", 0, rw, anonPriv, nil, Layout64().MmapBase - PageSize, "rw-p"},
		{"MAP_32BIT lands in the first 2 GiB", 0, rw, anonPriv | Map32Bit, nil, 0x40000000, "rw-p"},
		{"anonymous MAP_SHARED", 0, rw, MapShared | MapAnonymous, nil, 0, "rw-s"},
		{"MAP_DROPPABLE anonymous", 0, rw, MapDroppable | MapAnonymous, nil, 0, "rw-p"},
	} {
		t.Run(c.name, func(t *testing.T) {
			as := e.newAS(t, Layout64())
			got, err := as.Mmap(c.addr, 4096, c.prot, c.flags, 3, 0, lookupOf(c.file))
			require.NoError(t, err)
			if c.want != 0 {
				require.Equal(t, c.want, got)
			}
			vmas := as.VMAs()
			require.Len(t, vmas, 1)
			require.Contains(t, as.Maps(), c.perms)
		})
	}
}

func TestMmapFixedReplacesAndClosesTheOldMapping(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	f, d := newDriverFile(t)
	a, err := as.Mmap(0, 3*PageSize, rw, MapShared, 3, 0, lookupOf(f))
	require.NoError(t, err)
	require.Equal(t, int64(1), f.refs.Load())
	// Overlay the middle page: split in three (two opens), middle closed.
	_, err = as.Mmap(a+PageSize, PageSize, rw, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	require.Equal(t, 2, d.opens)
	require.Equal(t, 1, d.closes)
	require.Len(t, as.VMAs(), 3)
	require.Equal(t, int64(2), f.refs.Load())
	require.NoError(t, as.Munmap(a, 3*PageSize))
	require.Equal(t, d.opens+1, d.closes, "1 mmap + N opens = N+1 closes")
	require.Zero(t, f.refs.Load())
}

func TestMmapOfDriverErrorDiscardsVMAWithoutClose(t *testing.T) {
	e := newEnv(t, 8)
	as := e.newAS(t, Layout64())
	d := &fakeDriver{}
	f := &fakeFile{read: true, writ: true, ops: d, mmapErr: abi.EIO}
	_, err := as.Mmap(0, PageSize, rw, MapShared, 3, 0, lookupOf(f))
	require.ErrorIs(t, err, abi.EIO)
	require.Zero(t, d.closes)
	require.Zero(t, f.refs.Load())
	require.Empty(t, as.VMAs())
}

func TestMmapPopulatePrefaultsPages(t *testing.T) {
	e := newEnv(t, 8)
	as := e.newAS(t, Layout64())
	a, err := as.Mmap(0, 4*PageSize, rw, anonPriv|MapPopulate, -1, 0, nil)
	require.NoError(t, err)
	for i := uint64(0); i < 4; i++ {
		require.Equal(t, PMPresent|PMExclusive, as.PagemapEntry(a+i*PageSize, false))
	}
	b, err := as.Mmap(0, PageSize, rw, anonPriv|MapPopulate|MapNonBlock, -1, 0, nil)
	require.NoError(t, err)
	require.Zero(t, as.PagemapEntry(b, false), "MAP_NONBLOCK disables populate")
}

func TestMmap2TakesOffsetInPagesForCompatTasks(t *testing.T) {
	e := newEnv(t, 8)
	as := e.newAS(t, Layout32())
	f := &fakeFile{read: true, writ: true, name: "/f", ino: 7}
	a, err := as.Mmap2(0, PageSize, ProtRead, MapPrivate, 3, 5, lookupOf(f))
	require.NoError(t, err)
	require.Less(t, a, uint64(TaskSize32))
	require.Equal(t, Layout32().MmapBase-PageSize, a)
	require.Equal(t, uint64(5), as.VMAs()[0].Pgoff)
	_, err = as.Mmap2(TaskSize32, PageSize, ProtRead, anonPriv|MapFixed, -1, 0, nil)
	require.ErrorIs(t, err, abi.ENOMEM, "compat tasks end at 0xFFFFE000")
	_, err = as.Mmap2(0, 1<<32, ProtRead, anonPriv, -1, 0, nil)
	require.ErrorIs(t, err, abi.ENOMEM)
}
