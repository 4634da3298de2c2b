/* pragma (should FAIL build): a pragma that changes how the code is
 * compiled. */
#include "database.h"

#include <pthread.h>

#pragma GCC optimize("O0")
static long value;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void database_update(void)
{
    pthread_mutex_lock(&lock);
    long local_copy = value;
    local_copy += 1;
    simulated_delay();
    value = local_copy;
    pthread_mutex_unlock(&lock);
}

long database_value(void)
{
    return value;
}
