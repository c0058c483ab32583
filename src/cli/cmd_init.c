#include "config.h"
#include "cli/cli.h"

int cmd_init(struct cli *c, int argc, char **argv) { (void)c; (void)argc; (void)argv; return cli_error(EXIT_SOFTWARE, "init: not built yet"); }
int cmd_demo(struct cli *c, int argc, char **argv) { (void)c; (void)argc; (void)argv; return cli_error(EXIT_SOFTWARE, "demo: not built yet"); }
