/* The loader under a fuzzer: any bytes in, never a crash, leak or hang.
 * Built as a libFuzzer target with ./configure --enable-fuzzing (clang);
 * otherwise linked with a small main that replays every file given on the
 * command line (the regression corpus under tests/fuzz/regress). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct project p = {0};
	struct diags d = {0};
	if (load_project_mem("fuzz.yaml", (const char *)data, size, &p, &d) == 0)
		project_free(&p);
	for (size_t i = 0; i < d.n; i++)
		free(diag_format(&d, &d.v[i]));
	diags_free(&d);
	return 0;
}

#ifndef CONSORT_LIBFUZZER
int main(int argc, char **argv)
{
	int n = 0;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			fprintf(stderr, "fuzz_load: cannot open %s\n", argv[i]);
			return 1;
		}
		size_t cap = 1 << 16, len = 0;
		uint8_t *buf = malloc(cap);
		if (!buf)
			return 1;
		size_t k;
		while ((k = fread(buf + len, 1, cap - len, f)) > 0) {
			len += k;
			if (len == cap) {
				uint8_t *nb = realloc(buf, cap *= 2);
				if (!nb)
					return 1;
				buf = nb;
			}
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
		n++;
	}
	printf("fuzz_load: replayed %d inputs without a crash\n", n);
	return 0;
}
#endif
