// Package drivers holds in-kernel "modules" written against the driver API
// of fs and mm only, ported line by line from the seeds: the fd_test misc
// device that hands out anon-inode fds through ioctl (seed 000), its
// legacy BKL-locked and compat-less variants (seeds 002/003), and the
// lkmc_mmap proc entry whose mmap is served by a fault handler (seed 001).
// Register loads them all into a VFS at boot; see README.md for what each
// mirrors and where it differs from the seed or from Linux.
package drivers
