#include "config.h"
#include "core/json.h"
