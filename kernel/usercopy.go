package kernel

// The handlers' way to user memory: every pointer goes through mm's
// checked CopyIn/CopyOut (EFAULT, never a panic), strings through
// getname's rules.

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/mm"
)

// pathMax is PATH_MAX: getname fails with ENAMETOOLONG at this length.
const pathMax = 4096

// maxRWCount is MAX_RW_COUNT (INT_MAX & PAGE_MASK): the most one read or
// write transfers.
const maxRWCount = 0x7ffff000

// copyIn reads len(b) bytes at addr (copy_from_user, all or EFAULT).
func (t *Task) copyIn(addr uint64, b []byte) error {
	if _, err := t.mm().CopyIn(b, addr); err != nil {
		return abi.EFAULT
	}
	return nil
}

// copyOut writes b at addr (copy_to_user, all or EFAULT).
func (t *Task) copyOut(addr uint64, b []byte) error {
	if _, err := t.mm().CopyOut(addr, b); err != nil {
		return abi.EFAULT
	}
	return nil
}

// copyInPath reads a path argument (getname): NULL or unreadable is
// EFAULT, PATH_MAX bytes without a NUL ENAMETOOLONG. Empty paths are the
// caller's business (ENOENT unless AT_EMPTY_PATH).
func (t *Task) copyInPath(addr uint64) (string, error) {
	return t.mm().CopyInString(addr, pathMax-1)
}

// putU32 and putU64 store one word (put_user).
func (t *Task) putU32(addr uint64, v uint32) error {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	return t.copyOut(addr, b[:])
}

func (t *Task) putU64(addr uint64, v uint64) error {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return t.copyOut(addr, b[:])
}

// accessOK mirrors x86-64 access_ok: the range ends at or below
// TASK_SIZE_MAX, for 64-bit and compat callers alike; no page is touched.
func (t *Task) accessOK(addr, n uint64) bool {
	end := addr + n
	return end >= addr && end <= mm.TaskSize64
}

// errOf turns fs's Errno-with-zero-for-success into a Go error.
func errOf(e abi.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}
