#include "config.h"
#include <criterion/criterion.h>
#include "core/store.h"
Test(stub, builds) { cr_assert(1); }
