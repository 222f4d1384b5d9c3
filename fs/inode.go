package fs

import (
	"sync"
	"time"
)

// This file is struct inode and struct super_block (include/linux/fs.h),
// and dev_t (include/linux/kdev_t.h).

// DevT mirrors the kernel-internal dev_t: 12-bit major, 20-bit minor.
type DevT uint32

const minorBits = 20

// MinorMask is MINORMASK: the largest minor number.
const MinorMask = 1<<minorBits - 1

// MkDev mirrors MKDEV.
func MkDev(major, minor uint32) DevT { return DevT(major<<minorBits | minor&MinorMask) }

// Major and Minor mirror MAJOR and MINOR.
func (d DevT) Major() uint32 { return uint32(d) >> minorBits }
func (d DevT) Minor() uint32 { return uint32(d) & MinorMask }

// Encode mirrors new_encode_dev: the st_dev/st_rdev value user space sees.
func (d DevT) Encode() uint64 {
	major, minor := uint64(d.Major()), uint64(d.Minor())
	return minor&0xff | major<<8 | (minor&^0xff)<<12
}

// SuperBlock mirrors struct super_block: one mounted instance of a
// filesystem.
type SuperBlock struct {
	Type      string // "ramfs", "devtmpfs", "proc", "anon_inodefs", "pipefs", "sockfs"
	Magic     uint64 // s_magic, as statfs reports it
	Dev       DevT   // s_dev; pseudo filesystems get 0:N (get_anon_bdev)
	BlockSize int64  // s_blocksize
}

// Inode mirrors struct inode. Mode's type bits never change; the other
// mutable attributes are guarded by mu.
type Inode struct {
	Ino  uint64
	Mode uint32 // S_IFMT type + permission bits
	Rdev DevT   // for S_IFCHR nodes
	Uid  uint32
	Gid  uint32
	Sb   *SuperBlock

	// Fops is i_fop: the file operations an open of this inode starts
	// with (def_chr_fops for device nodes, ramfs's for regular files).
	Fops FileOperations

	// Link is the target of a plain symlink (page_get_link).
	Link string

	// Private is the filesystem's per-inode object (i_private): ramfs
	// data, a pipe, a procfs entry.
	Private any

	mu                  sync.Mutex
	size                int64 // i_size
	nlink               uint32
	atime, mtime, ctime time.Time
	opens               int // open files on this inode; with nlink 0, the last close evicts
}

// Size returns i_size.
func (i *Inode) Size() int64 {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.size
}

// SetSize sets i_size (drivers and procfs entries use it for stat).
func (i *Inode) SetSize(n int64) {
	i.mu.Lock()
	i.size = n
	i.mu.Unlock()
}

// Nlink returns i_nlink.
func (i *Inode) Nlink() uint32 {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.nlink
}

// IsDir, IsReg, IsLnk and IsChr test the S_IFMT bits.
func (i *Inode) IsDir() bool { return i.Mode&S_IFMT == S_IFDIR }
func (i *Inode) IsReg() bool { return i.Mode&S_IFMT == S_IFREG }
func (i *Inode) IsLnk() bool { return i.Mode&S_IFMT == S_IFLNK }
func (i *Inode) IsChr() bool { return i.Mode&S_IFMT == S_IFCHR }

// Evicter is implemented by an inode's Private object that owns resources
// (ramfs pages) to free once the inode is unlinked and no longer open
// (evict_inode).
type Evicter interface {
	Evict(i *Inode)
}

// newInode mirrors new_inode + get_next_ino.
func (v *VFS) newInode(sb *SuperBlock, mode uint32) *Inode {
	now := v.Now()
	return &Inode{
		Ino: v.nextIno.Add(1), Mode: mode, Sb: sb, nlink: 1,
		atime: now, mtime: now, ctime: now,
	}
}

func (i *Inode) openFile() {
	i.mu.Lock()
	i.opens++
	i.mu.Unlock()
}

// closeFile is the inode half of __fput (iput of the last user).
func (i *Inode) closeFile(f *File) {
	i.mu.Lock()
	if f.Mode&fmodeCountedOpen != 0 {
		i.opens--
	}
	evict := i.opens == 0 && i.nlink == 0
	i.mu.Unlock()
	if ev, ok := i.Private.(Evicter); ok && evict {
		ev.Evict(i)
	}
}

// dropLink is the inode half of unlink/rmdir.
func (i *Inode) dropLink() {
	i.mu.Lock()
	if i.nlink > 0 {
		i.nlink--
	}
	evict := i.opens == 0 && i.nlink == 0
	i.mu.Unlock()
	if ev, ok := i.Private.(Evicter); ok && evict {
		ev.Evict(i)
	}
}

// fmodeCountedOpen marks files counted in Inode.opens (not a Linux bit:
// anon-inode files share one inode and are not counted).
const fmodeCountedOpen FMode = 1 << 30
