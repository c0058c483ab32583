#include "config.h"
#include "core/write.h"
int identity_current(const struct project *p, struct identity *id, struct err *e) { (void)p; (void)id; return err_set(e, EXIT_SOFTWARE, "not built"); }
void identity_demo_grant(const struct project *p, struct identity *id, const char *l) { (void)p; (void)id; (void)l; }
