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
 *
 * Beside the workers runs the bank's auditor (bank.h): during the run it
 * takes every account's lock, adds up the balances and compares the sum
 * with what the bank opened with.  Money is only ever moved, so any sum it
 * finds while holding every lock must be the opening total; a transfer
 * that lets it see another (money that has left one account and not yet
 * reached the other) is wrong even when the final balances come out right.
 */
#include "bank.h"
#include "kit.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    FIRST_DELAY_US = 10000, /* long: every thread holds its first lock at once */
    DELAY_US = 200,         /* short: a correct program finishes quickly */
    INDENT = 28,            /* columns between two threads' trace lines */
    AUDIT_EVERY_US = 500,   /* between two audits */
    AUDIT_WAIT_US = 2000,   /* the longest the auditor waits for one lock */
    AUDIT_QUIET_US = 300000, /* no transfer for that long: the auditor stops */
    MAX_THREADS = 16,
    MAX_ROUNDS = 100,
};

struct worker {
    long amount; /* thread k moves k */
    long rounds;
    struct account *from, *to;
};

static _Thread_local long delays; /* simulated_delay() calls so far */

/* Transfers finished so far: the auditor stops when it stays the same for
 * AUDIT_QUIET_US (a deadlock), so that every thread left is blocked and
 * the checker sees the deadlock as one. */
static atomic_long transfers_done;

/* The lock calls without the kit's lock bookkeeping: the auditor only ever
 * tries a lock and backs off, so it can take no part in a deadlock, and it
 * stays out of the lock record the checker reads about the transfers. */
int __real_pthread_mutex_trylock(pthread_mutex_t *mutex);
int __real_pthread_mutex_unlock(pthread_mutex_t *mutex);

struct audit {
    struct account *accounts;
    long count, expected_total;
    long transfers; /* all of them: when they are done, so is the auditor */
    long audits, wrong, worst; /* worst: the wrong total furthest off */
};

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
    for (long round = 0; round < self->rounds; round++) {
        transfer(self->from, self->to, self->amount);
        atomic_fetch_add_explicit(&transfers_done, 1, memory_order_relaxed);
    }
    trace("done");
}

/* Try LOCK for up to AUDIT_WAIT_US; 1 when the auditor holds it. */
static int try_for_a_while(pthread_mutex_t *lock)
{
    for (long waited = 0; waited < AUDIT_WAIT_US; waited += 20) {
        int rc = __real_pthread_mutex_trylock(lock);
        if (rc == 0)
            return 1;
        if (rc != EBUSY)
            kit_check(rc, "pthread_mutex_trylock");
        kit_sleep_us(20);
    }
    return 0;
}

static void release_first(struct account *accounts, long taken)
{
    while (taken-- > 0)
        kit_check(__real_pthread_mutex_unlock(&accounts[taken].lock), "pthread_mutex_unlock");
}

/* One audit: every account's lock in order of id, taken one after another
 * and held together (as a transfer holds both of its accounts), then the
 * sum.  Gives up, releasing what it holds, when a lock stays busy. */
static void audit_once(struct audit *audit)
{
    long taken = 0;
    while (taken < audit->count && try_for_a_while(&audit->accounts[taken].lock))
        taken++;
    if (taken == audit->count) {
        long total = 0;
        for (long i = 0; i < audit->count; i++)
            total += audit->accounts[i].balance;
        audit->audits++;
        if (total != audit->expected_total) {
            trace("audit: the bank holds %ld, not %ld", total, audit->expected_total);
            audit->wrong++;
            if (labs(total - audit->expected_total) > labs(audit->worst - audit->expected_total))
                audit->worst = total;
        }
    }
    release_first(audit->accounts, taken);
}

static void run_audits(void *arg)
{
    struct audit *audit = arg;
    long seen = -1, quiet = 0;
    while (seen < audit->transfers && quiet < AUDIT_QUIET_US) {
        kit_sleep_us(AUDIT_EVERY_US);
        long done = atomic_load_explicit(&transfers_done, memory_order_relaxed);
        quiet = done == seen ? quiet + AUDIT_EVERY_US : 0;
        seen = done;
        audit_once(audit);
    }
}

/* The workers and, unless under Valgrind, the auditor, all started together. */
static void run_workers(long threads, long rounds, struct account *accounts, long count,
                        struct audit *audit)
{
    struct worker *workers = calloc(threads, sizeof *workers);
    struct kit_thread *crew = calloc(threads + 1, sizeof *crew);
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
    long started = threads;
    /* Helgrind counts every lock the auditor tries in its lock order, which
     * would charge a sound fix with the auditor's order; and it runs one
     * thread at a time, so the in-run checks are the TSan runs' job. */
    if (!kit_under_valgrind())
        crew[started++] = (struct kit_thread){
            .body = run_audits, .arg = audit, .role = "auditor", .number = KIT_NO_NUMBER,
        };
    kit_run_together(crew, started);
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

static void report_audits(const struct audit *audit)
{
    if (audit->wrong > 0)
        printf("  the auditor found a wrong total in %ld of %ld audits (%ld, expected %ld)\n",
               audit->wrong, audit->audits, audit->worst, audit->expected_total);
    else
        printf("  the auditor found the right total in all %ld audits\n", audit->audits);
    kit_result("audits", "%ld", audit->audits);
    kit_result("wrong_audits", "%ld", audit->wrong);
    kit_result("worst_audit_total", "%ld", audit->worst);
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
    struct audit audit = {
        .accounts = accounts, .count = count, .expected_total = OPENING_BALANCE * count,
        .transfers = threads * rounds, .worst = OPENING_BALANCE * count,
    };
    run_workers(threads, rounds, accounts, count, &audit);
    /* Every thread has been joined: the balances are final. */
    report_balances(accounts, count, threads, rounds);
    report_audits(&audit);
    close_accounts(accounts, count);
    kit_finish();
    return 0;
}
