/*
 * main.c - the harness of 03-lock-order-deadlock.  Frozen: the checker
 * always builds your bank.c with its own copy of this file.
 *
 * usage: lock-order-deadlock [--threads N] [--rounds N] [--accounts N]
 *                            [--verbose]
 *
 * Opens ACCOUNTS accounts (default 2, at most N), starts N worker threads
 * (default 2) that each make ROUNDS transfers (default 10) following the
 * schedule in bank.h, waits for them, then prints every balance next to
 * the one the schedule leads to.  --verbose prints every thread's steps,
 * one column per thread.
 */
#include "bank.h"
#include "kit.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    FIRST_DELAY_US = 10000, /* long: every thread holds its first lock at once */
    DELAY_US = 200,         /* short: a correct program finishes quickly */
    INDENT = 28,            /* columns between two threads' trace lines */
    MAX_THREADS = 16,
    MAX_ROUNDS = 1000,
};

struct worker {
    pthread_t thread;
    int id;                   /* 1, 2, ...: also the amount it moves */
    long rounds;
    struct account *from, *to;
    pthread_barrier_t *start; /* shared by all workers */
};

static int verbose;                 /* written before any worker starts */
static _Thread_local int thread_id; /* 0 in main, else the worker's id */
static _Thread_local long delays;   /* simulated_delay() calls so far */

void simulated_delay(void)
{
    kit_sleep_us(delays++ == 0 ? FIRST_DELAY_US : DELAY_US);
}

void trace(const char *fmt, ...)
{
    if (!verbose)
        return;
    char line[200];
    va_list args;
    va_start(args, fmt);
    vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    /* One printf per line: stdio locks the stream, so lines never mix. */
    int indent = thread_id > 0 ? (thread_id - 1) * INDENT : 0;
    printf("%*st%d: %s\n", indent, "", thread_id, line);
}

static struct account *open_accounts(long count)
{
    struct account *accounts = calloc(count, sizeof *accounts);
    if (accounts == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (long i = 0; i < count; i++) {
        accounts[i].id = i;
        accounts[i].balance = OPENING_BALANCE;
        kit_check(pthread_mutex_init(&accounts[i].lock, NULL), "pthread_mutex_init");
        kit_label(&accounts[i], sizeof accounts[i], "account %ld's lock", i);
    }
    return accounts;
}

static void close_accounts(struct account *accounts, long count)
{
    for (long i = 0; i < count; i++)
        kit_check(pthread_mutex_destroy(&accounts[i].lock),
                  "pthread_mutex_destroy (a transfer left an account locked)");
    free(accounts);
}

static void *worker_main(void *arg)
{
    struct worker *self = arg;
    thread_id = self->id;
    kit_name_thread("worker %d", self->id);
    /* Nobody starts before every worker exists: they all begin together,
     * so their first transfers overlap on every run. */
    int rc = pthread_barrier_wait(self->start);
    if (rc != PTHREAD_BARRIER_SERIAL_THREAD)
        kit_check(rc, "pthread_barrier_wait");
    for (long round = 0; round < self->rounds; round++)
        transfer(self->from, self->to, self->id);
    trace("done");
    return NULL;
}

static void run_workers(long threads, long rounds, struct account *accounts, long count)
{
    struct worker *workers = calloc(threads, sizeof *workers);
    pthread_barrier_t start;
    if (workers == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    kit_check(pthread_barrier_init(&start, NULL, threads), "pthread_barrier_init");
    for (long i = 0; i < threads; i++) {
        /* The schedule of bank.h: thread k pays k from (k-1) mod N to k mod N. */
        workers[i] = (struct worker){
            .id = i + 1, .rounds = rounds, .start = &start,
            .from = &accounts[i % count], .to = &accounts[(i + 1) % count],
        };
        kit_check(pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]),
                  "pthread_create");
    }
    for (long i = 0; i < threads; i++)
        kit_check(pthread_join(workers[i].thread, NULL), "pthread_join");
    kit_check(pthread_barrier_destroy(&start), "pthread_barrier_destroy");
    free(workers);
}

/* The balance the schedule leads to: what the threads paid into account ID
 * minus what they paid out of it, every round. */
static long expected_balance(long id, long threads, long rounds, long count)
{
    long balance = OPENING_BALANCE;
    for (long k = 1; k <= threads; k++) {
        if (k % count == id)
            balance += k * rounds;
        if ((k - 1) % count == id)
            balance -= k * rounds;
    }
    return balance;
}

static void report_balances(struct account *accounts, long count, long threads, long rounds)
{
    long total = 0, wrong = 0;
    char key[32];
    printf("%ld threads x %ld rounds over %ld accounts:\n", threads, rounds, count);
    for (long i = 0; i < count; i++) {
        long expected = expected_balance(i, threads, rounds, count);
        printf("  account %ld: %6ld (expected %ld)\n", i, accounts[i].balance, expected);
        wrong += accounts[i].balance != expected;
        total += accounts[i].balance;
        snprintf(key, sizeof key, "balance_%ld", i);
        kit_result(key, "%ld", accounts[i].balance);
    }
    printf("  total:     %6ld (expected %ld): %s\n", total, OPENING_BALANCE * count,
           wrong == 0 ? "correct" : "wrong");
    kit_result("total", "%ld", total);
}

int main(int argc, char **argv)
{
    /* Line by line even into a pipe: a program that hangs still shows its
     * last steps. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    static const char *const options[] = {"--threads", "--rounds", "--accounts", NULL};
    kit_check_usage(argc, argv, options,
                    "[--threads N] [--rounds N] [--accounts N] [--verbose]");
    long threads = kit_option(argc, argv, "threads", 2, 2, MAX_THREADS);
    long rounds = kit_option(argc, argv, "rounds", 10, 1, MAX_ROUNDS);
    long count = kit_option(argc, argv, "accounts", 2, 2, MAX_THREADS);
    if (count > threads) {
        /* Fewer threads than accounts would leave the circle of payments open. */
        fprintf(stderr, "%s: --accounts %ld needs at least %ld threads (--threads %ld)\n",
                argv[0], count, count, count);
        exit(2);
    }
    verbose = kit_flag(argc, argv, "--verbose");

    struct account *accounts = open_accounts(count);
    run_workers(threads, rounds, accounts, count);
    /* Every worker has been joined: the balances are final. */
    report_balances(accounts, count, threads, rounds);
    close_accounts(accounts, count);
    kit_finish();
    return 0;
}
