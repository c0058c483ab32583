#include "config.h"
#include "core/store.h"
int store_open(const char *path, enum store_mode mode, struct store **out, struct err *e) { (void)path; (void)mode; (void)out; return err_set(e, EXIT_SOFTWARE, "not built"); }
void store_close(struct store *s) { (void)s; }
int store_meta_get(struct store *s, const char *key, char **value, struct err *e) { (void)s; (void)key; *value = 0; return err_set(e, EXIT_SOFTWARE, "not built"); }
int store_facts(struct store *s, const struct project *p, cdate asof, struct facts *out, struct err *e) { (void)s; (void)p; (void)asof; (void)out; return err_set(e, EXIT_SOFTWARE, "not built"); }
