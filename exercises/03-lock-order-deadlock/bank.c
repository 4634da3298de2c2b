/*
 * bank.c - 03-lock-order-deadlock: transfers between bank accounts.
 *
 * Scenario: every account has a lock of its own, so transfers between
 * different accounts can run side by side.  A transfer locks the account
 * it pays from, checks the transfer (a slow step), locks the account it
 * pays into, moves the money and unlocks both.  The harness runs threads
 * that transfer in opposite directions: with two accounts, thread 1 pays
 * from account 0 into account 1 while thread 2 pays from 1 into 0.
 *
 * Symptom to look for: the program hangs and never prints the balances
 * (stop it with Ctrl-C).  Run with --verbose to see which account each
 * thread has locked and which one it is waiting for.  To see where each
 * thread is stuck, attach a debugger to the hung program:
 * gdb -p <pid> -batch -ex 'thread apply all bt'.
 *
 * Your job: make every run finish, with every balance right, for any
 * number of threads, rounds and accounts.  Only this file is yours; keep
 * any helper you add static.
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
    lock_account(from);
    simulated_delay(); /* checking the transfer */
    lock_account(to);

    from->balance -= amount;
    to->balance += amount;
    trace("moved %ld from account %d to account %d", amount, from->id, to->id);

    unlock_account(to);
    unlock_account(from);
}
