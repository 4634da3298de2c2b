/*
 * counter.c - 06-volatile-counter, reference solution.
 *
 * The bug: hits++ is three steps, even on a volatile counter: read hits
 * from memory, add one, write the result back.  volatile only promises
 * that each of those steps really touches memory; it does not stop
 * another thread from running between the read and the write.  Two
 * threads that read the same count both write back that count plus one,
 * and one of the two hits is lost.  volatile is not a synchronisation
 * tool in C: the program still has a data race.
 *
 * The fix: the lecture's third rule, atomic instructions.  The counter is
 * an _Atomic long and record_hit() adds one with atomic_fetch_add(): the
 * read, the add and the write-back happen as one indivisible step, so no
 * other thread can slip in between them and every hit counts.  A mutex
 * around hits++ is also correct, but makes every hit wait for a lock; an
 * atomic add is the natural tool for one shared number.
 */
#include "counter.h"

#include <stdatomic.h>

/* Every page view of the site, counted by all the workers together. */
static _Atomic long hits;

void record_hit(void)
{
    atomic_fetch_add(&hits, 1);
}

long hit_count(void)
{
    return atomic_load(&hits);
}
