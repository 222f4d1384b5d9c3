package fs

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
)

// fakeMem is user memory at [memBase, memBase+4096); anything else faults.
type fakeMem struct{ b [4096]byte }

const memBase = 0x10000

func (m *fakeMem) CopyIn(addr uintptr, dst []byte) error {
	if addr < memBase || addr+uintptr(len(dst)) > memBase+4096 {
		return abi.EFAULT
	}
	copy(dst, m.b[addr-memBase:])
	return nil
}

func (m *fakeMem) CopyOut(addr uintptr, src []byte) error {
	if addr < memBase || addr+uintptr(len(src)) > memBase+4096 {
		return abi.EFAULT
	}
	copy(m.b[addr-memBase:], src)
	return nil
}

func (m *fakeMem) GetUser32(addr uintptr) (uint32, error) {
	var b [4]byte
	err := m.CopyIn(addr, b[:])
	return binary.LittleEndian.Uint32(b[:]), err
}

func (m *fakeMem) PutUser32(addr uintptr, v uint32) error {
	return m.CopyOut(addr, binary.LittleEndian.AppendUint32(nil, v))
}

func (m *fakeMem) PutUser64(addr uintptr, v uint64) error {
	return m.CopyOut(addr, binary.LittleEndian.AppendUint64(nil, v))
}

func (m *fakeMem) i32(addr uintptr) int32 {
	o := addr - memBase
	return int32(uint32(m.b[o]) | uint32(m.b[o+1])<<8 | uint32(m.b[o+2])<<16 | uint32(m.b[o+3])<<24)
}

func newTestVFS(t testing.TB) (*VFS, *Caller, *fakeMem) {
	v := NewVFS(Config{})
	c := v.NewCaller()
	m := &fakeMem{}
	c.Mem = m
	return v, c, m
}

// mustOpen opens path or fails the test.
func mustOpen(t testing.TB, v *VFS, c *Caller, path string, flags uint32) int {
	fd, err := v.Openat(c, AT_FDCWD, path, flags, 0o644)
	require.Equal(t, abi.Errno(0), err, "open %s", path)
	return fd
}

// countingFops counts releases.
type countingFops struct{ releases *int64 }

func (o countingFops) Release(inode *Inode, f *File) { *o.releases++ }
