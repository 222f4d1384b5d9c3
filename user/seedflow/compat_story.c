/* compat_story.c - seed 002's story: unlocked_ioctl versus compat_ioctl
 * (LINUX-SEMANTICS §5.3). The same source, built 64-bit and -m32:
 *
 *   /dev/fd_test           has unlocked_ioctl and compat_ioctl: works in both builds;
 *   /dev/fd_test_nocompat  has unlocked_ioctl only: works 64-bit, ENOTTY for
 *                          i386 (compat_sys_ioctl never calls unlocked_ioctl);
 *   /dev/fd_test_bkl       has only the pre-2.6.36 locked ->ioctl: on a modern
 *                          kernel nothing dispatches to it, ENOTTY in both builds.
 *
 * The program knows its own build from sizeof(long).
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "seedflow.h"

/* round_trip opens dev and runs the seed's two ioctls; it returns the id
 * read back, or -1 with errno set by the first failing call. */
static long round_trip(const char *dev, unsigned long id)
{
	int fd = open(dev, O_RDWR), anon, saved;
	long r;

	if (fd < 0)
		return -1;
	anon = ioctl(fd, 0, id);
	if (anon < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	r = ioctl(anon, 0, 0UL);
	saved = errno;
	close(anon);
	close(fd);
	errno = saved;
	return r;
}

int main(void)
{
	int is32 = sizeof(long) == 4;
	char what[128];
	long r;

	errno = 0;
	r = round_trip("/dev/fd_test", 1234);
	snprintf(what, sizeof(what), "/dev/fd_test round trip works in the %s build", sf_abi());
	CHECK(r == 1234, what, "got %ld, errno %s", r, strerror(errno));

	errno = 0;
	r = round_trip("/dev/fd_test_nocompat", 1234);
	if (is32) {
		CHECK(r == -1 && errno == ENOTTY, "/dev/fd_test_nocompat is ENOTTY for a 32-bit caller",
		      "got %ld, errno %s", r, strerror(errno));
	} else {
		CHECK(r == 1234, "/dev/fd_test_nocompat works for a 64-bit caller", "got %ld, errno %s", r,
		      strerror(errno));
	}

	errno = 0;
	r = round_trip("/dev/fd_test_bkl", 1234);
	snprintf(what, sizeof(what), "/dev/fd_test_bkl (locked ->ioctl only) is ENOTTY on a modern kernel (%s)",
		 sf_abi());
	CHECK(r == -1 && errno == ENOTTY, what, "got %ld, errno %s", r, strerror(errno));
	return sf_exit();
}
