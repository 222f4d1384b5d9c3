package mm

import (
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

// The user-copy TLB must never show a page the page table no longer maps
// that way. Each test fills it (a copy through the page) and then changes
// the mapping behind it.

func readUser(t *testing.T, as *AddressSpace, va uint64, n int) ([]byte, error) {
	t.Helper()
	b := make([]byte, n)
	_, err := as.CopyIn(b, va)
	return b, err
}

func TestUserTLBForgetsUnmappedPage(t *testing.T) {
	as := mapped(t, newEnv(t, 16))
	_, err := as.CopyOut(base, []byte("live"))
	require.NoError(t, err)
	require.NoError(t, as.Munmap(base, PageSize))
	_, err = as.CopyOut(base, []byte("dead"))
	require.ErrorIs(t, err, abi.EFAULT)
	_, err = readUser(t, as, base, 4)
	require.ErrorIs(t, err, abi.EFAULT)
}

func TestUserTLBForgetsWritePermission(t *testing.T) {
	as := mapped(t, newEnv(t, 16))
	_, err := as.CopyOut(base, []byte("rw"))
	require.NoError(t, err)
	require.NoError(t, as.Mprotect(base, PageSize, ProtRead))
	_, err = as.CopyOut(base, []byte("no"))
	require.ErrorIs(t, err, abi.EFAULT, "a cached write entry must not outlive PROT_WRITE")
	b, err := readUser(t, as, base, 2)
	require.NoError(t, err)
	require.Equal(t, "rw", string(b))
	require.NoError(t, as.Mprotect(base, PageSize, ProtNone))
	_, err = readUser(t, as, base, 2)
	require.ErrorIs(t, err, abi.EFAULT, "nor a read entry PROT_NONE")
}

func TestUserTLBAcrossCopyOnWrite(t *testing.T) {
	e := newEnv(t, 16)
	parent := mapped(t, e)
	_, err := parent.CopyOut(base, []byte("old!"))
	require.NoError(t, err)
	child, err := parent.Fork()
	require.NoError(t, err)
	t.Cleanup(child.Release)
	b, err := readUser(t, child, base, 4) // both now cache the shared frame
	require.NoError(t, err)
	require.Equal(t, "old!", string(b))
	_, err = readUser(t, parent, base, 4)
	require.NoError(t, err)

	_, err = parent.CopyOut(base, []byte("new!")) // COW: the parent moves to a copy
	require.NoError(t, err)
	b, err = readUser(t, parent, base, 4)
	require.NoError(t, err)
	require.Equal(t, "new!", string(b))
	b, err = readUser(t, child, base, 4)
	require.NoError(t, err)
	require.Equal(t, "old!", string(b), "the child keeps the original")

	_, err = child.CopyOut(base, []byte("kid!"))
	require.NoError(t, err)
	b, err = readUser(t, parent, base, 4)
	require.NoError(t, err)
	require.Equal(t, "new!", string(b))
}

func TestUserTLBFollowsMremap(t *testing.T) {
	as := mapped(t, newEnv(t, 16))
	_, err := as.CopyOut(base, []byte("moving"))
	require.NoError(t, err)
	const to = 0x20000000
	got, err := as.Mremap(base, PageSize, PageSize, MremapMayMove|MremapFixed, to)
	require.NoError(t, err)
	require.Equal(t, uint64(to), got)
	_, err = readUser(t, as, base, 6)
	require.ErrorIs(t, err, abi.EFAULT)
	b, err := readUser(t, as, to, 6)
	require.NoError(t, err)
	require.Equal(t, "moving", string(b))
}

func TestUserTLBEmptyAfterRelease(t *testing.T) {
	e := newEnv(t, 16)
	as, err := NewAddressSpace(e.alloc, e.kernel, nil, Layout64())
	require.NoError(t, err)
	_, err = as.Mmap(base, PageSize, rw, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	_, err = as.CopyOut(base, []byte("x"))
	require.NoError(t, err)
	as.Release()
	_, err = as.CopyOut(base, []byte("y"))
	require.ErrorIs(t, err, abi.EFAULT)
}

// A copy that crosses a page boundary never takes the one-page fast path,
// even when the first page is cached: the second page is checked on its
// own, and a short copy stops exactly at the hole.
func TestCopyAcrossPageBoundaryChecksSecondPage(t *testing.T) {
	as := mapped(t, newEnv(t, 16))
	_, err := as.CopyOut(base, []byte("warm")) // the first page is cached
	require.NoError(t, err)
	edge := uint64(base + PageSize - 3)
	n, err := as.CopyOut(edge, []byte("across"))
	require.NoError(t, err)
	require.Equal(t, 6, n)
	b, err := readUser(t, as, edge, 6)
	require.NoError(t, err)
	require.Equal(t, "across", string(b))

	require.NoError(t, as.Munmap(base+PageSize, PageSize))
	_, err = readUser(t, as, base, 4) // cached again
	require.NoError(t, err)
	n, err = as.CopyOut(edge, []byte("XYZxyz"))
	require.ErrorIs(t, err, abi.EFAULT)
	require.Equal(t, 3, n, "only the bytes on the mapped page")
	b, err = readUser(t, as, edge, 3)
	require.NoError(t, err)
	require.Equal(t, "XYZ", string(b))
	n, err = as.CopyIn(make([]byte, 6), edge)
	require.ErrorIs(t, err, abi.EFAULT)
	require.Equal(t, 3, n)
}
