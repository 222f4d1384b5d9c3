/*
 * signals.c - user signals and the file calls that came with them
 * (ftruncate/truncate, rename/renameat2), checked against Linux.
 *
 *   actions     rt_sigaction errnos, SA_UNSUPPORTED probe, old action
 *   masks       rt_sigprocmask, rt_sigpending, unblock delivers
 *   siginfo     kill (SI_USER + si_pid), raise (SI_TKILL)
 *   frames      the handler's FPU starts fresh, the interrupted code gets
 *               its own rounding mode, MXCSR's DAZ bit and registers back
 *               (DAZ also across system calls and timer ticks, and
 *               exception flags the kernel's own FP never sets; sigreturn;
 *               on i386, signal() handlers use the old frame and
 *               sigreturn 119, SA_SIGINFO ones the rt frame and 173)
 *   nesting     sa_mask defers, SA_NODEFER nests, SA_RESETHAND resets
 *   faults      SIGSEGV (MAPERR/ACCERR, and SI_KERNEL for INT to a gate
 *               ring 3 may not use), SIGILL, SIGFPE to handlers that
 *               siglongjmp away, with si_code and si_addr
 *   altstack    SA_ONSTACK runs on the sigaltstack; its errnos
 *   sigsuspend  waits with a temporary mask, returns EINTR, restores it
 *   epoll_pwait the same with epoll's own mask argument (EINTR despite
 *               SA_RESTART)
 *   SIGPIPE     ignored: EPIPE; caught: the handler runs, then EPIPE
 *   selectors   (i386) a handler that puts an LDT selector in ES and the
 *               TSS selector in FS: sigreturn nulls both, as Linux's
 *               loadsegment fixup does; the kernel must not fault on them.
 *               Then 2000 sigreturns with random DS/ES/FS/GS: each comes
 *               back as written or null, and nothing crashes
 *   truncate    grow/shrink, errnos
 *   rename      move, replace, errnos, RENAME_NOREPLACE
 *
 * With the argument "pipe-default" the program instead writes to a pipe
 * without readers and must be killed by SIGPIPE (expect.txt).
 *
 * Bad input goes through syscall(2) so the kernel sees exactly our
 * arguments. Prints one ok/FAIL/skip line per check (check.h).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../check.h"

#ifndef SA_UNSUPPORTED
#define SA_UNSUPPORTED 0x00000400
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif
#ifndef SYS_renameat2
#if defined(__x86_64__)
#define SYS_renameat2 316
#else
#define SYS_renameat2 353
#endif
#endif

/* The kernel's struct sigaction for raw rt_sigaction calls. */
struct ksigaction {
	unsigned long handler;
	unsigned long flags;
	unsigned long restorer;
	uint64_t mask;
};

static volatile sig_atomic_t hits, last_sig, last_code, last_pid, order_pos;
static volatile int order[8];
static volatile void *last_addr;

static void count(int sig)
{
	hits++;
	last_sig = sig;
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
}

static void install(int sig, void (*fn)(int), int flags, int masked)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (masked)
		sigaddset(&sa.sa_mask, masked);
	if (sigaction(sig, &sa, NULL) != 0)
		fail("sigaction(%d): %s", sig, errno_name(errno));
}

static void install_info(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		fail("sigaction(%d, SA_SIGINFO): %s", sig, errno_name(errno));
}

static void test_actions(void)
{
	struct ksigaction ka;
	struct sigaction sa, old;

	memset(&ka, 0, sizeof(ka));
	expect_errno("rt_sigaction sigsetsize 4", syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 4), EINVAL);
	expect_errno("rt_sigaction signal 0", syscall(SYS_rt_sigaction, 0, &ka, NULL, 8), EINVAL);
	expect_errno("rt_sigaction signal 65", syscall(SYS_rt_sigaction, 65, &ka, NULL, 8), EINVAL);
	expect_errno("rt_sigaction set SIGKILL", syscall(SYS_rt_sigaction, SIGKILL, &ka, NULL, 8), EINVAL);
	expect_errno("rt_sigaction set SIGSTOP", syscall(SYS_rt_sigaction, SIGSTOP, &ka, NULL, 8), EINVAL);
	expect_ok("rt_sigaction query SIGKILL", syscall(SYS_rt_sigaction, SIGKILL, NULL, &ka, 8));
	expect_errno("rt_sigaction bad act", syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8), EFAULT);
	expect_errno("rt_sigaction bad oact", syscall(SYS_rt_sigaction, SIGUSR1, NULL, (void *)8, 8), EFAULT);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count;
	sa.sa_flags = SA_RESTART | SA_UNSUPPORTED;
	sigaddset(&sa.sa_mask, SIGKILL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR1, NULL, &old);
	expect_eq("SA_UNSUPPORTED does not read back", !!(old.sa_flags & SA_UNSUPPORTED), 0);
	expect_eq("SA_RESTART reads back", !!(old.sa_flags & SA_RESTART), 1);
	expect_eq("SIGKILL is not kept in sa_mask", sigismember(&old.sa_mask, SIGKILL), 0);
	expect_eq("old handler", old.sa_handler == count, 1);
	expect_ok("signal(SIGPIPE, SIG_IGN)", signal(SIGPIPE, SIG_IGN) == SIG_ERR ? -1 : 0);
}

static void test_masks(void)
{
	sigset_t set, old, pend;
	uint64_t raw = 0;

	install(SIGUSR1, count, 0, 0);
	hits = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGKILL);
	expect_ok("sigprocmask block SIGUSR1", sigprocmask(SIG_BLOCK, &set, &old));
	raise(SIGUSR1);
	expect_eq("blocked signal not delivered", hits, 0);
	sigpending(&pend);
	expect_eq("sigpending shows it", sigismember(&pend, SIGUSR1), 1);
	sigprocmask(SIG_BLOCK, NULL, &set);
	expect_eq("SIGKILL cannot be blocked", sigismember(&set, SIGKILL), 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	expect_eq("unblocking delivers", hits, 1);
	expect_errno("rt_sigprocmask how 99", syscall(SYS_rt_sigprocmask, 99, &raw, NULL, 8), EINVAL);
	expect_ok("rt_sigprocmask how 99 without a set", syscall(SYS_rt_sigprocmask, 99, NULL, &raw, 8));
	expect_errno("rt_sigprocmask sigsetsize 4", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &raw, NULL, 4), EINVAL);
	expect_errno("rt_sigprocmask bad set", syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, NULL, 8), EFAULT);
	expect_errno("rt_sigpending sigsetsize 16", syscall(SYS_rt_sigpending, &raw, 16), EINVAL);
}

static void test_siginfo(void)
{
	install_info(SIGUSR2, 0);
	hits = 0;
	kill(getpid(), SIGUSR2);
	expect_eq("kill: handler ran", hits, 1);
	expect_eq("kill: si_code SI_USER", last_code, SI_USER);
	expect_eq("kill: si_pid", last_pid, getpid());
	raise(SIGUSR2);
	expect_eq("raise: si_code SI_TKILL", last_code, SI_TKILL);
}

/*
 * The rounding mode in the x87 control word and (x86_64, where the
 * compiler uses SSE for double) in MXCSR, read and set with inline asm
 * so the program needs no libm. Modes: 0 nearest, 1 down, 2 up, 3 zero.
 */
static int get_round(void)
{
	unsigned short cw;

	__asm__ volatile("fnstcw %0" : "=m"(cw));
#ifdef __x86_64__
	unsigned int mxcsr;

	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	if (((mxcsr >> 13) & 3) != ((cw >> 10) & 3u))
		return -1; /* the two units disagree */
#endif
	return (cw >> 10) & 3;
}

static void set_round(int mode)
{
	unsigned short cw;

	__asm__ volatile("fnstcw %0" : "=m"(cw));
	cw = (cw & ~0xc00) | (mode << 10);
	__asm__ volatile("fldcw %0" : : "m"(cw));
#ifdef __x86_64__
	unsigned int mxcsr;

	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	mxcsr = (mxcsr & ~0x6000u) | ((unsigned int)mode << 13);
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
#endif
}

enum { RND_NEAREST, RND_DOWN, RND_UP, RND_ZERO };

static volatile int handler_round;

static void fpu_handler(int sig)
{
	volatile double x = 1.0, y = 3.0;

	(void)sig;
	handler_round = get_round();
	set_round(RND_UP);
	x = x / y; /* use the FPU with another rounding mode */
	(void)x;
}

static unsigned get_mxcsr(void)
{
	unsigned m;

	__asm__ volatile("stmxcsr %0" : "=m"(m));
	return m;
}

static void set_mxcsr(unsigned m)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
}

static volatile unsigned handler_mxcsr;

static void mxcsr_handler(int sig)
{
	(void)sig;
	handler_mxcsr = get_mxcsr();
}

/*
 * DAZ (MXCSR bit 6) is user state like the rounding mode: a system call,
 * a timer interrupt and a signal frame must all give it back. Skipped
 * where FXSAVE's MXCSR_MASK says the CPU has no DAZ.
 */
static void test_mxcsr_daz(void)
{
	static unsigned char area[512] __attribute__((aligned(16)));
	unsigned mask, daz = 0x1f80 | 0x40;
	struct timespec t0, t;

	__asm__ volatile("fxsave %0" : "=m"(area));
	memcpy(&mask, area + 28, 4);
	if (mask == 0)
		mask = 0xffbf;
	if (!(mask & 0x40)) {
		skip("MXCSR DAZ: this CPU has none (MXCSR_MASK %#x)", mask);
		return;
	}
	set_mxcsr(daz);
	syscall(SYS_getpid);
	expect_eq("MXCSR with DAZ survives a system call", get_mxcsr(), daz);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec - t0.tv_nsec < 20000000L);
	expect_eq("MXCSR with DAZ survives 20 ms of timer interrupts", get_mxcsr(), daz);
	install(SIGUSR1, mxcsr_handler, 0, 0);
	raise(SIGUSR1);
	expect_eq("the handler starts with the default MXCSR", handler_mxcsr, 0x1f80);
	expect_eq("sigreturn gives DAZ back", get_mxcsr(), daz);
	set_mxcsr(0x1f80);
}

/*
 * MXCSR's exception flags (its low six bits, sticky) are user state too.
 * Ringo's kernel is Go, whose runtime does floating point of its own (its
 * collector's pacing), and flags it raised must not show up in the
 * program's MXCSR: many system calls that make the kernel allocate, so
 * that its collector runs, must leave them clear.
 */
static void test_mxcsr_flags(void)
{
	int i, fd;

	set_mxcsr(0x1f80);
	for (i = 0; i < 40000 && get_mxcsr() == 0x1f80; i++) {
		fd = (int)syscall(SYS_eventfd2, 0, 0);
		if (fd >= 0)
			close(fd);
	}
	expect_eq("MXCSR's exception flags stay clear across 40000 eventfd+close", get_mxcsr(), 0x1f80);
	set_mxcsr(0x1f80);
}

static void test_frames(void)
{
	volatile double a = 2.0, b = 7.0, c;

	install(SIGUSR1, fpu_handler, 0, 0); /* i386: the old sigframe */
	set_round(RND_ZERO);
	raise(SIGUSR1);
	expect_eq("handler starts with a fresh FPU (round to nearest)", handler_round, RND_NEAREST);
	expect_eq("sigreturn restores the rounding mode", get_round(), RND_ZERO);
	set_round(RND_NEAREST);
	c = a / b;
	expect_eq("FP still computes after sigreturn", (long)(c * 7000 + 0.5), 2000);

	install_info(SIGUSR1, 0); /* the rt frame */
	set_round(RND_DOWN);
	raise(SIGUSR1);
	expect_eq("rt frame: rounding mode restored", get_round(), RND_DOWN);
	set_round(RND_NEAREST);
	test_mxcsr_daz();
	test_mxcsr_flags();
}

static void nest_inner(int sig)
{
	order[order_pos++] = sig;
}

static void nest_outer(int sig)
{
	order[order_pos++] = sig;
	raise(SIGUSR2); /* blocked by sa_mask until we return */
	order[order_pos++] = 100 + sig;
}

static volatile int depth, max_depth, calls;

/* Raises its own signal until it ran three times, recording how deeply
 * the runs nested. */
static void nodefer(int sig)
{
	calls++;
	if (++depth > max_depth)
		max_depth = depth;
	if (calls < 3)
		raise(sig);
	depth--;
}

static void test_nesting(void)
{
	struct sigaction old;

	order_pos = 0;
	install(SIGUSR1, nest_outer, 0, SIGUSR2);
	install(SIGUSR2, nest_inner, 0, 0);
	raise(SIGUSR1);
	expect_eq("sa_mask defers: outer runs first", order[0], SIGUSR1);
	expect_eq("sa_mask defers: outer finishes", order[1], 100 + SIGUSR1);
	expect_eq("sa_mask defers: inner after return", order[2], SIGUSR2);

	max_depth = calls = 0;
	install(SIGUSR1, nodefer, SA_NODEFER, 0);
	raise(SIGUSR1);
	expect_eq("SA_NODEFER nests", max_depth, 3);
	max_depth = calls = 0;
	install(SIGUSR1, nodefer, 0, 0);
	raise(SIGUSR1);
	expect_eq("without SA_NODEFER the same signal waits", max_depth, 1);
	expect_eq("... and runs after each return", calls, 3);

	install(SIGUSR1, count, SA_RESETHAND, 0);
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	expect_eq("SA_RESETHAND: back to SIG_DFL", old.sa_handler == SIG_DFL, 1);
}

static sigjmp_buf jump;

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	last_sig = sig;
	last_code = si->si_code;
	last_addr = si->si_addr;
	siglongjmp(jump, 1);
}

#if defined(__x86_64__) || defined(__i386__)
extern char ud2_here[];
static void do_ud2(void)
{
	__asm__ volatile("ud2_here: ud2");
}
#endif

static void expect_fault(const char *what, int sig, int code, void *addr)
{
	if (last_sig != sig || last_code != code)
		fail("%s: got signal %d code %d", what, (int)last_sig, (int)last_code);
	else if (addr && last_addr != addr)
		fail("%s: si_addr %p, want %p", what, (void *)last_addr, addr);
	else
		pass("%s: signal %d code %d", what, sig, code);
}

static void test_faults(void)
{
	struct sigaction sa;
	char *ro;
	volatile uintptr_t page0 = 16;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);

	if (sigsetjmp(jump, 1) == 0)
		*(volatile int *)page0 = 1;
	expect_fault("write to page 0: SEGV_MAPERR", SIGSEGV, SEGV_MAPERR, (void *)16);

	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sigsetjmp(jump, 1) == 0)
		*(volatile char *)(ro + 8) = 1;
	expect_fault("write to a read-only page: SEGV_ACCERR", SIGSEGV, SEGV_ACCERR, ro + 8);
	munmap(ro, 4096);

	if (sigsetjmp(jump, 1) == 0)
		do_ud2();
	expect_fault("ud2: ILL_ILLOPN at the instruction", SIGILL, ILL_ILLOPN, ud2_here);

#if defined(__x86_64__) || defined(__i386__)
	/* A gate only the kernel may raise (Ringo's interrupt replay, 0x81): #GP. */
	if (sigsetjmp(jump, 1) == 0)
		__asm__ volatile("int $0x81");
	expect_fault("int $0x81, a kernel-only gate: SIGSEGV SI_KERNEL", SIGSEGV, SI_KERNEL, NULL);
#endif

	if (sigsetjmp(jump, 1) == 0) /* idivl by 0 in asm: C division by 0 is UB */
		__asm__ volatile("xorl %%ecx, %%ecx; movl $1, %%eax; cltd; idivl %%ecx"
				 : : : "eax", "ecx", "edx", "cc");
	expect_fault("divide by zero: FPE_INTDIV", SIGFPE, FPE_INTDIV, NULL);

	signal(SIGSEGV, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
}

static char altstack[65536] __attribute__((aligned(16)));
static volatile int on_alt, alt_flags, alt_eperm;

static void alt_handler(int sig)
{
	int here;
	stack_t cur, nss;

	(void)sig;
	on_alt = (char *)&here >= altstack && (char *)&here < altstack + sizeof(altstack);
	sigaltstack(NULL, &cur);
	alt_flags = cur.ss_flags;
	memset(&nss, 0, sizeof(nss));
	nss.ss_sp = altstack;
	nss.ss_size = sizeof(altstack);
	alt_eperm = sigaltstack(&nss, NULL) == -1 && errno == EPERM;
}

static void test_altstack(void)
{
	stack_t ss, old;

	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = altstack;
	ss.ss_size = 1024;
	expect_errno("sigaltstack below MINSIGSTKSZ", sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 4;
	expect_errno("sigaltstack bad flags", sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = 0;
	expect_ok("sigaltstack", sigaltstack(&ss, &old));
	expect_eq("old stack was disabled", old.ss_flags, SS_DISABLE);
	install(SIGUSR1, alt_handler, SA_ONSTACK, 0);
	raise(SIGUSR1);
	expect_eq("SA_ONSTACK handler runs on the alternate stack", on_alt, 1);
	expect_eq("sigaltstack in the handler says SS_ONSTACK", alt_flags, SS_ONSTACK);
	expect_eq("changing it while on it is EPERM", alt_eperm, 1);
	sigaltstack(NULL, &old);
	expect_eq("back on the normal stack", old.ss_flags, 0);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
}

static void test_sigsuspend(void)
{
	sigset_t block, empty, now;

	install(SIGUSR1, count, 0, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	hits = 0;
	raise(SIGUSR1);
	sigemptyset(&empty);
	expect_errno("sigsuspend returns after the handler", sigsuspend(&empty), EINTR);
	expect_eq("sigsuspend: handler ran", hits, 1);
	sigprocmask(SIG_BLOCK, NULL, &now);
	expect_eq("sigsuspend: the old mask is back", sigismember(&now, SIGUSR1), 1);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	expect_errno("rt_sigsuspend sigsetsize 4", syscall(SYS_rt_sigsuspend, &empty, 4), EINVAL);
}

/*
 * epoll_pwait waits with its own mask: a pending signal that mask lets
 * through interrupts it (EINTR, even with SA_RESTART), its handler runs,
 * and the caller's mask is back afterwards.
 */
static void test_epoll_pwait(void)
{
	sigset_t block, wait_mask, now;
	struct epoll_event ev;
	int ep = epoll_create1(0);

	if (ep < 0) {
		fail("epoll_create1: %s", errno_name(errno));
		return;
	}
	install(SIGUSR1, count, SA_RESTART, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	hits = 0;
	raise(SIGUSR1);
	expect_eq("epoll_pwait with SIGUSR1 still blocked: timeout 0 gives 0",
		  epoll_pwait(ep, &ev, 1, 0, &block), 0);
	expect_eq("  and the handler has not run", hits, 0);
	expect_errno("epoll_pwait sigsetsize 4", syscall(SYS_epoll_pwait, ep, &ev, 1, 0, &block, 4),
		     EINVAL);
	sigemptyset(&wait_mask);
	expect_errno("epoll_pwait with a mask that unblocks a pending SIGUSR1",
		     epoll_pwait(ep, &ev, 1, 1000, &wait_mask), EINTR);
	expect_eq("epoll_pwait: the handler ran", hits, 1);
	sigprocmask(SIG_BLOCK, NULL, &now);
	expect_eq("epoll_pwait: SIGUSR1 is blocked again", sigismember(&now, SIGUSR1), 1);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	close(ep);
}

static void test_sigpipe(void)
{
	int p[2];
	char c = 'x';

	signal(SIGPIPE, SIG_IGN);
	pipe(p);
	close(p[0]);
	expect_errno("SIGPIPE ignored: write gets EPIPE", write(p[1], &c, 1), EPIPE);
	install(SIGPIPE, count, 0, 0);
	hits = 0;
	last_sig = 0;
	expect_errno("SIGPIPE caught: write still gets EPIPE", write(p[1], &c, 1), EPIPE);
	expect_eq("SIGPIPE handler ran", last_sig, SIGPIPE);
	close(p[1]);
	signal(SIGPIPE, SIG_IGN);
}

static void test_truncate(const char *dir)
{
	char path[256], buf[16];
	struct stat st;
	int fd, ro;

	snprintf(path, sizeof(path), "%s/t", dir);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0) {
		skip("truncate: cannot create %s: %s", path, errno_name(errno));
		return;
	}
	write(fd, "0123456789", 10);
	expect_ok("ftruncate shrink", ftruncate(fd, 4));
	expect_ok("ftruncate grow", ftruncate(fd, 8));
	memset(buf, 'z', sizeof(buf));
	pread(fd, buf, 8, 0);
	expect_eq("kept bytes and a zero hole", memcmp(buf, "0123\0\0\0\0", 8), 0);
	expect_ok("truncate by path", truncate(path, 3));
	fstat(fd, &st);
	expect_eq("size after truncate", (long)st.st_size, 3);
	expect_errno("ftruncate negative", syscall(SYS_ftruncate, fd, -1L), EINVAL);
	expect_errno("truncate negative", truncate(path, -1), EINVAL);
	ro = open(path, O_RDONLY);
	expect_errno("ftruncate read-only fd", ftruncate(ro, 0), EINVAL);
	expect_errno("ftruncate bad fd", ftruncate(-1, 0), EBADF);
	expect_errno("truncate a directory", truncate(dir, 0), EISDIR);
	expect_errno("truncate missing", truncate("/nonexistent-ringo", 0), ENOENT);
	close(ro);
	close(fd);
	unlink(path);
}

static void test_rename(const char *dir)
{
	char a[256], b[256], d[256], e[256], f[256];
	int fd;

	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	snprintf(d, sizeof(d), "%s/d", dir);
	snprintf(e, sizeof(e), "%s/e", dir);
	snprintf(f, sizeof(f), "%s/d/f", dir);
	fd = open(a, O_CREAT | O_WRONLY, 0644);
	if (fd < 0) {
		skip("rename: cannot create %s: %s", a, errno_name(errno));
		return;
	}
	close(fd);
	close(open(b, O_CREAT | O_WRONLY, 0644));
	mkdir(d, 0755);
	mkdir(e, 0755);
	close(open(f, O_CREAT | O_WRONLY, 0644));

	expect_errno("renameat2 RENAME_NOREPLACE onto a file",
		     syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE), EEXIST);
	expect_errno("renameat2 unknown flag", syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 8), EINVAL);
	expect_ok("rename over a file", rename(a, b));
	expect_errno("the old name is gone", access(a, F_OK), ENOENT);
	expect_errno("file over a directory", rename(b, e), EISDIR);
	expect_errno("directory over a file", rename(e, b), ENOTDIR);
	expect_errno("directory over a non-empty one", rename(e, d), ENOTEMPTY);
	expect_errno("directory into itself", rename(d, f), EINVAL);
	expect_errno("missing source", rename(a, e), ENOENT);
	expect_errno("source is .", rename(".", a), EBUSY);
	expect_ok("directory over an empty one", rename(d, e));
	expect_errno("the old path is gone", access(f, F_OK), ENOENT);
	snprintf(f, sizeof(f), "%s/e/f", dir);
	expect_ok("file is under the new name", access(f, F_OK));
	unlink(f);
	rmdir(e);
	unlink(b);
}

#if defined(__i386__)
static void bad_selector_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_ES] = 12 << 3 | 4 | 3; /* TI=1: the LDT, which we have none of */
	uc->uc_mcontext.gregs[REG_FS] = 8 << 3 | 3;      /* the TSS descriptor */
}

static volatile unsigned short want_sel[4]; /* DS, ES, FS, GS for the handler to install */

static void random_selector_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_DS] = want_sel[0];
	uc->uc_mcontext.gregs[REG_ES] = want_sel[1];
	uc->uc_mcontext.gregs[REG_FS] = want_sel[2];
	uc->uc_mcontext.gregs[REG_GS] = want_sel[3];
}

/*
 * Random data selectors through sigreturn. The signal is sent by an inline
 * kill(2) and delivered on its way back, so the first instructions to run
 * with the handler's selectors are ours: they read DS, ES and FS into
 * registers and reload DS and ES from SS (the flat user data segment)
 * before any memory access through them. GS holds glibc's TLS selector and
 * is kept.
 */
static void test_random_selectors(void)
{
	struct sigaction sa;
	unsigned short ds0, es0, fs0, gs0;
	unsigned int got[4], scratch;
	unsigned int x = 0x9e3779b9;
	long pid = getpid();
	int bad = 0;

	__asm__ volatile("movw %%ds, %0; movw %%es, %1; movw %%fs, %2; movw %%gs, %3"
			 : "=r"(ds0), "=r"(es0), "=r"(fs0), "=r"(gs0));
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = random_selector_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	for (int i = 0; i < 2000 && !bad; i++) {
		for (int r = 0; r < 3; r++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			want_sel[r] = (unsigned short)x;
		}
		want_sel[3] = gs0;
		__asm__ volatile("int $0x80\n\t"
				 "movl %%ds, %%edx\n\t"
				 "movl %%es, %%esi\n\t"
				 "movl %%fs, %%edi\n\t"
				 "movl %%ss, %%eax\n\t"
				 "movl %%eax, %%ds\n\t"
				 "movl %%eax, %%es"
				 : "=d"(got[0]), "=S"(got[1]), "=D"(got[2]), "=a"(scratch)
				 : "a"(37), "b"(pid), "c"(SIGUSR2) /* kill(getpid(), SIGUSR2) */
				 : "memory");
		__asm__ volatile("movl %%gs, %0" : "=r"(got[3]));
		__asm__ volatile("movw %0, %%ds; movw %1, %%es; movw %2, %%fs" : : "r"(ds0), "r"(es0), "r"(fs0));
		got[0] &= 0xffff, got[1] &= 0xffff, got[2] &= 0xffff, got[3] &= 0xffff;
		for (int r = 0; r < 3; r++) {
			/* Linux keeps a loadable selector (with RPL 3) and nulls
			 * the rest; a null selector may come back with any RPL. */
			unsigned short w = want_sel[r] | 3;
			if (got[r] != w && (got[r] & ~3) != 0) {
				fail("random selector %d: wrote %#x, got %#x", r, want_sel[r], got[r]);
				bad = 1;
			}
		}
		if (got[3] != gs0) {
			fail("GS %#x became %#x", gs0, got[3]);
			bad = 1;
		}
	}
	if (!bad)
		pass("2000 sigreturns with random DS/ES/FS: each came back as written or null");
	signal(SIGUSR2, SIG_DFL);
}

static void test_selectors(void)
{
	struct sigaction sa;
	unsigned short es, fs;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = bad_selector_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	__asm__ volatile("movw %%es, %0; movw %%fs, %1" : "=r"(es), "=r"(fs));
	expect_eq("sigreturn with an LDT selector in ES: ES is null", es, 0);
	expect_eq("sigreturn with the TSS selector in FS: FS is null", fs, 0);
	signal(SIGUSR2, SIG_DFL);
}
#endif

int main(int argc, char **argv)
{
	char dir[] = "/tmp/ringo-signals-XXXXXX";

	if (argc > 1 && strcmp(argv[1], "pipe-default") == 0) {
		int p[2];

		signal(SIGPIPE, SIG_DFL);
		pipe(p);
		close(p[0]);
		write(p[1], "x", 1);
		printf("FAIL SIGPIPE did not kill\n");
		return 1;
	}
	test_actions();
	test_masks();
	test_siginfo();
	test_frames();
	test_nesting();
	test_faults();
	test_altstack();
	test_sigsuspend();
	test_epoll_pwait();
	test_sigpipe();
#if defined(__i386__)
	test_selectors();
	test_random_selectors();
#endif
	if (mkdtemp(dir) == NULL) {
		skip("truncate, rename: no /tmp: %s", errno_name(errno));
	} else {
		test_truncate(dir);
		test_rename(dir);
		rmdir(dir);
	}
	check_exit();
}
