/* verify: walks the log's hash chain from the first entry and rebuilds the
 * summary tables from the log to compare (core/chain.h). Exit 0 with the
 * entry count and the head, or 65 naming the first entry that does not
 * match and how. --head HEX: does the intact chain still contain that head
 * (a head copied into a report or kept off the machine)? */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/chain.h"
#include "core/json.h"

static const char *const fault_word[] = {
	[CHAIN_OK] = "ok", [CHAIN_ALTERED] = "altered", [CHAIN_MISSING] = "missing",
	[CHAIN_INSERTED] = "inserted", [CHAIN_SUMMARY] = "summary differs",
	[CHAIN_UNCHAINED] = "unchained", [CHAIN_SCHEMA] = "schema differs", [CHAIN_PLAN] = "plan differs",
};

static void verify_json(const struct chain_report *r, const char *want)
{
	char hex[CHAIN_HEX_LEN + 1] = "";
	struct json j = {0};
	json_obj_begin(&j);
	json_key(&j, "ok");
	json_bool(&j, r->fault == CHAIN_OK);
	json_key(&j, "entries");
	json_int(&j, r->entries);
	json_key(&j, "head");
	if (r->has_head) {
		chain_hex(r->head, hex);
		json_str(&j, hex);
	} else {
		json_null(&j);
	}
	json_key(&j, "chained_since");
	json_int(&j, r->since);
	json_key(&j, "migrated");
	json_str(&j, r->migrated[0] ? r->migrated : NULL);
	json_key(&j, "fault");
	json_str(&j, r->fault == CHAIN_OK ? NULL : fault_word[r->fault]);
	json_key(&j, "entry");
	if (r->fault != CHAIN_OK && r->fault_id > 0)
		json_int(&j, r->fault_id);
	else
		json_null(&j);
	json_key(&j, "detail");
	json_str(&j, r->fault == CHAIN_OK ? NULL : r->what);
	if (want) {
		json_key(&j, "contains_head");
		json_bool(&j, r->head_found);
		json_key(&j, "head_entry");
		if (r->head_found)
			json_int(&j, r->head_id);
		else
			json_null(&j);
	}
	json_obj_end(&j);
	fputs(json_text(&j), stdout);
	fputc('\n', stdout);
	json_free(&j);
}

static int cmd_verify(struct cli *c, int argc, char **argv);
const struct cli_command cli_cmd_verify = {
	"verify", cmd_verify,
	"verify [--head HEX] [--json]",
	"check the log's hash chain and summaries; --head: is that head still in it",
	0,
};

static int cmd_verify(struct cli *c, int argc, char **argv)
{
	const char *head = NULL;
	int as_json = 0, npos = 0;
	char *pos[1];
	const struct cli_opt opts[] = {
		{"head", &head, NULL},
		{"json", NULL, &as_json},
		{NULL, NULL, NULL},
	};
	int rc = cli_parse(c, &cli_cmd_verify, argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc;
	unsigned char want[CHAIN_HASH_LEN];
	if (head && chain_unhex(head, want) != 0)
		return cli_error(EXIT_USAGE, "verify: --head: expected 64 hex digits, found '%.80s'", head);
	if ((rc = cli_open(c, STORE_READ)) != 0)
		return rc;
	/* The walk needs no plan: its memory is given back before the
	 * plan check compiles each version's text. */
	if (c->proj_loaded) {
		project_free(&c->proj);
		c->proj_loaded = 0;
	}
	struct chain_report r;
	struct err e = {0};
	if (store_verify(c->store, head ? want : NULL, &r, &e) != 0)
		return cli_fail(&e);
	if (as_json)
		verify_json(&r, head);
	/* --head answers one question: is that head in the chain as far as it holds? */
	int bad = head ? !r.head_found : r.fault != CHAIN_OK;
	if (!as_json) {
		char hex[CHAIN_HEX_LEN + 1] = "none (no entries)";
		if (r.has_head)
			chain_hex(r.head, hex);
		if (r.fault == CHAIN_OK) {
			printf("%lld entr%s, head %s\n", (long long)r.entries, r.entries == 1 ? "y" : "ies", hex);
			if (r.since > 1)
				printf("chained since entry %lld (entries 1..%lld were chained when the log was "
				       "migrated on %s)\n", (long long)r.since, (long long)r.since - 1,
				       r.migrated[0] ? r.migrated : "an unknown date");
		}
		if (head && r.head_found)
			printf("the log contains head %s (entry #%lld)\n", head, (long long)r.head_id);
	}
	if (r.fault != CHAIN_OK)
		fprintf(stderr, "consort: verify: %s\n", r.what);
	if (head && !r.head_found)
		fprintf(stderr, "consort: verify: the log does not contain head %s%s\n", head,
		        r.fault == CHAIN_OK ? "" : " (before the first entry that does not match)");
	int fin = cli_finish(stdout, "verify", NULL);
	return fin ? fin : bad ? EXIT_DATAERR : 0;
}
