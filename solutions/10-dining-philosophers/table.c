/*
 * table.c - 10-dining-philosophers, reference solution.
 *
 * The bug: every philosopher picks up its left fork first, then its right.
 * When they all sit down at once, each one takes its left fork, and each
 * one then waits for its right fork, which is its right neighbour's left
 * fork: philosopher 0 waits for 1, 1 for 2, ..., the last one for 0.  A
 * circle of threads, each holding the lock the next one needs: a deadlock,
 * the lecture's two threads waiting on each other, round a table.
 *
 * The fix: number the forks and have every philosopher pick up the
 * lower-numbered of its two forks first.  For all but the last philosopher
 * that is still the left fork; the last one (whose right fork is fork 0)
 * now reaches right first.  A philosopher holding a fork then only ever
 * waits for a higher-numbered one, so the waiting can never go all the way
 * round the table: someone always gets both forks, eats, and puts them
 * down.  Both forks are held while eating, so no fork is ever in two
 * hands.
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
    /* The lock order: lower-numbered fork first, whichever side it is on. */
    struct fork *first = self->left->id < self->right->id ? self->left : self->right;
    struct fork *second = first == self->left ? self->right : self->left;

    take_fork(first);
    ponder(); /* thinking a moment with one fork in hand */
    take_fork(second);
}

void put_down_forks(struct philosopher *self)
{
    drop_fork(self->right);
    drop_fork(self->left);
}
