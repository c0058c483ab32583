/* store_schema: the log's schema, one migration step a version, from the
 * SQL files src/core/schema/N.sql, embedded at build time with their line
 * breaks (src/core/schema_sql.h is generated from them). */
#include "config.h"
#include "core/store_int.h"
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
	" DROP TABLE IF EXISTS reach_value_first; DROP TABLE IF EXISTS reach_first_total;";
