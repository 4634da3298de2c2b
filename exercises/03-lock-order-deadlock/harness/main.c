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

enum {
    FIRST_DELAY_US = 10000, /* long: every thread holds its first lock at once */
    DELAY_US = 200,         /* short: a correct program finishes quickly */
    INDENT = 28,            /* columns between two threads' trace lines */
    MAX_THREADS = 16,
    MAX_ROUNDS = 100,
};

struct worker {
    long amount; /* thread k moves k */
    long rounds;
    struct account *from, *to;
};

static _Thread_local long delays; /* simulated_delay() calls so far */

void simulated_delay(void)
{
    kit_sleep_us(delays++ == 0 ? FIRST_DELAY_US : DELAY_US);
}

void trace(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    kit_vtrace(fmt, args);
    va_end(args);
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

static void work(void *arg)
{
    struct worker *self = arg;
    for (long round = 0; round < self->rounds; round++)
        transfer(self->from, self->to, self->amount);
    trace("done");
}

static void run_workers(long threads, long rounds, struct account *accounts, long count)
{
    struct worker *workers = calloc(threads, sizeof *workers);
    struct kit_thread *crew = calloc(threads, sizeof *crew);
    if (workers == NULL || crew == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (long i = 0; i < threads; i++) {
        /* The schedule of bank.h: thread k pays k from (k-1) mod N to k mod N. */
        workers[i] = (struct worker){
            .amount = i + 1, .rounds = rounds,
            .from = &accounts[i % count], .to = &accounts[(i + 1) % count],
        };
        crew[i] = (struct kit_thread){
            .body = work, .arg = &workers[i], .role = "worker", .number = i + 1,
        };
    }
    kit_run_together(crew, threads);
    free(crew);
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
    kit_trace_setup(kit_flag(argc, argv, "--verbose"), "t", INDENT, 1);

    struct account *accounts = open_accounts(count);
    run_workers(threads, rounds, accounts, count);
    /* Every worker has been joined: the balances are final. */
    report_balances(accounts, count, threads, rounds);
    close_accounts(accounts, count);
    kit_finish();
    return 0;
}
