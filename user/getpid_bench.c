/*
 * getpid_bench.c - the cost of the smallest system call: one getpid round
 * trip, user -> kernel -> user.
 *
 * getpid does almost no work, so its time is the kernel's entry and exit
 * path: SYSCALL/SYSRET on x86_64, int $0x80/IRET on i386 (LINUX-SEMANTICS.md
 * §1.1, §1.2). The instruction is issued inline, not through libc, so that
 * nothing (a cached pid, the vDSO's SYSENTER in glibc's i386 wrappers)
 * stands between us and the kernel.
 *
 * Usage: getpid_bench [CALLS]   (default 100000 calls per round)
 * Runs 5 rounds and keeps the best (noise only ever adds time), then prints
 *
 *   ok   raw getpid == libc getpid
 *   getpid: N ns/op, M cycles/op
 *
 * ns from CLOCK_MONOTONIC, cycles from RDTSC (the TSC ticks at a constant
 * rate on current CPUs, so "cycles" are TSC ticks, not core clocks). Exits
 * 0, or 1 if the raw call disagrees with libc's getpid.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

enum { ROUNDS = 5 };

#if defined(__x86_64__)
#define NR_GETPID 39

static inline long raw_getpid(void)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"((long)NR_GETPID) : "rcx", "r11", "memory");
	return ret;
}
#else
#define NR_GETPID 20

static inline long raw_getpid(void)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"((long)NR_GETPID) : "memory");
	return ret;
}
#endif

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? strtol(argv[1], NULL, 0) : 100000;
	double best_ns = 0, best_cycles = 0;
	long pid = raw_getpid();

	if (calls <= 0) {
		fail("getpid_bench: usage: getpid_bench [CALLS > 0]");
		return 2;
	}
	if (pid != (long)getpid()) {
		fail("raw getpid == libc getpid: raw %ld, libc %ld", pid, (long)getpid());
		return 1;
	}
	pass("raw getpid == libc getpid");

	for (int round = 0; round < ROUNDS; round++) {
		int64_t t0 = monotonic_ns();
		uint64_t c0 = rdtsc();

		for (long i = 0; i < calls; i++)
			raw_getpid();

		uint64_t c1 = rdtsc();
		int64_t t1 = monotonic_ns();
		double ns = (double)(t1 - t0) / calls;
		double cycles = (double)(c1 - c0) / calls;

		if (round == 0 || ns < best_ns) {
			best_ns = ns;
			best_cycles = cycles;
		}
	}
	printf("getpid: %.1f ns/op, %.0f cycles/op\n", best_ns, best_cycles);
	return 0;
}
