#include "config.h"
#include <criterion/criterion.h>
#include "core/write.h"
Test(stub, builds) { cr_assert(1); }
