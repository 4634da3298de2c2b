/* line-marker (should FAIL build): a GNU line marker, hidden behind a
 * comment and a line splice, claims that the asm after it is another
 * file's, so a scan by file would skip it. */
#include "database.h"

#include <pthread.h>

/* elsewhere */ #\
 1 "elsewhere.c"
static void barrier(void) { __asm__ volatile("" ::: "memory"); }

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

void never_called(void);
void never_called(void) { barrier(); }
