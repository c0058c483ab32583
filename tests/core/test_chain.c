/* chain: the entry hash's encoding against a vector computed elsewhere
 * (Python's hashlib.blake2b, digest_size=32, over the documented bytes),
 * the chain kept by appends, and a schema 4 log chained by its migration. */
#include "config.h"
#include <criterion/criterion.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/chain.h"
#include "core/store.h"

static char dir[256], dbpath[300];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/consort-chain-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(dbpath, sizeof dbpath, "%s/progress.db", dir);
}

static void teardown(void)
{
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

#define F(s) {s, (long)(sizeof s - 1)}
#define NUL {NULL, -1}

Test(chain, encoding_vector)
{
	unsigned char zero[CHAIN_HASH_LEN] = {0}, h1[CHAIN_HASH_LEN], h2[CHAIN_HASH_LEN];
	char hex[CHAIN_HEX_LEN + 1];
	struct chain_field a[CHAIN_NFIELDS] = {
		F("1"), F("1488326400000"), F("2017-03-01"), F("ilze"), F("1000"),
		NUL, F("T1.1"), F("progress"), F("50"), F(""),
	};
	chain_hash(zero, a, h1);
	chain_hex(h1, hex);
	cr_assert_str_eq(hex, "52808431044b1a762430ee00fdd3c281dcb7a210a5ad6430e2b539107e197056");
	struct chain_field b[CHAIN_NFIELDS] = {
		F("2"), F("1488326400001"), F("2017-03-01"), F("ilze"), F("1000"),
		F("LU"), F("T1.1"), F("progress"), F("60"), NUL,
	};
	chain_hash(h1, b, h2);
	chain_hex(h2, hex);
	cr_assert_str_eq(hex, "caa4b2fd825f047a6969cc7cb94a53f7bdcb1c1b0e8612a50dfdcd65b822e373");
	/* NULL and the empty text differ. */
	a[9] = (struct chain_field)NUL;
	chain_hash(zero, a, h2);
	cr_assert_neq(memcmp(h1, h2, CHAIN_HASH_LEN), 0, "a NULL note hashes like an empty one");
	unsigned char back[CHAIN_HASH_LEN];
	chain_hex(h1, hex);
	cr_assert_eq(chain_unhex(hex, back), 0);
	cr_assert_eq(memcmp(back, h1, CHAIN_HASH_LEN), 0);
	cr_assert_eq(chain_unhex("52808431", back), -1, "a short head is malformed");
	hex[5] = 'g';
	cr_assert_eq(chain_unhex(hex, back), -1, "a non-hex digit is malformed");
}

static void append(struct store *s, const char *item, const char *value, const char *note)
{
	struct err e = {0};
	cdate d;
	cr_assert_eq(date_parse("2017-03-01", &d), 0);
	struct new_entry v = {d, "ilze", 1000, NULL, item, "progress", value, note, 0};
	cr_assert_eq(store_append(s, &v, 1, NULL, &e), 0, "%s", e.msg);
}

Test(chain, appends_link_and_the_tip_sees_a_change, .init = setup, .fini = teardown)
{
	struct store *s;
	struct err e = {0};
	cr_assert_eq(store_open(dbpath, STORE_CREATE, &s, &e), 0, "%s", e.msg);
	struct chain_report r;
	cr_assert_eq(store_verify(s, NULL, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.fault, CHAIN_OK);
	cr_assert_eq(r.has_head, 0, "an empty log has no head");
	append(s, "T1.1", "10", NULL);
	append(s, "T1.1", "20", "");
	cr_assert_eq(store_verify(s, NULL, &r, &e), 0);
	unsigned char old[CHAIN_HASH_LEN];
	memcpy(old, r.head, CHAIN_HASH_LEN);
	append(s, "T1.2", "30", "three");
	struct chain_tip t;
	cr_assert_eq(store_chain_tip(s, &t, &e), 0, "%s", e.msg);
	cr_assert(t.chained && t.ok && t.has_head);
	cr_assert_eq(store_verify(s, old, &r, &e), 0);
	cr_assert_eq(r.fault, CHAIN_OK, "%s", r.what);
	cr_assert_eq(r.entries, 3);
	cr_assert_eq(r.since, 1, "a log made with the chain is chained from its first entry");
	cr_assert(r.head_found && r.head_id == 2, "the head before the third append is entry 2");
	cr_assert_eq(memcmp(t.head, r.head, CHAIN_HASH_LEN), 0, "the tip's head is the walk's");
	store_close(s);

	/* Entry 3's note changed behind the store's back. */
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "DROP TRIGGER log_no_update; UPDATE log SET note = 'forged' WHERE id = 3;"
	                          " CREATE TRIGGER log_no_update BEFORE UPDATE ON log BEGIN"
	                          " SELECT RAISE(ABORT, 'the log is append-only'); END;",
	                          NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	cr_assert_eq(store_chain_tip(s, &t, &e), 0);
	cr_assert_eq(t.ok, 0, "the tip check sees the newest entry changed");
	cr_assert_eq(store_verify(s, old, &r, &e), 0);
	cr_assert_eq(r.fault, CHAIN_ALTERED);
	cr_assert_eq(r.fault_id, 3);
	cr_assert(r.head_found, "the older head is still in the chain before the change");
	store_close(s);
}

Test(chain, a_schema_4_log_is_chained_on_migration, .init = setup, .fini = teardown)
{
	const char *data = getenv("CONSORT_TESTDATA");
	cr_assert_not_null(data, "CONSORT_TESTDATA is not set");
	char src[1024];
	snprintf(src, sizeof src, "%s/store/schema4-log.sql", data);
	FILE *f = fopen(src, "r");
	cr_assert_not_null(f, "%s", src);
	static char sql[1 << 20];
	size_t n = fread(sql, 1, sizeof sql - 1, f);
	fclose(f);
	sql[n] = '\0';
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);

	struct store *s;
	struct err e = {0};
	struct chain_report r;
	cr_assert_eq(store_open(dbpath, STORE_READ, &s, &e), 0, "%s", e.msg);
	cr_assert_eq(store_verify(s, NULL, &r, &e), 0);
	cr_assert_eq(r.fault, CHAIN_UNCHAINED, "a schema 4 log opened to read is not chained yet");
	store_close(s);
	cr_assert_eq(store_open(dbpath, STORE_WRITE, &s, &e), 0, "%s", e.msg);
	append(s, "T1.1", "70", "after the migration");
	cr_assert_eq(store_verify(s, NULL, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.fault, CHAIN_OK, "%s", r.what);
	cr_assert_eq(r.entries, 39);
	cr_assert_eq(r.since, 39, "the appends' chain starts after the 38 migrated entries");
	cr_assert_eq(strlen(r.migrated), 10, "the migration's date is recorded");
	store_close(s);
}
