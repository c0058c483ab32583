/* bench/cputime FILE CMD [ARG...]: runs CMD and appends the CPU time it
 * used (user + system, in microseconds, from wait4's resource usage) to
 * FILE as a line; exits with CMD's status. A shell's `time` gives the
 * two parts in whole milliseconds each, too coarse for commands of a few
 * milliseconds. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: cputime FILE CMD [ARG...]\n", stderr);
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("cputime: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("cputime: exec");
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("cputime: wait4");
		return 2;
	}
	long long us = (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
	               (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
	FILE *f = fopen(argv[1], "a");
	if (!f || fprintf(f, "%lld\n", us) < 0 || fclose(f) != 0) {
		perror("cputime: FILE");
		return 2;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
