/* store_schema: the log's schema, one migration step a version, from the
 * SQL files src/core/schema/N.sql, embedded at build time with their line
 * breaks (src/core/schema_sql.h is generated from them). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/store_int.h"
#include "core/util.h"
#include "src/core/schema_sql.h"

const char *const store_migrations[STORE_SCHEMA_VERSION] = {
	schema_1,
	schema_2,
	schema_3,
	schema_4,
	schema_5,
	schema_6,
	schema_7,
	schema_8,
	schema_9,
	schema_10,
	schema_11,
	schema_12,
	schema_13,
	schema_14,
	schema_15,
	schema_16,
	schema_17,
	schema_18,
};

/* What steps 2 to 5 derive from the log, to be made again. */
const char store_derived_drop[] =
	"DROP TRIGGER IF EXISTS log_stats_count; DROP TRIGGER IF EXISTS log_reach_delta;"
	" DROP TRIGGER IF EXISTS log_reach_set; DROP TRIGGER IF EXISTS log_latest;"
	" DROP TRIGGER IF EXISTS log_reach_value; DROP TRIGGER IF EXISTS log_total_delta;"
	" DROP TRIGGER IF EXISTS log_total_set; DROP TRIGGER IF EXISTS log_undone;"
	" DROP TRIGGER IF EXISTS log_month_step; DROP TRIGGER IF EXISTS log_month_set;"
	" DROP TABLE IF EXISTS log_stats; DROP TABLE IF EXISTS reach_month;"
	" DROP TABLE IF EXISTS reach_value; DROP TABLE IF EXISTS latest;"
	" DROP TABLE IF EXISTS reach_total; DROP TABLE IF EXISTS undone;"
	" DROP TABLE IF EXISTS reach_delta;"
	" DROP TRIGGER IF EXISTS log_effort_month; DROP TRIGGER IF EXISTS log_cost_total;"
	" DROP TABLE IF EXISTS effort_month; DROP TABLE IF EXISTS cost_total;"
	" DROP TRIGGER IF EXISTS log_cost_wp; DROP TABLE IF EXISTS cost_wp;"
	" DROP TRIGGER IF EXISTS effort_cell_add; DROP TRIGGER IF EXISTS effort_cell_set;"
	" DROP TABLE IF EXISTS effort_cell;"
	" DROP TRIGGER IF EXISTS effort_pack_add; DROP TRIGGER IF EXISTS effort_pack_set;"
	" DROP TABLE IF EXISTS effort_pack;"
	" DROP TRIGGER IF EXISTS latest_pack_add; DROP TRIGGER IF EXISTS latest_pack_set;"
	" DROP TABLE IF EXISTS latest_pack;"

	" DROP TRIGGER IF EXISTS reach_value_new; DROP TRIGGER IF EXISTS reach_value_earlier;"
	" DROP TRIGGER IF EXISTS reach_first_new; DROP TRIGGER IF EXISTS reach_first_earlier;"
	" DROP TABLE IF EXISTS reach_pair_total;"
	" DROP TABLE IF EXISTS reach_value_first; DROP TABLE IF EXISTS reach_first_total;"
	" DROP TABLE IF EXISTS undone_pack;";

static const char *skip_space(const char *p)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (p[0] != '-' || p[1] != '-')
			return p;
		p = strchr(p, '\n');
		if (!p)
			return "";
	}
}

char *store_sql_next(const char **sql)
{
	const char *p = skip_space(*sql);
	if (!*p) {
		*sql = p;
		return NULL;
	}
	/* Up to the ';' that completes it. */
	const char *end = p;
	char *stmt;
	for (;;) {
		end = strchr(end, ';');
		if (!end) {
			end = p + strlen(p);
			stmt = xstrndup(p, (size_t)(end - p));
			break;
		}
		end++;
		stmt = xstrndup(p, (size_t)(end - p));
		if (sqlite3_complete(stmt))
			break;
		free(stmt);
	}
	*sql = end;
	return stmt;
}

/* Does stmt add a column that table already has? "ALTER TABLE t ADD
 * COLUMN c ..." as the schema files write it. */
static int column_there(sqlite3 *db, const char *stmt)
{
	char table[64], col[64];
	if (sscanf(stmt, "ALTER TABLE %63[A-Za-z0-9_] ADD COLUMN %63[A-Za-z0-9_]", table, col) != 2)
		return 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
	int there = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return there;
}

int store_migrate_step(sqlite3 *db, int v)
{
	const char *p = store_migrations[v];
	char *stmt;
	int rc = SQLITE_OK;
	while (rc == SQLITE_OK && (stmt = store_sql_next(&p))) {
		if (!column_there(db, stmt))
			rc = sqlite3_exec(db, stmt, NULL, NULL, NULL);
		free(stmt);
	}
	return rc;
}
