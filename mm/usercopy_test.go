package mm

import (
	"strings"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

// copySpace is the address space the copy tests use: two read-write pages
// at a and one read-only page at ro.
func copySpace(t *testing.T) (as *AddressSpace, a, ro uint64) {
	e := newEnv(t, 16)
	as = e.newAS(t, Layout64())
	a, err := as.Mmap(base, 2*PageSize, rw, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	ro, err = as.Mmap(0x20000000, PageSize, ProtRead, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	return as, a, ro
}

func TestCopyInOutReturnEFAULTForEveryBadPointer(t *testing.T) {
	as, a, ro := copySpace(t)
	for _, c := range []struct {
		name   string
		addr   uint64
		n      int
		out    bool
		wantN  int
		wantOK bool
	}{
		{"in from mapped", a + 100, 200, false, 200, true},
		{"out across a page boundary", a + PageSize - 3, 6, true, 6, true},
		{"out running off the mapping", a + 2*PageSize - 3, 6, true, 3, false},
		{"in from NULL", 0, 8, false, 0, false},
		{"in from kernel half", KernelBase, 8, false, 0, false},
		{"in from non-canonical", 0x0000_8000_0000_0000, 8, false, 0, false},
		{"in wrapping the address space", 1<<64 - 4, 8, false, 0, false},
		{"out to read-only", ro, 1, true, 0, false},
		{"in from read-only", ro, 1, false, 1, true},
		{"in zero bytes from anywhere", 0xdead, 0, false, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			buf := make([]byte, c.n)
			var n int
			var err error
			if c.out {
				n, err = as.CopyOut(c.addr, buf)
			} else {
				n, err = as.CopyIn(buf, c.addr)
			}
			require.Equal(t, c.wantN, n)
			if c.wantOK {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, abi.EFAULT)
			}
		})
	}
}

func TestStrncpyFromUserAndCopyInString(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	a, err := as.Mmap(base, PageSize, rw, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	// A string ending exactly at the end of the mapping, without NUL.
	end := a + PageSize - 5
	_, err = as.CopyOut(end, []byte("hello"))
	require.NoError(t, err)
	_, err = as.CopyOut(a, []byte("/dev/seeddev\x00"))
	require.NoError(t, err)
	s, err := as.CopyInString(a, 4096)
	require.NoError(t, err)
	require.Equal(t, "/dev/seeddev", s)
	_, err = as.CopyInString(a, 4)
	require.ErrorIs(t, err, abi.ENAMETOOLONG)
	_, err = as.CopyInString(end, 4096)
	require.ErrorIs(t, err, abi.EFAULT, "runs into unmapped memory before a NUL")
	buf := make([]byte, 5)
	n, err := as.StrncpyFromUser(buf, end)
	require.NoError(t, err)
	require.Equal(t, 5, n, "no NUL within the buffer")
	_, err = as.CopyInString(KernelBase, 10)
	require.ErrorIs(t, err, abi.EFAULT)
	_, err = as.CopyInString(a, -1)
	require.ErrorIs(t, err, abi.EINVAL)
	require.NoError(t, as.PutUser64(a+64, 0x1122334455667788))
	v, err := as.GetUser64(a + 64)
	require.NoError(t, err)
	require.Equal(t, uint64(0x1122334455667788), v)
	v32, err := as.GetUser32(a + 64)
	require.NoError(t, err)
	require.Equal(t, uint32(0x55667788), v32)
	require.ErrorIs(t, as.PutUser32(0, 1), abi.EFAULT)
	n64, err := as.ClearUser(a, PageSize+1)
	require.ErrorIs(t, err, abi.EFAULT)
	require.Equal(t, uint64(PageSize), n64)
	require.True(t, strings.HasPrefix(as.Maps(), "10000000-10001000 rw-p"))
}

func TestCopyInFromCompatTaskAbove4GiBIsEFAULT(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout32())
	_, err := as.CopyIn(make([]byte, 4), 0x100000000)
	require.ErrorIs(t, err, abi.EFAULT)
	_, err = as.CopyIn(make([]byte, 4), TaskSize32)
	require.ErrorIs(t, err, abi.EFAULT)
}

// get_user and put_user of a word: copyUser's fast path (the page is in
// the user TLB), the walk (it is not yet, or the word straddles two
// pages) and every bad pointer the copies refuse, for both widths.
func TestGetPutUserWords(t *testing.T) {
	as, a, ro := copySpace(t)
	for _, addr := range []uint64{
		a + 8,            // first touch: the walk faults the page in
		a + 16,           // now in the user TLB: in place
		a + PageSize - 2, // straddles the two pages
		a + 2*PageSize - 8,
	} {
		require.NoError(t, as.PutUser32(addr, 0x11223344), "%#x", addr)
		v32, err := as.GetUser32(addr)
		require.NoError(t, err)
		require.Equal(t, uint32(0x11223344), v32, "%#x", addr)
		require.NoError(t, as.PutUser64(addr, 0x1122334455667788), "%#x", addr)
		v64, err := as.GetUser64(addr)
		require.NoError(t, err)
		require.Equal(t, uint64(0x1122334455667788), v64, "%#x", addr)
		b := make([]byte, 8)
		_, err = as.CopyIn(b, addr)
		require.NoError(t, err)
		require.Equal(t, []byte{0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11}, b, "little-endian")
	}
	for _, c := range []struct {
		name string
		addr uint64
	}{
		{"off the end of the mapping", a + 2*PageSize - 2},
		{"NULL", 0},
		{"the kernel half", KernelBase},
		{"non-canonical", 0x0000_8000_0000_0000},
		{"wrapping the address space", 1<<64 - 4},
	} {
		require.ErrorIs(t, as.PutUser32(c.addr, 1), abi.EFAULT, c.name)
		require.ErrorIs(t, as.PutUser64(c.addr, 1), abi.EFAULT, c.name)
		_, err := as.GetUser32(c.addr)
		require.ErrorIs(t, err, abi.EFAULT, c.name)
		_, err = as.GetUser64(c.addr)
		require.ErrorIs(t, err, abi.EFAULT, c.name)
	}
	_, err := as.GetUser32(ro) // read-only: in the TLB for reads only
	require.NoError(t, err)
	require.ErrorIs(t, as.PutUser32(ro, 1), abi.EFAULT, "put_user to a read-only page")
	require.ErrorIs(t, as.PutUser64(ro, 1), abi.EFAULT, "put_user to a read-only page")
}
