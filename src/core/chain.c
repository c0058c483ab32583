/* chain: the entry hash's encoding (see chain.h), through libsodium. */
#include "config.h"
#include "core/chain.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

static unsigned char *put_field(unsigned char *o, const struct chain_field *f)
{
	uint32_t n = f->len < 0 ? 0xFFFFFFFFu : (uint32_t)f->len;
	*o++ = (unsigned char)(n >> 24);
	*o++ = (unsigned char)(n >> 16);
	*o++ = (unsigned char)(n >> 8);
	*o++ = (unsigned char)n;
	if (f->len > 0) {
		memcpy(o, f->p, (size_t)f->len);
		o += f->len;
	}
	return o;
}

void chain_hash(const unsigned char prev[CHAIN_HASH_LEN], const struct chain_field *f,
                unsigned char out[CHAIN_HASH_LEN])
{
	unsigned char stack[1024], *buf = stack;
	size_t need = sizeof CHAIN_DOMAIN - 1 + CHAIN_HASH_LEN;
	for (int i = 0; i < CHAIN_NFIELDS; i++)
		need += 4 + (f[i].len > 0 ? (size_t)f[i].len : 0);
	if (need > sizeof stack)
		buf = xmalloc(need);
	unsigned char *o = buf;
	memcpy(o, CHAIN_DOMAIN, sizeof CHAIN_DOMAIN - 1);
	o += sizeof CHAIN_DOMAIN - 1;
	memcpy(o, prev, CHAIN_HASH_LEN);
	o += CHAIN_HASH_LEN;
	for (int i = 0; i < CHAIN_NFIELDS; i++)
		o = put_field(o, &f[i]);
	/* BLAKE2b needs no initialisation of the library. */
	crypto_generichash(out, CHAIN_HASH_LEN, buf, (unsigned long long)(o - buf), NULL, 0);
	if (buf != stack)
		free(buf);
}

void chain_fast(void)
{
	/* Picks the fastest BLAKE2b for the CPU (and may open the random
	 * device): worth it for a walk of the whole chain only. */
	if (sodium_init() < 0)
		return;
}

void chain_hex(const unsigned char h[CHAIN_HASH_LEN], char out[CHAIN_HEX_LEN + 1])
{
	sodium_bin2hex(out, CHAIN_HEX_LEN + 1, h, CHAIN_HASH_LEN);
}

int chain_unhex(const char *hex, unsigned char out[CHAIN_HASH_LEN])
{
	size_t bin_len = 0;
	const char *end = NULL;
	if (!hex || strlen(hex) != CHAIN_HEX_LEN)
		return -1;
	if (sodium_hex2bin(out, CHAIN_HASH_LEN, hex, CHAIN_HEX_LEN, NULL, &bin_len, &end) != 0 ||
	    bin_len != CHAIN_HASH_LEN || *end != '\0')
		return -1;
	return 0;
}
