/* include-dev-stdin (should FAIL build at once): /dev/stdin would be the
 * grader's own input. */
#include </dev/stdin>
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
