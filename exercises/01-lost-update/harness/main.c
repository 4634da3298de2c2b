/*
 * main.c - the harness of 01-lost-update.  Frozen: the checker always
 * builds your database.c with its own copy of this file.
 *
 * usage: lost-update [--threads N] [--rounds N] [--verbose]
 *
 * Starts N worker threads (default 2) that each call database_update()
 * ROUNDS times (default 20), waits for them all, then compares
 * database_value() with N x ROUNDS.  --verbose prints every thread's steps,
 * one column per thread, so you can see how they interleave.
 */
#include "database.h"
#include "kit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    DELAY_US = 200,    /* the slow part of an update */
    INDENT = 18,       /* columns between two threads' trace lines */
    MAX_THREADS = 16,
    MAX_ROUNDS = 100,
};

/* The rounds each worker makes: written before any worker starts. */
static long rounds_per_worker;

/* The slow step, and an overlap point of the kit: a worker that has read
 * the value waits there until every other worker has read it too (or is
 * blocked, say on a lock), so updates that can overlap do so on every run,
 * not only when the machine happens to be idle. */
void simulated_delay(void)
{
    kit_overlap_sleep(DELAY_US);
}

void trace(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    kit_vtrace(fmt, args);
    va_end(args);
}

static void work(void *unused)
{
    (void)unused;
    for (long round = 0; round < rounds_per_worker; round++)
        database_update();
}

static void run_workers(long threads)
{
    struct kit_thread *workers = calloc(threads, sizeof *workers);
    if (workers == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (long i = 0; i < threads; i++)
        workers[i] = (struct kit_thread){.body = work, .role = "worker", .number = i + 1};
    kit_run_together(workers, threads);
    free(workers);
}

static void print_summary(long threads, long rounds, long value)
{
    long expected = threads * rounds;
    printf("%ld threads x %ld rounds: final value %ld, expected %ld", threads, rounds,
           value, expected);
    if (value == expected)
        printf(": correct\n");
    else if (value < expected)
        printf(": %ld updates were lost\n", expected - value);
    else
        printf(": %ld more than the updates made\n", value - expected);
}

int main(int argc, char **argv)
{
    /* Line by line even into a pipe: a program that hangs still shows its
     * last steps. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    static const char *const options[] = {"--threads", "--rounds", NULL};
    kit_check_usage(argc, argv, options, "[--threads N] [--rounds N] [--verbose]");
    long threads = kit_option(argc, argv, "threads", 2, 1, MAX_THREADS);
    long rounds = kit_option(argc, argv, "rounds", 20, 1, MAX_ROUNDS);
    kit_trace_setup(kit_flag(argc, argv, "--verbose"), "t", INDENT, 1);
    rounds_per_worker = rounds;

    run_workers(threads);

    /* Every worker has been joined: reading the value here is safe. */
    long value = database_value();
    print_summary(threads, rounds, value);
    kit_result("value", "%ld", value);
    kit_finish();
    return 0;
}
