/* clang-only (should FAIL build): the attribute that turns TSan off is
 * compiled only by clang, which a scan with gcc -E alone never sees. */
#include "database.h"

#include <pthread.h>

#ifdef __clang__
#define QUIET __attribute__((no_sanitize("thread")))
#else
#define QUIET
#endif
static long value;

QUIET void database_update(void)
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
