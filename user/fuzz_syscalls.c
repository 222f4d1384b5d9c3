/*
 * fuzz_syscalls.c - random system calls with hostile arguments; the kernel
 * must answer every one with a result or an errno and never fall over.
 *
 * Usage: fuzz_syscalls [CALLS [SEED [all] [trace]]]
 *   CALLS  number of calls to make (default 100000)
 *   SEED   xorshift seed (default 1); the same seed gives the same calls
 *   all    also make the calls that change the machine (files, clock,
 *          hostname, mounts, modules, IPC): for a disposable VM only
 *   trace  print every call before making it (to find the one that hangs
 *          or kills a kernel)
 *
 * Follows LINUX-SEMANTICS.md §1.1/§1.2 (numbers: any 32-bit value, x32
 * bit, unknown -> ENOSYS) and ARCHITECTURE.md "Invariants": any number and
 * any argument returns an errno or kills only the caller.
 *
 * Numbers: mostly 0..471 (every Linux call), plus numbers past the table,
 * negative ones, numbers with the x32 bit (0x40000000) and, on x86_64,
 * garbage in the upper 32 bits of rax (the kernel looks only at eax).
 * Arguments: small integers, -1, huge values, powers of two, random bits,
 * pointers into a buffer of our own (16 KiB between two PROT_NONE guard
 * pages, refilled with such values before every call, so that structures
 * the kernel reads hold hostile pointers too), NULL, kernel addresses and
 * unmapped low addresses. x86_64 enters with SYSCALL, i386 with int $0x80
 * and, every other call, through the vDSO's __kernel_vsyscall (a 32-bit
 * SYSCALL on AMD CPUs; raw_syscall.h), each with its own table's numbers.
 *
 * The fuzzer must survive on Linux too, so some calls are never made or
 * are tamed first (see classify() and tame()):
 *   never     calls that end, stop, replace or block the process, or make
 *             a later call kill it (exit, kill, execve, fork, pause, futex,
 *             rseq, seccomp, setrlimit, alarm, ...)
 *   machine   calls whose effects outlive the process or reach other
 *             processes or the machine: only with "all"
 *   range     munmap/mprotect/madvise/mremap/... only if the address range
 *             misses our own text, data, heap, stack and buffer
 *   tame      timeouts forced to zero (poll, select, nanosleep, ...), open
 *             flags made read-only and non-blocking, dangerous prctl and
 *             arch_prctl options refused, brk kept above our heap, no new
 *             limit for prlimit64 and no new handler for rt_sigaction
 * fds 0, 1 and 2 are closed while fuzzing (random writes must not reach the
 * terminal, random ioctls must not reconfigure it); the report goes to a
 * private copy of stdout at fd 1000 that no argument may name. Every fd a
 * call creates is closed right after it, every mapping it creates unmapped.
 *
 * Output: a header, the count of calls per result (success or errno name),
 * the skip counts, the time taken, and "ok   survived N calls"; exit 0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "raw_syscall.h"

enum {
	PAGE = 4096,
	BUF_BYTES = 4 * PAGE, /* the fuzzed buffer, between two guard pages */
	TABLE = 1024,         /* classify() covers numbers below this */
	OUT_FD = 1000,        /* where the report goes while 0..2 are closed */
	WATCHDOG_S = 30,      /* a call blocked this long is a taming bug */
	MAX_ERRNO = 4095,
};

/*
 * Calls from 424 on have the same number in the i386 and x86_64 tables.
 * Debian 12's and musl 1.2.3's headers predate many of them, so they are
 * named here.
 */
enum {
	NR_pidfd_send_signal = 424,
	NR_open_tree = 428,
	NR_move_mount = 429,
	NR_fsopen = 430,
	NR_fsconfig = 431,
	NR_fsmount = 432,
	NR_fspick = 433,
	NR_clone3 = 435,
	NR_close_range = 436,
	NR_openat2 = 437,
	NR_epoll_pwait2 = 441,
	NR_mount_setattr = 442,
	NR_quotactl_fd = 443,
	NR_futex_waitv = 449,
	NR_set_mempolicy_home_node = 450,
	NR_fchmodat2 = 452,
	NR_map_shadow_stack = 453,
	NR_futex_wait = 455,
	NR_mseal = 462,
	NR_setxattrat = 463,
	NR_removexattrat = 466,
	NR_open_tree_attr = 467,
	NR_file_setattr = 469,
	NR_LAST = 471, /* one past the newest call we know of (listns, 470) */
};

#if defined(__x86_64__)
/* x86_64 only: uretprobe (6.11) and uprobe (6.16) raise SIGILL when called
 * from anywhere but the kernel's trampoline. */
#define NR_uretprobe 335
#define NR_uprobe 336
#define ABI_NAME "x86_64 (syscall)"
#else
#define ABI_NAME "i386 (int $0x80)"
#endif

/* ---- what to do with each number ------------------------------------- */

enum action {
	CALL = 0, /* make it with random arguments */
	NEVER,    /* would end, stop, replace or block us: never made */
	MACHINE,  /* changes the machine, not just us: only with "all" */
	RANGE,    /* takes an address range: only if it misses our memory */
	TAME,     /* made after tame() rewrites an argument */
};

static const int never_calls[] = {
	SYS_exit, SYS_exit_group, SYS_execve, SYS_execveat, SYS_fork, SYS_vfork,
	SYS_clone, NR_clone3, SYS_kill, SYS_tkill, SYS_tgkill, SYS_rt_sigqueueinfo,
	SYS_rt_tgsigqueueinfo, NR_pidfd_send_signal, SYS_ptrace, SYS_reboot,
	SYS_rt_sigreturn, SYS_pause, SYS_rt_sigsuspend,
	/* blocks forever when the word matches, which random buffers can do */
	SYS_futex, NR_futex_waitv, NR_futex_wait,
	/* a later event kills us: CPU/file-size limits, timers, strict
	 * seccomp, an rseq area whose rseq_cs is garbage */
	SYS_setrlimit, SYS_alarm, SYS_setitimer, SYS_timer_create, SYS_timer_settime,
	SYS_seccomp, SYS_rseq,
	/* mlockall(MCL_FUTURE) would make every later huge mmap resident */
	SYS_mlockall,
	/* reads and empties the kernel log, blocking while it is empty */
	SYS_syslog,
	/* rewrite our own segment descriptors (i386 TLS lives in %gs) */
	SYS_set_thread_area, SYS_modify_ldt,
#if defined(__x86_64__)
	NR_uretprobe, NR_uprobe,
#else
	SYS_sigreturn, SYS_signal, SYS_sigsuspend, SYS_vm86,
	SYS_vm86old, SYS_futex_time64, SYS_timer_settime64,
	SYS_select, /* old select: one pointer to all five arguments, timeout included */
	SYS_mmap,   /* old_mmap: one pointer to all six arguments, MAP_FIXED included */
#endif
};

static const int machine_calls[] = {
	/* clock, names, power, modules, swap, accounting, the console */
	SYS_settimeofday, SYS_clock_settime, SYS_clock_adjtime, SYS_adjtimex,
	SYS_sethostname, SYS_setdomainname, SYS_kexec_load, SYS_init_module,
	SYS_finit_module, SYS_delete_module, SYS_swapon, SYS_swapoff, SYS_acct,
	SYS_vhangup, SYS_quotactl, NR_quotactl_fd, SYS_uselib,
	/* mounts */
	SYS_mount, SYS_umount2, SYS_pivot_root, NR_open_tree, NR_move_mount, NR_fsopen,
	NR_fsconfig, NR_fsmount, NR_fspick, NR_mount_setattr, NR_open_tree_attr,
	/* the file system: these create, remove or change files by path */
	SYS_creat, SYS_mkdir, SYS_mkdirat, SYS_mknod, SYS_mknodat, SYS_rmdir,
	SYS_unlink, SYS_unlinkat, SYS_rename, SYS_renameat, SYS_renameat2, SYS_link,
	SYS_linkat, SYS_symlink, SYS_symlinkat, SYS_chmod, SYS_fchmodat, NR_fchmodat2,
	SYS_chown, SYS_lchown, SYS_fchownat, SYS_truncate, SYS_utime, SYS_utimes,
	SYS_futimesat, SYS_utimensat, SYS_setxattr, SYS_lsetxattr, SYS_removexattr,
	SYS_lremovexattr, NR_setxattrat, NR_removexattrat, NR_file_setattr,
	NR_openat2, SYS_open_by_handle_at,
	/* System V IPC and POSIX message queues outlive the process */
	SYS_shmget, SYS_shmat, SYS_shmctl, SYS_shmdt, SYS_semget, SYS_semctl, SYS_msgget,
	SYS_msgsnd, SYS_msgrcv, SYS_msgctl, SYS_mq_open, SYS_mq_unlink,
	SYS_mq_timedsend, SYS_mq_timedreceive, SYS_mq_notify, SYS_mq_getsetattr,
	/* keys, BPF programs, perf events */
	SYS_add_key, SYS_request_key, SYS_keyctl, SYS_bpf, SYS_perf_event_open,
	/* other processes: scheduling, memory, priorities */
	SYS_setpriority, SYS_sched_setparam, SYS_sched_setscheduler, SYS_sched_setattr,
	SYS_sched_setaffinity, SYS_ioprio_set, SYS_migrate_pages, SYS_move_pages,
	SYS_process_vm_readv, SYS_process_vm_writev,
#if defined(__x86_64__)
	SYS_semop, SYS_semtimedop, SYS_kexec_file_load,
#else
	SYS_ipc, SYS_stime, SYS_umount, SYS_chown32, SYS_lchown32, SYS_truncate64,
	SYS_clock_settime64, SYS_clock_adjtime64, SYS_utimensat_time64,
	SYS_semtimedop_time64, SYS_mq_timedsend_time64, SYS_mq_timedreceive_time64,
#endif
};

/* Address-range calls: argument indices of (address, length) pairs. */
struct range_call {
	int nr;
	int addr, len;   /* the range the call acts on */
	int addr2, len2; /* a second range (mremap's target), or -1 */
};

static const struct range_call range_calls[] = {
	{ SYS_munmap, 0, 1, -1, -1 },
	{ SYS_mprotect, 0, 1, -1, -1 },
	{ SYS_pkey_mprotect, 0, 1, -1, -1 },
	{ SYS_madvise, 0, 1, -1, -1 },
	{ SYS_mremap, 0, 1, 4, 2 },
	{ SYS_msync, 0, 1, -1, -1 },
	{ SYS_mlock, 0, 1, -1, -1 },
	{ SYS_mlock2, 0, 1, -1, -1 },
	{ SYS_munlock, 0, 1, -1, -1 },
	{ SYS_mbind, 0, 1, -1, -1 },
	{ SYS_remap_file_pages, 0, 1, -1, -1 },
	{ NR_set_mempolicy_home_node, 0, 1, -1, -1 },
	{ NR_mseal, 0, 1, -1, -1 },
};

/* Calls whose arguments tame() rewrites (or that it may still refuse). */
static const int tame_calls[] = {
	SYS_poll, SYS_ppoll, SYS_pselect6, SYS_epoll_wait, SYS_epoll_pwait,
	NR_epoll_pwait2, SYS_nanosleep, SYS_clock_nanosleep, SYS_open, SYS_openat,
	SYS_prctl, SYS_arch_prctl, SYS_prlimit64, NR_close_range, SYS_brk,
	NR_map_shadow_stack, SYS_rt_sigtimedwait, SYS_rt_sigaction,
#if defined(__x86_64__)
	SYS_select, SYS_mmap,
#else
	SYS__newselect, SYS_mmap2, SYS_sigaction, SYS_ppoll_time64, SYS_pselect6_time64,
	SYS_clock_nanosleep_time64, SYS_rt_sigtimedwait_time64,
#endif
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static unsigned char action[TABLE];

static void build_action_table(void)
{
	for (size_t i = 0; i < COUNT(tame_calls); i++)
		action[tame_calls[i]] = TAME;
	for (size_t i = 0; i < COUNT(range_calls); i++)
		action[range_calls[i].nr] = RANGE;
	for (size_t i = 0; i < COUNT(machine_calls); i++)
		action[machine_calls[i]] = MACHINE;
	for (size_t i = 0; i < COUNT(never_calls); i++)
		action[never_calls[i]] = NEVER;
}

/*
 * classify maps a raw number to the call the kernel would dispatch and
 * what we do with it. Only eax counts (§1.1). On x86_64 an x32 number
 * (bit 30) below 512 reaches the common handler of the same number on a
 * kernel with x32; 512..547 are x32's compat entries, and those that end
 * or block us (rt_sigaction 512, rt_sigreturn 513, execve 520,
 * rt_sigtimedwait 523, rt_sigqueueinfo 524, timer_create 526, mq_notify
 * 527, kexec_load 528, move_pages 533, rt_tgsigqueueinfo 536,
 * process_vm_readv/writev 539/540, execveat 545) are never made. Without
 * x32 (this host, Ringo) all of them are ENOSYS.
 */
static enum action classify(long nr, unsigned *effective)
{
	uint32_t n = (uint32_t)nr;

#if defined(__x86_64__)
	if ((n & 0x40000000u) && n < 0x80000000u) {
		uint32_t base = n & ~0x40000000u;

		*effective = base;
		if (base < 512)
			return (enum action)action[base];
		switch (base) {
		case 512: case 513: case 520: case 523: case 524: case 526: case 527:
		case 528: case 533: case 536: case 539: case 540: case 545:
			return NEVER;
		}
		return CALL;
	}
#endif
	*effective = n;
	return n < TABLE ? (enum action)action[n] : CALL;
}

/* ---- randomness ---------------------------------------------------------- */

static uint64_t rng_state;

/* xorshift64 (Marsaglia 2003): small, fast, and the same on every libc. */
static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* ---- our own memory ------------------------------------------------------ */

extern char __executable_start[]; /* from the GNU ld default script */

static unsigned char *buf;                  /* BUF_BYTES, guard page each side */
static uint64_t own_lo, own_hi;             /* [text start, top of user space) */
static unsigned long initial_break;
static uint64_t zero_timeout[4];            /* timespec/timeval of 0, re-zeroed */
static int out_fd = -1;

/*
 * touches_own_memory says whether [addr, addr+len) - page-rounded the
 * generous way - overlaps the part of the address space holding anything
 * of ours: everything from the start of our text up to the end of user
 * space (data, bss, heap, the mmap area with our buffer, the stack). What
 * lies below the text and above user space holds nothing of ours. (That
 * holds for the non-PIE ET_EXEC programs user/Makefile links: the heap
 * follows the text. A static-PIE build would put its heap below its text.)
 */
static int touches_own_memory(sysarg_t addr, sysarg_t len)
{
	uint64_t a = (unsigned long)addr & ~(uint64_t)(PAGE - 1);
	uint64_t l = (unsigned long)len;

	if (a >= own_hi)
		return 0;
	if (l > UINT64_MAX - a - 2 * PAGE)
		return 1; /* wraps: covers everything */
	return a + l + PAGE > own_lo;
}

/* random_arg draws one argument from the hostile pool. */
static sysarg_t random_arg(void)
{
	static const uint64_t interesting[] = {
		0x7fffffff, 0x80000000, 0xffffffff, 0xfff, 0x1000, 0x10000,
		0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
		0xfffffffffffff000ull, 0xffffffffffffffffull - 4095,
	};
	static const uint64_t kernel_addresses[] = {
#if defined(__x86_64__)
		0xffff880000000000ull, 0xffffffff80000000ull, 0xffffffff80400000ull,
		0x0000800000000000ull, /* just past user space: non-canonical */
#else
		0xc0000000u, 0xffffe000u, 0xfffff000u,
#endif
	};

	switch (rnd() % 16) {
	case 0: case 1: case 2:
		return (sysarg_t)(rnd() % 16); /* fds, flags, small counts */
	case 3:
		return (sysarg_t)(rnd() % 256);
	case 4:
		return -1;
	case 5:
		return (sysarg_t)interesting[rnd() % COUNT(interesting)];
	case 6:
		return (sysarg_t)rnd(); /* any bits (truncated on i386) */
	case 7: case 8: case 9:
		return (sysarg_t)(buf + (rnd() % BUF_BYTES & ~(uint64_t)7));
	case 10:
		return (sysarg_t)(buf + BUF_BYTES - 1 - rnd() % 64); /* at the guard */
	case 11:
		return 0; /* NULL */
	case 12:
		return (sysarg_t)kernel_addresses[rnd() % COUNT(kernel_addresses)];
	case 13:
		return (sysarg_t)(PAGE * (1 + rnd() % 1000)); /* unmapped, below our text */
	case 14:
		return (sysarg_t)1 << (rnd() % (8 * sizeof(sysarg_t)));
	default:
		return (sysarg_t)(int32_t)rnd(); /* sign-extended 32-bit */
	}
}

/* random_nr draws a system call number (see the header comment). */
static long random_nr(void)
{
	unsigned r = rnd() % 100;

	if (r < 82)
		return (long)(rnd() % NR_LAST);
	if (r < 88)
		return (long)(NR_LAST + rnd() % 600); /* past the table */
	if (r < 91)
		return -1;
	if (r < 94)
		return -(long)(2 + rnd() % 100000);
	if (r < 97)
		return (long)(0x40000000 | rnd() % 548); /* x32 bit */
#if defined(__x86_64__)
	return (long)(rnd() << 32 | rnd() % NR_LAST); /* garbage above eax */
#else
	return (long)(uint32_t)rnd();
#endif
}

/*
 * The buffer's contents come from the same pool as the arguments, so that
 * structures the kernel reads (iovecs, msghdrs, sigactions, ...) carry
 * hostile pointers and sizes too. A call may write into the buffer, even
 * addresses of our own memory (arch_prctl(ARCH_GET_FS), PR_GET_TID_ADDRESS),
 * which a later call could then use as a pointer: so the buffer is restored
 * from a pristine copy before every call, and the copy is redrawn every
 * 256 calls.
 */
static sysarg_t pristine[BUF_BYTES / sizeof(sysarg_t)];

static void redraw_pristine(void)
{
	for (size_t i = 0; i < COUNT(pristine); i++)
		pristine[i] = random_arg();
}

static void refill_buffer(void)
{
	memcpy(buf, pristine, BUF_BYTES);
}

/* ---- taming ------------------------------------------------------------- */

static int in_list(long v, const long *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v == list[i])
			return 1;
	return 0;
}

/*
 * tame rewrites the arguments of a TAME call so that it cannot block, hang
 * the terminal, or break the fuzzer; it returns 0 if the call must be
 * skipped after all. allow_machine is the "all" switch.
 */
static int tame(unsigned nr, sysarg_t a[6], int allow_machine)
{
	/* prctl options that make later calls kill us: PR_SET_SECCOMP (22),
	 * PR_SET_TSC (26, rdtsc -> SIGSEGV), PR_SET_MM (35, rewrites our
	 * memory layout), PR_SET_SYSCALL_USER_DISPATCH (59, syscalls ->
	 * SIGSYS). */
	static const long bad_prctl[] = { 22, 26, 35, 59 };
	/* arch_prctl: SET_GS/SET_FS (TLS), SET_CPUID (cpuid -> SIGSEGV),
	 * MAP_VDSO_* (moves the vDSO), ENABLE_TAGGED_ADDR, SHSTK_ENABLE,
	 * DISABLE, LOCK, UNLOCK. */
	static const long bad_arch_prctl[] = { 0x1001, 0x1002, 0x1012, 0x2001, 0x2002,
					       0x2003, 0x4002, 0x5001, 0x5002, 0x5003,
					       0x5004 };
	memset(zero_timeout, 0, sizeof(zero_timeout));

	switch (nr) {
	/* Timeouts: zero, so that a wait returns at once. */
	case SYS_poll:
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
		a[nr == SYS_poll ? 2 : 3] = 0;
		return 1;
	case SYS_ppoll:
	case SYS_clock_nanosleep:
	case SYS_rt_sigtimedwait:
#if defined(__i386__)
	case SYS_ppoll_time64:
	case SYS_clock_nanosleep_time64:
	case SYS_rt_sigtimedwait_time64:
#endif
		a[2] = (sysarg_t)zero_timeout;
		return 1;
	case SYS_pselect6:
#if defined(__i386__)
	case SYS_pselect6_time64:
	case SYS__newselect:
#else
	case SYS_select:
#endif
		a[4] = (sysarg_t)zero_timeout;
		return 1;
	case NR_epoll_pwait2:
		a[3] = (sysarg_t)zero_timeout;
		return 1;
	case SYS_nanosleep:
		a[0] = (sysarg_t)zero_timeout;
		return 1;

	/* open: never blocks on a FIFO, never becomes a controlling tty;
	 * without "all" read-only and without O_CREAT/O_TRUNC/O_TMPFILE. */
	case SYS_open:
	case SYS_openat: {
		int i = nr == SYS_open ? 1 : 2;

		if (!allow_machine)
			a[i] &= ~(sysarg_t)(O_ACCMODE | O_CREAT | O_TRUNC | 020000000);
		a[i] |= O_NONBLOCK | O_NOCTTY;
		return 1;
	}
	case SYS_prctl:
		return !in_list((int)a[0], bad_prctl, COUNT(bad_prctl));
	case SYS_arch_prctl:
		return !in_list((int)a[0], bad_arch_prctl, COUNT(bad_arch_prctl));
	case SYS_rt_sigaction:
#if defined(__i386__)
	case SYS_sigaction:
#endif
		/* query only: a random handler address would turn the next
		 * signal (our watchdog's SIGALRM) into a wild jump */
		a[1] = 0;
		return 1;
	case SYS_prlimit64:
		/* read any process's limits, never set one (RLIMIT_CPU or
		 * RLIMIT_FSIZE would kill us, and pid 1 is not ours) */
		a[2] = 0;
		return 1;
	case NR_close_range:
		/* must not close the report fd */
		return !((unsigned)a[0] <= (unsigned)out_fd && (unsigned)out_fd <= (unsigned)a[1]);
	case SYS_brk: {
		/* below the initial break would free our TLS and malloc arena */
		unsigned long want = (unsigned long)a[0];

		return want == 0 || want >= initial_break || want < (unsigned long)own_lo;
	}
#if defined(__x86_64__)
	case SYS_mmap:
#else
	case SYS_mmap2:
#endif
		/* MAP_POPULATE/MAP_LOCKED would make huge lengths resident;
		 * MAP_FIXED may only land outside our memory. */
		a[3] &= ~(sysarg_t)(MAP_POPULATE | MAP_LOCKED);
		return !((a[3] & MAP_FIXED) && touches_own_memory(a[0], a[1]));
	case NR_map_shadow_stack:
		return 1; /* never replaces a mapping; we unmap the result */
	}
	return 1;
}

/* range_ok checks a RANGE call's address ranges. */
static int range_ok(unsigned nr, const sysarg_t a[6])
{
	for (size_t i = 0; i < COUNT(range_calls); i++) {
		const struct range_call *r = &range_calls[i];

		if ((unsigned)r->nr != nr)
			continue;
		if (touches_own_memory(a[r->addr], a[r->len]))
			return 0;
		if (r->addr2 >= 0 && touches_own_memory(a[r->addr2], a[r->len2]))
			return 0;
		return 1;
	}
	return 1;
}

/* ---- clean-up after each call -------------------------------------------- */

static int have_close_range = 1;

/* close_created_fds closes every fd except the report fd. */
static void close_created_fds(int force)
{
	if (have_close_range) {
		raw_syscall6(NR_close_range, 0, out_fd - 1, 0, 0, 0, 0);
		raw_syscall6(NR_close_range, out_fd + 1, ~0u, 0, 0, 0, 0);
		return;
	}
	/* Without close_range: a sweep every 64 calls keeps far below
	 * RLIMIT_NOFILE (each call creates at most a few fds). */
	if (force)
		for (int fd = 0; fd < 1024 + 64; fd++)
			if (fd != out_fd)
				raw_syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
}

/* unmap_created releases a mapping a successful call made for us. */
static void unmap_created(unsigned nr, const sysarg_t a[6], long ret)
{
	int is_mmap = nr == NR_map_shadow_stack;

#if defined(__x86_64__)
	is_mmap |= nr == SYS_mmap;
#else
	is_mmap |= nr == SYS_mmap2;
#endif
	if (is_mmap && !raw_is_error(ret))
		raw_syscall6(SYS_munmap, ret, a[1], 0, 0, 0, 0);
	if (nr == SYS_brk)
		raw_syscall6(SYS_brk, (sysarg_t)initial_break, 0, 0, 0, 0, 0);
}

/* ---- the watchdog ------------------------------------------------------- */

static volatile long current_call = -1;
static volatile long current_nr;

static char *format_long(char *p, long v)
{
	char tmp[24];
	int n = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*p++ = '-';
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/*
 * on_alarm fires if 64 calls took WATCHDOG_S seconds: a call our taming
 * missed. It names the call (async-signal-safe: write only) and exits 1.
 */
static void on_alarm(int sig)
{
	char line[128], *p = line;
	const char *s = "FAIL fuzz_syscalls: call #";

	(void)sig;
	while (*s)
		*p++ = *s++;
	p = format_long(p, current_call);
	for (s = " (nr "; *s;)
		*p++ = *s++;
	p = format_long(p, current_nr);
	for (s = ") blocked (watchdog)\n"; *s;)
		*p++ = *s++;
	raw_syscall6(SYS_write, out_fd, (sysarg_t)line, p - line, 0, 0, 0);
	_exit(1);
}

/* ---- main --------------------------------------------------------------- */

static long counts[MAX_ERRNO + 1]; /* [0] success, [e] errno e */

static void setup_signals(void)
{
	static const int ignored[] = { SIGPIPE, SIGTTOU, SIGTTIN, SIGHUP, SIGXFSZ,
				       SIGXCPU, SIGVTALRM, SIGPROF, SIGIO, SIGURG };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	for (size_t i = 0; i < COUNT(ignored); i++)
		sigaction(ignored[i], &sa, NULL);
	sa.sa_handler = on_alarm;
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		dprintf(out_fd, "note: no SIGALRM handler (%s): no watchdog\n",
			errno_name(errno));
}

/*
 * limit_fd_table lowers the soft RLIMIT_NOFILE to 1088 (just above OUT_FD): with a high
 * limit, dup2(fd, 500000) grows the fd table for good, and every later
 * close_range has to scan it (100 us a call on Linux at 20000 fds).
 */
static void limit_fd_table(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > OUT_FD + 88) {
		rl.rlim_cur = OUT_FD + 88;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			dprintf(out_fd, "note: cannot lower RLIMIT_NOFILE (%s)\n", errno_name(errno));
	}
}

static void trace_call(long i, long nr, const sysarg_t a[6])
{
	dprintf(out_fd, "call #%ld nr %ld (%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n", i, nr,
		(unsigned long)a[0], (unsigned long)a[1], (unsigned long)a[2],
		(unsigned long)a[3], (unsigned long)a[4], (unsigned long)a[5]);
}

int main(int argc, char **argv)
{
	long calls = 100000, made = 0, skipped[TAME + 1] = { 0 };
	uint64_t seed = 1;
	int allow_machine = 0, trace = 0;
	struct timespec t0, t1;
	unsigned char *region;

	if (argc > 1)
		calls = strtol(argv[1], NULL, 0);
	if (argc > 2)
		seed = strtoull(argv[2], NULL, 0);
	for (int i = 3; i < argc; i++) {
		allow_machine |= strcmp(argv[i], "all") == 0;
		trace |= strcmp(argv[i], "trace") == 0;
	}
	if (calls < 0) {
		printf("FAIL fuzz_syscalls: usage: fuzz_syscalls [CALLS [SEED [all] [trace]]]\n");
		return 2;
	}
	rng_state = seed ? seed : 0x9e3779b97f4a7c15ull; /* xorshift needs != 0 */

	/* The report fd, then close 0..2 (see the header comment). */
	fflush(stdout);
	out_fd = fcntl(1, F_DUPFD_CLOEXEC, OUT_FD);
	if (out_fd < 0) {
		printf("FAIL fuzz_syscalls: fcntl(1, F_DUPFD_CLOEXEC, %d): %s\n", OUT_FD,
		       errno_name(errno));
		return 1;
	}

	region = mmap(NULL, BUF_BYTES + 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED ||
	    mprotect(region + PAGE, BUF_BYTES, PROT_READ | PROT_WRITE) != 0) {
		printf("FAIL fuzz_syscalls: cannot map the guarded buffer: %s\n",
		       errno_name(errno));
		return 1;
	}
	buf = region + PAGE;
	own_lo = (uintptr_t)__executable_start & ~(uint64_t)(PAGE - 1);
#if defined(__x86_64__)
	own_hi = 1ull << 47; /* TASK_SIZE_MAX with 4-level paging */
#else
	own_hi = 1ull << 32;
#endif
	initial_break = (unsigned long)raw_syscall6(SYS_brk, 0, 0, 0, 0, 0, 0);
	limit_fd_table();
	build_action_table();
	setup_signals();

	dprintf(out_fd, "fuzz_syscalls: %s, %ld calls, seed %llu%s\n", ABI_NAME, calls,
		(unsigned long long)seed, allow_machine ? ", machine-wide calls included" : "");
	if (raw_syscall6(NR_close_range, 0, out_fd - 1, 0, 0, 0, 0) == -ENOSYS) {
		have_close_range = 0;
		dprintf(out_fd, "note: close_range is ENOSYS; closing fds one by one\n");
	}
	close_created_fds(1);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; made < calls; i++) {
		long nr = random_nr(), ret;
		sysarg_t a[6];
		unsigned eff;
		enum action act = classify(nr, &eff);

		for (int k = 0; k < 6; k++) {
			a[k] = random_arg();
			if (a[k] == out_fd)
				a[k] = -1; /* nothing may name the report fd */
		}
		if (act == NEVER || (act == MACHINE && !allow_machine) ||
		    (act == RANGE && !range_ok(eff, a)) || (act == TAME && !tame(eff, a, allow_machine))) {
			skipped[act]++;
			continue;
		}
		if ((made & 255) == 0)
			redraw_pristine();
		refill_buffer();
		if (trace)
			trace_call(i, nr, a);
		current_call = i;
		current_nr = nr;
		if ((made & 63) == 0)
			alarm(WATCHDOG_S); /* re-armed long before a healthy run lets it fire */
#if defined(__i386__)
		/* Every other call through __kernel_vsyscall: the kernel's
		 * compat SYSCALL entry gets the same hostile arguments. */
		if (made & 1)
			ret = vsys_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		else
#endif
			ret = raw_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		made++;
		counts[raw_is_error(ret) ? -ret : 0]++;
		unmap_created(eff, a, ret);
		close_created_fds((made & 63) == 0);
	}
	alarm(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close_created_fds(1);

	dprintf(out_fd, "%ld calls made in %.3f s, %ld skipped (never %ld, machine-wide %ld, "
			"own memory %ld, untameable %ld)\n",
		made, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		skipped[NEVER] + skipped[MACHINE] + skipped[RANGE] + skipped[TAME],
		skipped[NEVER], skipped[MACHINE], skipped[RANGE], skipped[TAME]);
	dprintf(out_fd, "  %-16s %ld\n", "success", counts[0]);
	for (int e = 1; e <= MAX_ERRNO; e++)
		if (counts[e])
			dprintf(out_fd, "  %-16s %ld\n", errno_name(e), counts[e]);
	dprintf(out_fd, "ok   survived %ld random system calls\n", made);
	return 0;
}
