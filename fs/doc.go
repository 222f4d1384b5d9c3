// Package fs is Ringo's virtual file system: files, inodes and dentries, the
// per-process file table (files_struct/fdtable), anonymous inodes, character
// and misc devices, ioctl dispatch (unlocked_ioctl, compat_ioctl and the
// historical BKL-locked ioctl), pipes, ramfs/initramfs, devtmpfs and procfs.
//
// It is ordinary Go, tested on the host (LINUX-SEMANTICS §2-5, §7).
package fs
