#include "config.h"
#include "cli/cli.h"

int cmd_export(struct cli *c, int argc, char **argv)
{
	(void)c; (void)argc; (void)argv;
	return cli_error(EXIT_SOFTWARE, "export: not built yet");
}
