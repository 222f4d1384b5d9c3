package kernel

// The handlers' way to user memory: every pointer goes through mm's
// checked CopyIn/CopyOut and get/put_user (EFAULT, never a panic),
// strings through getname's rules; userMemory gives the VFS and drivers
// the same path.

import (
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

// putU32 and putU64 store one word (put_user), EFAULT on a bad address.
func (t *Task) putU32(addr uint64, v uint32) error {
	if t.mm().PutUser32(addr, v) != nil {
		return abi.EFAULT
	}
	return nil
}

func (t *Task) putU64(addr uint64, v uint64) error {
	if t.mm().PutUser64(addr, v) != nil {
		return abi.EFAULT
	}
	return nil
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

// userMemory is fs.UserMemory over the task's current address space, so
// drivers and the VFS copy through mm's checked CopyIn/CopyOut.
type userMemory struct{ t *Task }

func (u userMemory) CopyIn(addr uintptr, dst []byte) error {
	_, err := u.t.mm().CopyIn(dst, uint64(addr))
	return err
}

func (u userMemory) CopyOut(addr uintptr, src []byte) error {
	_, err := u.t.mm().CopyOut(uint64(addr), src)
	return err
}

func (u userMemory) GetUser32(addr uintptr) (uint32, error) { return u.t.mm().GetUser32(uint64(addr)) }
func (u userMemory) PutUser32(addr uintptr, v uint32) error {
	return u.t.mm().PutUser32(uint64(addr), v)
}
func (u userMemory) PutUser64(addr uintptr, v uint64) error {
	return u.t.mm().PutUser64(uint64(addr), v)
}
