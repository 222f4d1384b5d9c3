/* fd_walk.c - seed 004 ("hacking Linux file descriptors") as checks: a
 * descriptor is the lowest free index into the process's file table
 * (LINUX-SEMANTICS §2.2), whatever kind of file it names.
 *
 * The first open returns 3; after closing it, fopen's FILE uses 3 again;
 * holes are filled lowest first; a pipe and a socketpair are descriptors
 * that read and write work on; /proc/self/fd lists every open descriptor
 * with a link naming its file; close-on-exec belongs to the descriptor.
 * Nothing here needs Ringo's drivers: it passes on Linux as well.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "seedflow.h"

static char path[64];

static void make_path(void)
{
	/* A scratch file in /tmp when there is one, else in the cwd. */
	if (access("/tmp", W_OK) == 0)
		snprintf(path, sizeof(path), "/tmp/fd_walk.%d", (int)getpid());
	else
		snprintf(path, sizeof(path), "fd_walk.%d", (int)getpid());
}

static void first_open_is_3(void)
{
	FILE *fp;
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);

	CHECK(fd == 3, "the first open returns 3 (0-2 are stdio)", "got %d (%s)", fd, strerror(errno));
	CHECK(write(fd, "tmp.txt\n", 8) == 8, "write to it", "%s", strerror(errno));
	close(fd);
	fd = open(path, O_RDONLY);
	CHECK(fd == 3, "after close, open returns 3 again", "got %d", fd);
	close(fd);
	fp = fopen(path, "r");
	CHECK(fp != NULL && fileno(fp) == 3, "fopen's FILE sits on fd 3", "fileno %d", fp ? fileno(fp) : -1);
	if (fp)
		fclose(fp);
}

static void lowest_free_first(void)
{
	int a = open(path, O_RDONLY), b = open(path, O_RDONLY), c = open(path, O_RDONLY), d, hi;

	CHECK(a == 3 && b == 4 && c == 5, "three opens take 3, 4, 5", "got %d %d %d", a, b, c);
	close(b);
	d = dup(a);
	CHECK(d == 4, "dup fills the hole at 4", "got %d", d);
	for (hi = 10; fcntl(hi, F_GETFD) != -1; hi++)
		; /* the first free number from 10 (a harness may pass fds in) */
	CHECK(fcntl(d, F_DUPFD, 10) == hi, "F_DUPFD 10 gives the lowest free fd >= 10", "%s", strerror(errno));
	close(hi);
	CHECK_ERRNO(close(hi), EBADF, "closing a closed fd");
	CHECK_ERRNO(close(-1), EBADF, "close(-1)");
	CHECK_ERRNO(dup3(a, a, 0), EINVAL, "dup3(fd, fd)");
	close(a);
	close(c);
	close(d);
}

static void cloexec_is_per_descriptor(void)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), d;

	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC sets FD_CLOEXEC", "F_GETFD %d", fcntl(fd, F_GETFD));
	d = dup(fd);
	CHECK(fcntl(d, F_GETFD) == 0, "a dup is not close-on-exec", "F_GETFD %d", fcntl(d, F_GETFD));
	close(fd);
	close(d);
}

/* link_of returns the readlink of /proc/self/fd/fd. */
static const char *link_of(int fd)
{
	static char link[256];
	char p[64];
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, link, sizeof(link) - 1);
	link[n < 0 ? 0 : n] = 0;
	return link;
}

static int listed(int fd)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)) != NULL)
		if (atoi(e->d_name) == fd && e->d_name[0] >= '0' && e->d_name[0] <= '9')
			found = 1;
	if (d)
		closedir(d);
	return found;
}

static void pipe_and_socketpair(void)
{
	int p[2], sv[2], gone, file = open(path, O_RDONLY);
	char buf[8] = {0};

	CHECK(pipe(p) == 0 && p[0] == 4 && p[1] == 5, "pipe gives the next two numbers, 4 and 5", "got %d %d", p[0], p[1]);
	CHECK(write(p[1], "ping", 4) == 4 && read(p[0], buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0,
	      "bytes written to the pipe come out of it", "got \"%.4s\"", buf);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 && sv[0] == 6 && sv[1] == 7, "socketpair gives 6 and 7",
	      "got %d %d (%s)", sv[0], sv[1], strerror(errno));
	memset(buf, 0, sizeof(buf));
	CHECK(write(sv[0], "pong", 4) == 4 && read(sv[1], buf, sizeof(buf)) == 4 && memcmp(buf, "pong", 4) == 0,
	      "bytes written to one socket end come out of the other", "got \"%.4s\"", buf);
	memset(buf, 0, sizeof(buf));
	CHECK(write(sv[1], "back", 4) == 4 && read(sv[0], buf, sizeof(buf)) == 4 && memcmp(buf, "back", 4) == 0,
	      "and the other way", "got \"%.4s\"", buf);

	CHECK(listed(0) && listed(1) && listed(2) && listed(file) && listed(p[0]) && listed(p[1]) && listed(sv[0]) &&
		      listed(sv[1]),
	      "/proc/self/fd lists stdio, the file, the pipe and the sockets", "a number is missing");
	gone = fcntl(file, F_DUPFD, 50); /* high, so opendir's own fd cannot land on it */
	close(gone);
	CHECK(gone >= 50 && !listed(gone), "/proc/self/fd does not list a closed number", "%d is listed", gone);
	CHECK(strcmp(link_of(file), path) == 0 || (path[0] != '/' && strstr(link_of(file), path) != NULL),
	      "fd link of the file is its path", "got \"%s\"", link_of(file));
	CHECK(strncmp(link_of(p[0]), "pipe:[", 6) == 0 && strcmp(link_of(p[0]), link_of(p[1])) == 0,
	      "both pipe ends link to one pipe:[ino]", "got \"%s\"", link_of(p[0]));
	CHECK(strncmp(link_of(sv[0]), "socket:[", 8) == 0, "a socket links to socket:[ino]", "got \"%s\"",
	      link_of(sv[0]));
	close(p[0]);
	CHECK_ERRNO(write(p[1], "x", 1) < 0 ? -1 : 0, EPIPE, "writing a pipe with no reader");
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(file);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN); /* see EPIPE rather than die of SIGPIPE */
	make_path();
	first_open_is_3();
	lowest_free_first();
	cloexec_is_per_descriptor();
	pipe_and_socketpair();
	unlink(path);
	return sf_exit();
}
