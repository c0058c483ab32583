/* fds_on: how many of this process's descriptors name path or a file
 * beside it whose name begins so (its -wal and -shm; " (deleted)" for one
 * replaced). For the store tests that count what a connection leaves
 * open. Include after criterion/criterion.h. */
#ifndef CONSORT_TEST_FDS_H
#define CONSORT_TEST_FDS_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static inline int fds_on(const char *path)
{
	DIR *d = opendir("/proc/self/fd");
	cr_assert_not_null(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		char link[300], target[4096];
		snprintf(link, sizeof link, "/proc/self/fd/%s", de->d_name);
		ssize_t len = readlink(link, target, sizeof target - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		n += strncmp(target, path, strlen(path)) == 0;
	}
	closedir(d);
	return n;
}

#endif
