/*
 * bench.c - the user half of `make bench`.
 *
 * One static program, built twice (gcc -static -O2 for x86_64, where system
 * calls enter with SYSCALL, and gcc -m32 -static -O2 for i386, where they
 * enter with int $0x80 and take the kernel's compat path). It times the
 * kernel paths Ringo rebuilds - syscall entry, ioctl dispatch, anon inodes,
 * pipes, mmap and the page-fault handlers - and prints one machine-readable
 * line per path:
 *
 *   BENCH <name> ns=<ns per op> cycles=<TSC cycles per op> iters=<n> rounds=<r>
 *   BENCH <name> n/a reason=<why>         (the device is absent)
 *   BENCH <name> error=<ERRNO> op=<call>  (the kernel refused the call)
 *
 * plus `BENCH boot_to_user ns=...` (CLOCK_BOOTTIME read by the first user
 * instructions, bench_entry, which also write `BENCH entry` before anything
 * else) and `BENCH boot_to_main ns=...` (read first thing in main),
 * `BENCH info ...` lines, and finally `BENCH done`. The host side
 * (package bench) treats a run without `BENCH done` as failed.
 *
 * Every timed system call is issued with inline SYSCALL / int $0x80, not via
 * libc, so that both kernels are measured on exactly the same instruction
 * sequence (glibc's i386 wrappers go through the vDSO's __kernel_vsyscall,
 * whose code each kernel supplies). Two exceptions measure the vDSO on
 * purpose: `clock_gettime`, through libc and raw, and on i386
 * `getpid_vsyscall`, getpid the way glibc's i386 programs make every
 * system call, `call *%gs:0x10` into __kernel_vsyscall (both kernels make
 * it a SYSCALL on a CPU that has SYSCALL in 32-bit code, as qemu64 does).
 *
 * Each measurement is the best of ROUNDS rounds; a round runs enough
 * operations to last at least TARGET_NS, found by doubling. Best-of (not
 * mean) is the usual choice for micro-benchmarks: noise only ever adds time.
 *
 * When it runs as PID 1 (the init of a benchmark boot) it mounts /proc and
 * /dev if it can, and powers the machine off at the end with
 * reboot(LINUX_REBOOT_CMD_POWER_OFF) after sync(), which ends the VM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

enum {
	ROUNDS = 5,
	TARGET_NS = 20 * 1000 * 1000, /* a round lasts at least 20 ms */
	MAX_ITERS = 1 << 24,
	FAULT_BYTES = 16 << 20, /* the fault benchmarks walk 16 MiB */
	PAGE = 4096,
};

/* Linux numbers, from ioctl.h / termbits.h / time.h / mman.h. */
#define BENCH_TCGETS 0x5401
#define BENCH_FIONREAD 0x541B
#define BENCH_CLOCK_MONOTONIC 1
#define BENCH_CLOCK_BOOTTIME 7
#define BENCH_MADV_NOHUGEPAGE 15

/* ---- raw system calls ------------------------------------------------ */

#if defined(__x86_64__)
#define ABI_NAME "x86_64"
enum {
	NR_read = 0, NR_write = 1, NR_close = 3, NR_mmap = 9, NR_munmap = 11,
	NR_ioctl = 16, NR_madvise = 28, NR_getpid = 39,
	NR_clock_gettime = 228, NR_eventfd2 = 290,
};

/*
 * syscall6 issues SYSCALL with the x86_64 register convention: number in
 * rax, arguments in rdi, rsi, rdx, r10, r8, r9; the CPU clobbers rcx and r11.
 * Returns the raw rax: a value in [-4095, -1] is -errno.
 */
static inline long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall3(long n, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long sys_mmap(void *addr, long len, long prot, long flags, long fd)
{
	return syscall6(NR_mmap, (long)addr, len, prot, flags, fd, 0);
}

/* The 64-bit timespec is the native one. */
struct ktimespec {
	long long sec, nsec;
};

#elif defined(__i386__)
#define ABI_NAME "i386"
enum {
	NR_read = 3, NR_write = 4, NR_close = 6, NR_munmap = 91, NR_ioctl = 54,
	NR_getpid = 20, NR_madvise = 219, NR_mmap2 = 192, NR_eventfd2 = 328,
	NR_clock_gettime64 = 403,
};
#define NR_clock_gettime NR_clock_gettime64

/*
 * syscall3 issues int $0x80 with the i386 convention: number in eax,
 * arguments in ebx, ecx, edx (then esi, edi, ebp); only eax changes.
 */
static inline long syscall3(long n, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(n), "b"(a), "c"(b), "d"(c)
			 : "memory");
	return ret;
}

/*
 * The sixth i386 argument travels in ebp, which the compiler will not let
 * inline asm claim, so six-argument calls go through this small function.
 * cdecl: after the four pushes the first argument is at 20(%esp).
 */
long bench_int80_6(long n, long a, long b, long c, long d, long e, long f);
__asm__(".text\n"
	".globl bench_int80_6\n"
	".type bench_int80_6,@function\n"
	"bench_int80_6:\n"
	"	push %ebp\n"
	"	push %edi\n"
	"	push %esi\n"
	"	push %ebx\n"
	"	mov 20(%esp),%eax\n"
	"	mov 24(%esp),%ebx\n"
	"	mov 28(%esp),%ecx\n"
	"	mov 32(%esp),%edx\n"
	"	mov 36(%esp),%esi\n"
	"	mov 40(%esp),%edi\n"
	"	mov 44(%esp),%ebp\n"
	"	int $0x80\n"
	"	pop %ebx\n"
	"	pop %esi\n"
	"	pop %edi\n"
	"	pop %ebp\n"
	"	ret\n"
	".size bench_int80_6, .-bench_int80_6\n");

/* mmap2: the offset is in pages; 0 here. */
static inline long sys_mmap(void *addr, long len, long prot, long flags, long fd)
{
	return bench_int80_6(NR_mmap2, (long)addr, len, prot, flags, fd, 0);
}

/* clock_gettime64 (403) takes the 64-bit timespec even on i386. */
struct ktimespec {
	long long sec, nsec;
};

#else
#error "bench.c supports x86_64 and i386"
#endif

/*
 * The first user instruction. The program's ELF entry point is bench_entry
 * (linked with -e bench_entry, bench/userbuild.go): before the C library's
 * start-up code runs, it reads CLOCK_BOOTTIME with a raw system call into
 * entry_boot, then jumps to _start with every register _start reads as the
 * kernel left it (rsp/esp, and rdx/edx, saved around the write). It also
 * writes "BENCH entry" to stdout, whose arrival the host times from QEMU's
 * start (qemu_to_user). So boot_to_user is boot to the first user
 * instruction, and boot_to_main adds the C library's start-up (under
 * emulation mostly the cost of translating its code, which both kernels
 * pay).
 */
struct ktimespec entry_boot;
long entry_err = 1; /* stays 1 if bench_entry was not the entry point */
const char entry_line[12] = "BENCH entry\n";
#if defined(__x86_64__)
_Static_assert(NR_clock_gettime == 228 && BENCH_CLOCK_BOOTTIME == 7, "bench_entry's numbers");
__asm__(".text\n"
	".globl bench_entry\n"
	".type bench_entry,@function\n"
	"bench_entry:\n"
	"	mov $228, %eax\n" /* clock_gettime */
	"	mov $7, %edi\n"   /* CLOCK_BOOTTIME */
	"	lea entry_boot(%rip), %rsi\n"
	"	syscall\n"
	"	mov %rax, entry_err(%rip)\n"
	"	push %rdx\n"      /* _start's rtld_fini */
	"	mov $1, %eax\n"   /* write */
	"	mov $1, %edi\n"
	"	lea entry_line(%rip), %rsi\n"
	"	mov $12, %edx\n"
	"	syscall\n"
	"	pop %rdx\n"
	"	jmp _start\n"
	".size bench_entry, .-bench_entry\n");
#else
_Static_assert(NR_clock_gettime == 403 && BENCH_CLOCK_BOOTTIME == 7, "bench_entry's numbers");
__asm__(".text\n"
	".globl bench_entry\n"
	".type bench_entry,@function\n"
	"bench_entry:\n"
	"	mov $403, %eax\n" /* clock_gettime64 */
	"	mov $7, %ebx\n"   /* CLOCK_BOOTTIME */
	"	mov $entry_boot, %ecx\n"
	"	int $0x80\n"
	"	mov %eax, entry_err\n"
	"	push %edx\n"      /* _start's rtld_fini */
	"	mov $4, %eax\n"   /* write */
	"	mov $1, %ebx\n"
	"	mov $entry_line, %ecx\n"
	"	mov $12, %edx\n"
	"	int $0x80\n"
	"	pop %edx\n"
	"	jmp _start\n"
	".size bench_entry, .-bench_entry\n");
#endif

static inline int is_err(long r)
{
	return (unsigned long)r > -4096UL;
}

/* ---- output ---------------------------------------------------------- */

/* say writes one line with a single write(2), so lines never interleave. */
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof buf - 2)
		n = sizeof buf - 2;
	buf[n++] = '\n';
	for (int off = 0; off < n;) {
		ssize_t w = write(1, buf + off, n - off);
		if (w <= 0)
			return;
		off += w;
	}
}

static const char *errname(long e)
{
	static const struct {
		int no;
		const char *name;
	} names[] = {
		{EPERM, "EPERM"},   {ENOENT, "ENOENT"}, {EINTR, "EINTR"},
		{ENXIO, "ENXIO"},   {EBADF, "EBADF"},   {EAGAIN, "EAGAIN"},
		{ENOMEM, "ENOMEM"}, {EACCES, "EACCES"}, {EFAULT, "EFAULT"},
		{ENODEV, "ENODEV"}, {EINVAL, "EINVAL"}, {EMFILE, "EMFILE"},
		{ENOTTY, "ENOTTY"}, {ESPIPE, "ESPIPE"}, {ENOSYS, "ENOSYS"},
		{EOPNOTSUPP, "EOPNOTSUPP"},
	};
	static char other[16];
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].no == e)
			return names[i].name;
	snprintf(other, sizeof other, "E%ld", e);
	return other;
}

/* ---- clocks ---------------------------------------------------------- */

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* now_ns is the benchmark's stopwatch: CLOCK_MONOTONIC through libc. */
static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A span is the timed part of one round. */
struct span {
	uint64_t ns0, tsc0, ns, cycles;
};

static inline void span_begin(struct span *s)
{
	s->ns0 = now_ns();
	s->tsc0 = rdtsc();
}

static inline void span_end(struct span *s)
{
	s->cycles = rdtsc() - s->tsc0;
	s->ns = now_ns() - s->ns0;
}

/* ---- the benchmarks -------------------------------------------------- */

/*
 * A failure inside a round is reported as the failing call's name and
 * errno; the whole benchmark is then an error, never a number.
 */
struct failure {
	const char *op;
	long err;
};

/*
 * round_fn runs n operations, times the part that is the operation itself
 * into *s, and returns 0, or -1 with *f filled in.
 */
typedef int (*round_fn)(long n, struct span *s, struct failure *f);

static int fail(struct failure *f, const char *op, long r)
{
	f->op = op;
	f->err = -r;
	return -1;
}

/* Shared state setup() fills in; *_err hold the errno of a failed setup. */
static int pipefd[2] = {-1, -1};
static long pipe_err;
static int fdtest_fd = -1;     /* /dev/fd_test */
static int fdtest_anon = -1;   /* an fd the seed-000 ioctl returned */
static long fdtest_anon_err;
static int lkmc_fd = -1;       /* /proc/lkmc_mmap */
static const long fdtest_id = 1234;

static int round_getpid(long n, struct span *s, struct failure *f)
{
	(void)f;
	span_begin(s);
	for (long i = 0; i < n; i++) {
#if defined(__x86_64__)
		long r;
		__asm__ volatile("syscall" : "=a"(r) : "a"((long)NR_getpid) : "rcx", "r11", "memory");
#else
		long r;
		__asm__ volatile("int $0x80" : "=a"(r) : "a"((long)NR_getpid) : "memory");
#endif
		(void)r;
	}
	span_end(s);
	return 0;
}

#if defined(__i386__)
/* getpid through __kernel_vsyscall (AT_SYSINFO, %gs:0x10), as glibc calls it. */
static int round_getpid_vsyscall(long n, struct span *s, struct failure *f)
{
	(void)f;
	span_begin(s);
	for (long i = 0; i < n; i++) {
		long r;
		__asm__ volatile("call *%%gs:0x10" : "=a"(r) : "a"((long)NR_getpid) : "memory");
		(void)r;
	}
	span_end(s);
	return 0;
}
#endif

static int round_fionread(long n, struct span *s, struct failure *f)
{
	int avail;
	if (pipefd[0] < 0)
		return fail(f, "pipe", -pipe_err);
	span_begin(s);
	for (long i = 0; i < n; i++) {
		long r = syscall3(NR_ioctl, pipefd[0], BENCH_FIONREAD, (long)&avail);
		if (r != 0)
			return fail(f, "ioctl(FIONREAD)", is_err(r) ? r : -EINVAL);
	}
	span_end(s);
	return 0;
}

/* TCGETS on a pipe: the VFS finds no handler and answers ENOTTY (fs/ioctl.c). */
static int round_enotty(long n, struct span *s, struct failure *f)
{
	char termios[64];
	if (pipefd[0] < 0)
		return fail(f, "pipe", -pipe_err);
	span_begin(s);
	for (long i = 0; i < n; i++) {
		long r = syscall3(NR_ioctl, pipefd[0], BENCH_TCGETS, (long)termios);
		if (r != -ENOTTY)
			return fail(f, "ioctl(TCGETS)!=ENOTTY", is_err(r) ? r : -EINVAL);
	}
	span_end(s);
	return 0;
}

static int round_eventfd(long n, struct span *s, struct failure *f)
{
	span_begin(s);
	for (long i = 0; i < n; i++) {
		long fd = syscall3(NR_eventfd2, 0, 0, 0);
		if (is_err(fd))
			return fail(f, "eventfd2", fd);
		long r = syscall3(NR_close, fd, 0, 0);
		if (r != 0)
			return fail(f, "close", r);
	}
	span_end(s);
	return 0;
}

/* Seed 000: ioctl(fd, 0, id) on /dev/fd_test returns a new anon-inode fd. */
static int round_fdtest_create(long n, struct span *s, struct failure *f)
{
	span_begin(s);
	for (long i = 0; i < n; i++) {
		long fd = syscall3(NR_ioctl, fdtest_fd, 0, fdtest_id);
		if (is_err(fd))
			return fail(f, "ioctl(fd_test,0)", fd);
		long r = syscall3(NR_close, fd, 0, 0);
		if (r != 0)
			return fail(f, "close", r);
	}
	span_end(s);
	return 0;
}

/* Seed 000: ioctl(anon_fd, 0, 0) returns the id the file was created with. */
static int round_fdtest_query(long n, struct span *s, struct failure *f)
{
	if (fdtest_anon < 0)
		return fail(f, "ioctl(fd_test,0)", -fdtest_anon_err);
	span_begin(s);
	for (long i = 0; i < n; i++) {
		long r = syscall3(NR_ioctl, fdtest_anon, 0, 0);
		if (r != fdtest_id)
			return fail(f, "ioctl(anon,0)!=id", is_err(r) ? r : -EINVAL);
	}
	span_end(s);
	return 0;
}

static int round_pipe_rw(long n, struct span *s, struct failure *f)
{
	char c = 'x';
	if (pipefd[0] < 0)
		return fail(f, "pipe", -pipe_err);
	span_begin(s);
	for (long i = 0; i < n; i++) {
		long r = syscall3(NR_write, pipefd[1], (long)&c, 1);
		if (r != 1)
			return fail(f, "write(pipe)", is_err(r) ? r : -EINVAL);
		r = syscall3(NR_read, pipefd[0], (long)&c, 1);
		if (r != 1)
			return fail(f, "read(pipe)", is_err(r) ? r : -EINVAL);
	}
	span_end(s);
	return 0;
}

static int round_mmap_munmap(long n, struct span *s, struct failure *f)
{
	span_begin(s);
	for (long i = 0; i < n; i++) {
		long p = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		if (is_err(p))
			return fail(f, "mmap", p);
		long r = syscall3(NR_munmap, p, PAGE, 0);
		if (r != 0)
			return fail(f, "munmap", r);
	}
	span_end(s);
	return 0;
}

/*
 * The fault benchmarks map FAULT_BYTES (untimed), then time one touch per
 * page, so every touch is exactly one page fault; n is fixed at the page
 * count. MADV_NOHUGEPAGE keeps Linux from serving 2 MiB at once (THP);
 * its failure (a kernel without THP) is harmless and ignored.
 */
static int round_anon_fault(long n, struct span *s, struct failure *f)
{
	long p = sys_mmap(0, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (is_err(p))
		return fail(f, "mmap", p);
	syscall3(NR_madvise, p, n * PAGE, BENCH_MADV_NOHUGEPAGE);
	volatile char *mem = (volatile char *)p;
	span_begin(s);
	for (long i = 0; i < n; i++)
		mem[i * PAGE] = 1; /* write fault: a fresh zeroed page */
	span_end(s);
	long r = syscall3(NR_munmap, p, n * PAGE, 0);
	if (r != 0)
		return fail(f, "munmap", r);
	return 0;
}

/* Seed 001: /proc/lkmc_mmap's vm_operations.fault hands out the driver's
 * one page (past it: SIGBUS), so one page is mapped and re-faulted: each
 * iteration reads it (a fault served by the driver) and drops the PTE
 * again with MADV_DONTNEED. The figure is fault + madvise. */
#define BENCH_MADV_DONTNEED 4
static int round_lkmc_fault(long n, struct span *s, struct failure *f)
{
	long p = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, lkmc_fd);
	if (is_err(p))
		return fail(f, "mmap(lkmc_mmap)", p);
	volatile char *mem = (volatile char *)p;
	char sink = 0;
	span_begin(s);
	for (long i = 0; i < n; i++) {
		sink ^= mem[0]; /* read fault: the driver's fault handler */
		long r = syscall3(NR_madvise, p, PAGE, BENCH_MADV_DONTNEED);
		if (r != 0)
			return fail(f, "madvise(MADV_DONTNEED)", r);
	}
	span_end(s);
	(void)sink;
	long r = syscall3(NR_munmap, p, PAGE, 0);
	if (r != 0)
		return fail(f, "munmap", r);
	return 0;
}

static int round_clock_libc(long n, struct span *s, struct failure *f)
{
	struct timespec ts;
	span_begin(s);
	for (long i = 0; i < n; i++)
		if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
			return fail(f, "clock_gettime", -errno);
	span_end(s);
	return 0;
}

static int round_clock_raw(long n, struct span *s, struct failure *f)
{
	struct ktimespec ts;
	span_begin(s);
	for (long i = 0; i < n; i++) {
		long r = syscall3(NR_clock_gettime, BENCH_CLOCK_MONOTONIC, (long)&ts, 0);
		if (r != 0)
			return fail(f, "clock_gettime(raw)", is_err(r) ? r : -EINVAL);
	}
	span_end(s);
	return 0;
}

/* ---- driver ---------------------------------------------------------- */

struct bench {
	const char *name;
	round_fn round;
	long fixed_iters; /* 0: calibrate by doubling */
	int *need_fd;     /* NULL, or an fd the setup must have opened */
	const char *need_path;
};

/*
 * run times one benchmark: calibrate n (unless fixed), then keep the best
 * of ROUNDS rounds. ns and cycles are minimised separately, as each is a
 * lower bound of its own noise.
 */
static void run(const struct bench *b)
{
	struct span s;
	struct failure f = {0, 0};

	if (b->need_fd && *b->need_fd < 0) {
		say("BENCH %s n/a reason=no-%s", b->name, b->need_path);
		return;
	}
	long n = b->fixed_iters;
	if (n == 0) {
		for (n = 1;; n *= 2) {
			if (b->round(n, &s, &f) != 0)
				goto failed;
			if (s.ns >= TARGET_NS || n >= MAX_ITERS)
				break;
		}
	}
	double best_ns = 0, best_cycles = 0;
	for (int r = 0; r < ROUNDS; r++) {
		if (b->round(n, &s, &f) != 0)
			goto failed;
		double ns = (double)s.ns / n, cy = (double)s.cycles / n;
		if (r == 0 || ns < best_ns)
			best_ns = ns;
		if (r == 0 || cy < best_cycles)
			best_cycles = cy;
	}
	say("BENCH %s ns=%.1f cycles=%.1f iters=%ld rounds=%d", b->name, best_ns, best_cycles, n, ROUNDS);
	return;
failed:
	say("BENCH %s error=%s op=%s", b->name, errname(f.err), f.op);
}

/* setup opens what the benchmarks share; absent devices stay -1 (n/a). */
static void setup(void)
{
	if (pipe(pipefd) != 0) {
		pipe_err = errno;
		pipefd[0] = pipefd[1] = -1;
	}
	fdtest_fd = open("/dev/fd_test", O_RDWR);
	if (fdtest_fd >= 0) {
		long r = syscall3(NR_ioctl, fdtest_fd, 0, fdtest_id);
		if (is_err(r))
			fdtest_anon_err = -r;
		else
			fdtest_anon = (int)r;
	}
	lkmc_fd = open("/proc/lkmc_mmap", O_RDWR | O_SYNC);
}

/* As init, make /proc and /dev available the way a distribution would. */
static void mount_pseudo_fs(void)
{
	mkdir("/proc", 0555);
	if (mount("proc", "/proc", "proc", 0, NULL) != 0)
		say("BENCH info mount_proc_error=%s", errname(errno));
	mkdir("/dev", 0755);
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0)
		say("BENCH info mount_dev_error=%s", errname(errno));
}

/*
 * A boot runs both ABIs: /init is the x86_64 build and, when the initramfs
 * also holds the i386 build, it execs it at the end (same PID 1) instead
 * of powering off. The chained program gets argv[1] == "chained" and
 * skips boot_to_main, which would measure the first program's run time.
 */
static void exec_next(char **envp)
{
#if defined(__x86_64__)
	static const char next[] = "/bench32";
	if (access(next, X_OK) != 0)
		return; /* a 64-bit-only boot */
	char *const next_argv[] = {(char *)next, "chained", NULL};
	execve(next, next_argv, envp);
	say("BENCH info exec_error=%s path=%s", errname(errno), next);
#else
	(void)envp;
#endif
}

int main(int argc, char **argv, char **envp)
{
	/* First thing: how long after boot did user space start? */
	struct ktimespec boot;
	long boot_err = syscall3(NR_clock_gettime, BENCH_CLOCK_BOOTTIME, (long)&boot, 0);

	int chained = argc > 1 && strcmp(argv[1], "chained") == 0;
	say("BENCH start abi=" ABI_NAME " chained=%d", chained);
	if (!chained) { /* chained, the clock would time the previous program */
		if (entry_err == 0)
			say("BENCH boot_to_user ns=%lld", entry_boot.sec * 1000000000LL + entry_boot.nsec);
		else if (entry_err == 1)
			say("BENCH boot_to_user error=EINVAL op=entry-point-not-bench_entry");
		else
			say("BENCH boot_to_user error=%s op=clock_gettime(BOOTTIME)", errname(-entry_err));
		if (boot_err == 0)
			say("BENCH boot_to_main ns=%lld", boot.sec * 1000000000LL + boot.nsec);
		else
			say("BENCH boot_to_main error=%s op=clock_gettime(BOOTTIME)", errname(-boot_err));
	}

	int pid = getpid();
	struct utsname u;
	if (uname(&u) == 0)
		say("BENCH info pid=%d sysname=%s release=%s", pid, u.sysname, u.release);
	if (pid == 1 && !chained)
		mount_pseudo_fs();
	setup();

	static const struct bench all[] = {
		{"getpid", round_getpid, 0, NULL, NULL},
#if defined(__i386__)
		{"getpid_vsyscall", round_getpid_vsyscall, 0, NULL, NULL},
#endif
		{"ioctl_fionread_pipe", round_fionread, 0, NULL, NULL},
		{"ioctl_enotty", round_enotty, 0, NULL, NULL},
		{"eventfd_close", round_eventfd, 0, NULL, NULL},
		{"fdtest_ioctl_create", round_fdtest_create, 0, &fdtest_fd, "/dev/fd_test"},
		{"fdtest_ioctl_query", round_fdtest_query, 0, &fdtest_fd, "/dev/fd_test"},
		{"pipe_rw_1byte", round_pipe_rw, 0, NULL, NULL},
		{"mmap_munmap_4k", round_mmap_munmap, 0, NULL, NULL},
		{"anon_fault", round_anon_fault, FAULT_BYTES / PAGE, NULL, NULL},
		{"lkmc_mmap_fault", round_lkmc_fault, FAULT_BYTES / PAGE, &lkmc_fd, "/proc/lkmc_mmap"},
		{"clock_gettime", round_clock_libc, 0, NULL, NULL},
		{"clock_gettime_raw", round_clock_raw, 0, NULL, NULL},
	};
	for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
		run(&all[i]);
	say("BENCH done");

	if (pid == 1) {
		exec_next(envp);
		sync();
		reboot(RB_POWER_OFF);
		say("BENCH info poweroff_error=%s", errname(errno));
	}
	return 0;
}
