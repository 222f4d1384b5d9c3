package fs

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ringo-os/ringo/abi"
)

// This file is procfs (fs/proc/): /proc/self, /proc/PID/{fd,fdinfo,maps,
// pagemap,status,exe}, /proc/meminfo, /proc/uptime, /proc/misc and the
// entries drivers make with ProcCreate. What it shows about processes and
// memory comes from the kernel through ProcSources; fs never reaches into
// mm or the task model itself.

const procSuperMagic = 0x9fa0

// ProcSources is what the kernel tells procfs.
type ProcSources interface {
	// Process returns the live process pid, or nil.
	Process(pid int) ProcProcess
	// Pids lists live processes in increasing order.
	Pids() []int
	MemInfo() MemInfo
}

// ProcProcess is one process as procfs reads it.
type ProcProcess interface {
	Pid() int
	Files() *FDTable
	// MapsText is /proc/PID/maps (mm's show_map lines).
	MapsText() string
	// ReadPagemap fills buf with pagemap words from byte offset off
	// (both multiples of 8, checked by procfs); 0 bytes past the end.
	ReadPagemap(off int64, buf []byte) (int, error)
	Status() ProcStatus
	// ExePath is the path /proc/PID/exe points at ("" if none).
	ExePath() string
}

// ProcStatus holds the fields of /proc/PID/status.
type ProcStatus struct {
	Name      string
	State     string // "R (running)", "S (sleeping)", ...
	Tgid, Pid int
	PPid      int
	Uid, Gid  uint32
	Threads   int
	VmSizeKB  uint64
	VmRSSKB   uint64
	Umask     uint32
}

// MemInfo holds the fields of /proc/meminfo, in KiB.
type MemInfo struct {
	MemTotal, MemFree, MemAvailable, Buffers, Cached, SwapTotal, SwapFree uint64
}

// procEntry mirrors struct proc_dir_entry: a static /proc node.
type procEntry struct {
	name     string
	mode     uint32
	fops     FileOperations
	gen      func(c *Caller) string // generated read-only text (seq_file)
	inode    *Inode
	parent   *procEntry
	mu       sync.Mutex
	children map[string]*procEntry
	order    []string
}

// ProcDirEntry is the handle ProcCreate and ProcMkdir return.
type ProcDirEntry = procEntry

func (v *VFS) procSb() *SuperBlock { return v.procRoot.Dentry.Inode.Sb }

// mountProc mounts procfs at /proc with its built-in files.
func (v *VFS) mountProc() {
	sb := &SuperBlock{Type: "proc", Magic: procSuperMagic, Dev: v.anonDev(), BlockSize: pageSize}
	v.procEnts = &procEntry{name: "/", mode: S_IFDIR | 0o555, children: map[string]*procEntry{}}
	rootInode := v.newInode(sb, S_IFDIR|0o555)
	rootInode.Private = &procDir{v: v, ent: v.procEnts}
	v.procEnts.inode = rootInode
	root := newDentry("/", nil, rootInode)
	v.ns.Lock()
	dir, _ := v.createLocked(nil, v.root, "proc", S_IFDIR|0o555, 0)
	v.ns.Unlock()
	m, _ := v.Mount(Path{v.root.Mnt, dir}, sb, root, 0)
	v.procRoot = Path{m, root}
	v.procAddGen(v.procEnts, "meminfo", v.procMeminfo)
	v.procAddGen(v.procEnts, "uptime", v.procUptime)
	v.procAddGen(v.procEnts, "misc", func(*Caller) string { return v.procMisc() })
}

func (v *VFS) procAddGen(parent *procEntry, name string, gen func(*Caller) string) {
	e := &procEntry{name: name, mode: S_IFREG | 0o444, gen: gen, parent: parent}
	e.inode = v.newInode(v.procSb(), e.mode)
	e.inode.Fops = seqFops{}
	e.inode.Private = &seqSource{gen: gen}
	parent.children[name] = e
	parent.order = append(parent.order, name)
}

// ProcCreate mirrors proc_create: a file /proc/[parent/]name whose opens
// use fops. mode 0 means 0444. A name with '/' walks existing
// subdirectories of parent (ENOENT if missing); an existing name is
// EEXIST; an empty or NUL-containing name EINVAL; > 255 bytes ENAMETOOLONG.
func (v *VFS) ProcCreate(name string, mode uint32, parent *ProcDirEntry, fops FileOperations) (*ProcDirEntry, error) {
	if mode&0o7777 == 0 {
		mode |= 0o444
	}
	return v.procRegister(name, S_IFREG|mode&0o7777, parent, fops)
}

// ProcMkdir mirrors proc_mkdir.
func (v *VFS) ProcMkdir(name string, parent *ProcDirEntry) (*ProcDirEntry, error) {
	return v.procRegister(name, S_IFDIR|0o555, parent, nil)
}

func (v *VFS) procRegister(name string, mode uint32, parent *procEntry, fops FileOperations) (*procEntry, error) {
	if parent == nil {
		parent = v.procEnts
	}
	if name == "" || strings.ContainsRune(name, 0) {
		return nil, abi.EINVAL
	}
	parts := strings.Split(name, "/")
	for _, p := range parts[:len(parts)-1] {
		parent.mu.Lock()
		next := parent.children[p]
		parent.mu.Unlock()
		if next == nil || next.children == nil {
			return nil, abi.ENOENT
		}
		parent = next
	}
	last := parts[len(parts)-1]
	if last == "" || last == "." || last == ".." {
		return nil, abi.EINVAL
	}
	if len(last) > NAME_MAX {
		return nil, abi.ENAMETOOLONG
	}
	e := &procEntry{name: last, mode: mode, fops: fops, parent: parent}
	e.inode = v.newInode(v.procSb(), mode)
	e.inode.Fops = fops
	if mode&S_IFMT == S_IFDIR {
		e.children = map[string]*procEntry{}
		e.inode.Private = &procDir{v: v, ent: e}
	}
	parent.mu.Lock()
	defer parent.mu.Unlock()
	if _, dup := parent.children[last]; dup || parent == v.procEnts && (last == "self" || isPid(last)) {
		v.Log.PrWarn("proc_dir_entry '%s/%s' already registered", parent.name, last)
		return nil, abi.EEXIST
	}
	parent.children[last] = e
	parent.order = append(parent.order, last)
	return e, nil
}

// RemoveProcEntry mirrors remove_proc_entry.
func (v *VFS) RemoveProcEntry(name string, parent *ProcDirEntry) {
	if parent == nil {
		parent = v.procEnts
	}
	parent.mu.Lock()
	defer parent.mu.Unlock()
	delete(parent.children, name)
	for i, n := range parent.order {
		if n == name {
			parent.order = append(parent.order[:i:i], parent.order[i+1:]...)
			break
		}
	}
}

func isPid(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n > 0 && strconv.Itoa(n) == s
}

// procDir is a static procfs directory (the root or a ProcMkdir).
type procDir struct {
	v   *VFS
	ent *procEntry
}

func (d *procDir) lookup(c *Caller, dir *Dentry, name string) *Dentry {
	v := d.v
	if d.ent == v.procEnts {
		if name == "self" {
			in := v.newProcInode(S_IFLNK|0o777, procFakeIno(0, procInoSelf, 0))
			in.Private = procSelfLink{}
			return newDentry(name, dir, in)
		}
		if isPid(name) && v.proc != nil {
			pid, _ := strconv.Atoi(name)
			if p := v.proc.Process(pid); p != nil {
				return v.procPidDentry(dir, name, p)
			}
			return nil
		}
	}
	d.ent.mu.Lock()
	e := d.ent.children[name]
	d.ent.mu.Unlock()
	if e == nil {
		return nil
	}
	return newDentry(name, dir, e.inode)
}

func (d *procDir) readdir(c *Caller, dir *Dentry) []DirEntry {
	var out []DirEntry
	d.ent.mu.Lock()
	for _, n := range d.ent.order {
		e := d.ent.children[n]
		out = append(out, DirEntry{e.inode.Ino, dtype(e.mode), n})
	}
	d.ent.mu.Unlock()
	if d.ent == d.v.procEnts {
		out = append(out, DirEntry{procFakeIno(0, procInoSelf, 0), DT_LNK, "self"})
		if d.v.proc != nil {
			for _, pid := range d.v.proc.Pids() {
				out = append(out, DirEntry{procFakeIno(pid, procInoPidDir, 0), DT_DIR, strconv.Itoa(pid)})
			}
		}
	}
	return out
}

// procSelfLink is /proc/self: the caller's pid (ENOENT for a caller
// without a process, as a kernel thread sees).
type procSelfLink struct{}

func (procSelfLink) getLink(c *Caller) (string, Path, bool, abi.Errno) {
	if c == nil || c.Proc == nil {
		return "", Path{}, false, abi.ENOENT
	}
	return strconv.Itoa(c.Proc.Pid()), Path{}, false, 0
}

// seqSource generates a read-only text file's content at open
// (single_open + seq_read).
type seqSource struct {
	gen func(c *Caller) string
}

type seqFops struct{}

type seqFile struct{ data []byte }

func (seqFops) Open(inode *Inode, f *File) error {
	if f.Mode&FModeWrite != 0 {
		return abi.EACCES
	}
	f.PrivateData = nil // generated on first read, for the reading caller
	return nil
}

func (seqFops) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) {
	sf, _ := f.PrivateData.(*seqFile)
	if sf == nil {
		sf = &seqFile{data: []byte(f.Inode.Private.(*seqSource).gen(c))}
		f.PrivateData = sf
	}
	if *pos >= int64(len(sf.data)) {
		return 0, nil
	}
	n := copy(dst, sf.data[*pos:])
	*pos += int64(n)
	return n, nil
}

func (seqFops) Llseek(f *File, pos, offset int64, whence int) (int64, error) {
	if whence == SEEK_END || whence > SEEK_END {
		return 0, abi.EINVAL
	}
	return genericLlseek(pos, offset, whence, 0)
}

func (v *VFS) procMeminfo(*Caller) string {
	var mi MemInfo
	if v.proc != nil {
		mi = v.proc.MemInfo()
	}
	var b strings.Builder
	for _, r := range []struct {
		n string
		v uint64
	}{{"MemTotal:", mi.MemTotal}, {"MemFree:", mi.MemFree}, {"MemAvailable:", mi.MemAvailable},
		{"Buffers:", mi.Buffers}, {"Cached:", mi.Cached}, {"SwapTotal:", mi.SwapTotal}, {"SwapFree:", mi.SwapFree}} {
		fmt.Fprintf(&b, "%-16s%8d kB\n", r.n, r.v)
	}
	return b.String()
}

func (v *VFS) procUptime(*Caller) string {
	up := v.Now().Sub(v.boot)
	cs := up / (10 * time.Millisecond)
	return fmt.Sprintf("%d.%02d %d.%02d\n", cs/100, cs%100, cs/100, cs%100)
}
