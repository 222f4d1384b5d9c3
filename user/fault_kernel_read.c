/*
 * fault_kernel_read.c - a user read of a kernel address must kill the
 * program with SIGSEGV, not read kernel memory and not crash the kernel.
 *
 * Expected death: SIGSEGV (user/expect.txt). LINUX-SEMANTICS.md §6.4: an
 * access with no VMA behind it is SEGV_MAPERR; for a supervisor-only page
 * the CPU reports a protection fault (error code P|U), which Linux also
 * turns into SIGSEGV. ARCHITECTURE.md "One address space, two halves": the
 * kernel half is mapped in every address space, supervisor-only, so this is
 * the test that the U/S bit is really clear.
 *
 * x86_64 reads 0xffffffff80400000, where Ringo's kernel image is linked.
 * An i386 program cannot form that address; it reads 0xfffff000, above the
 * compat task limit 0xFFFFE000 (§1.3 item 5), where nothing of the task can
 * be mapped.
 */
#include <stdint.h>
#include <stdio.h>

#if defined(__x86_64__)
#define KERNEL_ADDRESS 0xffffffff80400000UL
#else
#define KERNEL_ADDRESS 0xfffff000UL
#endif

int main(void)
{
	volatile const unsigned char *p = (volatile const unsigned char *)KERNEL_ADDRESS;
	unsigned char c;

	printf("ok   reading %#lx, expecting SIGSEGV\n", (unsigned long)KERNEL_ADDRESS);
	fflush(stdout);
	c = *p;
	printf("FAIL fault_kernel_read: read of %#lx returned %#x instead of SIGSEGV\n",
	       (unsigned long)KERNEL_ADDRESS, c);
	return 1;
}
