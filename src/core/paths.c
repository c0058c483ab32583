#include "config.h"
#include "core/paths.h"
int paths_resolve(const char *a, const char *b, struct paths *out, struct err *e) { (void)a; (void)b; (void)out; return err_set(e, EXIT_SOFTWARE, "not built"); }
void paths_free(struct paths *p) { (void)p; }
int paths_mkdirs_for(const char *path, struct err *e) { (void)path; return err_set(e, EXIT_SOFTWARE, "not built"); }
