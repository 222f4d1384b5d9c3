package mm

import (
	"sync/atomic"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

// testEnv is simulated RAM, an allocator over it, the kernel half, and the
// allocator installed as the default (restored when the test ends).
type testEnv struct {
	ram    *SimRAM
	alloc  *FrameAllocator
	kernel *KernelHalf
}

func newEnv(t testing.TB, mib uint64) *testEnv {
	t.Helper()
	ram, err := NewSimRAM(1<<20, mib<<20)
	require.NoError(t, err)
	alloc, err := NewFrameAllocator(ram, []PhysRange{ram.Range()})
	require.NoError(t, err)
	kernel, err := NewKernelHalf(alloc)
	require.NoError(t, err)
	prev := SetDefaultAllocator(alloc)
	t.Cleanup(func() { SetDefaultAllocator(prev) })
	return &testEnv{ram: ram, alloc: alloc, kernel: kernel}
}

func (e *testEnv) newAS(t testing.TB, layout Layout) *AddressSpace {
	t.Helper()
	as, err := NewAddressSpace(e.alloc, e.kernel, NewRecordingTLB(), layout)
	require.NoError(t, err)
	t.Cleanup(as.Release)
	return as
}

// fakeFile is an MmapFile for tests: it counts references and can refuse
// mmap or have no mmap method.
type fakeFile struct {
	refs       atomic.Int64
	read, writ bool
	mmapErr    error
	ops        VMOperations
	name       string
	ino        uint64
	mmaps      int // successful Mmap calls that installed ops
}

func (f *fakeFile) IncRef()                              { f.refs.Add(1) }
func (f *fakeFile) DecRef()                              { f.refs.Add(-1) }
func (f *fakeFile) MapsName() string                     { return f.name }
func (f *fakeFile) MapsDevIno() (uint32, uint32, uint64) { return 8, 1, f.ino }
func (f *fakeFile) Readable() bool                       { return f.read }
func (f *fakeFile) Writable() bool                       { return f.writ }
func (f *fakeFile) Mmap(v *VMA) error {
	if f.mmapErr != nil {
		return f.mmapErr
	}
	v.Ops = f.ops
	if f.ops != nil {
		v.Flags |= VMDontExpand | VMDontDump
		f.mmaps++
	}
	return nil
}

// fakeDriver is the seed-001 driver's vm_operations: one kernel page
// handed out for pgoff 0, SIGBUS past it, open/close counted.
type fakeDriver struct {
	page          PFN
	opens, closes int
	faults        int
}

func (d *fakeDriver) Open(*VMA)  { d.opens++ }
func (d *fakeDriver) Close(*VMA) { d.closes++ }
func (d *fakeDriver) Fault(vmf *VMFault) VMFaultResult {
	d.faults++
	if vmf.Pgoff != 0 {
		return VMFaultSIGBUS
	}
	GetPage(d.page)
	vmf.Page = d.page
	return 0
}

// newDriverFile builds the seed driver: a zeroed kernel page holding "asdf".
func newDriverFile(t testing.TB) (*fakeFile, *fakeDriver) {
	t.Helper()
	page, err := GetZeroedPage()
	require.NoError(t, err)
	copy(PageBytes(page), "asdf")
	d := &fakeDriver{page: page}
	t.Cleanup(func() { FreePage(page) })
	return &fakeFile{read: true, writ: true, ops: d, name: "/proc/lkmc_mmap", ino: 4026531842}, d
}

func lookupOf(f MmapFile) FileLookup {
	return func(fd int) (MmapFile, error) {
		if fd != 3 || f == nil {
			return nil, abi.EBADF
		}
		return f, nil
	}
}

const anonPriv = MapPrivate | MapAnonymous
const rw = ProtRead | ProtWrite
