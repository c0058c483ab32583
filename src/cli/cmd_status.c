#include "config.h"
#include "cli/cli.h"

int cmd_status(struct cli *c, int argc, char **argv)
{
	(void)c; (void)argc; (void)argv;
	return cli_error(EXIT_SOFTWARE, "status: not built yet");
}
