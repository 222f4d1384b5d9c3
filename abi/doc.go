// Package abi holds the numbers of the Linux user ABI that every other Ringo
// package shares: errno values, signal numbers and the few constants that
// fs, mm, the task layer and the syscall tables all speak. It imports
// nothing of Ringo's, so any package may depend on it (it plays the part of
// gVisor's pkg/abi/linux).
package abi
