package drivers

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/mm"
)

// world is one small kernel for a test: simulated RAM with an allocator
// installed as mm's default (restored at the end), one process with an
// address space and a file table, a VFS whose procfs shows that process,
// and every driver loaded.
type world struct {
	t     testing.TB
	alloc *mm.FrameAllocator
	as    *mm.AddressSpace
	v     *fs.VFS
	c     *fs.Caller
	proc  *testProc
	base  uint64 // free frames before the address space existed
	mods  []Module
}

// module returns the loaded module called name.
func (w *world) module(name string) Module {
	for _, m := range w.mods {
		if m.Name() == name {
			return m
		}
	}
	w.t.Fatalf("no module %q", name)
	return nil
}

// testProc is the process procfs shows as /proc/self and /proc/1.
type testProc struct {
	files *fs.FDTable
	as    *mm.AddressSpace
}

func (p *testProc) Pid() int           { return 1 }
func (p *testProc) Files() *fs.FDTable { return p.files }
func (p *testProc) MapsText() string   { return p.as.Maps() }
func (p *testProc) ExePath() string    { return "/init" }
func (p *testProc) Status() fs.ProcStatus {
	return fs.ProcStatus{Name: "init", Pid: 1, Tgid: 1, Threads: 1}
}
func (p *testProc) Process(pid int) fs.ProcProcess {
	if pid == 1 {
		return p
	}
	return nil
}
func (p *testProc) Pids() []int         { return []int{1} }
func (p *testProc) MemInfo() fs.MemInfo { return fs.MemInfo{} }

// ReadPagemap shows PFNs, as for a privileged opener (the seed runs as root).
func (p *testProc) ReadPagemap(off int64, buf []byte) (int, error) {
	return p.as.ReadPagemap(buf, off, true)
}

// userMem adapts the address space to fs.UserMemory (copy_{from,to}_user).
type userMem struct{ as *mm.AddressSpace }

func (u userMem) CopyIn(addr uintptr, dst []byte) error {
	_, err := u.as.CopyIn(dst, uint64(addr))
	return err
}

func (u userMem) CopyOut(addr uintptr, src []byte) error {
	_, err := u.as.CopyOut(uint64(addr), src)
	return err
}

func (u userMem) GetUser32(addr uintptr) (uint32, error) { return u.as.GetUser32(uint64(addr)) }
func (u userMem) PutUser32(addr uintptr, v uint32) error { return u.as.PutUser32(uint64(addr), v) }
func (u userMem) PutUser64(addr uintptr, v uint64) error { return u.as.PutUser64(uint64(addr), v) }

func newWorld(t testing.TB) *world {
	t.Helper()
	ram, err := mm.NewSimRAM(1<<20, 16<<20)
	require.NoError(t, err)
	alloc, err := mm.NewFrameAllocator(ram, []mm.PhysRange{ram.Range()})
	require.NoError(t, err)
	kernel, err := mm.NewKernelHalf(alloc)
	require.NoError(t, err)
	prev := mm.SetDefaultAllocator(alloc)
	t.Cleanup(func() { mm.SetDefaultAllocator(prev) })
	base := alloc.FreeFrames()
	as, err := mm.NewAddressSpace(alloc, kernel, mm.NopTLB{}, mm.Layout64())
	require.NoError(t, err)
	t.Cleanup(as.Release)

	proc := &testProc{as: as}
	v := fs.NewVFS(fs.Config{Proc: proc})
	c := v.NewCaller()
	c.Mem, c.Proc = userMem{as}, proc
	proc.files = c.Files
	mods, err := Load(v)
	require.NoError(t, err)
	return &world{t: t, alloc: alloc, as: as, v: v, c: c, proc: proc, base: base, mods: mods}
}

func (w *world) open(path string, flags uint32) int {
	w.t.Helper()
	fd, err := w.v.Openat(w.c, fs.AT_FDCWD, path, flags, 0)
	require.Equal(w.t, abi.Errno(0), err, "open %s", path)
	return fd
}

// ioctl is ioctl(2) from a 64-bit caller, or from a 32-bit one (compat):
// then only the low 32 bits of arg exist.
func (w *world) ioctl(compat bool, fd int, cmd uint32, arg uint64) (int64, abi.Errno) {
	if compat {
		w.c.Compat = true
		defer func() { w.c.Compat = false }()
		return fs.CompatIoctl(w.c, fd, cmd, uint32(arg))
	}
	return fs.Ioctl(w.c, fd, cmd, uintptr(arg))
}

// mmap is mmap(2) on fd: fget, do_mmap (the VMA takes its own reference),
// fput, as ksys_mmap_pgoff does.
func (w *world) mmap(length uint64, prot, flags uint32, fd int, off uint64) (uint64, error) {
	var got *fs.File
	addr, err := w.as.Mmap(0, length, prot, flags, fd, off, func(fd int) (mm.MmapFile, error) {
		f, e := w.c.Files.Fget(fd)
		if e != 0 {
			return nil, e
		}
		got = f
		return f, nil
	})
	if got != nil {
		got.DecRef()
	}
	return addr, err
}

// peek reads n bytes of user memory at addr as the process would.
func (w *world) peek(addr uint64, n int) string {
	w.t.Helper()
	b := make([]byte, n)
	_, err := w.as.CopyIn(b, addr)
	require.NoError(w.t, err)
	return string(b)
}

// poke writes s to user memory at addr.
func (w *world) poke(addr uint64, s string) {
	w.t.Helper()
	_, err := w.as.CopyOut(addr, []byte(s))
	require.NoError(w.t, err)
}

// pagemap reads the pagemap entry of addr through /proc/self/pagemap, as
// the seed's virt_to_phys_user does (pread of 8 bytes at vaddr/4096*8).
func (w *world) pagemap(addr uint64) uint64 {
	w.t.Helper()
	fd := w.open("/proc/self/pagemap", fs.O_RDONLY)
	defer fs.Close(w.c, fd)
	var b [8]byte
	n, err := fs.Pread(w.c, fd, b[:], int64(addr/4096*8))
	require.Equal(w.t, abi.Errno(0), err)
	require.Equal(w.t, 8, n)
	return binary.LittleEndian.Uint64(b[:])
}

// logCount counts kernel log lines containing s.
func (w *world) logCount(s string) int {
	n := 0
	for _, r := range w.v.Log.Records() {
		if strings.Contains(r.Text, s) {
			n++
		}
	}
	return n
}

// logLines returns the log lines that start with prefix, prefix removed.
func (w *world) logLines(prefix string) []string {
	var out []string
	for _, r := range w.v.Log.Records() {
		if rest, ok := strings.CutPrefix(r.Text, prefix); ok {
			out = append(out, rest)
		}
	}
	return out
}

func (w *world) readlink(fd int) (string, abi.Errno) {
	return w.v.Readlinkat(w.c, fs.AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", fd), 256)
}
