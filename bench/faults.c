/* bench/faults: what a first touch of a fresh page of memory and a system
 * call cost on this machine, the two prices that weigh most in a short
 * command here. Prints "FAULT_US SYSCALL_US" (microseconds each, over
 * 1,000 of them). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

int main(void)
{
	enum { N = 1000 };
	long page = sysconf(_SC_PAGESIZE);
	if (page <= 0)
		page = 4096;
	volatile char *p = mmap(NULL, (size_t)N * (size_t)page, PROT_READ | PROT_WRITE,
	                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("faults: mmap");
		return 1;
	}
	double t0 = now_us();
	for (int i = 0; i < N; i++)
		p[(size_t)i * (size_t)page] = 1;
	double t1 = now_us();
	for (int i = 0; i < N; i++)
		(void)getppid();
	double t2 = now_us();
	printf("%.2f %.2f\n", (t1 - t0) / N, (t2 - t1) / N);
	return 0;
}
