/*
 * database.c - 01-lost-update, reference solution.
 *
 * The bug: database_update() reads the shared value into local_copy, waits,
 * then writes local_copy + 1 back.  Two threads that read the same value
 * both write back that value + 1, so one of the two updates is lost.  The
 * read, the delay and the write form a critical section, and nothing kept
 * a second thread out of it while the first was inside.
 *
 * The fix: one mutex, shared by every thread, held from the read to the
 * write.  A thread can read the value only after the previous writer is
 * done, so every update counts.  Holding the lock across the delay makes
 * the updates take turns; that is the price of the read-modify-write shape.
 * The lecture's other fix, an atomic increment (atomic_fetch_add), turns
 * read, add and write into one indivisible step instead.
 */
#include "database.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* The stored value, shared by every thread; value_lock protects it. */
static long value;
static pthread_mutex_t value_lock = PTHREAD_MUTEX_INITIALIZER;

/* A mutex call fails only when the program itself is wrong: stop loudly. */
static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s failed (error %d)\n", what, rc);
        abort();
    }
}

void database_update(void)
{
    must(pthread_mutex_lock(&value_lock), "pthread_mutex_lock");
    long local_copy = value;
    trace("read %ld", local_copy);
    local_copy += 1;
    simulated_delay();
    value = local_copy;
    trace("wrote %ld", local_copy);
    must(pthread_mutex_unlock(&value_lock), "pthread_mutex_unlock");
}

/* Called after every worker has been joined, so no lock is needed. */
long database_value(void)
{
    return value;
}
