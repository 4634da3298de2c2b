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

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    DELAY_US = 200,    /* long enough for every thread to read the value */
    INDENT = 18,       /* columns between two threads' trace lines */
    MAX_THREADS = 16,
    MAX_ROUNDS = 1000,
};

struct worker {
    pthread_t thread;
    int id;                   /* 1, 2, ...: the number trace() shows */
    long rounds;
    pthread_barrier_t *start; /* shared by all workers */
};

static int verbose;                 /* written before any worker starts */
static _Thread_local int thread_id; /* 0 in main, else the worker's id */

void simulated_delay(void)
{
    kit_sleep_us(DELAY_US);
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

static void *worker_main(void *arg)
{
    struct worker *self = arg;
    thread_id = self->id;
    kit_name_thread("worker %d", self->id);
    /* Nobody starts before every worker exists: they all begin together,
     * so their updates overlap on every run, not only on unlucky ones. */
    int rc = pthread_barrier_wait(self->start);
    if (rc != PTHREAD_BARRIER_SERIAL_THREAD)
        kit_check(rc, "pthread_barrier_wait");
    for (long round = 0; round < self->rounds; round++)
        database_update();
    return NULL;
}

static void run_workers(long threads, long rounds)
{
    struct worker *workers = calloc(threads, sizeof *workers);
    pthread_barrier_t start;
    if (workers == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    kit_check(pthread_barrier_init(&start, NULL, threads), "pthread_barrier_init");
    for (long i = 0; i < threads; i++) {
        workers[i] = (struct worker){.id = i + 1, .rounds = rounds, .start = &start};
        kit_check(pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]),
                  "pthread_create");
    }
    for (long i = 0; i < threads; i++)
        kit_check(pthread_join(workers[i].thread, NULL), "pthread_join");
    kit_check(pthread_barrier_destroy(&start), "pthread_barrier_destroy");
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
    verbose = kit_flag(argc, argv, "--verbose");

    run_workers(threads, rounds);

    /* Every worker has been joined: reading the value here is safe. */
    long value = database_value();
    print_summary(threads, rounds, value);
    kit_result("value", "%ld", value);
    kit_finish();
    return 0;
}
