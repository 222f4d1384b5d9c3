package fs

import (
	"io"

	"github.com/ringo-os/ringo/abi"
)

// This file is drivers/char/mem.c (major 1): /dev/null, /dev/zero,
// /dev/full, and /dev/random, /dev/urandom (drivers/char/random.c).

const memMajor = 1

var memDevices = []struct {
	name  string
	minor uint32
	mode  uint32
	fops  FileOperations
}{
	{"null", 3, 0o666, nullFops{}},
	{"zero", 5, 0o666, zeroFops{}},
	{"full", 7, 0o666, fullFops{}},
	{"random", 8, 0o666, randomFops{}},
	{"urandom", 9, 0o666, randomFops{}},
}

// memFops mirrors memory_fops: open picks the device by minor.
type memFops struct{}

func (memFops) Open(inode *Inode, f *File) error {
	for _, d := range memDevices {
		if d.minor == inode.Rdev.Minor() {
			f.Op = d.fops
			return nil
		}
	}
	return abi.ENXIO
}

// nullLseek mirrors null_lseek: every seek lands at 0.
type nullLseek struct{}

func (nullLseek) Llseek(f *File, pos, offset int64, whence int) (int64, error) { return 0, nil }

type nullFops struct{ nullLseek }

func (nullFops) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) { return 0, nil }
func (nullFops) Write(c *Caller, f *File, src []byte, pos *int64) (int, error) {
	return len(src), nil
}

type zeroFops struct{ nullLseek }

func (zeroFops) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) {
	clear(dst)
	return len(dst), nil
}
func (zeroFops) Write(c *Caller, f *File, src []byte, pos *int64) (int, error) {
	return len(src), nil
}

type fullFops struct{ nullLseek }

func (fullFops) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) {
	clear(dst)
	return len(dst), nil
}
func (fullFops) Write(c *Caller, f *File, src []byte, pos *int64) (int, error) {
	return 0, abi.ENOSPC
}

type randomFops struct{ NoopLlseek }

func (randomFops) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) {
	n, err := io.ReadFull(f.vfs.random, dst)
	if err != nil && n == 0 {
		return 0, abi.EIO
	}
	return n, nil
}

// Write accepts entropy and discards it (crediting needs privilege).
func (randomFops) Write(c *Caller, f *File, src []byte, pos *int64) (int, error) {
	return len(src), nil
}
