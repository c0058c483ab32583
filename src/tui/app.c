#include "config.h"
#include "tui/tui.h"

int tui_run(struct tui_ctx *t, struct err *e) { (void)t; return err_set(e, EXIT_SOFTWARE, "the dashboard is not built yet"); }
int tui_snapshot(struct tui_ctx *t, int cols, int rows, const char *pane, FILE *out, struct err *e) { (void)t; (void)cols; (void)rows; (void)pane; (void)out; return err_set(e, EXIT_SOFTWARE, "snapshot is not built yet"); }
