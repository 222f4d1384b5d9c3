package mm

import (
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/stretchr/testify/require"
)

func TestSoftwareMMUEnforcesPermissionsAndBuildsErrorCodes(t *testing.T) {
	e := newEnv(t, 8)
	pt, err := NewPageTable(e.alloc, e.kernel, NopTLB{})
	require.NoError(t, err)
	frame, err := e.alloc.AllocZeroed(KindAnon)
	require.NoError(t, err)
	const (
		ro   = 0x400000
		rwx  = 0x401000
		nx   = 0x402000
		sup  = 0x403000
		none = 0x404000
	)
	require.NoError(t, pt.Map(ro, frame, amd64.PTEUser))
	require.NoError(t, pt.Map(rwx, frame, amd64.PTEUser|amd64.PTEWrite))
	require.NoError(t, pt.Map(nx, frame, amd64.PTEUser|amd64.PTEWrite|amd64.PTENoExec))
	require.NoError(t, pt.Map(sup, frame, amd64.PTEWrite))
	require.ErrorIs(t, pt.Map(ro, frame, amd64.PTEUser), abi.EEXIST)
	require.ErrorIs(t, pt.Map(ro+1, frame, amd64.PTEUser), abi.EINVAL)
	require.ErrorIs(t, pt.Map(KernelBase, frame, amd64.PTEUser), abi.EINVAL)

	U, W, P, I := uint32(amd64.PFUser), uint32(amd64.PFWrite), uint32(amd64.PFProt), uint32(amd64.PFInstr)
	for _, c := range []struct {
		name  string
		va    uint64
		acc   Access
		user  bool
		fault bool
		ec    uint32
	}{
		{"user read of read-only page", ro + 8, AccessRead, true, false, 0},
		{"user write of read-only page", ro, AccessWrite, true, true, P | W | U},
		{"supervisor write of read-only page (CR0.WP)", ro, AccessWrite, false, true, P | W},
		{"user write of writable page", rwx, AccessWrite, true, false, 0},
		{"user fetch of executable page", rwx, AccessExec, true, false, 0},
		{"user fetch of NX page", nx, AccessExec, true, true, P | I | U},
		{"user read of supervisor page", sup, AccessRead, true, true, P | U},
		{"supervisor read of supervisor page", sup, AccessRead, false, false, 0},
		{"user read of unmapped page", none, AccessRead, true, true, U},
		{"user write of unmapped page", none, AccessWrite, true, true, W | U},
		{"user fetch of unmapped page", none, AccessExec, true, true, I | U},
		{"user read where no table exists", 0x7f0000000000, AccessRead, true, true, U},
	} {
		t.Run(c.name, func(t *testing.T) {
			phys, ec, fault, gp := pt.Translate(c.va, c.acc, c.user)
			require.False(t, gp)
			require.Equal(t, c.fault, fault)
			require.Equal(t, c.ec, ec)
			if !fault {
				require.Equal(t, pfnToPhys(frame)|c.va&0xfff, phys)
			}
		})
	}
	_, _, _, gp := pt.Translate(0x0000_8000_0000_0000, AccessRead, true)
	require.True(t, gp, "non-canonical is #GP")

	require.True(t, pt.Walk(rwx).Has(amd64.PTEAccessed|amd64.PTEDirty), "a write sets A and D")
	require.True(t, pt.Walk(ro).Has(amd64.PTEAccessed))
	require.False(t, pt.Walk(ro).Has(amd64.PTEDirty))
	for _, va := range []uint64{ro, rwx, nx, sup} {
		require.NotZero(t, pt.Unmap(va))
	}
	require.Zero(t, pt.Unmap(ro), "second unmap finds nothing")
	e.alloc.PutPage(frame)
	pt.Destroy()
}

func TestKernelMappingsAreSharedAndSupervisorOnly(t *testing.T) {
	e := newEnv(t, 8)
	a := e.newAS(t, Layout64())
	b := e.newAS(t, Layout64())
	frame, err := GetZeroedPage()
	require.NoError(t, err)
	defer FreePage(frame)
	copy(PageBytes(frame), "kernel")
	const kva = 0xffff_8880_0000_1000
	// Mapped after both address spaces exist: still visible in both.
	require.NoError(t, e.kernel.Map(kva, frame, amd64.PTEWrite|amd64.PTENoExec))
	require.ErrorIs(t, e.kernel.Map(kva, frame, amd64.PTEUser), abi.EINVAL)
	require.ErrorIs(t, e.kernel.Map(0x1000, frame, 0), abi.EINVAL)
	for _, as := range []*AddressSpace{a, b} {
		phys, _, fault, _ := as.pt.Translate(kva, AccessRead, false)
		require.False(t, fault)
		require.Equal(t, pfnToPhys(frame), phys)
		require.True(t, as.pt.Walk(kva).Has(amd64.PTEGlobal))
		_, ec, fault, _ := as.pt.Translate(kva, AccessRead, true)
		require.True(t, fault)
		require.Equal(t, uint32(amd64.PFProt|amd64.PFUser), ec)
		_, err := as.CopyIn(make([]byte, 6), kva)
		require.ErrorIs(t, err, abi.EFAULT)
		r := as.UserAccess(kva, AccessRead)
		require.Equal(t, FaultResult{Signo: SIGSEGV, Code: SEGV_MAPERR, Addr: kva}, r)
	}
	// Tearing an address space down leaves the kernel half alone.
	a.Release()
	phys, _, fault, _ := b.pt.Translate(kva, AccessRead, false)
	require.False(t, fault)
	require.Equal(t, pfnToPhys(frame), phys)
}

func TestMunmapAndMprotectInvalidateTheTLB(t *testing.T) {
	e := newEnv(t, 8)
	tlb := NewRecordingTLB()
	as, err := NewAddressSpace(e.alloc, e.kernel, tlb, Layout64())
	require.NoError(t, err)
	defer as.Release()
	a, err := as.Mmap(0, 2*PageSize, rw, anonPriv, -1, 0, nil)
	require.NoError(t, err)
	require.True(t, as.UserAccess(a, AccessWrite).OK())
	require.True(t, as.UserAccess(a+PageSize, AccessWrite).OK())
	require.NoError(t, as.Mprotect(a, PageSize, ProtRead))
	require.Equal(t, 1, tlb.Invalidated[a])
	require.NoError(t, as.Munmap(a, 2*PageSize))
	require.Equal(t, 2, tlb.Invalidated[a])
	require.Equal(t, 1, tlb.Invalidated[a+PageSize])
}
