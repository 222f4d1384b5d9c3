/*
 * vsyscall32.c - i386 system calls through the vDSO's __kernel_vsyscall.
 *
 * glibc's i386 programs make every system call with `call *%gs:0x10`,
 * which is AT_SYSINFO: the vDSO's __kernel_vsyscall. On a CPU whose
 * SYSCALL works in 32-bit code (AMD's, and QEMU's qemu64) both Linux and
 * Ringo make it a SYSCALL; elsewhere it is int $0x80. Either way it must
 * be an int $0x80 to the caller: the same six argument registers, every
 * register but eax preserved (kernel/compat_syscall.go).
 *
 * Checks, i386 build:
 *   - AT_SYSINFO is there and inside the vDSO (AT_SYSINFO_EHDR's page);
 *   - getpid through it == getpid by int $0x80, with ebx, ecx, edx, esi,
 *     edi and ebp all preserved across the call;
 *   - a six-argument call through it: mmap2 of one page of a file at page
 *     offset 1 (the second and sixth arguments are the ones SYSCALL
 *     cannot carry in their registers);
 *   - an error comes back as -errno in eax (close(-1) = -EBADF);
 *   - the vDSO's SYSCALL with ESP on an unmapped page (where the kernel
 *     must read the caller's EBP): -EFAULT in eax, and the landing pad's
 *     pop then faults, a SIGSEGV for this process only (Ringo's SYSCALL
 *     flavour; skipped where __kernel_vsyscall is another sequence);
 *   - ns per getpid both ways (information, not a check).
 * The 64-bit builds check that a 64-bit process gets no AT_SYSINFO.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#if defined(__i386__)

struct regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
};

/*
 * vsys calls __kernel_vsyscall at entry with every register from *r and
 * stores every register back into *r afterwards. Every general register
 * is an argument, so the asm finds r and entry in globals (ebp included,
 * which the compiler will not give to an asm operand, is saved by hand).
 */
struct regs *vsys_r; /* global: the asm names them */
uint32_t vsys_entry;

static void vsys(uint32_t entry, struct regs *r)
{
	vsys_r = r;
	vsys_entry = entry;
	__asm__ volatile(
		"pushl %%ebp\n\t"
		"movl vsys_r, %%eax\n\t"
		"movl 4(%%eax), %%ebx\n\t"
		"movl 8(%%eax), %%ecx\n\t"
		"movl 12(%%eax), %%edx\n\t"
		"movl 16(%%eax), %%esi\n\t"
		"movl 20(%%eax), %%edi\n\t"
		"movl 24(%%eax), %%ebp\n\t"
		"movl 0(%%eax), %%eax\n\t"
		"call *vsys_entry\n\t"
		"pushl %%eax\n\t"
		"movl vsys_r, %%eax\n\t"
		"movl %%ebx, 4(%%eax)\n\t"
		"movl %%ecx, 8(%%eax)\n\t"
		"movl %%edx, 12(%%eax)\n\t"
		"movl %%esi, 16(%%eax)\n\t"
		"movl %%edi, 20(%%eax)\n\t"
		"movl %%ebp, 24(%%eax)\n\t"
		"popl 0(%%eax)\n\t"
		"popl %%ebp\n\t"
		:
		:
		: "eax", "ebx", "ecx", "edx", "esi", "edi", "memory", "cc");
}

static sigjmp_buf segv_env;
static volatile uint32_t segv_eax, segv_eip;

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	segv_eax = uc->uc_mcontext.gregs[REG_EAX];
	segv_eip = uc->uc_mcontext.gregs[REG_EIP];
	siglongjmp(segv_env, 1);
}

/*
 * bad_stack jumps to the SYSCALL inside __kernel_vsyscall (entry + 4 in
 * Ringo's flavour) with ESP on page 0, which nothing maps.
 */
static void bad_stack(uint32_t entry)
{
	static char altstack[16384];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK };
	const unsigned char *code = (const unsigned char *)entry;

	if (code[4] != 0x0f || code[5] != 0x05) {
		skip("SYSCALL in the vDSO with an unreadable stack: __kernel_vsyscall has no SYSCALL at +4 here");
		return;
	}
	sigaltstack(&ss, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	vsys_entry = entry + 4;
	if (sigsetjmp(segv_env, 1) == 0)
		__asm__ volatile("movl $0x1000, %%esp\n\t"
				 "movl $20, %%eax\n\t"
				 "jmp *vsys_entry\n\t" ::: "memory");
	if ((int32_t)segv_eax == -EFAULT && segv_eip == entry + 8)
		pass("SYSCALL in the vDSO with an unreadable stack: -EFAULT, then SIGSEGV at the landing pad's pop");
	else
		fail("SYSCALL in the vDSO with an unreadable stack: eax %d at eip %#x (want -EFAULT at %#x)",
		     (int32_t)segv_eax, segv_eip, entry + 8);
}

static uint32_t int80_getpid(void)
{
	uint32_t r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20) : "memory");
	return r;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

int main(void)
{
	uint32_t entry = getauxval(AT_SYSINFO);
	uint32_t ehdr = getauxval(AT_SYSINFO_EHDR);

	if (entry == 0 || ehdr == 0) {
		fail("AT_SYSINFO: missing (entry %#x, vDSO %#x)", entry, ehdr);
		check_exit();
	return 0;
	}
	if (entry - ehdr < 4096)
		pass("AT_SYSINFO %#x is inside the vDSO at %#x", entry, ehdr);
	else
		fail("AT_SYSINFO: %#x is not in the vDSO page at %#x", entry, ehdr);

	struct regs r = { 20, 0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x55555555, 0x66666666 };
	vsys(entry, &r);
	uint32_t pid = int80_getpid();
	if (r.eax == pid && r.ebx == 0x11111111 && r.ecx == 0x22222222 && r.edx == 0x33333333 &&
	    r.esi == 0x44444444 && r.edi == 0x55555555 && r.ebp == 0x66666666)
		pass("getpid through __kernel_vsyscall = %u, ebx ecx edx esi edi ebp preserved", r.eax);
	else
		fail("getpid through __kernel_vsyscall: eax %u (int $0x80 says %u), ebx %#x ecx %#x edx %#x esi %#x edi %#x ebp %#x",
		     r.eax, pid, r.ebx, r.ecx, r.edx, r.esi, r.edi, r.ebp);

	struct regs e = { 6, (uint32_t)-1, 0x22222222, 0, 0, 0, 0x66666666 }; /* close(-1) */
	vsys(entry, &e);
	if ((int32_t)e.eax == -EBADF && e.ecx == 0x22222222 && e.ebp == 0x66666666)
		pass("close(-1) through __kernel_vsyscall = -EBADF");
	else
		fail("close(-1) through __kernel_vsyscall: eax %d, ecx %#x, ebp %#x", (int32_t)e.eax, e.ecx, e.ebp);

	char path[] = "/tmp/vsyscall32.XXXXXX";
	int fd = mkstemp(path);
	static char page[8192];
	memset(page, 'a', 4096);
	memset(page + 4096, 'b', 4096);
	if (fd < 0 || write(fd, page, sizeof page) != (ssize_t)sizeof page) {
		skip("mmap2 through __kernel_vsyscall: no writable /tmp (%s)", errno_name(errno));
	} else {
		/* mmap2(NULL, 4096, PROT_READ, MAP_SHARED, fd, pgoff 1) */
		struct regs m = { 192, 0, 4096, PROT_READ, MAP_SHARED, (uint32_t)fd, 1 };
		vsys(entry, &m);
		const char *p = (const char *)m.eax;
		if (m.eax < 0xfffff000u && p[0] == 'b' && p[4095] == 'b' && m.ecx == 4096 && m.ebp == 1)
			pass("mmap2(NULL, 4096, PROT_READ, MAP_SHARED, fd, 1) through __kernel_vsyscall maps the second page");
		else if (m.eax >= 0xfffff000u)
			fail("mmap2 through __kernel_vsyscall: failed with %s", errno_name(-(int32_t)m.eax));
		else
			fail("mmap2 through __kernel_vsyscall: wrong page ('%c') or registers (ecx %#x, ebp %#x)", p[0], m.ecx,
			     m.ebp);
		close(fd);
		unlink(path);
	}

	bad_stack(entry);

	enum { N = 20000 };
	uint64_t t0 = now_ns();
	for (int i = 0; i < N; i++) {
		struct regs g = { 20, 0, 0, 0, 0, 0, 0 };
		vsys(entry, &g);
	}
	uint64_t t1 = now_ns();
	for (int i = 0; i < N; i++)
		int80_getpid();
	uint64_t t2 = now_ns();
	printf("info getpid: %llu ns through __kernel_vsyscall, %llu ns by int $0x80\n",
	       (unsigned long long)((t1 - t0) / N), (unsigned long long)((t2 - t1) / N));
	check_exit();
	return 0;
}

#else

int main(void)
{
	unsigned long s = getauxval(AT_SYSINFO);

	if (s == 0)
		pass("a 64-bit process has no AT_SYSINFO (__kernel_vsyscall is i386's)");
	else
		fail("AT_SYSINFO: %#lx in a 64-bit process", s);
	check_exit();
	return 0;
}

#endif
