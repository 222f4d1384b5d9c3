package drivers

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/mm"
)

const (
	pageSize  = 4096
	protRW    = mm.ProtRead | mm.ProtWrite
	pfnMask   = mm.PMPFNMask
	lkmcPath  = "/proc/lkmc_mmap"
	openFlags = fs.O_RDWR | fs.O_SYNC
)

// lkmcPage is the page the driver allocated for the open file fd.
func (w *world) lkmcPage(fd int) mm.PFN {
	w.t.Helper()
	f, err := w.c.Files.Fget(fd)
	require.Equal(w.t, abi.Errno(0), err)
	defer f.DecRef()
	return f.PrivateData.(*mmapInfo).data
}

// The seed's user program, step by step, on simulated RAM: two shared
// mappings, one frame, visible both ways between user space and the kernel;
// then munmap and close give every frame back.
func TestLkmcMmapSeedFlowSharesOneFrame(t *testing.T) {
	w := newWorld(t)
	w.v.Log.Reset()
	fd := w.open(lkmcPath, openFlags)
	page := w.lkmcPage(fd)

	a1, err := w.mmap(pageSize, protRW, mm.MapShared, fd, 0)
	require.NoError(t, err)
	a2, err := w.mmap(pageSize, protRW, mm.MapShared, fd, 0)
	require.NoError(t, err)
	require.NotEqual(t, a1, a2)

	require.Equal(t, "asdf\x00", w.peek(a1, 5), "access 1 (strcmp needs the NUL)")
	require.Equal(t, "asdf\x00", w.peek(a2, 5), "access 2")
	w.poke(a1, "qwer\x00")
	require.Equal(t, "qwer", w.peek(a2, 4), "both addresses are one frame")

	e1, e2 := w.pagemap(a1), w.pagemap(a2)
	require.Equal(t, e1&pfnMask, e2&pfnMask)
	require.Equal(t, uint64(page), e1&pfnMask, "the driver's page, not a copy")
	require.NotZero(t, e1&pfnMask)
	require.Equal(t, mm.PMPresent|mm.PMFile, e1&^pfnMask, "present, file page, mapped twice so not exclusive")

	buf := make([]byte, 4)
	n, rerr := fs.Read(w.c, fd, buf)
	require.Equal(t, abi.Errno(0), rerr)
	require.Equal(t, "qwer", string(buf[:n]), "user writes are seen by the kernel")
	n, rerr = fs.Write(w.c, fd, []byte("zxcv"))
	require.Equal(t, abi.Errno(0), rerr)
	require.Equal(t, 4, n)
	require.Equal(t, "zxcv", w.peek(a1, 4), "kernel writes are seen by user space")
	require.Equal(t, "zxcv", w.peek(a2, 4))

	require.NoError(t, w.as.Munmap(a1, pageSize))
	require.NoError(t, w.as.Munmap(a2, pageSize))
	require.Equal(t, abi.Errno(0), fs.Close(w.c, fd))
	require.Zero(t, w.alloc.PageCount(page), "the driver page is free")

	require.Equal(t, []string{
		"open", fmt.Sprintf("virt_to_phys = 0x%x", uint64(page)<<12),
		"mmap", "vm_open", "mmap", "vm_open", "vm_fault", "vm_fault",
		"read", "write", "vm_close", "vm_close", "release",
	}, w.logLines("lkmc_mmap: "))

	w.as.Release()
	require.Equal(t, w.base, w.alloc.FreeFrames(), "every frame back: page, page tables, address space")
}

// Release (which frees the page) runs only when the last reference to the
// file goes: the descriptor's and each VMA's. Touching the mapping after
// close is safe and still reaches the page.
func TestLkmcMmapReleaseWaitsForTheLastMapping(t *testing.T) {
	w := newWorld(t)
	fd := w.open(lkmcPath, openFlags)
	page := w.lkmcPage(fd)
	a1, err := w.mmap(pageSize, protRW, mm.MapShared, fd, 0)
	require.NoError(t, err)
	a2, err := w.mmap(pageSize, mm.ProtRead, mm.MapShared, fd, 0)
	require.NoError(t, err)

	require.Equal(t, abi.Errno(0), fs.Close(w.c, fd))
	require.Zero(t, w.logCount("release"), "two mappings still hold the file")
	w.poke(a1, "mine")
	require.Equal(t, "mine", w.peek(a2, 4))

	require.NoError(t, w.as.Munmap(a1, pageSize))
	require.Zero(t, w.logCount("release"))
	require.Equal(t, "mine", w.peek(a2, 4))
	require.Equal(t, 2, w.alloc.PageCount(page), "driver + one PTE")

	require.NoError(t, w.as.Munmap(a2, pageSize))
	require.Equal(t, 1, w.logCount("release"))
	require.Zero(t, w.alloc.PageCount(page))
}

// A write to a MAP_PRIVATE mapping copies the page (do_cow_fault): the
// driver's page and other mappings keep "asdf".
func TestLkmcMmapPrivateWriteGetsACopyNotTheDriverPage(t *testing.T) {
	w := newWorld(t)
	fd := w.open(lkmcPath, openFlags)
	page := w.lkmcPage(fd)
	shared, err := w.mmap(pageSize, mm.ProtRead, mm.MapShared, fd, 0)
	require.NoError(t, err)
	priv, err := w.mmap(pageSize, protRW, mm.MapPrivate, fd, 0)
	require.NoError(t, err)

	require.Equal(t, "asdf", w.peek(priv, 4))
	require.Equal(t, uint64(page), w.pagemap(priv)&pfnMask, "an unwritten private page is the driver's")
	w.poke(priv, "priv")
	e := w.pagemap(priv)
	require.NotEqual(t, uint64(page), e&pfnMask)
	require.Equal(t, mm.PMPresent|mm.PMExclusive, e&^pfnMask, "a private anonymous copy")
	require.Equal(t, "asdf", w.peek(shared, 4))
	buf := make([]byte, 4)
	fs.Read(w.c, fd, buf)
	require.Equal(t, "asdf", string(buf))
}

// Only page 0 exists: a mapping at a later offset, or the second page of
// a longer mapping, gets SIGBUS (BUS_ADRERR) on touch; a syscall touching
// it gets EFAULT.
func TestLkmcMmapPastTheFirstPageIsSIGBUS(t *testing.T) {
	w := newWorld(t)
	fd := w.open(lkmcPath, openFlags)
	for _, off := range []uint64{pageSize, 100 * pageSize, 1 << 40} {
		a, err := w.mmap(pageSize, mm.ProtRead, mm.MapShared, fd, off)
		require.NoError(t, err, "mmap itself does not check the size")
		r := w.as.UserAccess(a, mm.AccessRead)
		require.Equal(t, mm.FaultResult{Signo: mm.SIGBUS, Code: mm.BUS_ADRERR, Addr: a}, r, "off %#x", off)
	}
	a, err := w.mmap(2*pageSize, protRW, mm.MapShared, fd, 0)
	require.NoError(t, err)
	require.True(t, w.as.UserAccess(a, mm.AccessWrite).OK())
	require.Equal(t, int32(mm.SIGBUS), w.as.UserAccess(a+pageSize, mm.AccessRead).Signo)
	_, err = w.as.CopyIn(make([]byte, 8), a+pageSize-4)
	require.Equal(t, abi.EFAULT, err)
	_, werr := fs.Write(w.c, fd, nil)
	require.Equal(t, abi.Errno(0), werr)
}

// Hostile mmap arguments give Linux's errnos (§6.1) and leave nothing
// behind: the file is released and every frame returned afterwards.
func TestLkmcMmapHostileArgumentsGiveErrnos(t *testing.T) {
	w := newWorld(t)
	fd := w.open(lkmcPath, openFlags)
	ro := w.open(lkmcPath, fs.O_RDONLY)
	cases := []struct {
		name   string
		length uint64
		prot   uint32
		flags  uint32
		fd     int
		off    uint64
		want   abi.Errno
	}{
		{"zero length", 0, mm.ProtRead, mm.MapShared, fd, 0, abi.EINVAL},
		{"length wraps when page aligned", math.MaxUint64 - 4094, mm.ProtRead, mm.MapShared, fd, 0, abi.ENOMEM},
		{"length larger than the address space", 1 << 48, mm.ProtRead, mm.MapShared, fd, 0, abi.ENOMEM},
		{"unaligned offset", pageSize, mm.ProtRead, mm.MapShared, fd, 1, abi.EINVAL},
		{"offset past MAX_LFS_FILESIZE", pageSize, mm.ProtRead, mm.MapShared, fd, 1 << 63, abi.EOVERFLOW},
		{"pgoff wraps", 2 * pageSize, mm.ProtRead, mm.MapShared, fd, math.MaxUint64 &^ 4095, abi.EOVERFLOW},
		{"no map type", pageSize, mm.ProtRead, 0, fd, 0, abi.EINVAL},
		{"map type 0xf", pageSize, mm.ProtRead, 0xf, fd, 0, abi.EINVAL},
		{"shared-validate unknown flag", pageSize, mm.ProtRead, mm.MapSharedValidate | 0x200000, fd, 0, abi.EOPNOTSUPP},
		{"shared writable on O_RDONLY", pageSize, protRW, mm.MapShared, ro, 0, abi.EACCES},
		{"bad fd", pageSize, mm.ProtRead, mm.MapShared, -1, 0, abi.EBADF},
		{"huge fd", pageSize, mm.ProtRead, mm.MapShared, math.MaxInt32, 0, abi.EBADF},
	}
	for _, tc := range cases {
		_, err := w.mmap(tc.length, tc.prot, tc.flags, tc.fd, tc.off)
		require.Equal(t, tc.want, err, tc.name)
	}
	require.NotContains(t, w.logLines("lkmc_mmap: "), "mmap", "the driver's mmap never ran")
	a, err := w.mmap(pageSize, mm.ProtRead, mm.MapPrivate, ro, 0)
	require.NoError(t, err, "a private mapping of an O_RDONLY file is fine")
	require.Equal(t, "asdf", w.peek(a, 4))
	_, err = w.as.Mremap(a, pageSize, 2*pageSize, mm.MremapMayMove, 0)
	require.Equal(t, abi.EFAULT, err, "VM_DONTEXPAND: the mapping cannot grow")

	require.NoError(t, w.as.Munmap(a, pageSize))
	fs.Close(w.c, fd)
	fs.Close(w.c, ro)
	require.Equal(t, 2, w.logCount("release"))
	w.as.Release()
	require.Equal(t, w.base, w.alloc.FreeFrames())
}

// read and write follow the seed exactly: a 4-byte buffer, read advances
// the offset, write always writes the start of the page and reports the
// full length.
func TestLkmcMmapReadWriteFollowTheSeed(t *testing.T) {
	w := newWorld(t)
	fd := w.open(lkmcPath, openFlags)
	buf := make([]byte, 10)
	n, _ := fs.Read(w.c, fd, buf[:2])
	require.Equal(t, "as", string(buf[:n]))
	n, _ = fs.Read(w.c, fd, buf)
	require.Equal(t, "df", string(buf[:n]))
	n, _ = fs.Read(w.c, fd, buf)
	require.Zero(t, n, "EOF after BUFFER_SIZE bytes")
	n, _ = fs.Pread(w.c, fd, buf, 1)
	require.Equal(t, "sdf", string(buf[:n]))
	n, err := fs.Pread(w.c, fd, buf, 1<<40)
	require.Equal(t, abi.Errno(0), err)
	require.Zero(t, n)
	_, err = fs.Pread(w.c, fd, buf, math.MaxInt64)
	require.Equal(t, abi.EINVAL, err, "pos + count overflows (rw_verify_area)")
	_, err = fs.Pread(w.c, fd, buf, -1)
	require.Equal(t, abi.EINVAL, err)

	n, _ = fs.Write(w.c, fd, []byte("123456789"))
	require.Equal(t, 9, n, "the seed returns len")
	n, _ = fs.Pread(w.c, fd, buf, 0)
	require.Equal(t, "1234", string(buf[:n]))
	n, _ = fs.Pwrite(w.c, fd, []byte("ab"), 3)
	require.Equal(t, 2, n)
	n, _ = fs.Pread(w.c, fd, buf, 0)
	require.Equal(t, "ab34", string(buf[:n]), "the offset is ignored by write")
	_, err = fs.Lseek(w.c, fd, 0, fs.SEEK_SET)
	require.Equal(t, abi.ESPIPE, err, "no llseek in the seed's fops")
}

// Every open gets its own page; a fork's copy of a mapping calls vm_open,
// and 1 mmap + N opens = N+1 closes.
func TestLkmcMmapOpensAreIndependentAndForkPairsOpenWithClose(t *testing.T) {
	w := newWorld(t)
	fd1 := w.open(lkmcPath, openFlags)
	fd2 := w.open(lkmcPath, openFlags)
	require.NotEqual(t, w.lkmcPage(fd1), w.lkmcPage(fd2))
	fs.Write(w.c, fd1, []byte("one!"))
	buf := make([]byte, 4)
	fs.Read(w.c, fd2, buf)
	require.Equal(t, "asdf", string(buf))

	a, err := w.mmap(pageSize, protRW, mm.MapShared, fd1, 0)
	require.NoError(t, err)
	child, err := w.as.Fork()
	require.NoError(t, err)
	require.Equal(t, 2, w.logCount("vm_open"))
	_, err = child.CopyOut(a, []byte("kid!"))
	require.NoError(t, err)
	require.Equal(t, "kid!", w.peek(a, 4), "MAP_SHARED stays shared across fork")
	child.Release()
	require.NoError(t, w.as.Munmap(a, pageSize))
	require.Equal(t, 2, w.logCount("vm_close"))
	fs.Close(w.c, fd1)
	fs.Close(w.c, fd2)
	require.Equal(t, 2, w.logCount("release"))
}

// With no memory for the page, open fails with ENOMEM and no fd.
func TestLkmcMmapOpenWithoutMemoryIsENOMEM(t *testing.T) {
	w := newWorld(t)
	prev := mm.SetDefaultAllocator(nil)
	defer mm.SetDefaultAllocator(prev)
	_, err := w.v.Openat(w.c, fs.AT_FDCWD, lkmcPath, openFlags, 0)
	require.Equal(t, abi.ENOMEM, err)
	require.Empty(t, w.c.Files.OpenFds())
}

// One fault of the seed's page through a fresh mapping: mmap, touch, munmap.
func BenchmarkLkmcMmapFaultCycle(b *testing.B) {
	w := newWorld(b)
	fd := w.open(lkmcPath, openFlags)
	w.v.Log.SetSink(nil)
	for b.Loop() {
		a, err := w.mmap(pageSize, protRW, mm.MapShared, fd, 0)
		if err != nil {
			b.Fatal(err)
		}
		if r := w.as.UserAccess(a, mm.AccessWrite); !r.OK() {
			b.Fatal(r)
		}
		if err := w.as.Munmap(a, pageSize); err != nil {
			b.Fatal(err)
		}
	}
}
