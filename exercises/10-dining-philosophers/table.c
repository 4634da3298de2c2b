/*
 * table.c - 10-dining-philosophers: philosophers sharing forks round a table.
 *
 * Scenario: philosophers sit round a table with one fork between each two
 * neighbours, and a philosopher needs both forks next to it to eat.  Every
 * fork has a lock; holding the lock means having the fork in hand.  To
 * eat, a philosopher picks up the fork on its left, stops to think a
 * moment with it in hand, then picks up the fork on its right.  All
 * philosophers sit down at the same moment.
 *
 * Symptom to look for: the program hangs and never prints how often each
 * philosopher ate (stop it with Ctrl-C).  Run with --verbose to see which
 * fork each philosopher holds and which one it reaches for.  To see where
 * each thread is stuck, attach a debugger to the hung program:
 * gdb -p <pid> -batch -ex 'thread apply all bt'.
 *
 * Your job: make every philosopher eat every meal, with no fork ever in
 * two hands at once, for any number of philosophers.  Only this file is
 * yours; keep any helper you add static.
 */
#include "table.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* A mutex call fails only when the program itself is wrong: stop loudly. */
static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s failed (error %d)\n", what, rc);
        abort();
    }
}

static void take_fork(struct fork *fork)
{
    trace("reaching for fork %d", fork->id);
    must(pthread_mutex_lock(&fork->lock), "pthread_mutex_lock");
    trace("took fork %d", fork->id);
}

static void drop_fork(struct fork *fork)
{
    must(pthread_mutex_unlock(&fork->lock), "pthread_mutex_unlock");
}

void pick_up_forks(struct philosopher *self)
{
    take_fork(self->left);
    ponder(); /* thinking a moment with one fork in hand */
    take_fork(self->right);
}

void put_down_forks(struct philosopher *self)
{
    drop_fork(self->right);
    drop_fork(self->left);
}
