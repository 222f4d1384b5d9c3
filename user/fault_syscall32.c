/*
 * fault_syscall32.c - SYSCALL from 32-bit code must not reach the kernel's
 * 64-bit entry: the program dies with SIGILL.
 *
 * Expected death: SIGILL (user/expect.txt). On Intel CPUs SYSCALL in
 * compatibility mode raises #UD; AMD CPUs (QEMU's qemu64 is one) jump to
 * the MSR_CSTAR entry instead. Outside the vDSO's __kernel_vsyscall, which
 * uses SYSCALL on such CPUs (vsyscall32.c), Ringo treats it as Intel does
 * on every CPU: its ECX is already lost, so it cannot be a system call.
 * A kernel that leaves CSTAR at 0 lets these two bytes crash it.
 *
 * The 64-bit builds have no compatibility mode to test from, so they end
 * with ud2 and the same signal; only the i386 build exercises CSTAR.
 */
#include <stdio.h>

int main(void)
{
	printf("ok   executing SYSCALL from 32-bit code, expecting SIGILL\n");
	fflush(stdout);
#if defined(__i386__)
	__asm__ volatile(".byte 0x0f, 0x05" : : "a"(20) : "ecx", "memory"); /* SYSCALL, eax = getpid */
#else
	__asm__ volatile("ud2");
#endif
	printf("FAIL fault_syscall32: execution continued\n");
	return 1;
}
