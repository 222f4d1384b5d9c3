/*
 * fault_div0.c - an integer division by zero must kill the program with
 * SIGFPE.
 *
 * Expected death: SIGFPE (user/expect.txt). idiv by zero raises #DE
 * (vector 0), which Linux delivers as SIGFPE with si_code FPE_INTDIV. The
 * division is an idivl in inline assembly on a volatile divisor, so the
 * compiler can neither fold it nor remove it as undefined behaviour.
 */
#include <stdio.h>

int main(void)
{
	volatile int divisor = 0;
	int dividend = 1, quotient;

	printf("ok   dividing 1 by 0 with idivl, expecting SIGFPE\n");
	fflush(stdout);
	__asm__ volatile("cltd\n\t"
			 "idivl %1"
			 : "=a"(quotient)
			 : "r"(divisor), "a"(dividend)
			 : "edx", "cc");
	printf("FAIL fault_div0: 1/0 returned %d instead of SIGFPE\n", quotient);
	return 1;
}
