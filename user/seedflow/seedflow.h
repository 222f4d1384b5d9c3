/* seedflow.h - issue 6's checks on top of the shared protocol of
 * ../check.h ("ok   <what>" / "FAIL <what>: <why>" lines, a summary line,
 * exit 0 iff nothing failed). The tests are built three times (glibc
 * x86_64, musl x86_64, glibc i386), so nothing here assumes the size of
 * long or of a pointer.
 */
#ifndef SEEDFLOW_H
#define SEEDFLOW_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* check.h's helpers are plain static functions; those a test does not use
 * would warn under -Wall. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "../check.h"
#pragma GCC diagnostic pop

/* sf_report passes or fails the check what; why (printf-style) says what
 * went wrong. */
static inline void sf_report(int passed, const char *what, const char *why, ...)
{
	char buf[256];
	va_list ap;

	if (passed) {
		pass("%s", what);
		return;
	}
	va_start(ap, why);
	vsnprintf(buf, sizeof(buf), why, ap);
	va_end(ap);
	fail("%s: %s", what, buf);
}

/* CHECK(cond, what, fmt, ...) reports cond under the name what. */
#define CHECK(cond, what, ...) sf_report((cond) != 0, (what), __VA_ARGS__)

/* CHECK_ERRNO expects a call that returned ret to have failed with want. */
#define CHECK_ERRNO(ret, want, what) expect_errno((what), (long)(ret), (want))

/* sf_abi names the build, for messages. */
static inline const char *sf_abi(void)
{
	return sizeof(long) == 4 ? "i386" : "x86_64";
}

/* sf_exit ends the program with the protocol's status and summary. */
static inline int sf_exit(void)
{
	check_exit();
	return 1; /* not reached */
}

#endif
