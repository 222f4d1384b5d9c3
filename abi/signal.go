package abi

// Signal numbers (arch/x86/include/uapi/asm/signal.h): the same for x86_64
// and i386 tasks. The task layer, the VFS (SIGPIPE) and the nucleus (the
// signal of a fault it reports) all use these.
const (
	SIGHUP    = 1
	SIGINT    = 2
	SIGQUIT   = 3
	SIGILL    = 4
	SIGTRAP   = 5
	SIGABRT   = 6
	SIGBUS    = 7
	SIGFPE    = 8
	SIGKILL   = 9
	SIGUSR1   = 10
	SIGSEGV   = 11
	SIGUSR2   = 12
	SIGPIPE   = 13
	SIGALRM   = 14
	SIGTERM   = 15
	SIGSTKFLT = 16
	SIGCHLD   = 17
	SIGCONT   = 18
	SIGSTOP   = 19
	SIGTSTP   = 20
	SIGTTIN   = 21
	SIGTTOU   = 22
	SIGURG    = 23
	SIGXCPU   = 24
	SIGXFSZ   = 25
	SIGVTALRM = 26
	SIGPROF   = 27
	SIGWINCH  = 28
	SIGIO     = 29
	SIGPWR    = 30
	SIGSYS    = 31

	// SIGRTMIN is the kernel's first real-time signal (libcs reserve a few
	// above it); SIGRTMAX is the last, _NSIG.
	SIGRTMIN = 32
	SIGRTMAX = 64
)
