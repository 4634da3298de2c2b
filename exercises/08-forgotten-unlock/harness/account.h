/*
 * account.h - the contract between account.c (yours) and the harness.
 *
 * One shared bank account, with one lock.  The harness starts the worker
 * threads (cash machines) at the same moment; thread k makes REQUESTS
 * withdrawals, and request j (j = 0, 1, 2, ...) asks for:
 *
 *   - WITHDRAWAL (20) normally,
 *   - TYPO_AMOUNT (20000, more than WITHDRAWAL_LIMIT) when j % 3 == 1:
 *     a customer pressed 0 once too often, and the request is invalid.
 *
 * The account opens with enough money for half of the valid requests, so
 * the other half are refused for insufficient funds (which ones depends on
 * the order the threads get there; how many does not).
 */
#ifndef ACCOUNT_H
#define ACCOUNT_H

#include <pthread.h>

enum {
    WITHDRAWAL = 20,         /* what a valid request asks for */
    TYPO_AMOUNT = 20000,     /* what an invalid request asks for */
    WITHDRAWAL_LIMIT = 1000, /* the most one withdrawal may ask for */
};

enum withdraw_status {
    WITHDRAW_OK,           /* the money was paid out */
    WITHDRAW_INVALID,      /* the amount is not between 1 and WITHDRAWAL_LIMIT */
    WITHDRAW_INSUFFICIENT, /* the balance is smaller than the amount */
};

struct account {
    long balance;         /* protected by lock */
    pthread_mutex_t lock; /* set up by the harness before any withdrawal */
};

/* ---- implemented by account.c ----------------------------------------- */

/* Pay AMOUNT out of ACCOUNT if the amount is valid and the balance covers
 * it; say which of the three happened.  Many threads call this at the same
 * time on the same account. */
enum withdraw_status withdraw(struct account *account, long amount);

/* ---- offered by the harness ------------------------------------------- */

/* The card network approving a payment: about 200 microseconds. */
void simulated_delay(void);

/* Print one line for the calling thread, indented by thread number, when
 * the program runs with --verbose; otherwise do nothing.  printf-style. */
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* ACCOUNT_H */
