/*
 * fsgsbase.c - the FS and GS bases as user space sees them.
 *
 * Linux 5.9+ enables the FSGSBASE instructions for user space when the CPU
 * has them and says so with HWCAP2_FSGSBASE (bit 1 of AT_HWCAP2). Then a
 * thread may write its own bases with WRFSBASE/WRGSBASE, and the kernel
 * must keep what it wrote across every way into the kernel and back: a
 * system call, a timer interrupt, a page fault. arch_prctl(ARCH_GET_GS)
 * must see it too. Without the bit the instructions raise #UD: SIGILL.
 *
 * The i386 build checks arch-independent parts only: 32-bit code has no
 * FSGSBASE (the instructions are 64-bit only) and no arch_prctl.
 *
 * Exits 0 iff every check passed.
 */
#define _GNU_SOURCE /* REG_RIP */
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "raw_syscall.h"

#ifndef AT_HWCAP2
#define AT_HWCAP2 26
#endif
#define HWCAP2_FSGSBASE (1UL << 1)

#if defined(__x86_64__)
#define ARCH_SET_GS 0x1001
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define NR_ARCH_PRCTL 158
#define NR_GETPID 39

static unsigned long rdfsbase(void)
{
	unsigned long v;

	__asm__ volatile("rdfsbase %0" : "=r"(v));
	return v;
}

static unsigned long rdgsbase(void)
{
	unsigned long v;

	__asm__ volatile("rdgsbase %0" : "=r"(v));
	return v;
}

static void wrgsbase(unsigned long v)
{
	__asm__ volatile("wrgsbase %0" : : "r"(v) : "memory");
}

static long get_base(int code)
{
	unsigned long v = 0;

	if (raw_syscall6(NR_ARCH_PRCTL, code, (long)&v, 0, 0, 0, 0) != 0)
		return -1;
	return (long)v;
}

static volatile sig_atomic_t sigill_seen;

/* rdfsbase %rax is 5 bytes (f3 48 0f ae c0): step over it. */
static void on_sigill(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	sigill_seen = 1;
	uc->uc_mcontext.gregs[REG_RIP] += 5;
}

static void without_fsgsbase(void)
{
	struct sigaction sa;
	long fs;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigill;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGILL, &sa, NULL);
	__asm__ volatile("xorl %%eax, %%eax\n\t"
			 ".byte 0xf3, 0x48, 0x0f, 0xae, 0xc0" /* rdfsbase %rax */
			 : "=a"(fs) : : "memory");
	if (sigill_seen)
		pass("no HWCAP2_FSGSBASE: rdfsbase raises SIGILL");
	else if (fs == get_base(ARCH_GET_FS))
		/* Seen under a hypervisor that leaves CR4.FSGSBASE set
		 * while hiding the CPUID bit from its guest kernel. */
		pass("no HWCAP2_FSGSBASE, yet rdfsbase runs (CR4.FSGSBASE set under us) and reads the FS base");
	else
		fail("no HWCAP2_FSGSBASE: rdfsbase ran and read %#lx", fs);
}

static void with_fsgsbase(void)
{
	const unsigned long mine = 0x7f1234560000UL;
	struct timespec t0, t1;
	volatile char *page;

	expect_eq("rdfsbase == arch_prctl(ARCH_GET_FS)", (long)rdfsbase(), get_base(ARCH_GET_FS));

	wrgsbase(mine);
	raw_syscall6(NR_GETPID, 0, 0, 0, 0, 0, 0);
	expect_eq("wrgsbase survives a system call", (long)rdgsbase(), (long)mine);
	expect_eq("arch_prctl(ARCH_GET_GS) sees wrgsbase", get_base(ARCH_GET_GS), (long)mine);

	/* Spin past several timer ticks: each interrupt leaves ring 3. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t1);
	while ((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) < 20000000L);
	expect_eq("wrgsbase survives timer interrupts", (long)rdgsbase(), (long)mine);

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		fail("mmap: %s", errno_name(errno));
	} else {
		page[0] = 1; /* a page fault */
		expect_eq("wrgsbase survives a page fault", (long)rdgsbase(), (long)mine);
		munmap((void *)page, 4096);
	}

	expect_eq("arch_prctl(ARCH_SET_GS)", raw_syscall6(NR_ARCH_PRCTL, ARCH_SET_GS, 0x5000, 0, 0, 0, 0), 0);
	expect_eq("rdgsbase sees ARCH_SET_GS", (long)rdgsbase(), 0x5000);
	wrgsbase(0);
}
#endif

int main(void)
{
	unsigned long hwcap2 = getauxval(AT_HWCAP2);

	if (hwcap2 & ~3UL)
		fail("AT_HWCAP2 %#lx has bits Linux does not define", hwcap2);
	else
		pass("AT_HWCAP2 %#lx", hwcap2);
#if defined(__x86_64__)
	if (hwcap2 & HWCAP2_FSGSBASE)
		with_fsgsbase();
	else
		without_fsgsbase();
#endif
	check_exit();
}
