package kernel

// The mmap family (arch/x86/kernel/sys_x86_64.c, mm/mmap.c, mm/mprotect.c,
// mm/mremap.c, mm/madvise.c, mm/mincore.c, mm/msync.c, mm/mmap.c:brk,
// arch/x86/kernel/sys_ia32.c:compat_sys_ia32_mmap). mm implements them;
// these handlers supply the fd lookup and the personality.

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/mm"
	"github.com/ringo-os/ringo/syscall"
)

// fileLookup is fget for mm: it remembers the reference it took so the
// handler can drop it after the call (ksys_mmap_pgoff's fput).
type fileLookup struct {
	t    *Task
	held interface{ DecRef() }
}

func (l *fileLookup) get(fd int) (mm.MmapFile, error) {
	f, e := l.t.caller.Files.Fget(fd)
	if e != 0 {
		return nil, e
	}
	l.held = f
	return f, nil
}

func (l *fileLookup) put() {
	if l.held != nil {
		l.held.DecRef()
	}
}

// prot applies READ_IMPLIES_EXEC (an ia32 program without PT_GNU_STACK).
func (t *Task) prot(p uint32) uint32 {
	t.proc.mu.Lock()
	rie := t.proc.personality&readImpliesExec != 0
	t.proc.mu.Unlock()
	if rie && p&mm.ProtRead != 0 {
		p |= mm.ProtExec
	}
	return p
}

// sysMmap is the x86_64 mmap: the offset is in bytes (EINVAL unless page
// aligned, even for anonymous maps).
func (t *Task) sysMmap(a *syscall.Args) (uint64, error) {
	l := fileLookup{t: t}
	defer l.put()
	return t.mm().Mmap(a.Ptr(0), a.Ulong(1), t.prot(uint32(a.Ulong(2))), uint32(a.Ulong(3)), int(a.Fd(4)), a.Ulong(5), l.get)
}

// sysMmapPgoff is i386 mmap2: the offset in 4096-byte pages.
func (t *Task) sysMmapPgoff(a *syscall.Args) (uint64, error) {
	l := fileLookup{t: t}
	defer l.put()
	return t.mm().Mmap2(a.Ptr(0), a.Ulong(1), t.prot(uint32(a.Ulong(2))), uint32(a.Ulong(3)), int(a.Fd(4)), a.Ulong(5), l.get)
}

// sysOldMmap is i386 old mmap (90): six u32 in user memory; an unaligned
// offset is EINVAL.
func (t *Task) sysOldMmap(a *syscall.Args) (uint64, error) {
	var b [24]byte
	if err := t.copyIn(a.Ptr(0), b[:]); err != nil {
		return 0, err
	}
	w := func(i int) uint32 { return binary.LittleEndian.Uint32(b[4*i:]) }
	if w(5)&(mm.PageSize-1) != 0 {
		return 0, abi.EINVAL
	}
	l := fileLookup{t: t}
	defer l.put()
	return t.mm().Mmap2(uint64(w(0)), uint64(w(1)), t.prot(w(2)), w(3), int(int32(w(4))), uint64(w(5)>>12), l.get)
}

func (t *Task) sysMunmap(a *syscall.Args) (uint64, error) {
	return 0, t.mm().Munmap(a.Ptr(0), a.Size(1))
}

func (t *Task) sysMprotect(a *syscall.Args) (uint64, error) {
	return 0, t.mm().Mprotect(a.Ptr(0), a.Size(1), t.prot(uint32(a.Ulong(2))))
}

func (t *Task) sysMremap(a *syscall.Args) (uint64, error) {
	return t.mm().Mremap(a.Ptr(0), a.Ulong(1), a.Ulong(2), uint32(a.Ulong(3)), a.Ptr(4))
}

func (t *Task) sysMadvise(a *syscall.Args) (uint64, error) {
	return 0, t.mm().Madvise(a.Ptr(0), a.Size(1), a.Int(2))
}

func (t *Task) sysMincore(a *syscall.Args) (uint64, error) {
	return 0, t.mm().Mincore(a.Ptr(0), a.Size(1), a.Ptr(2))
}

func (t *Task) sysMsync(a *syscall.Args) (uint64, error) {
	return 0, t.mm().Msync(a.Ptr(0), a.Size(1), a.Int(2))
}

// sysBrk returns the new break, or the old one on any failure (§6.5).
func (t *Task) sysBrk(a *syscall.Args) (uint64, error) {
	return t.mm().Brk(a.Ptr(0)), nil
}
