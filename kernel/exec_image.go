package kernel

// Building a process image: open the executable through the VFS, let
// kernel/exec validate and plan it, and make the plan real with mm (file
// mappings, padzero, bss, stack, brk). Spawn uses it for a new process,
// execve to replace the image of the calling one (fs/exec.c,
// fs/binfmt_elf.c:load_elf_binary from the point where it starts mapping).

import (
	"errors"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/kernel/exec"
	"github.com/ringo-os/ringo/mm"
)

// image is a loaded program that no task runs yet.
type image struct {
	as              *mm.AddressSpace
	vdso            uint64 // AT_SYSINFO_EHDR, 0 without a vDSO
	regs            amd64.UserRegs
	ia32            bool
	exe             string
	readImpliesExec bool
}

// release undoes a load that will not be installed.
func (img *image) release(k *Kernel) {
	k.platform.ReleaseAddressSpace(img.as.PageTable().Root())
	img.as.Release()
}

// minSigStkSz is AT_MINSIGSTKSZ as the reference host reports it (§8.4).
const minSigStkSz = 0xd30

// fileReaderAt reads an open file at explicit offsets (kernel_read).
type fileReaderAt struct {
	c *fs.Caller
	f *fs.File
}

func (r fileReaderAt) ReadAt(b []byte, off int64) (int, error) {
	n := 0
	for n < len(b) {
		pos := off + int64(n)
		m, err := fs.VfsRead(r.c, r.f, b[n:], &pos)
		if err != 0 {
			return n, err
		}
		if m == 0 {
			return n, abi.EIO // short file: elf_read's -EIO
		}
		n += m
	}
	return n, nil
}

// loadImage builds a new address space holding path's program with its
// initial stack, and the registers to start it with. Errors are Linux's
// execve errnos; nothing of the caller's state is touched.
func (k *Kernel) loadImage(c *fs.Caller, path string, argv, envp []string, rlimitStack uint64) (*image, error) {
	args, err := exec.CopyStrings(path, argv, envp, rlimitStack)
	if err != nil {
		return nil, err
	}
	f, errno := k.vfs.OpenFile(c, fs.AT_FDCWD, path, fs.O_RDONLY|fs.O_LARGEFILE, 0)
	if errno != 0 {
		return nil, errno
	}
	defer f.DecRef()
	st := fs.Getattr(f.Inode)
	// open_exec / may_open: only regular files with an execute bit.
	if st.Mode&fs.S_IFMT != fs.S_IFREG || st.Mode&0o111 == 0 {
		return nil, abi.EACCES
	}
	elfImg, err := exec.Load(fileReaderAt{c, f}, st.Size, exec.Options{IA32: k.ia32})
	if err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) && ee.Reason != "" {
			k.vfs.Log.PrInfo("execve %s: %s", path, ee.Reason)
		}
		return nil, err
	}
	ia32 := elfImg.ABI == exec.ABIIA32
	layout := mm.Layout64()
	if ia32 {
		layout = mm.Layout32()
	}
	as, err := mm.NewAddressSpace(k.frames, k.khalf, k.tlb, layout)
	if err != nil {
		return nil, err
	}
	img := &image{as: as, ia32: ia32, exe: f.PathName(), readImpliesExec: elfImg.ReadImpliesExec}
	if err := k.mapImage(img, elfImg, f, args, rlimitStack); err != nil {
		img.release(k)
		return nil, err
	}
	return img, nil
}

// mapImage performs the plan: segments, brk, stack.
func (k *Kernel) mapImage(img *image, elfImg *exec.Image, f *fs.File, args *exec.Args, rlimitStack uint64) error {
	as := img.as
	base := uint64(0)
	if elfImg.Relocatable() { // static PIE: find room top-down (§8.2)
		addr, err := as.DoMmap(nil, 0, elfImg.TotalSize+elfImg.Align, mm.ProtNone, mm.MapPrivate|mm.MapAnonymous, 0)
		if err != nil {
			return err
		}
		if err := as.Munmap(addr, elfImg.TotalSize+elfImg.Align); err != nil {
			return err
		}
		base = (addr + elfImg.Align - 1) &^ (elfImg.Align - 1)
	}
	plan, err := elfImg.Plan(base)
	if err != nil {
		return err
	}
	for _, s := range plan.Segments {
		if s.FileLen > 0 {
			flags := uint32(mm.MapPrivate | mm.MapFixed)
			if s.NoReplace {
				flags = mm.MapPrivate | mm.MapFixedNoReplace
			}
			if _, err := as.DoMmap(f, s.Start, s.FileLen, uint32(s.FileProt), flags, s.FileOffset/mm.PageSize); err != nil {
				return err
			}
		}
		if s.ZeroEnd > s.ZeroStart { // padzero: a read-only segment may keep its tail
			if _, err := as.ClearUser(s.ZeroStart, s.ZeroEnd-s.ZeroStart); err != nil && s.FileProt&exec.ProtWrite != 0 {
				return abi.EFAULT
			}
		}
		if s.AnonEnd > s.AnonStart {
			if _, err := as.DoMmap(nil, s.AnonStart, s.AnonEnd-s.AnonStart, uint32(s.AnonProt),
				mm.MapPrivate|mm.MapFixed|mm.MapAnonymous, 0); err != nil {
				return err
			}
		}
	}
	if err := as.SetStartBrk(plan.StartBrk); err != nil {
		return err
	}
	vdsoBase, vdsoEntry, err := k.mapVDSO(as, img.ia32)
	if err != nil {
		return err
	}
	img.vdso = vdsoBase
	stk, err := exec.BuildStack(exec.StackParams{
		Args: args, Plan: plan, HWCap: k.hwcap, HWCap2: k.hwcap2, MinSigStkSz: minSigStkSz, VDSOBase: vdsoBase, VDSOEntry: vdsoEntry,
		RlimitStack: rlimitStack, RandomizeVASpace: 0, Rand: lockedReader{k},
	})
	if err != nil {
		return err
	}
	top, err := as.SetupStack(stk.Top - stk.VMAStart)
	if err != nil {
		return err
	}
	if top != stk.Top {
		return abi.ENOMEM
	}
	if stk.Exec {
		if err := as.Mprotect(stk.VMAStart, stk.Top-stk.VMAStart, mm.ProtRead|mm.ProtWrite|mm.ProtExec); err != nil {
			return err
		}
	}
	if _, err := as.CopyOut(stk.SP, stk.Image); err != nil {
		return err
	}
	as.SetStartStack(stk.SP)
	r := exec.StartThread(plan, stk)
	img.regs = amd64.UserRegs{
		RAX: r.RAX, RBX: r.RBX, RCX: r.RCX, RDX: r.RDX, RSI: r.RSI, RDI: r.RDI, RBP: r.RBP, RSP: r.RSP,
		R8: r.R8, R9: r.R9, R10: r.R10, R11: r.R11, R12: r.R12, R13: r.R13, R14: r.R14, R15: r.R15,
		RIP: r.RIP, RFLAGS: r.RFLAGS, CS: uint64(r.CS), SS: uint64(r.SS),
		DS: r.DS, ES: r.ES, FS: r.FS, GS: r.GS, FSBase: r.FSBase, GSBase: r.GSBase,
	}
	return nil
}

// installImage makes img the image of t's process (the part of
// begin_new_exec + start_thread that cannot fail). It returns the old
// address space for the caller to release.
func (t *Task) installImage(img *image) *mm.AddressSpace {
	p := t.proc
	p.mu.Lock()
	old := p.mm.Swap(img.as)
	p.vdso = img.vdso
	p.setExeLocked(img.exe)
	p.personality &^= readImpliesExec
	if img.readImpliesExec {
		p.personality |= readImpliesExec
	}
	p.mu.Unlock()
	t.ia32 = img.ia32
	t.vsyscallLanding = t.k.vsyscallLanding(img)
	t.regs = img.regs
	t.userFPU().Reset()
	t.robustList, t.robustLen, t.clearChildTID = 0, 0, 0
	t.flushSignalHandlers() // signal_state.go
	return old
}

// Spawn starts path as a new process whose parent is the kernel: stdin,
// stdout and stderr on /dev/console, cwd at /, root credentials. The
// program runs at once in its own goroutine; Wait collects its status.
func (k *Kernel) Spawn(path string, argv, envp []string) (*Process, error) {
	p, t := k.newProcess()
	img, err := k.loadImage(t.caller, path, argv, envp, p.rlimit(rlimitStack).Cur)
	if err != nil {
		t.caller.Files.Release()
		k.mu.Lock()
		delete(k.tasks, t.tid)
		delete(k.procs, p.pid)
		k.mu.Unlock()
		return nil, err
	}
	t.installImage(img)
	k.openConsole(t.caller)
	go t.run()
	return p, nil
}

// newProcess creates a process with one task and no image yet: the
// kernel is its parent, it leads its own process group, it runs as root
// with the default limits.
func (k *Kernel) newProcess() (*Process, *Task) {
	k.mu.Lock()
	defer k.mu.Unlock()
	p := &Process{k: k, done: make(chan struct{}), childExit: make(chan struct{}, 1), rlimits: defaultRlimits()}
	p.pid = k.allocPidLocked()
	p.pgid = p.pid
	p.nofile.Store(p.rlimits[rlimitNofile].Cur)
	t := k.newTaskLocked(p)
	k.procs[p.pid] = p
	return p, t
}

// openConsole gives a new process fds 0, 1, 2 on /dev/console
// (init/main.c:console_on_rootfs: one open file, dup'ed twice).
func (k *Kernel) openConsole(c *fs.Caller) {
	if k.stdio != [3]string{} {
		for i, path := range k.stdio {
			if fd, err := k.vfs.Openat(c, fs.AT_FDCWD, path, fs.O_RDWR, 0); err != 0 || fd != i {
				k.vfs.Log.PrWarn("Warning: unable to open %s as fd %d: %v", path, i, err)
			}
		}
		return
	}
	fd, err := k.vfs.Openat(c, fs.AT_FDCWD, "/dev/console", fs.O_RDWR, 0)
	if err != 0 {
		k.vfs.Log.PrWarn("Warning: unable to open an initial console: %v", err)
		return
	}
	for i := 0; i < 2; i++ {
		if _, err := c.Files.Dup(fd, c.NoFile); err != 0 {
			k.vfs.Log.PrWarn("Warning: unable to dup the initial console: %v", err)
		}
	}
}

// SetStdio makes programs spawned from now on start with these files as
// fds 0, 1 and 2 instead of /dev/console (ringo run: /dev/ttyS1 and
// /dev/ttyS2 carry stdout and stderr to the host separately).
func (k *Kernel) SetStdio(paths [3]string) { k.stdio = paths }
