package fs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ringo-os/ringo/abi"
)

// This file is /proc/PID (fs/proc/base.c, fd.c, task_mmu.c, array.c).

type procPidDir struct {
	v *VFS
	p ProcProcess
}

var procPidFiles = []struct {
	name string
	mode uint32
}{
	{"exe", S_IFLNK | 0o777}, {"fd", S_IFDIR | 0o500}, {"fdinfo", S_IFDIR | 0o500},
	{"maps", S_IFREG | 0o444}, {"pagemap", S_IFREG | 0o400}, {"status", S_IFREG | 0o444},
}

func (v *VFS) procPidDentry(parent *Dentry, name string, p ProcProcess) *Dentry {
	in := v.newProcInode(S_IFDIR|0o555, procFakeIno(p.Pid(), procInoPidDir, 0))
	in.Private = &procPidDir{v: v, p: p}
	return newDentry(name, parent, in)
}

func (d *procPidDir) lookup(c *Caller, dir *Dentry, name string) *Dentry {
	v, p := d.v, d.p
	for i, e := range procPidFiles {
		if e.name != name {
			continue
		}
		in := v.newProcInode(e.mode, procFakeIno(p.Pid(), procInoPidFile, i))
		switch name {
		case "exe":
			in.Private = procExeLink{p}
		case "fd", "fdinfo":
			in.Private = &procFdDir{v: v, p: p, info: name == "fdinfo"}
		case "maps":
			in.Fops = seqFops{}
			in.Private = &seqSource{gen: func(*Caller) string { return p.MapsText() }}
		case "status":
			in.Fops = seqFops{}
			in.Private = &seqSource{gen: func(*Caller) string { return procStatusText(p) }}
		case "pagemap":
			in.Fops = pagemapFops{}
			in.Private = p
		}
		return newDentry(name, dir, in)
	}
	return nil
}

func (d *procPidDir) readdir(c *Caller, dir *Dentry) []DirEntry {
	out := make([]DirEntry, 0, len(procPidFiles))
	for i, e := range procPidFiles {
		out = append(out, DirEntry{procFakeIno(d.p.Pid(), procInoPidFile, i), dtype(e.mode), e.name})
	}
	return out
}

type procExeLink struct{ p ProcProcess }

func (l procExeLink) getLink(c *Caller) (string, Path, bool, abi.Errno) {
	exe := l.p.ExePath()
	if exe == "" {
		return "", Path{}, false, abi.ENOENT
	}
	return exe, Path{}, false, 0
}

// procStatusText mirrors proc_pid_status (the fields Ringo has).
func procStatusText(p ProcProcess) string {
	s := p.Status()
	fdsize := 0
	if t := p.Files(); t != nil {
		fdsize = t.MaxFds()
	}
	return fmt.Sprintf("Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"+
		"Uid:\t%d\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\t%d\nFDSize:\t%d\nVmSize:\t%8d kB\nVmRSS:\t%8d kB\nThreads:\t%d\n",
		s.Name, s.Umask, s.State, s.Tgid, s.Pid, s.PPid, s.Uid, s.Uid, s.Uid, s.Uid, s.Gid, s.Gid, s.Gid, s.Gid,
		fdsize, s.VmSizeKB, s.VmRSSKB, s.Threads)
}

// procFdDir is /proc/PID/fd (symlinks) or /proc/PID/fdinfo (text files).
type procFdDir struct {
	v    *VFS
	p    ProcProcess
	info bool
}

func (d *procFdDir) lookup(c *Caller, dir *Dentry, name string) *Dentry {
	fd, err := strconv.Atoi(name)
	if err != nil || fd < 0 || strconv.Itoa(fd) != name {
		return nil
	}
	t := d.p.Files()
	if t == nil {
		return nil
	}
	f, e := t.FgetRaw(fd)
	if e != 0 {
		return nil
	}
	defer f.DecRef()
	v := d.v
	if d.info {
		in := v.newProcInode(S_IFREG|0o444, procFakeIno(d.p.Pid(), procInoFdinfo, fd))
		in.Fops = seqFops{}
		in.Private = &seqSource{gen: func(*Caller) string { return fdinfoText(t, fd) }}
		return newDentry(name, dir, in)
	}
	mode := uint32(S_IFLNK)
	if f.Mode&FModeRead != 0 {
		mode |= 0o500
	}
	if f.Mode&FModeWrite != 0 {
		mode |= 0o300
	}
	in := v.newProcInode(mode, procFakeIno(d.p.Pid(), procInoFd, fd))
	in.Private = procFdLink{t: t, fd: fd}
	return newDentry(name, dir, in)
}

func (d *procFdDir) readdir(c *Caller, dir *Dentry) []DirEntry {
	t := d.p.Files()
	if t == nil {
		return nil
	}
	var out []DirEntry
	typ := uint8(DT_LNK)
	if d.info {
		typ = DT_REG
	}
	kind := procInoFd
	if d.info {
		kind = procInoFdinfo
	}
	for _, fd := range t.OpenFds() {
		out = append(out, DirEntry{procFakeIno(d.p.Pid(), kind, fd), typ, strconv.Itoa(fd)})
	}
	return out
}

// procFdLink is /proc/PID/fd/N, a magic link: readlink prints d_path;
// following it reaches the open file itself (not a re-resolved path).
type procFdLink struct {
	t  *FDTable
	fd int
}

func (l procFdLink) getLink(c *Caller) (string, Path, bool, abi.Errno) {
	f, err := l.t.FgetRaw(l.fd)
	if err != 0 {
		return "", Path{}, true, abi.ENOENT
	}
	defer f.DecRef()
	return f.PathName(), f.Path, true, 0
}

// fdinfoText mirrors seq_show of fs/proc/fd.c.
func fdinfoText(t *FDTable, fd int) string {
	f, err := t.FgetRaw(fd)
	if err != 0 {
		return ""
	}
	defer f.DecRef()
	flags := f.Flags()
	if t.IsCloseOnExec(fd) {
		flags |= O_CLOEXEC
	}
	mnt := 0
	if f.Path.Mnt != nil {
		mnt = f.Path.Mnt.ID
	}
	var b strings.Builder
	fmt.Fprintf(&b, "pos:\t%d\nflags:\t0%o\nmnt_id:\t%d\nino:\t%d\n", f.Pos(), flags, mnt, f.Inode.Ino)
	if s, ok := f.Op.(FdinfoShower); ok {
		b.WriteString(s.ShowFdinfo(f))
	}
	return b.String()
}

// pagemapFops mirrors proc_pagemap_operations: 8-byte aligned offsets and
// counts (else EINVAL), count 0 reads 0.
type pagemapFops struct{}

func (pagemapFops) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) {
	if *pos%8 != 0 || len(dst)%8 != 0 {
		return 0, abi.EINVAL
	}
	if len(dst) == 0 {
		return 0, nil
	}
	n, err := f.Inode.Private.(ProcProcess).ReadPagemap(*pos, dst)
	if err != nil {
		return 0, abi.ErrnoOf(err)
	}
	*pos += int64(n)
	return n, nil
}

func (pagemapFops) Llseek(f *File, pos, offset int64, whence int) (int64, error) {
	// mem_lseek: SEEK_SET and SEEK_CUR only, any value.
	switch whence {
	case SEEK_SET:
		return offset, nil
	case SEEK_CUR:
		return pos + offset, nil
	}
	return 0, abi.EINVAL
}

// Kinds of procfs entries for procFakeIno.
const (
	procInoPidDir = iota + 1
	procInoSelf
	procInoPidFile
	procInoFd
	procInoFdinfo
)

// procFakeIno gives the per-process procfs entries that have no inode of
// their own until looked up a stable, non-zero inode number for
// getdents64, as Linux's fake_ino(pid, type) once did: glibc's readdir
// skips entries whose d_ino is 0 (it takes them for deleted ones), and
// 32-bit readdir fails with EOVERFLOW on one that does not fit 32 bits, so
// the number is 1<<31 | pid (15 bits) | kind (4) | index (12): unique for
// the pids and fds small programs have, never 0, always 32-bit.
func procFakeIno(pid, kind, idx int) uint64 {
	return 1<<31 | uint64(pid&0x7fff)<<16 | uint64(kind&0xf)<<12 | uint64(idx&0xfff)
}

// newProcInode is the inode a lookup makes for such an entry: numbered
// by procFakeIno, so that stat's st_ino is the d_ino readdir reported
// (find and ls -i compare the two).
func (v *VFS) newProcInode(mode uint32, ino uint64) *Inode {
	in := v.newInode(v.procSb(), mode)
	in.Ino = ino
	return in
}
