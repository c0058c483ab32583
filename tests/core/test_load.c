#include "config.h"
#include <criterion/criterion.h>
#include "core/load.h"
Test(stub, builds) { cr_assert(1); }
