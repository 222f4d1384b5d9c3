/*
 * hello.c - the first program a kernel runs: print a line, exit with a
 * chosen status.
 *
 * Prints "hello, world" and exits with the status given as argv[1]
 * (default 0). The runner uses it for exit statuses 0, 3 and 7, which
 * checks that exit_group's argument reaches the parent unchanged
 * (LINUX-SEMANTICS.md §9.2: startup, newfstatat/statx + write, exit_group).
 * A status that is not a number 0..255 is a usage error: exit 2 with a FAIL
 * line, so a broken argv (§8.3) cannot pass by accident.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long status = 0;

	if (argc > 1) {
		char *end;

		status = strtol(argv[1], &end, 10);
		if (*argv[1] == '\0' || *end != '\0' || status < 0 || status > 255) {
			printf("FAIL hello: exit status \"%s\" is not a number 0..255\n",
			       argv[1]);
			return 2;
		}
	}
	printf("hello, world\n");
	return (int)status;
}
