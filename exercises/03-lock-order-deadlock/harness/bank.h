/*
 * bank.h - the contract between bank.c (yours) and the harness.
 *
 * The bank has ACCOUNTS accounts (default 2), numbered 0, 1, ...; each
 * opens with OPENING_BALANCE and has a lock of its own.  Thread k
 * (k = 1, 2, ...) moves k from account (k - 1) mod ACCOUNTS to account
 * k mod ACCOUNTS, once per round.  With two accounts, thread 1 pays from
 * account 0 into account 1 while thread 2 pays from account 1 into
 * account 0: opposite directions.  All threads start at the same moment.
 *
 * The bank's auditor runs beside them: now and then it takes every
 * account's lock, in order of id (trying each one and backing off while it
 * is busy, so it never blocks a transfer for long), adds up the balances
 * and checks that the bank still holds ACCOUNTS x OPENING_BALANCE.  While a
 * transfer holds an account's lock, the auditor cannot look at it; once it
 * has let go, the money must be where it belongs.
 */
#ifndef BANK_H
#define BANK_H

#include <pthread.h>

enum { OPENING_BALANCE = 1000 };

struct account {
    int id;               /* 0, 1, 2, ...; never changes */
    long balance;         /* protected by lock */
    pthread_mutex_t lock; /* set up by the harness before any transfer */
};

/* ---- implemented by bank.c -------------------------------------------- */

/* Move AMOUNT from FROM to TO.  Many threads call this at the same time,
 * on the same accounts, in both directions. */
void transfer(struct account *from, struct account *to, long amount);

/* ---- offered by the harness ------------------------------------------- */

/* The slow step of a transfer (checking it with the bank's fraud service).
 * The first call in each thread takes 10 milliseconds, later calls about
 * 200 microseconds: if two transfers can get stuck waiting for each
 * other, they do so on the very first try. */
void simulated_delay(void);

/* Print one line for the calling thread, indented by thread number, when
 * the program runs with --verbose; otherwise do nothing.  printf-style. */
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* BANK_H */
