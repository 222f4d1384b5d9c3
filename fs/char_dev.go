package fs

import (
	"github.com/ringo-os/ringo/abi"
)

// This file is fs/char_dev.c: the major-number table and chrdev_open, the
// open of every S_IFCHR inode (def_chr_fops).

// charDevice mirrors a registered char_device_struct + cdev covering all
// 256 minors of a major (register_chrdev).
type charDevice struct {
	major uint32
	name  string
	fops  FileOperations
}

// chrdevMajorDynamic are the majors register_chrdev hands out for major 0
// (CHRDEV_MAJOR_DYN_END..CHRDEV_MAJOR_DYN_EXT: 234..254, scanned downward).
const (
	chrdevMajorDynStart = 254
	chrdevMajorDynEnd   = 234
	chrdevMajorMax      = 512
)

// RegisterChrdev mirrors register_chrdev: major 0 allocates a free major
// (EBUSY if none); a taken major is EBUSY; major >= 512 EINVAL. It returns
// the major.
func (v *VFS) RegisterChrdev(major uint32, name string, fops FileOperations) (uint32, error) {
	if major >= chrdevMajorMax {
		return 0, abi.EINVAL
	}
	v.devMu.Lock()
	defer v.devMu.Unlock()
	if major == 0 {
		for m := uint32(chrdevMajorDynStart); m >= chrdevMajorDynEnd; m-- {
			if v.chrdevs[m] == nil {
				major = m
				break
			}
		}
		if major == 0 {
			return 0, abi.EBUSY
		}
	}
	if v.chrdevs[major] != nil {
		return 0, abi.EBUSY
	}
	v.chrdevs[major] = &charDevice{major: major, name: name, fops: fops}
	return major, nil
}

// UnregisterChrdev mirrors unregister_chrdev.
func (v *VFS) UnregisterChrdev(major uint32) {
	v.devMu.Lock()
	delete(v.chrdevs, major)
	v.devMu.Unlock()
}

// defChrFops mirrors def_chr_fops: its only method is open.
type defChrFops struct{}

// Open mirrors chrdev_open: find the driver of i_rdev (ENXIO if none),
// replace the file's operations with the driver's, call its open.
func (defChrFops) Open(inode *Inode, f *File) error {
	v := f.vfs
	v.devMu.Lock()
	cd := v.chrdevs[inode.Rdev.Major()]
	v.devMu.Unlock()
	if cd == nil {
		return abi.ENXIO
	}
	f.Op = cd.fops // replace_fops
	if op, ok := f.Op.(Opener); ok {
		return op.Open(inode, f)
	}
	return nil
}
