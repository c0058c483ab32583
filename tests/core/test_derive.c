#include "config.h"
#include <criterion/criterion.h>
#include "core/derive.h"
Test(stub, builds) { cr_assert(1); }
