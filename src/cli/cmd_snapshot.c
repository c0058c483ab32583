#include "config.h"
#include "cli/cli.h"

int cmd_snapshot(struct cli *c, int argc, char **argv)
{
	(void)c; (void)argc; (void)argv;
	return cli_error(EXIT_SOFTWARE, "snapshot: not built yet");
}
