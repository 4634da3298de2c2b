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

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    INDENT = 28, /* columns between two threads' trace lines */
    MAX_THREADS = 16,
    MAX_HITS = 1000000,
    REPORTS = 4, /* progress lines per worker with --verbose */
};

/* The hits each worker serves: written before any worker starts. */
static long hits_per_worker;

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void trace(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    kit_vtrace(fmt, args);
    va_end(args);
}

/* The workers begin together (kit_run_together).  Each one then counts
 * its hits in a tight loop, side by side with the others on every core,
 * and the scheduler interrupts each one many times on the way, at any
 * instruction.  With the tens of thousands of hits the checker asks for
 * under ThreadSanitizer (whose checks sit between a read and its
 * write-back), some of those interruptions and overlaps fall between a
 * read and its write-back on every run, not only on unlucky ones. */
static void serve(void *unused)
{
    (void)unused;
    long hits = hits_per_worker;
    long step = hits / REPORTS > 0 ? hits / REPORTS : 1;
    trace("serving %ld requests", hits);
    for (long served = 1; served <= hits; served++) {
        record_hit();
        if (served % step == 0 || served == hits)
            trace("%ld served", served);
    }
}

static void run_workers(long threads)
{
    struct kit_thread *workers = calloc(threads, sizeof *workers);
    if (workers == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (long i = 0; i < threads; i++)
        workers[i] = (struct kit_thread){.body = serve, .role = "worker", .number = i + 1};
    kit_run_together(workers, threads);
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
    kit_trace_setup(kit_flag(argc, argv, "--verbose"), "t", INDENT, 1);
    hits_per_worker = hits;

    run_workers(threads);

    /* Every worker has been joined: reading the count here is safe. */
    long count = hit_count();
    print_summary(threads, hits, count);
    kit_result("count", "%ld", count);
    kit_finish();
    return 0;
}
