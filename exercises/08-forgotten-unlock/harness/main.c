/*
 * main.c - the harness of 08-forgotten-unlock.  Frozen: the checker always
 * builds your account.c with its own copy of this file.
 *
 * usage: forgotten-unlock [--threads N] [--requests N] [--verbose]
 *
 * Opens one account, starts N worker threads (default 3) that each make
 * REQUESTS withdrawals (default 6) following the schedule in account.h,
 * waits for them, then prints how many were paid out and refused, next to
 * the numbers the schedule leads to.  --verbose prints every thread's
 * steps, one column per thread.
 */
#include "account.h"
#include "kit.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    DELAY_US = 200, /* the card network: the lock is held that long */
    INDENT = 34,    /* columns between two threads' trace lines */
    MAX_THREADS = 16,
    MAX_REQUESTS = 100,
};

struct tally {
    long paid, invalid, insufficient;
};

struct worker {
    long requests;
    struct account *account;
    struct tally tally; /* what withdraw() answered, this worker only */
};

void simulated_delay(void)
{
    kit_sleep_us(DELAY_US);
}

void trace(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    kit_vtrace(fmt, args);
    va_end(args);
}

/* The schedule of account.h: every third request, from the second one on,
 * has a typo in its amount. */
static long amount_of(long request)
{
    return request % 3 == 1 ? TYPO_AMOUNT : WITHDRAWAL;
}

static long invalid_requests(long threads, long requests)
{
    return threads * ((requests + 1) / 3);
}

/* Enough money for half of the valid requests (rounded down). */
static long opening_balance(long threads, long requests)
{
    long valid = threads * requests - invalid_requests(threads, requests);
    return WITHDRAWAL * (valid / 2);
}

/* The cash machines begin together (kit_run_together), so while one
 * holds the lock the others are already waiting for it, and the first
 * refused request (every thread's second) comes while they still have
 * withdrawals to make. */
static void serve_requests(void *arg)
{
    struct worker *self = arg;
    for (long request = 0; request < self->requests; request++) {
        long amount = amount_of(request);
        trace("request %ld: %ld", request + 1, amount);
        switch (withdraw(self->account, amount)) {
        case WITHDRAW_OK:
            self->tally.paid++;
            break;
        case WITHDRAW_INVALID:
            self->tally.invalid++;
            break;
        case WITHDRAW_INSUFFICIENT:
            self->tally.insufficient++;
            break;
        default:
            fprintf(stderr, "withdraw() returned no withdraw_status\n");
            exit(1);
        }
    }
    trace("done");
}

static struct tally run_workers(long threads, long requests, struct account *account)
{
    struct worker *workers = calloc(threads, sizeof *workers);
    struct kit_thread *crew = calloc(threads, sizeof *crew);
    struct tally total = {0, 0, 0};
    if (workers == NULL || crew == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (long i = 0; i < threads; i++) {
        workers[i] = (struct worker){.requests = requests, .account = account};
        crew[i] = (struct kit_thread){
            .body = serve_requests, .arg = &workers[i], .role = "cash machine",
            .number = i + 1,
        };
    }
    kit_run_together(crew, threads);
    for (long i = 0; i < threads; i++) {
        total.paid += workers[i].tally.paid;
        total.invalid += workers[i].tally.invalid;
        total.insufficient += workers[i].tally.insufficient;
    }
    free(crew);
    free(workers);
    return total;
}

/* "free", or "held" when a withdrawal returned without unlocking.  Called
 * after every worker has been joined, so nobody else can hold the lock. */
static const char *lock_state(struct account *account)
{
    int rc = pthread_mutex_trylock(&account->lock);
    if (rc == EBUSY)
        return "held";
    kit_check(rc, "pthread_mutex_trylock");
    kit_check(pthread_mutex_unlock(&account->lock), "pthread_mutex_unlock");
    return "free";
}

static void report(long threads, long requests, struct tally got, long balance,
                   const char *lock)
{
    long invalid = invalid_requests(threads, requests);
    long valid = threads * requests - invalid;
    printf("%ld threads x %ld requests:\n", threads, requests);
    printf("  paid out:             %4ld (expected %ld)\n", got.paid, valid / 2);
    printf("  refused, invalid:     %4ld (expected %ld)\n", got.invalid, invalid);
    printf("  refused, no money:    %4ld (expected %ld)\n", got.insufficient,
           valid - valid / 2);
    printf("  balance:              %4ld (expected 0)\n", balance);
    printf("  account lock at the end: %s (expected free)\n", lock);
    kit_result("paid", "%ld", got.paid);
    kit_result("invalid", "%ld", got.invalid);
    kit_result("insufficient", "%ld", got.insufficient);
    kit_result("balance", "%ld", balance);
    kit_result("lock", "%s", lock);
}

int main(int argc, char **argv)
{
    /* Line by line even into a pipe: a program that hangs still shows its
     * last steps. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    static const char *const options[] = {"--threads", "--requests", NULL};
    kit_check_usage(argc, argv, options, "[--threads N] [--requests N] [--verbose]");
    long threads = kit_option(argc, argv, "threads", 3, 1, MAX_THREADS);
    long requests = kit_option(argc, argv, "requests", 6, 1, MAX_REQUESTS);
    kit_trace_setup(kit_flag(argc, argv, "--verbose"), "t", INDENT, 1);

    struct account account = {.balance = opening_balance(threads, requests)};
    kit_check(pthread_mutex_init(&account.lock, NULL), "pthread_mutex_init");
    kit_label(&account, sizeof account, "the account's lock");
    printf("the account opens with %ld\n", account.balance);
    struct tally got = run_workers(threads, requests, &account);
    /* Every worker has been joined: the balance is final. */
    long balance = account.balance;
    report(threads, requests, got, balance, lock_state(&account));
    kit_finish();
    return 0;
}
