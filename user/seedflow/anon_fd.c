/* anon_fd.c - seed 000 from user space: /dev/fd_test hands out anon-inode
 * fds through ioctl (LINUX-SEMANTICS §2-§5).
 *
 * ioctl(dev, 0, id) returns a new close-on-exec fd; ioctl(anon, 0, 0)
 * returns id. Checks the round trip for four ids, the /proc/self/fd link
 * and fdinfo, fstat of the anon inode, reuse of closed numbers, EBADF
 * after close, ENOTTY for unknown commands, and EMFILE at RLIMIT_NOFILE
 * after 1,000 anon fds. The i386 build takes the compat_ioctl path.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seedflow.h"

static int dev = -1;

static int new_anon(unsigned long id)
{
	return ioctl(dev, 0, id);
}

static void round_trip(unsigned long id)
{
	char what[96], want[64], link[128], path[64];
	int anon = new_anon(id);
	long r;
	ssize_t n;

	snprintf(what, sizeof(what), "ioctl(dev, 0, %lu) returns a new fd (%s)", id, sf_abi());
	CHECK(anon > dev, what, "got %d, errno %s", anon, strerror(errno));
	if (anon < 0)
		return;
	snprintf(what, sizeof(what), "anon fd of id %lu is close-on-exec", id);
	CHECK(fcntl(anon, F_GETFD) == FD_CLOEXEC, what, "F_GETFD = %d", fcntl(anon, F_GETFD));
	r = ioctl(anon, 0, 0UL);
	snprintf(what, sizeof(what), "ioctl(anon, 0, 0) returns id %lu", id);
	CHECK(r == (long)id, what, "got %ld, errno %s", r, strerror(errno));

	snprintf(path, sizeof(path), "/proc/self/fd/%d", anon);
	snprintf(want, sizeof(want), "anon_inode:fd_test-%lu", id);
	n = readlink(path, link, sizeof(link) - 1);
	link[n < 0 ? 0 : n] = 0;
	snprintf(what, sizeof(what), "readlink %s names the anon inode", path);
	CHECK(n > 0 && strcmp(link, want) == 0, what, "got \"%s\" (%zd), want \"%s\"", link, n, want);
	close(anon);
}

static void fstat_and_fdinfo(void)
{
	int a = new_anon(1), b = new_anon(2);
	struct stat sa, sb;
	char path[64], buf[512];
	FILE *f;
	int found = 0;

	CHECK(fstat(a, &sa) == 0 && fstat(b, &sb) == 0, "fstat of anon fds", "%s", strerror(errno));
	CHECK((sa.st_mode & S_IFMT) == 0 && (sa.st_mode & 07777) == 0600, "anon st_mode is 0600 without type bits",
	      "st_mode %#o", (unsigned)sa.st_mode);
	CHECK(sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev, "all anon fds share one inode",
	      "ino %lu vs %lu", (unsigned long)sa.st_ino, (unsigned long)sb.st_ino);
	CHECK(sa.st_nlink == 1 && sa.st_size == 0 && sa.st_uid == 0 && sa.st_gid == 0, "anon nlink 1, size 0, owner root",
	      "nlink %lu size %ld uid %u gid %u", (unsigned long)sa.st_nlink, (long)sa.st_size,
	      (unsigned)sa.st_uid, (unsigned)sa.st_gid);
	CHECK(sa.st_blksize == 4096, "anon st_blksize is 4096", "%ld", (long)sa.st_blksize);

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", a);
	f = fopen(path, "r");
	while (f && fgets(buf, sizeof(buf), f))
		if (strcmp(buf, "flags:\t02000002\n") == 0)
			found = 1;
	if (f)
		fclose(f);
	CHECK(found, "fdinfo flags are O_RDWR|O_CLOEXEC (02000002)", "no such line in %s", path);

	CHECK(lseek(a, 100, SEEK_SET) == 0, "lseek on the anon fd is noop_llseek (0)", "%s", strerror(errno));
	CHECK_ERRNO(read(a, buf, 8), EINVAL, "read on the anon fd");
	CHECK_ERRNO(pread(a, buf, 8, 0), ESPIPE, "pread on the anon fd");
	errno = 0;
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, a, 0) == MAP_FAILED && errno == ENODEV,
	      "mmap of the anon fd is ENODEV", "errno %s", strerror(errno));
	close(a);
	close(b);
}

static void reuse_and_ebadf(void)
{
	int fds[4], i, again;

	for (i = 0; i < 4; i++)
		fds[i] = new_anon(10 + i);
	CHECK(fds[1] == fds[0] + 1 && fds[3] == fds[0] + 3, "anon fds take consecutive numbers",
	      "%d %d %d %d", fds[0], fds[1], fds[2], fds[3]);
	close(fds[2]);
	close(fds[1]);
	again = new_anon(99);
	CHECK(again == fds[1], "a closed number is reused, lowest first", "got %d, want %d", again, fds[1]);
	CHECK(ioctl(again, 0, 0UL) == 99, "the reused number is the new file", "got %d", ioctl(again, 0, 0UL));
	CHECK(ioctl(fds[3], 0, 0UL) == 13, "other anon fds are untouched", "got %d", ioctl(fds[3], 0, 0UL));
	CHECK_ERRNO(ioctl(fds[2], 0, 0UL), EBADF, "ioctl on a closed anon fd");
	CHECK_ERRNO(ioctl(-1, 0, 0UL), EBADF, "ioctl on fd -1");
	CHECK_ERRNO(ioctl(dev, 0x1234, 0UL), ENOTTY, "unknown command on the device");
	CHECK_ERRNO(ioctl(again, 0xffffffffu, 0UL), ENOTTY, "unknown command on the anon fd");
	close(again);
	close(fds[0]);
	close(fds[3]);
}

static void thousand_then_emfile(void)
{
	struct rlimit old, lim;
	int base = dev + 1, i, fd, ok = 1;

	if (getrlimit(RLIMIT_NOFILE, &old) != 0 || old.rlim_max < (rlim_t)base + 1000) {
		CHECK(0, "getrlimit(RLIMIT_NOFILE) leaves room for 1000 fds", "max %lu", (unsigned long)old.rlim_max);
		return;
	}
	lim = old;
	lim.rlim_cur = base + 1000;
	CHECK(setrlimit(RLIMIT_NOFILE, &lim) == 0, "setrlimit(RLIMIT_NOFILE, fd+1001)", "%s", strerror(errno));
	for (i = 0; i < 1000; i++) {
		fd = new_anon(i);
		if (fd != base + i) {
			CHECK(0, "1000 anon fds below RLIMIT_NOFILE", "#%d got %d (%s)", i, fd, strerror(errno));
			ok = 0;
			break;
		}
	}
	if (ok)
		CHECK(1, "1000 anon fds below RLIMIT_NOFILE", "");
	CHECK_ERRNO(new_anon(1000), EMFILE, "the 1001st anon fd");
	CHECK(ioctl(base + 999, 0, 0UL) == 999, "the last anon fd still answers", "got %d", ioctl(base + 999, 0, 0UL));
	for (i = 0; i < 1000; i++)
		close(base + i);
	setrlimit(RLIMIT_NOFILE, &old);
}

int main(void)
{
	static const unsigned long ids[] = {0, 1234, 12345678, 2147483647};
	unsigned i;

	for (i = 3; i < 1024; i++)
		close(i); /* fds a harness passed in would break the numbering checks */
	dev = open("/dev/fd_test", O_RDWR);
	CHECK(dev >= 0, "open /dev/fd_test", "%s", strerror(errno));
	if (dev < 0)
		return sf_exit();
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		round_trip(ids[i]);
	fstat_and_fdinfo();
	reuse_and_ebadf();
	thousand_then_emfile();
	close(dev);
	CHECK_ERRNO(ioctl(dev, 0, 1UL), EBADF, "ioctl on the closed device fd");
	return sf_exit();
}
