package fs

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// This file is the VFS instance: everything Linux keeps in globals (the
// mount namespace, the inode counter, the device tables, the anon inode,
// the log) lives in one *VFS, so a test builds a fresh kernel world with
// NewVFS and nothing leaks between tests. Lock order: see doc.go.

// Config is what the kernel plugs into a VFS. Every field has a default.
type Config struct {
	Frames  PageFrames  // page-cache frames for ramfs (default: Go heap)
	Proc    ProcSources // what procfs shows (default: nothing but /proc itself)
	Now     func() time.Time
	Random  io.Reader // /dev/random, /dev/urandom (default NewCRNG)
	Console Console   // /dev/console and /dev/tty (default: discard, EOF)
	NrOpen  int       // fs.nr_open (default NrOpenDefault)
}

// VFS is one kernel's file-system world.
type VFS struct {
	Log Klog

	// IoctlMode selects the ioctl dispatch: IoctlModern (5.6+) or
	// IoctlHistoric (2.6.35, with the BKL-locked ->ioctl).
	IoctlMode IoctlMode

	// BKL is the Big Kernel Lock that IoctlHistoric takes around ->ioctl.
	BKL sync.Mutex

	NrOpen  int
	Now     func() time.Time
	frames  PageFrames
	random  io.Reader
	console Console
	proc    ProcSources
	boot    time.Time

	ns       sync.RWMutex
	mounts   map[mountKey]*Mount
	mountSeq int
	root     Path

	nextIno      atomic.Uint64
	nextAnonMn   atomic.Uint32
	socketsInUse atomic.Int64 // sock_alloc'ed and not yet released

	devMu   sync.Mutex
	chrdevs map[uint32]*charDevice // by major
	misc    []*MiscDevice          // newest first (misc_list)
	miscDyn map[uint32]bool        // dynamic minors in use

	devRoot       Path // the devtmpfs root
	procRoot      Path
	procEnts      *procEntry
	anonInode     *Inode
	pipeSb        *SuperBlock
	sockSb        *SuperBlock
	tty           *ttyState
	ioctl32Warned atomic.Int32
}

// NewVFS builds the boot-time file system: ramfs at /, devtmpfs at /dev
// with the memory and tty devices, procfs at /proc, and the pseudo
// filesystems behind anon inodes, pipes and sockets.
func NewVFS(cfg Config) *VFS {
	v := &VFS{
		NrOpen: cfg.NrOpen, Now: cfg.Now, frames: cfg.Frames, random: cfg.Random,
		console: cfg.Console, proc: cfg.Proc,
		mounts: map[mountKey]*Mount{}, chrdevs: map[uint32]*charDevice{}, miscDyn: map[uint32]bool{},
	}
	if v.NrOpen < nrOpenDefaultFds {
		v.NrOpen = NrOpenDefault
	}
	if v.Now == nil {
		v.Now = time.Now
	}
	if v.frames == nil {
		v.frames = NewHeapFrames()
	}
	if v.random == nil {
		v.random = NewCRNG()
	}
	if v.console == nil {
		v.console = discardConsole{}
	}
	v.boot = v.Now()
	rootSb := &SuperBlock{Type: "rootfs", Magic: ramfsMagic, Dev: v.anonDev(), BlockSize: pageSize}
	rootDentry := newDentry("/", nil, v.newRamfsInode(rootSb, S_IFDIR|0o755, 0))
	v.mountSeq++
	v.root = Path{&Mount{ID: v.mountSeq, Sb: rootSb, Root: rootDentry, vfs: v}, rootDentry}

	v.anonInode = v.newAnonInode()
	v.pipeSb = &SuperBlock{Type: "pipefs", Magic: 0x50495045, Dev: v.anonDev(), BlockSize: pageSize}
	v.sockSb = &SuperBlock{Type: "sockfs", Magic: 0x534F434B, Dev: v.anonDev(), BlockSize: pageSize}

	v.mountDevtmpfs()
	v.mountProc()
	return v
}

// Root is the root of the namespace (the initial task's root and cwd).
func (v *VFS) Root() Path { return v.root }

// NewCaller returns a Caller for a fresh process at the root with the
// default RLIMIT_NOFILE (1024) and a new file table.
func (v *VFS) NewCaller() *Caller {
	return &Caller{Files: NewFDTable(v.NrOpen), Root: v.root, Cwd: v.root, NoFile: 1024, Umask: 0o022}
}

// anonDev mirrors get_anon_bdev: 0:N for a filesystem without a device.
func (v *VFS) anonDev() DevT { return MkDev(0, v.nextAnonMn.Add(1)) }

// Frames is the page-frame provider ramfs stores file data in.
func (v *VFS) Frames() PageFrames { return v.frames }
