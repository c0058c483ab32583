#include "config.h"
#include "cli/cli.h"

int cmd_update(struct cli *c, int argc, char **argv) { (void)c; (void)argc; (void)argv; return cli_error(EXIT_SOFTWARE, "update: not built yet"); }
int cmd_record(struct cli *c, int argc, char **argv) { (void)c; (void)argc; (void)argv; return cli_error(EXIT_SOFTWARE, "record: not built yet"); }
int cmd_bench(struct cli *c, int argc, char **argv) { (void)c; (void)argc; (void)argv; return cli_error(EXIT_SOFTWARE, "bench: not built yet"); }
int cmd_revert(struct cli *c, int argc, char **argv) { (void)c; (void)argc; (void)argv; return cli_error(EXIT_SOFTWARE, "revert: not built yet"); }
