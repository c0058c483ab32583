#include "config.h"
#include <criterion/criterion.h>
#include "core/text.h"
Test(stub, builds) { cr_assert(1); }
