package kernel

// The stat structures user space reads, byte for byte:
// struct stat (x86_64, arch/x86/include/uapi/asm/stat.h), struct stat64
// (i386, packed, filled by arch/x86/kernel/sys_ia32.c:cp_stat64) and
// struct statx (include/uapi/linux/stat.h, same on both ABIs).

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/fs"
)

const (
	statSize   = 144
	stat64Size = 96
	statxSize  = 256
)

// Encoding of dev_t in the 32-bit form new_encode_dev produces.
func devMajor(d uint64) uint32 { return uint32((d & 0xfff00) >> 8) }
func devMinor(d uint64) uint32 { return uint32((d & 0xff) | ((d >> 12) & 0xfff00)) }

// The encoders return arrays, which stay on the caller's stack all the way
// to copy_to_user: a stat is then no heap allocation.

// encodeStat fills struct stat for a 64-bit caller.
func encodeStat(s fs.Stat) (b [statSize]byte) {
	le := binary.LittleEndian
	le.PutUint64(b[0:], s.Dev)
	le.PutUint64(b[8:], s.Ino)
	le.PutUint64(b[16:], uint64(s.Nlink))
	le.PutUint32(b[24:], s.Mode)
	le.PutUint32(b[28:], s.Uid)
	le.PutUint32(b[32:], s.Gid)
	le.PutUint64(b[40:], s.Rdev)
	le.PutUint64(b[48:], uint64(s.Size))
	le.PutUint64(b[56:], uint64(s.Blksize))
	le.PutUint64(b[64:], uint64(s.Blocks))
	le.PutUint64(b[72:], uint64(s.Atime.Unix()))
	le.PutUint64(b[80:], uint64(s.Atime.Nanosecond()))
	le.PutUint64(b[88:], uint64(s.Mtime.Unix()))
	le.PutUint64(b[96:], uint64(s.Mtime.Nanosecond()))
	le.PutUint64(b[104:], uint64(s.Ctime.Unix()))
	le.PutUint64(b[112:], uint64(s.Ctime.Nanosecond()))
	return b
}

// encodeStat64 fills the packed i386 struct stat64: the 32-bit __st_ino
// at 12 and the full st_ino at 88.
func encodeStat64(s fs.Stat) (b [stat64Size]byte) {
	le := binary.LittleEndian
	le.PutUint64(b[0:], s.Dev)
	le.PutUint32(b[12:], uint32(s.Ino))
	le.PutUint32(b[16:], s.Mode)
	le.PutUint32(b[20:], s.Nlink)
	le.PutUint32(b[24:], s.Uid)
	le.PutUint32(b[28:], s.Gid)
	le.PutUint64(b[32:], s.Rdev)
	le.PutUint64(b[44:], uint64(s.Size))
	le.PutUint32(b[52:], uint32(s.Blksize))
	le.PutUint64(b[56:], uint64(s.Blocks))
	le.PutUint32(b[64:], uint32(s.Atime.Unix()))
	le.PutUint32(b[68:], uint32(s.Atime.Nanosecond()))
	le.PutUint32(b[72:], uint32(s.Mtime.Unix()))
	le.PutUint32(b[76:], uint32(s.Mtime.Nanosecond()))
	le.PutUint32(b[80:], uint32(s.Ctime.Unix()))
	le.PutUint32(b[84:], uint32(s.Ctime.Nanosecond()))
	le.PutUint64(b[88:], s.Ino)
	return b
}

// STATX_* bits Ringo fills: STATX_BASIC_STATS (type, mode, nlink, uid,
// gid, atime, mtime, ctime, ino, size, blocks).
const statxBasicStats = 0x7ff

// encodeStatx fills struct statx.
func encodeStatx(s fs.Stat) (b [statxSize]byte) {
	le := binary.LittleEndian
	le.PutUint32(b[0:], statxBasicStats)
	le.PutUint32(b[4:], uint32(s.Blksize))
	le.PutUint32(b[16:], s.Nlink)
	le.PutUint32(b[20:], s.Uid)
	le.PutUint32(b[24:], s.Gid)
	le.PutUint16(b[28:], uint16(s.Mode))
	le.PutUint64(b[32:], s.Ino)
	le.PutUint64(b[40:], uint64(s.Size))
	le.PutUint64(b[48:], uint64(s.Blocks))
	ts := func(off int, sec int64, nsec int) {
		le.PutUint64(b[off:], uint64(sec))
		le.PutUint32(b[off+8:], uint32(nsec))
	}
	ts(64, s.Atime.Unix(), s.Atime.Nanosecond())
	ts(96, s.Ctime.Unix(), s.Ctime.Nanosecond())
	ts(112, s.Mtime.Unix(), s.Mtime.Nanosecond())
	le.PutUint32(b[128:], devMajor(s.Rdev))
	le.PutUint32(b[132:], devMinor(s.Rdev))
	le.PutUint32(b[136:], devMajor(s.Dev))
	le.PutUint32(b[140:], devMinor(s.Dev))
	return b
}
