/*
 * fault_ud2.c - an undefined instruction must kill the program with SIGILL.
 *
 * Expected death: SIGILL (user/expect.txt). ud2 raises #UD (vector 6),
 * which Linux delivers as SIGILL with si_code ILL_ILLOPN and si_addr at the
 * instruction. A kernel that forgets to route #UD from ring 3 to the task
 * would treat it as its own bug (an oops) instead.
 */
#include <stdio.h>

int main(void)
{
	printf("ok   executing ud2, expecting SIGILL\n");
	fflush(stdout);
	__asm__ volatile("ud2");
	printf("FAIL fault_ud2: execution continued after ud2\n");
	return 1;
}
