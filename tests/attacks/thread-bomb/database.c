/* thread-bomb (should FAIL, bounded): starts up to 3000 threads that each
 * sleep 5 s; stops at the first that cannot start. */
#include "database.h"

#include <pthread.h>

#include <unistd.h>

static void *sleeper(void *unused)
{
    sleep(5);
    return unused;
}

static void bomb(void)
{
    for (int i = 0; i < 3000; i++) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, sleeper, NULL) != 0)
            return;
        pthread_detach(thread);
    }
}

static long value;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int bombed;

void database_update(void)
{
    if (__atomic_exchange_n(&bombed, 1, __ATOMIC_SEQ_CST) == 0)
        bomb();
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
