/*
 * syscall_basics.c - the system calls every static program leans on, each
 * checked against what Linux does, good input and bad.
 *
 * Sections follow LINUX-SEMANTICS.md:
 *   identity     getpid/gettid/getppid, uname                      (§9.4)
 *   time         clock_gettime, gettimeofday, nanosleep, getrandom
 *   brk          grow, shrink, old break on failure                (§6.5)
 *   mmap         mmap/munmap/mprotect argument errors              (§6.1, §6.3)
 *   files        open/read/write/lseek/close/fcntl in /tmp, O_TRUNC (§2.4)
 *   file mmap    access-mode and flag checks on a real file        (§6.1 item 5)
 *   pipes        round trip, ESPIPE, EOF, EPIPE, pipe2 flags       (§2.4)
 *   dup          dup/dup2/dup3 and F_DUPFD errnos                  (§2.4)
 *   tty, /proc   isatty, ioctl ENOTTY, readlink /proc/self/exe     (§5.2, §7.3)
 *   getdents64   on "/"; d_ino = st_ino in /proc/self and its fd directory
 *   fstat        on stdout
 *
 * Every check prints one "ok"/"FAIL"/"skip" line (check.h); the program
 * exits 0 iff nothing failed.
 *
 * Good-path calls use the libc wrappers (that is what programs do). Bad
 * input goes through syscall(2), which hands the kernel exactly our
 * arguments and only turns -errno into -1/errno: the libcs check some
 * arguments themselves (musl's mmap rejects unaligned offsets, its
 * mprotect rounds the address down, its dup3 without O_CLOEXEC is dup2),
 * and we are testing the kernel, not the libc.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stddef.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000 /* Linux 4.17; older libc headers lack it */
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

/* O_LARGEFILE as the kernel reports it; 64-bit libc headers define it as 0. */
#define KERNEL_O_LARGEFILE 0100000

enum { PAGE = 4096 };

/* The i386 table names a few calls differently (§1.5). */
#if defined(__i386__)
#define SYS_FCNTL SYS_fcntl64
#define SYS_FSTAT SYS_fstat64
#else
#define SYS_FCNTL SYS_fcntl
#define SYS_FSTAT SYS_fstat
#endif

/*
 * kmmap is mmap straight to the kernel: x86_64 mmap (9) takes a byte
 * offset, i386 mmap2 (192) a page offset, so an unaligned offset can only
 * be expressed on x86_64 (i386 uses old_mmap below for that).
 */
static void *kmmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
#if defined(__i386__)
	return (void *)syscall(SYS_mmap2, addr, len, prot, flags, fd, off / PAGE);
#else
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
#endif
}

static int64_t ns_of(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ns_of(&ts);
}

/* ---- identity ---------------------------------------------------------- */

static void test_identity(void)
{
	pid_t pid = getpid(), ppid = getppid();
	long tid = syscall(SYS_gettid);
	struct utsname u;

	if (pid > 0)
		pass("getpid() = %d > 0", (int)pid);
	else
		fail("getpid() > 0: got %d", (int)pid);
	/* A single-threaded process's only thread is its thread-group leader. */
	expect_eq("gettid() of a single-threaded process == getpid()", tid, pid);
	/* The first process's parent is 0 on Linux; anyone else's is a pid. */
	if (ppid >= 0 && ppid != pid)
		pass("getppid() = %d, not our own pid", (int)ppid);
	else
		fail("getppid() >= 0 and != getpid(): got %d", (int)ppid);

	if (uname(&u) != 0) {
		fail("uname: failed with %s", errno_name(errno));
		return;
	}
	if (strcmp(u.sysname, "Linux") == 0)
		pass("uname sysname is \"Linux\"");
	else
		fail("uname sysname is \"Linux\": got \"%s\"", u.sysname);
	if (u.release[0] != '\0' && u.machine[0] != '\0')
		pass("uname release \"%s\", machine \"%s\" are set", u.release, u.machine);
	else
		fail("uname release and machine are set: got \"%s\", \"%s\"",
		     u.release, u.machine);
}

/* ---- time -------------------------------------------------------------- */

static void test_time(void)
{
	struct timespec a, b, rt, req;
	struct timeval tv;
	unsigned char r1[16], r2[16];
	int64_t t0, slept;
	volatile unsigned spin = 0;

	if (clock_gettime(CLOCK_MONOTONIC, &a) != 0) {
		fail("clock_gettime(CLOCK_MONOTONIC): failed with %s", errno_name(errno));
		return;
	}
	/* Spin until the clock moves; a stuck clock fails after ~1e8 reads. */
	do {
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while (ns_of(&b) == ns_of(&a) && ++spin < 100000000u);
	if (ns_of(&b) > ns_of(&a))
		pass("CLOCK_MONOTONIC increases (+%lld ns)", (long long)(ns_of(&b) - ns_of(&a)));
	else
		fail("CLOCK_MONOTONIC increases: %lld then %lld", (long long)ns_of(&a),
		     (long long)ns_of(&b));
	if (a.tv_nsec >= 0 && a.tv_nsec < 1000000000 && b.tv_nsec >= 0 &&
	    b.tv_nsec < 1000000000)
		pass("clock_gettime tv_nsec in [0, 1e9)");
	else
		fail("clock_gettime tv_nsec in [0, 1e9): got %ld, %ld", (long)a.tv_nsec,
		     (long)b.tv_nsec);
	expect_errno("clock_gettime(clock 1000)", syscall(SYS_clock_gettime, 1000, &a), EINVAL);

	/* gettimeofday and CLOCK_REALTIME read the same clock. */
	if (gettimeofday(&tv, NULL) != 0 || clock_gettime(CLOCK_REALTIME, &rt) != 0) {
		fail("gettimeofday and clock_gettime(CLOCK_REALTIME): failed with %s",
		     errno_name(errno));
	} else {
		long long diff = (long long)tv.tv_sec - (long long)rt.tv_sec;

		if (tv.tv_usec >= 0 && tv.tv_usec < 1000000 && diff >= -1 && diff <= 1)
			pass("gettimeofday agrees with CLOCK_REALTIME (%lld.%06ld)",
			     (long long)tv.tv_sec, (long)tv.tv_usec);
		else
			fail("gettimeofday agrees with CLOCK_REALTIME: %lld.%06ld vs %lld.%09ld",
			     (long long)tv.tv_sec, (long)tv.tv_usec, (long long)rt.tv_sec,
			     (long)rt.tv_nsec);
	}

	/* nanosleep never returns early (absent signals). */
	/*
	 * The sleep is not CPU time (CLOCK_PROCESS_CPUTIME_ID): less than
	 * half of it may show, room for a scheduler slice of the kernel's
	 * own (10 ms in Go's runtime, which Ringo's clock still charges).
	 */
	req.tv_sec = 0;
	req.tv_nsec = 60 * 1000 * 1000;
	struct timespec cpu0, cpu1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
	t0 = monotonic_ns();
	if (nanosleep(&req, NULL) != 0) {
		fail("nanosleep(60 ms): failed with %s", errno_name(errno));
	} else {
		slept = monotonic_ns() - t0;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1);
		if (slept >= 60 * 1000 * 1000)
			pass("nanosleep(60 ms) slept %lld us >= 60000 us", (long long)(slept / 1000));
		else
			fail("nanosleep(60 ms) sleeps at least 60 ms: slept %lld us",
			     (long long)(slept / 1000));
		long long cpu = ns_of(&cpu1) - ns_of(&cpu0);
		if (cpu >= 0 && cpu < 30 * 1000 * 1000)
			pass("CLOCK_PROCESS_CPUTIME_ID leaves the sleep out (+%lld us)", cpu / 1000);
		else
			fail("CLOCK_PROCESS_CPUTIME_ID leaves the sleep out: +%lld us across a 60 ms sleep", cpu / 1000);
	}
	req.tv_nsec = 1000000000;
	expect_errno("nanosleep(tv_nsec = 1e9)", nanosleep(&req, NULL), EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	expect_errno("nanosleep(tv_sec = -1)", nanosleep(&req, NULL), EINVAL);

	/* getrandom: full count, different bytes each time, flags checked. */
	if (getrandom(r1, sizeof(r1), 0) != (ssize_t)sizeof(r1) ||
	    getrandom(r2, sizeof(r2), 0) != (ssize_t)sizeof(r2))
		fail("getrandom(16 bytes) twice: failed with %s", errno_name(errno));
	else if (memcmp(r1, r2, sizeof(r1)) == 0)
		fail("getrandom returns fresh bytes: two calls gave the same 16 bytes");
	else
		pass("getrandom(16 bytes) twice gives different bytes");
	expect_errno("getrandom(flags 0x100)", syscall(SYS_getrandom, r1, sizeof(r1), 0x100),
		     EINVAL);
	expect_errno("getrandom(NULL, 16)", syscall(SYS_getrandom, NULL, 16, 0), EFAULT);
}

/* ---- brk ----------------------------------------------------------------- */

/*
 * brk never fails with -errno: it returns the new break on success and the
 * current one on any failure (§6.5). syscall(SYS_brk) passes the address
 * through unchanged (it is never in the -errno range).
 */
static void test_brk(void)
{
	unsigned long cur = (unsigned long)syscall(SYS_brk, 0);
	unsigned long grown, shrunk, huge_result, low_result;
	volatile unsigned char *heap;
	int touched = 1;

	if (cur == 0 || cur == (unsigned long)-1) {
		fail("brk(0) returns the current break: got %#lx", cur);
		return;
	}
	pass("brk(0) = %#lx", cur);

	grown = (unsigned long)syscall(SYS_brk, cur + 16 * PAGE);
	if (grown == cur + 16 * PAGE) {
		/* The new memory is there and zero-filled. */
		heap = (volatile unsigned char *)cur;
		for (int i = 0; i < 16 * PAGE; i += PAGE) {
			if (heap[i] != 0)
				touched = 0;
			heap[i] = 0xa5;
		}
	}
	shrunk = (unsigned long)syscall(SYS_brk, cur);
	huge_result = (unsigned long)syscall(SYS_brk, (unsigned long)-4096L);
	low_result = (unsigned long)syscall(SYS_brk, 4096UL);

	expect_eq("brk(cur + 64 KiB) grows to the request", (long)grown,
		  (long)(cur + 16 * PAGE));
	if (touched)
		pass("brk growth is zero-filled and writable");
	else
		fail("brk growth is zero-filled: found non-zero bytes");
	expect_eq("brk(cur) shrinks back", (long)shrunk, (long)cur);
	expect_eq("brk(top of address space) fails with the old break",
		  (long)huge_result, (long)cur);
	expect_eq("brk(below the heap start) leaves the break", (long)low_result,
		  (long)cur);
}

/* ---- anonymous mmap/munmap/mprotect --------------------------------------- */

static void *mmap_anon(void *addr, size_t len, int prot, int flags)
{
	return kmmap(addr, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

/* expect_map_errno: kmmap gives MAP_FAILED ((void *)-1) and errno. */
static void expect_map_errno(const char *what, void *ret, int want)
{
	if (ret != MAP_FAILED) {
		fail("%s is %s: mapped at %p", what, errno_name(want), ret);
		munmap(ret, PAGE);
	} else {
		expect_errno(what, -1, want);
	}
}

static void test_mmap(void)
{
	unsigned char *p = mmap_anon(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	void *q;

	if (p == MAP_FAILED) {
		fail("mmap(anonymous, 8 KiB, RW): failed with %s", errno_name(errno));
		return;
	}
	if (((uintptr_t)p & (PAGE - 1)) == 0 && p[0] == 0 && p[2 * PAGE - 1] == 0) {
		p[0] = 1;
		p[2 * PAGE - 1] = 2;
		pass("mmap(anonymous, 8 KiB, RW) = page-aligned zeroed memory");
	} else {
		fail("mmap(anonymous) gives page-aligned zeroed memory: %p", (void *)p);
	}

	/* §6.1 item 1 and 3; mmap checks alignment and length before placing. */
	expect_map_errno("mmap(len 0)", mmap_anon(NULL, 0, PROT_READ, MAP_PRIVATE), EINVAL);
#if defined(__i386__)
	{
		/* old_mmap (90) reads six u32 and checks the byte offset (§1.3). */
		uint32_t block[6] = { 0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
				      (uint32_t)-1, 1 };

		expect_map_errno("old_mmap(anonymous, offset 1)",
				 (void *)syscall(SYS_mmap, block), EINVAL);
	}
#else
	expect_map_errno("mmap(anonymous, offset 1)",
			 kmmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1),
			 EINVAL);
#endif
	expect_map_errno("mmap(flags without SHARED or PRIVATE)",
			 mmap_anon(NULL, PAGE, PROT_READ, 0), EINVAL);
	expect_map_errno("mmap(map type 0xf)", mmap_anon(NULL, PAGE, PROT_READ, 0xf), EINVAL);
	expect_map_errno("mmap(MAP_FIXED, unaligned address)",
			 mmap_anon(p + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED), EINVAL);
	expect_map_errno("mmap(len 2^N - 4095, page alignment wraps)",
			 mmap_anon(NULL, (size_t)-4095, PROT_READ, MAP_PRIVATE), ENOMEM);
	expect_map_errno("mmap(file mapping of fd -1)",
			 kmmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
	expect_map_errno("mmap(MAP_FIXED_NOREPLACE over a mapping)",
			 mmap_anon(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE),
			 EEXIST);
	/* Unknown PROT bits are ignored by mmap (§6.1 item 7)... */
	q = mmap_anon(NULL, PAGE, PROT_READ | 0x100, MAP_PRIVATE);
	if (q == MAP_FAILED) {
		fail("mmap(PROT_READ | unknown bit 0x100) succeeds: %s", errno_name(errno));
	} else {
		pass("mmap(PROT_READ | unknown bit 0x100) succeeds");
		munmap(q, PAGE);
	}

	/* ...but mprotect rejects them (§6.3). */
	expect_ok("mprotect(p, 4096, PROT_READ)", mprotect(p, PAGE, PROT_READ));
	expect_errno("mprotect(unaligned)", syscall(SYS_mprotect, p + 1, PAGE, PROT_READ), EINVAL);
	expect_errno("mprotect(unknown bit 0x10)",
		     syscall(SYS_mprotect, p, PAGE, PROT_READ | 0x10), EINVAL);
	expect_errno("mprotect(PROT_GROWSDOWN on a plain mapping)",
		     syscall(SYS_mprotect, p, PAGE, PROT_READ | PROT_GROWSDOWN), EINVAL);
	if (p[2 * PAGE - 1] == 2)
		pass("mprotect of page 0 leaves page 1's data");
	else
		fail("mprotect of page 0 leaves page 1's data: got %d", p[2 * PAGE - 1]);

	expect_errno("munmap(len 0)", syscall(SYS_munmap, p, 0), EINVAL);
	expect_errno("munmap(unaligned)", syscall(SYS_munmap, p + 1, PAGE), EINVAL);
	expect_ok("munmap(p, 8 KiB)", munmap(p, 2 * PAGE));
	expect_errno("mprotect(unmapped range)", syscall(SYS_mprotect, p, PAGE, PROT_READ),
		     ENOMEM);
	expect_ok("munmap(nothing mapped there)", munmap(p, 2 * PAGE));
}

/* ---- files in /tmp --------------------------------------------------------- */

/* test_file_mmap: §6.1 item 5 on a real file (fd is O_RDWR, size >= 1 page). */
static void test_file_mmap(const char *path, int rw)
{
	int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);
	void *m;

	if (ro < 0 || wo < 0) {
		fail("reopen %s read-only and write-only: %s", path, errno_name(errno));
		goto out;
	}
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rw, 0);
	if (m == MAP_FAILED) {
		fail("mmap(file, MAP_SHARED, PROT_READ): failed with %s", errno_name(errno));
	} else {
		if (memcmp(m, "0123456789", 10) == 0)
			pass("mmap(file, MAP_SHARED) shows the file's bytes");
		else
			fail("mmap(file, MAP_SHARED) shows the file's bytes");
		munmap(m, PAGE);
	}
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED | 0x200000, rw, 0);
	if (m == MAP_FAILED) {
		fail("mmap(MAP_SHARED | unknown flag 0x200000) ignores the flag: %s",
		     errno_name(errno));
	} else {
		pass("mmap(MAP_SHARED | unknown flag 0x200000) ignores the flag");
		munmap(m, PAGE);
	}
	expect_map_errno("mmap(MAP_SHARED_VALIDATE | unknown flag 0x200000)",
			 kmmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | 0x200000, rw, 0),
			 EOPNOTSUPP);
	expect_map_errno("mmap(MAP_SHARED, PROT_WRITE) of an O_RDONLY fd",
			 kmmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	expect_map_errno("mmap(MAP_PRIVATE, PROT_READ) of an O_WRONLY fd",
			 kmmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	if (m == MAP_FAILED) {
		fail("mmap(MAP_PRIVATE, PROT_WRITE) of an O_RDONLY fd is allowed: %s",
		     errno_name(errno));
	} else {
		pass("mmap(MAP_PRIVATE, PROT_WRITE) of an O_RDONLY fd is allowed");
		munmap(m, PAGE);
	}
#if !defined(__i386__)
	expect_map_errno("mmap(file, offset 100)",
			 kmmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, rw, 100), EINVAL);
#endif
out:
	if (ro >= 0)
		close(ro);
	if (wo >= 0)
		close(wo);
}

static void test_files(void)
{
	struct stat st;
	char path[64], buf[32];
	int fd, fl;

	if (stat("/tmp", &st) != 0 || !S_ISDIR(st.st_mode)) {
		skip("file checks in /tmp: /tmp is not a directory here (%s)",
		     errno_name(errno));
		return;
	}
	snprintf(path, sizeof(path), "/tmp/ringo-basics-%d", (int)getpid());
	unlink(path);

	/* §2.4 F_GETFL: CREAT/EXCL/TRUNC stripped, CLOEXEC never reported. */
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		fail("open(%s, O_CREAT|O_EXCL): failed with %s", path, errno_name(errno));
		return;
	}
	pass("open(new file in /tmp, O_RDWR|O_CREAT|O_EXCL|O_TRUNC|O_APPEND|O_CLOEXEC) = %d", fd);
	fl = fcntl(fd, F_GETFL);
#if defined(__x86_64__)
	/* Native 64-bit opens always add O_LARGEFILE. */
	expect_eq("F_GETFL after O_RDWR|O_CREAT|O_EXCL|O_TRUNC|O_APPEND|O_CLOEXEC (octal 0102002)",
		  fl, KERNEL_O_LARGEFILE | O_APPEND | O_RDWR);
#else
	/* Compat open adds O_LARGEFILE only if the libc asked for it. */
	expect_eq("F_GETFL without O_LARGEFILE after O_RDWR|...|O_APPEND|O_CLOEXEC (octal 02002)",
		  fl & ~KERNEL_O_LARGEFILE, O_APPEND | O_RDWR);
#endif
	expect_eq("F_GETFD after O_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	/* Only FD_CLOEXEC (bit 0) of F_SETFD counts. */
	fcntl(fd, F_SETFD, 3);
	expect_eq("F_SETFD 3 then F_GETFD", fcntl(fd, F_GETFD), FD_CLOEXEC);
	fcntl(fd, F_SETFD, 0);
	expect_eq("F_SETFD 0 then F_GETFD", fcntl(fd, F_GETFD), 0);
	/* F_SETFL changes only O_APPEND/O_NONBLOCK/...; the access mode stays. */
	fcntl(fd, F_SETFL, O_RDONLY);
	expect_eq("F_SETFL O_RDONLY keeps the access mode, clears O_APPEND",
		  fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND), O_RDWR);
	expect_errno("fcntl(unknown command 9999)", syscall(SYS_FCNTL, fd, 9999, 0), EINVAL);
	expect_errno("fcntl(F_DUPFD, -1)", syscall(SYS_FCNTL, fd, F_DUPFD, -1), EINVAL);
	expect_errno("fcntl(F_GETFD) of fd -1", syscall(SYS_FCNTL, -1, F_GETFD, 0), EBADF);
	expect_errno("open(existing file, O_CREAT|O_EXCL)",
		     open(path, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);

	expect_eq("write(fd, \"0123456789\", 10)", write(fd, "0123456789", 10), 10);
	expect_eq("lseek(fd, 0, SEEK_CUR) after writing 10 bytes", lseek(fd, 0, SEEK_CUR), 10);
	expect_eq("lseek(fd, 0, SEEK_SET)", lseek(fd, 0, SEEK_SET), 0);
	memset(buf, 0, sizeof(buf));
	if (read(fd, buf, sizeof(buf)) == 10 && memcmp(buf, "0123456789", 10) == 0)
		pass("read back the 10 bytes written");
	else
		fail("read back the 10 bytes written: got \"%.10s\"", buf);
	expect_eq("read at end of file", read(fd, buf, sizeof(buf)), 0);
	expect_eq("lseek(fd, -3, SEEK_END)", lseek(fd, -3, SEEK_END), 7);
	expect_errno("lseek(fd, -1, SEEK_SET)", lseek(fd, -1, SEEK_SET), EINVAL);
	expect_errno("lseek(fd, 0, whence 7)", lseek(fd, 0, 7), EINVAL);
	expect_errno("read(fd, NULL, 4)", syscall(SYS_read, fd, NULL, 4), EFAULT);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 10)
		pass("fstat(file): regular, st_size 10");
	else
		fail("fstat(file): regular, st_size 10: mode %o size %lld", (unsigned)st.st_mode,
		     (long long)st.st_size);

	/* open(O_TRUNC) is a truncation like ftruncate: size 0, mtime and ctime move. */
	{
		struct stat before, after;
		struct timespec pause = {0, 20000000};
		int tfd;

		fstat(fd, &before);
		nanosleep(&pause, NULL);
		tfd = open(path, O_WRONLY | O_TRUNC);
		if (tfd < 0 || fstat(tfd, &after) != 0) {
			fail("open(O_TRUNC) of the file: %s", errno_name(errno));
		} else {
			expect_eq("open(O_TRUNC): st_size", after.st_size, 0);
			expect_eq("open(O_TRUNC): mtime moved",
				  ns_of(&after.st_mtim) > ns_of(&before.st_mtim), 1);
			expect_eq("open(O_TRUNC): ctime moved",
				  ns_of(&after.st_ctim) > ns_of(&before.st_ctim), 1);
			close(tfd);
		}
		lseek(fd, 0, SEEK_SET);
		if (write(fd, "0123456789", 10) != 10) /* what the mmap checks read */
			fail("write after O_TRUNC: %s", errno_name(errno));
	}

	/* Grow to a page for the mmap checks. */
	if (ftruncate(fd, PAGE) == 0)
		test_file_mmap(path, fd);
	else
		fail("ftruncate(fd, 4096): failed with %s", errno_name(errno));

	expect_ok("close(fd)", close(fd));
	expect_errno("close(fd) again", close(fd), EBADF);
	expect_errno("read(closed fd)", read(fd, buf, 1), EBADF);
	expect_ok("unlink(file)", unlink(path));
	expect_errno("open(unlinked file)", open(path, O_RDONLY), ENOENT);
	expect_errno("open(\"\")", open("", O_RDONLY), ENOENT);
	expect_errno("open(\"/tmp/x/\" under a missing directory)",
		     open("/tmp/ringo-no-such-dir/x", O_RDONLY), ENOENT);
}

/* ---- pipes ---------------------------------------------------------------- */

static void test_pipes(void)
{
	int p[2];
	char buf[8];
	struct sigaction sa;

	if (pipe(p) != 0) {
		fail("pipe: failed with %s", errno_name(errno));
		return;
	}
	pass("pipe() = [%d, %d]", p[0], p[1]);
	expect_eq("write(pipe, \"ping\", 4)", write(p[1], "ping", 4), 4);
	memset(buf, 0, sizeof(buf));
	if (read(p[0], buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0)
		pass("read(pipe) returns \"ping\"");
	else
		fail("read(pipe) returns \"ping\": got \"%.4s\"", buf);
	expect_errno("lseek(pipe)", lseek(p[0], 0, SEEK_CUR), ESPIPE);
	expect_eq("F_GETFL of the read end", fcntl(p[0], F_GETFL), O_RDONLY);
	expect_eq("F_GETFL of the write end", fcntl(p[1], F_GETFL), O_WRONLY);
	expect_errno("write(read end of a pipe)", write(p[0], "x", 1), EBADF);
	expect_ok("close(write end)", close(p[1]));
	expect_eq("read(pipe) after the writer closed (EOF)", read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);

	expect_errno("pipe2(flags O_TRUNC)", syscall(SYS_pipe2, p, O_TRUNC), EINVAL);
	expect_errno("pipe2(NULL, 0)", syscall(SYS_pipe2, NULL, 0), EFAULT);

	/* Writing with no reader is EPIPE once SIGPIPE is ignored. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) != 0) {
		fail("sigaction(SIGPIPE, SIG_IGN): failed with %s; EPIPE not checked",
		     errno_name(errno));
		return;
	}
	if (pipe(p) != 0) {
		fail("pipe: failed with %s", errno_name(errno));
		return;
	}
	close(p[0]);
	expect_errno("write(pipe without a reader, SIGPIPE ignored)", write(p[1], "x", 1), EPIPE);
	close(p[1]);
}

/* ---- dup family ------------------------------------------------------------ */

static void test_dup(void)
{
	int fd, fd2, target = 100;

	fd = dup(1);
	if (fd >= 3)
		pass("dup(1) = %d", fd);
	else
		fail("dup(1) returns a new fd >= 3: got %d (%s)", fd, errno_name(errno));
	if (fd < 0)
		return;
	fcntl(1, F_SETFD, FD_CLOEXEC);
	fd2 = dup(1);
	fcntl(1, F_SETFD, 0);
	expect_eq("dup of a close-on-exec fd is not close-on-exec", fcntl(fd2, F_GETFD), 0);
	/* Lowest free number: fd is free again after close. */
	close(fd2);
	close(fd);
	expect_eq("dup after close reuses the lowest free fd", dup(1), fd);
	close(fd);

	expect_errno("dup(-1)", syscall(SYS_dup, -1), EBADF);
	expect_errno("dup(1000000)", syscall(SYS_dup, 1000000), EBADF);
	expect_eq("dup2(1, 1) returns 1", syscall(SYS_dup2, 1, 1), 1);
	expect_errno("dup2(999, 999) on a closed fd", syscall(SYS_dup2, 999, 999), EBADF);
	expect_errno("dup2(1, -1)", syscall(SYS_dup2, 1, -1), EBADF);
	expect_errno("dup2(1, 1 << 30) beyond RLIMIT_NOFILE", syscall(SYS_dup2, 1, 1 << 30),
		     EBADF);
	expect_errno("dup2(-1, 5)", syscall(SYS_dup2, -1, 5), EBADF);
	expect_errno("dup3(1, 1, 0)", syscall(SYS_dup3, 1, 1, 0), EINVAL);
	expect_errno("dup3(999, 999, 0): same fd wins over bad fd", syscall(SYS_dup3, 999, 999, 0),
		     EINVAL);
	expect_errno("dup3(1, 100, O_NONBLOCK)", syscall(SYS_dup3, 1, target, O_NONBLOCK), EINVAL);
	expect_eq("dup3(1, 100, O_CLOEXEC)", syscall(SYS_dup3, 1, target, O_CLOEXEC), target);
	expect_eq("dup3(..., O_CLOEXEC) sets close-on-exec", fcntl(target, F_GETFD), FD_CLOEXEC);
	/* dup2 onto an open fd closes it silently and clears close-on-exec. */
	expect_eq("dup2(2, 100) onto an open fd", dup2(2, target), target);
	expect_eq("dup2 clears close-on-exec", fcntl(target, F_GETFD), 0);
	close(target);
	expect_eq("F_DUPFD(1, 100) = lowest free >= 100", fcntl(1, F_DUPFD, target), target);
	expect_eq("F_DUPFD_CLOEXEC(1, 100) skips the taken 100",
		  fcntl(1, F_DUPFD_CLOEXEC, target), target + 1);
	expect_eq("F_DUPFD_CLOEXEC sets close-on-exec", fcntl(target + 1, F_GETFD), FD_CLOEXEC);
	close(target);
	close(target + 1);
	expect_errno("F_DUPFD(1, 1 << 30) beyond RLIMIT_NOFILE",
		     syscall(SYS_FCNTL, 1, F_DUPFD, 1 << 30), EINVAL);
}

/* ---- tty, /proc, directories, fstat ----------------------------------------- */

static void test_tty_and_proc(void)
{
	char link[512];
	struct termios t;
	ssize_t n;
	int p[2];

	/* stdout may or may not be a terminal; both answers are legal, EBADF is not. */
	errno = 0;
	if (isatty(1))
		pass("isatty(1) = 1 (stdout is a terminal)");
	else if (errno == ENOTTY || errno == EINVAL)
		pass("isatty(1) = 0 with %s (stdout is not a terminal)", errno_name(errno));
	else
		fail("isatty(1) is 1, or 0 with ENOTTY: got 0 with %s", errno_name(errno));
	expect_errno("isatty(-1) sets errno", isatty(-1) ? 0 : -1, EBADF);
	if (pipe(p) == 0) {
		expect_errno("ioctl(pipe, TCGETS)", ioctl(p[0], TCGETS, &t), ENOTTY);
		close(p[0]);
		close(p[1]);
	}

	n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	if (n > 0 && link[0] == '/') {
		link[n] = '\0';
		pass("readlink(/proc/self/exe) = \"%s\"", link);
	} else if (n < 0 && errno == ENOENT) {
		pass("readlink(/proc/self/exe) is ENOENT (no procfs)");
	} else {
		fail("readlink(/proc/self/exe) is an absolute path or ENOENT: got %zd (%s)", n,
		     n < 0 ? errno_name(errno) : "not absolute");
	}
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Every entry's d_ino is what fstatat reports as st_ino (ls -i, find). */
static void test_dino_is_st_ino(const char *dir)
{
	union {
		char bytes[4096];
		uint64_t align;
	} buf;
	int fd = open(dir, O_RDONLY | O_DIRECTORY), entries = 0, bad = 0;
	long n;

	if (fd < 0) {
		skip("d_ino of %s: it does not open (%s)", dir, errno_name(errno));
		return;
	}
	while ((n = syscall(SYS_getdents64, fd, buf.bytes, sizeof(buf.bytes))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf.bytes + off);
			struct stat st;

			off += d->d_reclen;
			if (strcmp(d->d_name, "..") == 0)
				continue;
			if (fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue; /* gone meanwhile (the fd of this very open) */
			entries++;
			if (st.st_ino != d->d_ino) {
				bad++;
				fail("%s/%s: d_ino %llu, st_ino %llu", dir, d->d_name,
				     (unsigned long long)d->d_ino, (unsigned long long)st.st_ino);
			}
		}
	}
	if (!bad)
		pass("%s: d_ino is st_ino for all %d entries", dir, entries);
	close(fd);
}

static void test_getdents(void)
{
	union {
		char bytes[4096];
		uint64_t align;
	} buf;
	int fd = open("/", O_RDONLY | O_DIRECTORY), entries = 0, dot = 0, dotdot = 0, bad = 0;
	long n;

	if (fd < 0) {
		fail("open(\"/\", O_DIRECTORY): failed with %s", errno_name(errno));
		return;
	}
	while ((n = syscall(SYS_getdents64, fd, buf.bytes, sizeof(buf.bytes))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf.bytes + off);

			if (d->d_reclen < offsetof(struct linux_dirent64, d_name) + 2 ||
			    off + d->d_reclen > n ||
			    d->d_reclen % 8 != 0) {
				bad = 1;
				break;
			}
			entries++;
			dot |= strcmp(d->d_name, ".") == 0;
			dotdot |= strcmp(d->d_name, "..") == 0;
			off += d->d_reclen;
		}
		if (bad)
			break;
	}
	if (n < 0)
		fail("getdents64(\"/\"): failed with %s", errno_name(errno));
	else if (bad)
		fail("getdents64(\"/\") records are 8-byte aligned and inside the buffer");
	else if (entries < 2 || !dot || !dotdot)
		fail("getdents64(\"/\") lists \".\", \"..\" and more: %d entries", entries);
	else
		pass("getdents64(\"/\") lists %d entries including \".\" and \"..\"", entries);
	lseek(fd, 0, SEEK_SET);
	expect_errno("getdents64(\"/\", count 1) too small", syscall(SYS_getdents64, fd, buf.bytes, 1),
		     EINVAL);
	close(fd);
	expect_errno("getdents64(fd -1)", syscall(SYS_getdents64, -1, buf.bytes, sizeof(buf.bytes)),
		     EBADF);
	test_dino_is_st_ino("/proc/self/fd");
	test_dino_is_st_ino("/proc/self");
	fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0)
		fd = open("/init", O_RDONLY);
	if (fd >= 0) {
		expect_errno("getdents64(regular file)",
			     syscall(SYS_getdents64, fd, buf.bytes, sizeof(buf.bytes)), ENOTDIR);
		close(fd);
	} else {
		skip("getdents64(regular file): neither /proc/self/exe nor /init opens");
	}
}

static void test_fstat_stdout(void)
{
	struct stat st;
	mode_t type;

	if (fstat(1, &st) != 0) {
		fail("fstat(1): failed with %s", errno_name(errno));
		return;
	}
	type = st.st_mode & S_IFMT;
	if (type == S_IFCHR || type == S_IFIFO || type == S_IFREG || type == S_IFSOCK)
		pass("fstat(1): st_mode %06o is a char device, pipe, file or socket",
		     (unsigned)st.st_mode);
	else
		fail("fstat(1): st_mode %06o has an unexpected file type", (unsigned)st.st_mode);
	expect_errno("fstat(-1)", syscall(SYS_FSTAT, -1, &st), EBADF);
	expect_errno("fstat(1, NULL)", syscall(SYS_FSTAT, 1, NULL), EFAULT);
}

int main(void)
{
	test_identity();
	test_time();
	test_brk();
	test_mmap();
	test_files();
	test_pipes();
	test_dup();
	test_tty_and_proc();
	test_getdents();
	test_fstat_stdout();
	check_exit();
}
