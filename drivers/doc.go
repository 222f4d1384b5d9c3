// Package drivers holds in-kernel "modules" written against the driver API of
// fs and mm only: the seeds' fd_test misc device and lkmc_mmap proc entry.
package drivers
