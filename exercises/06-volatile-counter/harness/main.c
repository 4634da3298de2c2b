/*
 * main.c - the harness of 06-volatile-counter.  Frozen: the checker always
 * builds your counter.c with its own copy of this file.
 *
 * usage: volatile-counter [--threads N] [--hits N] [--verbose]
 *
 * Starts N worker threads (default 4) that each serve HITS requests
 * (default 1000000) and call record_hit() once per request, waits for them
 * all, then compares hit_count() with N x HITS.  --verbose prints each
 * worker's progress, one column per thread, so you can see that they all
 * count at the same time.
 */
#include "counter.h"
#include "kit.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    INDENT = 28, /* columns between two threads' trace lines */
    MAX_THREADS = 16,
    MAX_HITS = 10000000,
    REPORTS = 4, /* progress lines per worker with --verbose */
};

struct worker {
    pthread_t thread;
    int id; /* 1, 2, ...: the number trace() shows */
    long hits;
    pthread_barrier_t *start; /* shared by all workers */
};

static int verbose;                 /* written before any worker starts */
static _Thread_local int thread_id; /* 0 in main, else the worker's id */

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void trace(const char *fmt, ...)
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
    /* Nobody starts before every worker exists: they all begin together.
     * Each one then counts its hits in a tight loop, side by side with
     * the others on every core, and the scheduler interrupts each one
     * many times on the way, at any instruction.  With the tens of
     * thousands of hits the checker asks for under ThreadSanitizer (whose
     * checks sit between a read and its write-back), some of those
     * interruptions and overlaps fall between a read and its write-back
     * on every run, not only on unlucky ones. */
    int rc = pthread_barrier_wait(self->start);
    if (rc != PTHREAD_BARRIER_SERIAL_THREAD)
        kit_check(rc, "pthread_barrier_wait");
    long step = self->hits / REPORTS > 0 ? self->hits / REPORTS : 1;
    trace("serving %ld requests", self->hits);
    for (long served = 1; served <= self->hits; served++) {
        record_hit();
        if (served % step == 0 || served == self->hits)
            trace("%ld served", served);
    }
    return NULL;
}

static void run_workers(long threads, long hits)
{
    struct worker *workers = calloc(threads, sizeof *workers);
    pthread_barrier_t start;
    if (workers == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    kit_check(pthread_barrier_init(&start, NULL, threads), "pthread_barrier_init");
    for (long i = 0; i < threads; i++) {
        workers[i] = (struct worker){.id = i + 1, .hits = hits, .start = &start};
        kit_check(pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]),
                  "pthread_create");
    }
    for (long i = 0; i < threads; i++)
        kit_check(pthread_join(workers[i].thread, NULL), "pthread_join");
    kit_check(pthread_barrier_destroy(&start), "pthread_barrier_destroy");
    free(workers);
}

static void print_summary(long threads, long hits, long count)
{
    long expected = threads * hits;
    printf("%ld threads x %ld hits: counted %ld, expected %ld", threads, hits, count,
           expected);
    if (count == expected)
        printf(": correct\n");
    else if (count < expected)
        printf(": %ld hits were lost\n", expected - count);
    else
        printf(": %ld more than the hits served\n", count - expected);
}

int main(int argc, char **argv)
{
    /* Line by line even into a pipe: a program that hangs still shows its
     * last steps. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    static const char *const options[] = {"--threads", "--hits", NULL};
    kit_check_usage(argc, argv, options, "[--threads N] [--hits N] [--verbose]");
    long threads = kit_option(argc, argv, "threads", 4, 1, MAX_THREADS);
    long hits = kit_option(argc, argv, "hits", 1000000, 1, MAX_HITS);
    verbose = kit_flag(argc, argv, "--verbose");

    run_workers(threads, hits);

    /* Every worker has been joined: reading the count here is safe. */
    long count = hit_count();
    print_summary(threads, hits, count);
    kit_result("count", "%ld", count);
    kit_finish();
    return 0;
}
