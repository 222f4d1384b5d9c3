/* mmap_flow.c - seed 001 from user space: /proc/lkmc_mmap, a file whose
 * mmap is served by the driver's fault handler with one kernel page
 * (LINUX-SEMANTICS §6, §7.1).
 *
 * Two MAP_SHARED mappings see "asdf" and each other's writes, read() and
 * write() on the fd see the same bytes, /proc/self/pagemap shows one frame
 * behind both; a MAP_PRIVATE write gets its own copy; touching past the
 * first page is SIGBUS; bad lengths and offsets are errnos; the mapping
 * cannot grow (VM_DONTEXPAND); a mapping outlives close(fd).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "seedflow.h"

#define PAGE 4096
#define PM_PFN(e) ((e) & (((uint64_t)1 << 55) - 1))
#define PM_EXCLUSIVE ((uint64_t)1 << 56)
#define PM_FILE ((uint64_t)1 << 61)
#define PM_PRESENT ((uint64_t)1 << 63)

static const char *path = "/proc/lkmc_mmap";

static uint64_t pagemap(const void *addr)
{
	uint64_t e = 0;
	int pm = open("/proc/self/pagemap", O_RDONLY);

	if (pm < 0 || pread(pm, &e, 8, (off_t)((uintptr_t)addr / PAGE) * 8) != 8)
		e = 0;
	if (pm >= 0)
		close(pm);
	return e;
}

static sigjmp_buf jb;
static volatile sig_atomic_t got_sig, got_code;
static void *volatile got_addr;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(jb, 1);
}

/* touch reads one byte at p and returns the signal it raised, or 0. */
static int touch(volatile char *p)
{
	got_sig = 0;
	if (sigsetjmp(jb, 1) == 0)
		(void)*p;
	return got_sig;
}

static void shared_flow(int fd)
{
	char *a1, *a2, buf[4];
	uint64_t e1, e2;

	a1 = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	a2 = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(a1 != MAP_FAILED && a2 != MAP_FAILED && a1 != a2, "two MAP_SHARED mappings", "%s", strerror(errno));
	if (a1 == MAP_FAILED || a2 == MAP_FAILED)
		return;
	CHECK(strcmp(a1, "asdf") == 0, "mapping 1 reads \"asdf\"", "got \"%.8s\"", a1);
	CHECK(strcmp(a2, "asdf") == 0, "mapping 2 reads \"asdf\"", "got \"%.8s\"", a2);
	strcpy(a1, "qwer");
	CHECK(strcmp(a2, "qwer") == 0, "a write through mapping 1 is seen through mapping 2", "got \"%.8s\"", a2);

	e1 = pagemap(a1);
	e2 = pagemap(a2);
	CHECK((e1 & PM_PRESENT) && (e1 & PM_FILE) && (e2 & PM_PRESENT), "pagemap: both pages present, file-backed",
	      "%#llx %#llx", (unsigned long long)e1, (unsigned long long)e2);
	CHECK(PM_PFN(e1) == PM_PFN(e2), "pagemap: one frame behind both mappings", "pfn %#llx vs %#llx",
	      (unsigned long long)PM_PFN(e1), (unsigned long long)PM_PFN(e2));
	if (geteuid() == 0)
		CHECK(PM_PFN(e1) != 0, "pagemap: the PFN is visible to root", "pfn 0");

	CHECK(read(fd, buf, 4) == 4 && memcmp(buf, "qwer", 4) == 0, "read() sees the user's write", "got \"%.4s\"", buf);
	CHECK(write(fd, "zxcv", 4) == 4, "write() returns the full length", "%s", strerror(errno));
	CHECK(strcmp(a1, "zxcv") == 0 && strcmp(a2, "zxcv") == 0, "a write() is seen in both mappings",
	      "got \"%.8s\" \"%.8s\"", a1, a2);

	CHECK(munmap(a1, PAGE) == 0 && munmap(a2, PAGE) == 0, "munmap both", "%s", strerror(errno));
}

static void private_flow(int fd)
{
	char *s = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	uint64_t before, after;

	CHECK(s != MAP_FAILED && p != MAP_FAILED, "MAP_PRIVATE next to MAP_SHARED", "%s", strerror(errno));
	if (s == MAP_FAILED || p == MAP_FAILED)
		return;
	CHECK(strcmp(s, "zxcv") == 0, "the shared mapping reads the driver's bytes", "got \"%.8s\"", s);
	CHECK(strcmp(p, "zxcv") == 0, "an unwritten private page reads the driver's bytes", "got \"%.8s\"", p);
	before = pagemap(p);
	CHECK(PM_PFN(before) == PM_PFN(pagemap(s)) && (before & PM_FILE), "before the write it is the driver's page",
	      "%#llx", (unsigned long long)before);
	strcpy(p, "priv");
	after = pagemap(p);
	CHECK((after & PM_PRESENT) && !(after & PM_FILE) && (after & PM_EXCLUSIVE),
	      "a private write gets an exclusive anonymous copy", "%#llx", (unsigned long long)after);
	if (geteuid() == 0)
		CHECK(PM_PFN(after) != PM_PFN(before), "the copy is another frame", "same pfn");
	CHECK(strcmp(s, "zxcv") == 0, "the driver's page is untouched by the private write", "got \"%.8s\"", s);
	munmap(s, PAGE);
	munmap(p, PAGE);
}

static void sigbus_and_errnos(int fd)
{
	struct sigaction sa;
	char *a, *b;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);

	a = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	CHECK(a != MAP_FAILED, "mmap at offset 4096 succeeds (the size is checked at fault time)", "%s", strerror(errno));
	if (a != MAP_FAILED) {
		CHECK(touch(a) == SIGBUS && got_code == BUS_ADRERR && got_addr == a,
		      "touching page 1 of the file is SIGBUS/BUS_ADRERR at the address", "sig %d code %d addr %p",
		      (int)got_sig, (int)got_code, got_addr);
		munmap(a, PAGE);
	}
	b = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (b != MAP_FAILED) {
		CHECK(touch(b) == 0 && touch(b + PAGE) == SIGBUS, "a two-page mapping: page 0 works, page 1 is SIGBUS",
		      "sig %d", (int)got_sig);
		errno = 0;
		CHECK(mremap(b, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED && errno == EFAULT,
		      "mremap cannot grow a VM_DONTEXPAND mapping (EFAULT)", "errno %s", strerror(errno));
		munmap(b, 2 * PAGE);
	}

	errno = 0;
	CHECK(mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EINVAL, "length 0 is EINVAL",
	      "errno %s", strerror(errno));
	errno = 0;
	CHECK(mmap(NULL, (size_t)-4095, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == ENOMEM,
	      "a length that wraps when page-aligned is ENOMEM", "errno %s", strerror(errno));
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 1) == MAP_FAILED && errno == EINVAL,
	      "an unaligned offset is EINVAL", "errno %s", strerror(errno));
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, 0, fd, 0) == MAP_FAILED && errno == EINVAL, "no map type is EINVAL",
	      "errno %s", strerror(errno));
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, -1, 0) == MAP_FAILED && errno == EBADF, "fd -1 is EBADF",
	      "errno %s", strerror(errno));
	signal(SIGBUS, SIG_DFL);
}

static void close_while_mapped(void)
{
	int fd = open(path, O_RDWR | O_SYNC);
	char *a = fd < 0 ? MAP_FAILED : mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK(a != MAP_FAILED, "mmap for close-while-mapped", "%s", strerror(errno));
	if (a == MAP_FAILED)
		return;
	CHECK(close(fd) == 0, "close the fd while the mapping exists", "%s", strerror(errno));
	strcpy(a, "kept");
	CHECK(strcmp(a, "kept") == 0, "the mapping still works after close", "got \"%.8s\"", a);
	CHECK(munmap(a, PAGE) == 0, "the last munmap releases the file", "%s", strerror(errno));
}

int main(void)
{
	int fd = open(path, O_RDWR | O_SYNC);

	CHECK(fd >= 0, "open /proc/lkmc_mmap O_RDWR|O_SYNC", "%s", strerror(errno));
	if (fd < 0)
		return sf_exit();
	shared_flow(fd);
	private_flow(fd);
	sigbus_and_errnos(fd);
	CHECK(close(fd) == 0, "close", "%s", strerror(errno));
	close_while_mapped();
	return sf_exit();
}
