/* self-include (should FAIL build): the file includes itself, so the
 * second copy of its text would be read as coming from an included file. */
#ifndef SELF_ONCE
#define SELF_ONCE
%:include "database.c"
#else
#include "database.h"

#include <pthread.h>

static long value;

void database_update(void)
{
    long local_copy = value;
    local_copy += 1;
    simulated_delay();
    value = local_copy;
}

long database_value(void)
{
    return value;
}
#endif
