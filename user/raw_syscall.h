/*
 * raw_syscall.h - system calls without libc, for the fuzzer and the
 * getpid benchmark.
 *
 * libc wrappers add behaviour we must not measure or rely on: glibc caches
 * nothing for getpid any more but its i386 wrappers enter through the
 * vDSO's __kernel_vsyscall when the kernel offers one, musl and glibc turn
 * -errno into errno, and some wrappers check arguments themselves. These
 * functions execute the instruction directly and return the kernel's raw
 * result: a value in [-4095, -1] is -errno (LINUX-SEMANTICS.md §1.1, §1.2).
 *
 *   x86_64: SYSCALL; number in rax, arguments in rdi, rsi, rdx, r10, r8, r9;
 *           the CPU overwrites rcx (return RIP) and r11 (RFLAGS).
 *   i386:   int $0x80; number in eax, arguments in ebx, ecx, edx, esi, edi,
 *           ebp; every other register is preserved.
 *
 * On i386 all six general registers besides eax carry arguments, and ebp
 * cannot be named in an inline-asm constraint, so the six-argument form is a
 * small assembly function that follows the cdecl convention (arguments on
 * the stack) and saves the callee-saved registers it borrows.
 */
#ifndef RINGO_RAW_SYSCALL_H
#define RINGO_RAW_SYSCALL_H

#if defined(__x86_64__)

typedef long sysarg_t; /* one argument register */

static inline long raw_syscall6(long nr, sysarg_t a, sysarg_t b, sysarg_t c,
				sysarg_t d, sysarg_t e, sysarg_t f)
{
	register sysarg_t r10 __asm__("r10") = d;
	register sysarg_t r8 __asm__("r8") = e;
	register sysarg_t r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#elif defined(__i386__)

typedef long sysarg_t;

long raw_syscall6(long nr, sysarg_t a, sysarg_t b, sysarg_t c, sysarg_t d,
		  sysarg_t e, sysarg_t f);

/*
 * vsys_syscall6 is raw_syscall6 through the vDSO's __kernel_vsyscall
 * (AT_SYSINFO, which glibc keeps at %gs:0x10): the way glibc's own i386
 * wrappers enter, which on an AMD CPU is a 32-bit SYSCALL on both Linux
 * and Ringo. Without a vDSO, glibc's fallback there is int $0x80.
 */
long vsys_syscall6(long nr, sysarg_t a, sysarg_t b, sysarg_t c, sysarg_t d,
		   sysarg_t e, sysarg_t f);

/*
 * SYSCALL6_I386 is either function's body, with enter the instruction
 * that makes the call. Stack on entry, after the four pushes: 16 bytes
 * of saved registers, the return address at 16(%esp), then nr at
 * 20(%esp) and a..f above it.
 */
#define SYSCALL6_I386(name, enter)              \
	".text\n"                               \
	".globl " name "\n"                      \
	".type " name ", @function\n"            \
	name ":\n"                               \
	"	pushl %ebp\n"                         \
	"	pushl %edi\n"                         \
	"	pushl %esi\n"                         \
	"	pushl %ebx\n"                         \
	"	movl 20(%esp), %eax\n"                \
	"	movl 24(%esp), %ebx\n"                \
	"	movl 28(%esp), %ecx\n"                \
	"	movl 32(%esp), %edx\n"                \
	"	movl 36(%esp), %esi\n"                \
	"	movl 40(%esp), %edi\n"                \
	"	movl 44(%esp), %ebp\n"                \
	"	" enter "\n"                          \
	"	popl %ebx\n"                          \
	"	popl %esi\n"                          \
	"	popl %edi\n"                          \
	"	popl %ebp\n"                          \
	"	ret\n"                                \
	".size " name ", .-" name "\n"

__asm__(SYSCALL6_I386("raw_syscall6", "int $0x80"));
__asm__(SYSCALL6_I386("vsys_syscall6", "call *%gs:0x10"));

#else
#error "Ringo's user tests are for x86_64 and i386"
#endif

/* raw_is_error reports whether a raw result is -errno (libcs test the same). */
static inline int raw_is_error(long ret)
{
	return (unsigned long)ret > -4096UL;
}

#endif
