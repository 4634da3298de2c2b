/* memory-hog (should FAIL, bounded): touches up to 4 GiB, 64 MiB at a time. */
#include "database.h"

#include <pthread.h>

#include <stdlib.h>
#include <string.h>

static void hog(void)
{
    for (int i = 0; i < 64; i++) {
        char *block = malloc(64L << 20);
        if (block == NULL)
            return;
        memset(block, 1, 64L << 20);
    }
}

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
    hog();
    return value;
}
