/*
 * account.c - 08-forgotten-unlock: cash machines sharing one account.
 *
 * Scenario: several cash machines (threads) pay money out of one shared
 * account.  A withdrawal locks the account, checks the request, asks the
 * card network to approve it (a slow step), updates the balance and
 * unlocks.  Some requests get refused: the amount is invalid (a customer
 * typed one zero too many), or the balance does not cover it.
 *
 * Symptom to look for: the program hangs and never prints its totals
 * (stop it with Ctrl-C).  Run with --verbose to see what each thread did
 * last before everything stopped.  To see where each thread is stuck,
 * attach a debugger to the hung program:
 * gdb -p <pid> -batch -ex 'thread apply all bt'.
 *
 * Your job: make every run finish, with every request paid out or refused
 * exactly as it should be, for any number of threads and requests.  Only
 * this file is yours; keep any helper you add static.
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
    trace("locking the account");
    must(pthread_mutex_lock(&account->lock), "pthread_mutex_lock");
    trace("locked: withdrawing %ld", amount);

    if (amount <= 0 || amount > WITHDRAWAL_LIMIT) {
        trace("refused %ld: not a valid amount", amount);
        return WITHDRAW_INVALID;
    }
    if (account->balance < amount) {
        trace("refused %ld: the balance is only %ld", amount, account->balance);
        return WITHDRAW_INSUFFICIENT;
    }

    simulated_delay(); /* the card network approves the payment */
    account->balance -= amount;
    trace("paid out %ld, balance now %ld", amount, account->balance);

    must(pthread_mutex_unlock(&account->lock), "pthread_mutex_unlock");
    return WITHDRAW_OK;
}
