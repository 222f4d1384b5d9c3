// Package selftest is the in-kernel test suite that `make qemu` runs right
// after the Go runtime starts: it proves, on the metal, that the nucleus
// hosts the runtime properly — goroutines and channels, timers, preemption
// of runtime threads, garbage collection that really returns memory, a
// recovered nil dereference, an interrupt that makes an fd ready. One line
// per test, then "N passed, N failed".
package selftest
