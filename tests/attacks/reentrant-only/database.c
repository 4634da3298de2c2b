/* reentrant-only (should FAIL build): inline assembly compiled only where
 * -pthread defines _REENTRANT, as both real builds do. */
#include "database.h"

#include <pthread.h>

#ifdef _REENTRANT
#define FENCE() __asm__ volatile("" ::: "memory")
#else
#define FENCE() ((void)0)
#endif
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

void fence(void);
void fence(void) { FENCE(); }
