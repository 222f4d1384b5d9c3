package kernel

// Every implemented system call, keyed by the Linux entry point the
// syscall tables name (syscall_64.tbl / syscall_32.tbl column 4). One key
// serves every table row that names it: "sys_read" is read on x86_64 and
// on i386. Rows not listed here return -ENOSYS.

import (
	"errors"

	"github.com/ringo-os/ringo/kernel/exec"
	"github.com/ringo-os/ringo/syscall"
)

// handlers are methods of Task: the dispatcher is a
// syscall.Dispatcher[*Task], so each is called with the calling task as it is.
func handlers() syscall.Handlers[*Task] {
	h := make(syscall.Handlers[*Task], len(handlerTable))
	for _, e := range handlerTable {
		h[e.name] = e.fn
	}
	return h
}

// handlerTable is a list rather than a map literal so that the compiler
// lays it out as data: a literal of this size compiles to ~9 KB of code
// run once at boot, which TCG must translate first.
var handlerTable = [...]struct {
	name string
	fn   syscall.Handler[*Task]
}{
	// sys_read_write.go
	{"sys_read", (*Task).sysRead},
	{"sys_write", (*Task).sysWrite},
	{"sys_readv", (*Task).sysReadv},
	{"sys_writev", (*Task).sysWritev},
	{"sys_pread64", (*Task).sysPread64},
	{"sys_pwrite64", (*Task).sysPwrite64},
	// sys_file.go
	{"sys_open", (*Task).sysOpen},
	{"compat_sys_open", (*Task).sysOpen},
	{"sys_openat", (*Task).sysOpenat},
	{"compat_sys_openat", (*Task).sysOpenat},
	{"sys_creat", (*Task).sysCreat},
	{"sys_close", (*Task).sysClose},
	{"sys_close_range", (*Task).sysCloseRange},
	{"sys_lseek", (*Task).sysLseek},
	{"compat_sys_lseek", (*Task).sysLseek},
	{"sys_llseek", (*Task).sysLlseek},
	{"sys_dup", (*Task).sysDup},
	{"sys_dup2", (*Task).sysDup2},
	{"sys_dup3", (*Task).sysDup3},
	{"sys_pipe", (*Task).sysPipe},
	{"sys_pipe2", (*Task).sysPipe2},
	{"sys_fcntl", (*Task).sysFcntl},
	{"compat_sys_fcntl64", (*Task).sysFcntl},
	{"sys_getdents64", (*Task).sysGetdents64},
	{"sys_eventfd", (*Task).sysEventfd},
	{"sys_eventfd2", (*Task).sysEventfd2},
	// sys_socket.go
	{"sys_socket", (*Task).sysSocket},
	{"sys_socketpair", (*Task).sysSocketpair},
	{"sys_shutdown", (*Task).sysShutdown},
	{"compat_sys_socketcall", (*Task).sysSocketcall},
	// sys_ioctl.go
	{"sys_ioctl", (*Task).sysIoctl},
	{"compat_sys_ioctl", (*Task).sysCompatIoctl},
	// sys_epoll.go
	{"sys_epoll_create", (*Task).sysEpollCreate},
	{"sys_epoll_create1", (*Task).sysEpollCreate1},
	{"sys_epoll_ctl", (*Task).sysEpollCtl},
	{"sys_epoll_wait", (*Task).sysEpollWait},
	{"sys_epoll_pwait", (*Task).sysEpollPwait},
	// sys_stat.go
	{"sys_newstat", (*Task).sysNewstat},
	{"sys_newlstat", (*Task).sysNewlstat},
	{"sys_newfstat", (*Task).sysNewfstat},
	{"sys_newfstatat", (*Task).sysNewfstatat},
	{"compat_sys_ia32_stat64", (*Task).sysStat64},
	{"compat_sys_ia32_lstat64", (*Task).sysLstat64},
	{"compat_sys_ia32_fstat64", (*Task).sysFstat64},
	{"compat_sys_ia32_fstatat64", (*Task).sysFstatat64},
	{"sys_statx", (*Task).sysStatx},
	// sys_path.go
	{"sys_getcwd", (*Task).sysGetcwd},
	{"sys_chdir", (*Task).sysChdir},
	{"sys_fchdir", (*Task).sysFchdir},
	{"sys_mkdir", (*Task).sysMkdir},
	{"sys_mkdirat", (*Task).sysMkdirat},
	{"sys_rmdir", (*Task).sysRmdir},
	{"sys_unlink", (*Task).sysUnlink},
	{"sys_unlinkat", (*Task).sysUnlinkat},
	{"sys_readlink", (*Task).sysReadlink},
	{"sys_readlinkat", (*Task).sysReadlinkat},
	{"sys_symlink", (*Task).sysSymlink},
	{"sys_symlinkat", (*Task).sysSymlinkat},
	{"sys_access", (*Task).sysAccess},
	{"sys_faccessat", (*Task).sysFaccessat},
	{"sys_faccessat2", (*Task).sysFaccessat2},
	{"sys_umask", (*Task).sysUmask},
	// sys_mmap.go
	{"sys_mmap", (*Task).sysMmap},
	{"sys_mmap_pgoff", (*Task).sysMmapPgoff},
	{"compat_sys_ia32_mmap", (*Task).sysOldMmap},
	{"sys_munmap", (*Task).sysMunmap},
	{"sys_mprotect", (*Task).sysMprotect},
	{"sys_mremap", (*Task).sysMremap},
	{"sys_madvise", (*Task).sysMadvise},
	{"sys_mincore", (*Task).sysMincore},
	{"sys_msync", (*Task).sysMsync},
	{"sys_brk", (*Task).sysBrk},
	// sys_process.go
	{"sys_getpid", (*Task).sysGetpid},
	{"sys_getppid", (*Task).sysGetppid},
	{"sys_gettid", (*Task).sysGettid},
	{"sys_getuid", (*Task).sysGetuid},
	{"sys_geteuid", (*Task).sysGeteuid},
	{"sys_getgid", (*Task).sysGetgid},
	{"sys_getegid", (*Task).sysGetegid},
	{"sys_getuid16", (*Task).sysGetuid16},
	{"sys_geteuid16", (*Task).sysGeteuid16},
	{"sys_getgid16", (*Task).sysGetgid16},
	{"sys_getegid16", (*Task).sysGetegid16},
	{"sys_set_tid_address", (*Task).sysSetTidAddress},
	{"sys_set_robust_list", (*Task).sysSetRobustList},
	{"compat_sys_set_robust_list", (*Task).sysCompatSetRobustList},
	{"sys_exit", (*Task).sysExit},
	{"sys_exit_group", (*Task).sysExitGroup},
	{"sys_wait4", (*Task).sysWait4},
	{"compat_sys_wait4", (*Task).sysCompatWait4},
	{"sys_newuname", (*Task).sysNewuname},
	{"sys_sched_yield", (*Task).sysSchedYield},
	// sys_rlimit.go
	{"sys_prlimit64", (*Task).sysPrlimit64},
	{"sys_getrlimit", (*Task).sysGetrlimit},
	{"sys_setrlimit", (*Task).sysSetrlimit},
	{"compat_sys_getrlimit", (*Task).sysCompatGetrlimit},
	{"compat_sys_old_getrlimit", (*Task).sysCompatOldGetrlimit},
	{"compat_sys_setrlimit", (*Task).sysCompatSetrlimit},
	// sys_exec.go
	{"sys_execve", (*Task).sysExecve},
	{"compat_sys_execve", (*Task).sysCompatExecve},
	// sys_arch_prctl.go, sys_thread_area.go
	{"sys_arch_prctl", (*Task).sysArchPrctl},
	{"compat_sys_arch_prctl", (*Task).sysCompatArchPrctl},
	{"sys_set_thread_area", (*Task).sysSetThreadArea},
	{"sys_get_thread_area", (*Task).sysGetThreadArea},
	// sys_signal.go, signal_frame_64.go, signal_frame_32.go
	{"sys_kill", (*Task).sysKill},
	{"sys_tgkill", (*Task).sysTgkill},
	{"sys_tkill", (*Task).sysTkill},
	{"sys_rt_sigaction", (*Task).sysRtSigaction},
	{"compat_sys_rt_sigaction", (*Task).sysRtSigaction},
	{"sys_rt_sigprocmask", (*Task).sysRtSigprocmask},
	{"compat_sys_rt_sigprocmask", (*Task).sysRtSigprocmask},
	{"sys_rt_sigpending", (*Task).sysRtSigpending},
	{"compat_sys_rt_sigpending", (*Task).sysRtSigpending},
	{"sys_rt_sigsuspend", (*Task).sysRtSigsuspend},
	{"compat_sys_rt_sigsuspend", (*Task).sysRtSigsuspend},
	{"sys_sigaltstack", (*Task).sysSigaltstack},
	{"compat_sys_sigaltstack", (*Task).sysSigaltstack},
	{"sys_rt_sigreturn", (*Task).sysRtSigreturn},
	{"compat_sys_rt_sigreturn", (*Task).sysCompatRtSigreturn},
	{"compat_sys_sigreturn", (*Task).sysCompatSigreturn},
	// sys_truncate.go, sys_rename.go
	{"sys_truncate", (*Task).sysTruncate},
	{"compat_sys_truncate", (*Task).sysTruncate},
	{"sys_truncate64", (*Task).sysTruncate},
	{"sys_ftruncate", (*Task).sysFtruncate},
	{"compat_sys_ftruncate", (*Task).sysFtruncate},
	{"sys_ftruncate64", (*Task).sysFtruncate64},
	{"sys_rename", (*Task).sysRename},
	{"sys_renameat", (*Task).sysRenameat},
	{"sys_renameat2", (*Task).sysRenameat2},
	// sys_time.go
	{"sys_clock_gettime", (*Task).sysClockGettime},
	{"sys_clock_gettime32", (*Task).sysClockGettime32},
	{"sys_clock_getres", (*Task).sysClockGetres},
	{"sys_clock_getres_time32", (*Task).sysClockGetresTime32},
	{"sys_gettimeofday", (*Task).sysGettimeofday},
	{"compat_sys_gettimeofday", (*Task).sysCompatGettimeofday},
	{"sys_time", (*Task).sysTime},
	{"sys_time32", (*Task).sysTime32},
	{"sys_nanosleep", (*Task).sysNanosleep},
	{"sys_nanosleep_time32", (*Task).sysNanosleepTime32},
	{"sys_clock_nanosleep", (*Task).sysClockNanosleep},
	{"sys_clock_nanosleep_time32", (*Task).sysClockNanosleepTime32},
	// sys_random.go
	{"sys_getrandom", (*Task).sysGetrandom}}

// asExecError is errors.As for the loader's error type.
func asExecError(err error, target **exec.Error) bool { return errors.As(err, target) }
