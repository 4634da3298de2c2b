/*
 * account.c - 08-forgotten-unlock, reference solution.
 *
 * The bug: withdraw() locks the account and then has three ways out.  Only
 * the last one, after paying out, unlocks; the two early returns for a
 * refused request leave the account locked.  The next withdrawal, in any
 * thread, waits for that lock forever; the thread that returned waits too,
 * as soon as it makes its own next withdrawal.  Every thread ends up
 * blocked and the program hangs.  The lecture: "All locks should be
 * released once they are no longer needed."
 *
 * The fix: one way out.  The function decides on a status along a single
 * path, unlocks once at the end and returns the status from there, so no
 * path can skip the unlock (C's stand-in for Python's `with lock:`).  Each
 * withdrawal takes the lock exactly once and releases it exactly once.
 */
#include "account.h"

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

enum withdraw_status withdraw(struct account *account, long amount)
{
    enum withdraw_status status;

    trace("locking the account");
    must(pthread_mutex_lock(&account->lock), "pthread_mutex_lock");
    trace("locked: withdrawing %ld", amount);

    if (amount <= 0 || amount > WITHDRAWAL_LIMIT) {
        trace("refused %ld: not a valid amount", amount);
        status = WITHDRAW_INVALID;
    } else if (account->balance < amount) {
        trace("refused %ld: the balance is only %ld", amount, account->balance);
        status = WITHDRAW_INSUFFICIENT;
    } else {
        simulated_delay(); /* the card network approves the payment */
        account->balance -= amount;
        trace("paid out %ld, balance now %ld", amount, account->balance);
        status = WITHDRAW_OK;
    }

    /* The one way out: every path above ends here, holding the lock. */
    must(pthread_mutex_unlock(&account->lock), "pthread_mutex_unlock");
    return status;
}
