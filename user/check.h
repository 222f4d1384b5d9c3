/*
 * check.h - the output protocol shared by Ringo's user-space tests.
 *
 * Every check prints exactly one line:
 *
 *   ok   <what>
 *   FAIL <what>: <why>
 *   skip <what>: <why>      (the check cannot run here, e.g. no /tmp)
 *
 * and check_exit() ends the program with status 0 iff no check failed,
 * after a summary line "N passed, N failed, N skipped". Output goes through
 * stdio and is flushed after every line, so that a test that dies by a
 * signal still shows everything it printed before (the kernel-side runner
 * reads stdout up to the death).
 *
 * Header-only on purpose: each test is a single static program, built
 * three times (glibc x86_64, musl x86_64, glibc i386), with no library of
 * our own to link. See README.md for the protocol as the runner sees it.
 */
#ifndef RINGO_CHECK_H
#define RINGO_CHECK_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Not every test uses every helper; unused ones are not an error. */
#define CHECK_FN static __attribute__((unused))

static int check_passed, check_failed, check_skipped;

/*
 * errno_name returns the Linux name of an errno value ("EBADF"), so that
 * FAIL lines read like LINUX-SEMANTICS.md. musl has no strerrorname_np, so
 * the table is ours; numbers are the x86 Linux ones (identical for i386).
 */
CHECK_FN const char *errno_name(int e)
{
	static const char *const names[] = {
		[0] = "0", [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH",
		[4] = "EINTR", [5] = "EIO", [6] = "ENXIO", [7] = "E2BIG",
		[8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN",
		[12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT", [15] = "ENOTBLK",
		[16] = "EBUSY", [17] = "EEXIST", [18] = "EXDEV", [19] = "ENODEV",
		[20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE",
		[24] = "EMFILE", [25] = "ENOTTY", [26] = "ETXTBSY", [27] = "EFBIG",
		[28] = "ENOSPC", [29] = "ESPIPE", [30] = "EROFS", [31] = "EMLINK",
		[32] = "EPIPE", [33] = "EDOM", [34] = "ERANGE", [35] = "EDEADLK",
		[36] = "ENAMETOOLONG", [37] = "ENOLCK", [38] = "ENOSYS",
		[39] = "ENOTEMPTY", [40] = "ELOOP", [42] = "ENOMSG", [43] = "EIDRM",
		[61] = "ENODATA", [62] = "ETIME", [71] = "EPROTO", [74] = "EBADMSG",
		[75] = "EOVERFLOW", [80] = "ELIBBAD", [84] = "EILSEQ",
		[88] = "ENOTSOCK", [89] = "EDESTADDRREQ", [90] = "EMSGSIZE",
		[91] = "EPROTOTYPE", [92] = "ENOPROTOOPT", [93] = "EPROTONOSUPPORT",
		[94] = "ESOCKTNOSUPPORT", [95] = "EOPNOTSUPP", [97] = "EAFNOSUPPORT",
		[98] = "EADDRINUSE", [99] = "EADDRNOTAVAIL", [103] = "ECONNABORTED",
		[104] = "ECONNRESET", [105] = "ENOBUFS", [106] = "EISCONN",
		[107] = "ENOTCONN", [110] = "ETIMEDOUT", [111] = "ECONNREFUSED",
		[114] = "EALREADY", [115] = "EINPROGRESS", [116] = "ESTALE",
		[122] = "EDQUOT", [125] = "ECANCELED", [126] = "ENOKEY",
		[129] = "EKEYREJECTED", [130] = "EOWNERDEAD",
		[131] = "ENOTRECOVERABLE", [133] = "EHWPOISON",
	};
	static char buf[24];

	if (e >= 0 && e < (int)(sizeof(names) / sizeof(names[0])) && names[e])
		return names[e];
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

CHECK_FN void check_vline(const char *tag, const char *fmt, va_list ap)
{
	fputs(tag, stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
}

/* pass prints "ok   <what>". */
CHECK_FN void pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_vline("ok   ", fmt, ap);
	va_end(ap);
	check_passed++;
}

/* fail prints "FAIL <what>: <why>"; the format carries both. */
CHECK_FN void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_vline("FAIL ", fmt, ap);
	va_end(ap);
	check_failed++;
}

/* skip prints "skip <what>: <why>"; skipped checks neither pass nor fail. */
CHECK_FN void skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_vline("skip ", fmt, ap);
	va_end(ap);
	check_skipped++;
}

/*
 * expect_ok checks a libc-style result (-1 and errno on failure): any value
 * other than -1 passes. It returns ret so calls can be chained.
 */
CHECK_FN long expect_ok(const char *what, long ret)
{
	if (ret == -1)
		fail("%s: failed with %s", what, errno_name(errno));
	else
		pass("%s = %ld", what, ret);
	return ret;
}

/* expect_errno checks that a libc-style call failed with exactly want. */
CHECK_FN void expect_errno(const char *what, long ret, int want)
{
	if (ret != -1)
		fail("%s is %s: returned %ld", what, errno_name(want), ret);
	else if (errno != want)
		fail("%s is %s: got %s", what, errno_name(want), errno_name(errno));
	else
		pass("%s is %s", what, errno_name(want));
}

/* expect_eq checks a value against the one Linux gives. */
CHECK_FN void expect_eq(const char *what, long got, long want)
{
	if (got != want)
		fail("%s == %ld: got %ld", what, want, got);
	else
		pass("%s == %ld", what, want);
}

/* check_exit prints the summary and exits 0 iff nothing failed. */
CHECK_FN void check_exit(void)
{
	printf("%d passed, %d failed, %d skipped\n", check_passed,
	       check_failed, check_skipped);
	fflush(stdout);
	exit(check_failed == 0 ? 0 : 1);
}

#endif
