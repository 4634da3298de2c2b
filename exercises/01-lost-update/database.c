/*
 * database.c - 01-lost-update: the lecture's fake database, in C.
 *
 * Scenario: several threads update one shared value.  Each update works
 * like the lecture's FakeDatabase.update(): read the value into a local
 * copy, add one to the copy, wait a little (the slow part of a real
 * database), then write the copy back.
 *
 * Symptom to look for: T threads doing R rounds each should leave the
 * value at T x R.  It ends up smaller, and different from run to run.
 * Run with --verbose to watch the threads' reads and writes interleave;
 * build with -fsanitize=thread to have ThreadSanitizer name the lines.
 *
 * Your job: make the final value exactly T x R for any number of threads
 * and rounds.  Only this file is yours; keep any helper you add static.
 */
#include "database.h"

#include <pthread.h>

/* The stored value, shared by every thread. */
static long value;

void database_update(void)
{
    long local_copy = value;
    trace("read %ld", local_copy);
    local_copy += 1;
    simulated_delay();
    value = local_copy;
    trace("wrote %ld", local_copy);
}

long database_value(void)
{
    return value;
}
