package kernel

// Bringing the task layer up: one Kernel holds the VFS, the memory mm hands
// out, the syscall dispatcher and the process table. cmd/kernel calls
// BootMetal; host tests call Boot with simulated RAM and a fake Platform.

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/mm"
	"github.com/ringo-os/ringo/syscall"
)

// Config is what the caller of Boot decides.
type Config struct {
	Platform Platform
	// Frames, KernelHalf and TLB are mm's view of the machine
	// (MetalMemory on the metal; SimRAM in tests).
	Frames     *mm.FrameAllocator
	KernelHalf *mm.KernelHalf
	TLB        mm.TLB
	// Console backs /dev/console, the stdin/stdout/stderr of spawned
	// programs (default: discard output, EOF on input).
	Console fs.Console
	// Initramfs is a cpio newc archive unpacked at / (may be empty).
	Initramfs []byte
	// Now is the wall clock (default time.Now).
	Now func() time.Time
	// Monotonic is CLOCK_MONOTONIC in ns (default from time.Now). On the
	// metal it reads the TSC directly: the task layer consults the clock
	// on every system call, and the runtime's own clock is a system call
	// into the nucleus.
	Monotonic func() int64
	// Random feeds AT_RANDOM, getrandom and /dev/urandom (default
	// fs.NewCRNG).
	Random io.Reader
	// IA32 enables 32-bit programs (CONFIG_IA32_EMULATION with
	// ia32_emulation=1). Off, an i386 ELF fails with ENOEXEC.
	IA32 bool
	// HWCap is AT_HWCAP (CPUID.1:EDX).
	HWCap uint64
	// HWCap2 is AT_HWCAP2 (bit 1: the FSGSBASE instructions are enabled).
	HWCap2 uint64
	// VDSO, if set, makes a vDSO with this clock for 64-bit programs.
	VDSO *VDSOClock
	// CompatSyscall says the CPU's SYSCALL works in compatibility mode
	// (AMD, Hygon; Linux's X86_FEATURE_SYSCALL32): the i386 vDSO's
	// __kernel_vsyscall then uses it instead of int $0x80
	// (compat_syscall.go).
	CompatSyscall bool
	// KlogSink, if set, receives every kernel log line.
	KlogSink func(fs.LogRecord)
}

// Kernel is one running instance of the task layer.
type Kernel struct {
	vfs      *fs.VFS
	frames   *mm.FrameAllocator
	khalf    *mm.KernelHalf
	tlb      mm.TLB
	platform Platform
	disp     *syscall.Dispatcher[*Task]
	now      func() time.Time
	boot     time.Time // CLOCK_MONOTONIC's zero
	mono     func() int64
	wallBase int64 // CLOCK_REALTIME - mono() at boot, in ns
	fixedNow bool  // Config.Now was given: it is the wall clock
	random   io.Reader
	randMu   sync.Mutex // serialises reads of random
	ia32     bool
	// compatSyscall is Config.CompatSyscall.
	compatSyscall bool
	hwcap         uint64
	hwcap2        uint64
	stdio         [3]string  // fds 0-2 of spawned programs; zero = /dev/console
	vdso          *vdsoPages // 64-bit and i386 vDSO frames (nil: no vDSO)
	vdso32        *vdsoPages

	mu      sync.Mutex // the pid table; see the lock order in doc.go
	procs   map[int32]*Process
	tasks   map[int32]*Task
	nextPID int32
}

// Boot builds the VFS (ramfs root with the initramfs unpacked, devtmpfs,
// procfs fed by the process table), binds the syscall handlers and returns
// a kernel ready to Spawn programs.
func Boot(cfg Config) (*Kernel, error) {
	if cfg.Platform == nil || cfg.Frames == nil || cfg.KernelHalf == nil {
		return nil, fmt.Errorf("kernel: Boot needs a Platform, a frame allocator and a kernel half")
	}
	k := &Kernel{
		frames: cfg.Frames, khalf: cfg.KernelHalf, tlb: cfg.TLB, platform: cfg.Platform,
		now: cfg.Now, random: cfg.Random, ia32: cfg.IA32, compatSyscall: cfg.CompatSyscall, hwcap: cfg.HWCap, hwcap2: cfg.HWCap2,
		procs: map[int32]*Process{}, tasks: map[int32]*Task{}, nextPID: 1,
	}
	if k.tlb == nil {
		k.tlb = mm.NopTLB{}
	}
	if k.now == nil {
		k.now = time.Now
	} else {
		k.fixedNow = true
	}
	if k.random == nil {
		k.random = fs.NewCRNG()
	}
	k.boot = time.Now()
	k.mono = cfg.Monotonic
	if k.mono == nil {
		boot := k.boot
		k.mono = func() int64 { return int64(time.Since(boot)) }
	}
	k.wallBase = k.now().UnixNano() - k.mono()
	k.vfs = fs.NewVFS(fs.Config{
		Frames:  pageFrames{k.frames},
		Proc:    procSources{k},
		Now:     k.now,
		Random:  lockedReader{k},
		Console: cfg.Console,
	})
	if cfg.KlogSink != nil {
		k.vfs.Log.SetSink(cfg.KlogSink)
	}
	if len(cfg.Initramfs) > 0 {
		if err := k.vfs.UnpackInitramfs(bytes.NewReader(cfg.Initramfs)); err != nil {
			return nil, fmt.Errorf("kernel: initramfs: %w", err)
		}
	}
	if cfg.VDSO != nil {
		if err := k.setupVDSO(cfg.VDSO); err != nil {
			return nil, fmt.Errorf("kernel: vdso: %w", err)
		}
	}
	d, err := syscall.NewDispatcher(syscall.Config[*Task]{Handlers: handlers()})
	if err != nil {
		return nil, err
	}
	k.disp = d
	go k.housekeeping()
	return k, nil
}

// BootMetal is Boot on the real machine: the nucleus's user pool and kernel
// half, the CPU's TLB and HWCAP, 32-bit programs enabled.
func BootMetal(initramfs []byte, console fs.Console, klog func(fs.LogRecord)) (*Kernel, error) {
	frames, khalf, tlb, err := MetalMemory()
	if err != nil {
		return nil, err
	}
	mm.SetDefaultAllocator(frames)
	return Boot(Config{
		Platform: &MetalPlatform{}, Frames: frames, KernelHalf: khalf, TLB: tlb, Monotonic: metalMonotonic,
		VDSO: metalVDSOClock(), CompatSyscall: MetalCompatSyscall(),
		Console: console, Initramfs: initramfs, IA32: true, HWCap: MetalHWCap(), HWCap2: MetalHWCap2(), KlogSink: klog,
	})
}

// VFS is the kernel's file-system world.
func (k *Kernel) VFS() *fs.VFS { return k.vfs }

// Log is the kernel log (dmesg).
func (k *Kernel) Log() *fs.Klog { return &k.vfs.Log }

// Dispatcher is the bound syscall tables (SetTrace turns on strace-like
// output).
func (k *Kernel) Dispatcher() *syscall.Dispatcher[*Task] { return k.disp }

// Frames is the allocator user memory comes from.
func (k *Kernel) Frames() *mm.FrameAllocator { return k.frames }

// readRandom fills b from the kernel's random source.
func (k *Kernel) readRandom(b []byte) error {
	k.randMu.Lock()
	defer k.randMu.Unlock()
	_, err := io.ReadFull(k.random, b)
	return err
}

// lockedReader lets the VFS share the kernel's random source.
type lockedReader struct{ k *Kernel }

func (r lockedReader) Read(b []byte) (int, error) {
	if err := r.k.readRandom(b); err != nil {
		return 0, err
	}
	return len(b), nil
}

// ReadFile reads a whole file from the kernel's VFS, as the kernel itself
// (not a process) sees it: the boot path reads /etc/ringo/argv and the
// suite runner its manifest with it.
func (k *Kernel) ReadFile(path string) ([]byte, error) {
	c := k.vfs.NewCaller()
	f, errno := k.vfs.OpenFile(c, fs.AT_FDCWD, path, fs.O_RDONLY, 0)
	if errno != 0 {
		return nil, errno
	}
	defer f.DecRef()
	var out bytes.Buffer
	buf := make([]byte, 32<<10)
	for {
		n, errno := fs.VfsRead(c, f, buf, nil)
		if errno != 0 {
			return nil, errno
		}
		if n == 0 {
			return out.Bytes(), nil
		}
		out.Write(buf[:n])
	}
}
