#include "config.h"
#include <criterion/criterion.h>
#include "core/date.h"
Test(stub, builds) { cr_assert(1); }
