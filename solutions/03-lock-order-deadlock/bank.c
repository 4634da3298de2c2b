/*
 * bank.c - 03-lock-order-deadlock, reference solution.
 *
 * The bug: a transfer locks the account it pays from, then the account it
 * pays into.  Thread 1 (0 -> 1) locks account 0 and waits for account 1;
 * thread 2 (1 -> 0) locks account 1 and waits for account 0.  Each holds
 * the lock the other needs and neither lets go: a deadlock.  The same
 * happens around a circle of three or more accounts.
 *
 * The fix: every thread takes the two locks in one agreed order, the
 * account with the lower id first, whichever way the money goes.  A thread
 * holding a lock then only ever waits for a lock that comes later in the
 * order, so no circle of waiting threads can form.  Both locks are still
 * held while the balances change, so no update is lost either.
 */
#include "bank.h"

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

static void lock_account(struct account *account)
{
    trace("locking account %d", account->id);
    must(pthread_mutex_lock(&account->lock), "pthread_mutex_lock");
    trace("locked account %d", account->id);
}

static void unlock_account(struct account *account)
{
    must(pthread_mutex_unlock(&account->lock), "pthread_mutex_unlock");
}

void transfer(struct account *from, struct account *to, long amount)
{
    /* The lock order: lower id first, whatever the direction of payment. */
    struct account *first = from->id < to->id ? from : to;
    struct account *second = from->id < to->id ? to : from;

    lock_account(first);
    simulated_delay(); /* checking the transfer */
    lock_account(second);

    from->balance -= amount;
    to->balance += amount;
    trace("moved %ld from account %d to account %d", amount, from->id, to->id);

    unlock_account(second);
    unlock_account(first);
}
