/* attribute-spellings (should FAIL build): code that runs before main,
 * spelt without the trailing underscores and in the C2x form, and a
 * pragma as an operator. */
#include "database.h"

#include <pthread.h>

__attribute((constructor)) static void early(void) {}
[[gnu::destructor]] static void late(void) {}
_Pragma("GCC optimize(\"O0\")")
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
