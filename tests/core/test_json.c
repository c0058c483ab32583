#include "config.h"
#include <criterion/criterion.h>
#include "core/json.h"
Test(stub, builds) { cr_assert(1); }
