/*
 * fault_null_jump.c - calling a NULL function pointer must kill the
 * program with SIGSEGV.
 *
 * Expected death: SIGSEGV (user/expect.txt). LINUX-SEMANTICS.md §6.4: an
 * instruction fetch from page 0, which is never mapped (mmap_min_addr), is
 * a fault with no VMA: SIGSEGV, SEGV_MAPERR, error code I|U. The pointer is
 * volatile so the compiler cannot prove the call undefined and drop it.
 */
#include <stdio.h>

int main(void)
{
	void (*volatile fn)(void) = 0;

	printf("ok   calling a NULL function pointer, expecting SIGSEGV\n");
	fflush(stdout);
	fn();
	printf("FAIL fault_null_jump: the call through NULL returned\n");
	return 1;
}
