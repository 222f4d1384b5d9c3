// Package nucleus is the part of Ringo that runs beneath the Go runtime.
//
// The kernel is an ordinary linux/amd64 Go program; the runtime inside it
// executes SYSCALL for threads, memory, time and signals exactly as it would
// under Linux. The nucleus answers those calls on the bare machine: it owns
// the CPU (descriptor tables, traps, the timer), the runtime's threads (one
// nucleus thread per clone, preemptively scheduled), futexes, sleeping and
// idling, the kernel half of the page tables with demand paging, the
// netpoller's epoll and eventfd, the clocks, and the delivery of faults to
// the runtime's own signal handlers.
//
// Rules for every file here: code that runs on a trap path or before the
// runtime exists is //go:nosplit, allocates nothing, stores no Go pointers
// in nucleus state (uintptrs only, so no write barrier can run), and takes
// no runtime lock: the nucleus can be entered while the runtime holds any
// lock. The linker checks the nosplit stack budget of every trap path.
//
// runtime_syscalls.go is the one list of the runtime's system calls the
// nucleus answers and why (TamaGo's goos hook list, for a stock toolchain).
package nucleus
