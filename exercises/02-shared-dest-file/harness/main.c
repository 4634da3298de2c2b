/*
 * main.c - the harness of 02-shared-dest-file.  Frozen: the checker always
 * builds your data_service.c with its own copy of this file.
 *
 * usage: shared-dest-file [--threads N] [--verbose]
 *
 * Removes the output files of earlier runs, starts N worker threads
 * (default 2) that each call save_data() once, all at the same moment,
 * waits for them, then shows what each output_<id>.txt holds.  --verbose
 * prints every thread's steps, one column per thread.
 */
#include "data_service.h"
#include "kit.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    DELAY_US = 1000, /* the slow service: longer than setting a name takes */
    INDENT = 24,     /* columns between two threads' trace lines */
    MAX_THREADS = 16,
};

struct worker {
    pthread_t thread;
    int id;                   /* 1, 2, ...: passed to save_data() */
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

static void output_name(char *name, size_t size, int id)
{
    snprintf(name, size, "output_%d.txt", id);
}

/* Files left by an earlier run would look like this run's results. */
static void remove_old_outputs(void)
{
    char name[32];
    for (int id = 1; id <= MAX_THREADS; id++) {
        output_name(name, sizeof name, id);
        unlink(name);
    }
}

static void *worker_main(void *arg)
{
    struct worker *self = arg;
    thread_id = self->id;
    kit_name_thread("worker %d", self->id);
    /* Nobody starts before every worker exists: they all begin together,
     * so their steps overlap on every run, not only on unlucky ones. */
    int rc = pthread_barrier_wait(self->start);
    if (rc != PTHREAD_BARRIER_SERIAL_THREAD)
        kit_check(rc, "pthread_barrier_wait");
    save_data(self->id);
    return NULL;
}

static void run_workers(long threads)
{
    struct worker *workers = calloc(threads, sizeof *workers);
    pthread_barrier_t start;
    if (workers == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    kit_check(pthread_barrier_init(&start, NULL, threads), "pthread_barrier_init");
    for (long i = 0; i < threads; i++) {
        workers[i] = (struct worker){.id = i + 1, .start = &start};
        kit_check(pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]),
                  "pthread_create");
    }
    for (long i = 0; i < threads; i++)
        kit_check(pthread_join(workers[i].thread, NULL), "pthread_join");
    kit_check(pthread_barrier_destroy(&start), "pthread_barrier_destroy");
    free(workers);
}

/* Print what output_<id>.txt holds; 1 when that is exactly its own line. */
static int show_output(int id, long *lines)
{
    char name[32], line[128], want[64];
    output_name(name, sizeof name, id);
    snprintf(want, sizeof want, "Thread %d was here", id);
    FILE *file = fopen(name, "r");
    if (file == NULL) {
        printf("  %-14s missing\n", name);
        return 0;
    }
    int count = 0, own = 0;
    printf("  %s\n", name);
    while (fgets(line, sizeof line, file) != NULL) {
        count++;
        line[strcspn(line, "\n")] = '\0'; /* the last line may lack its newline */
        own += strcmp(line, want) == 0;
        printf("      %s\n", line);
    }
    fclose(file);
    *lines += count;
    return count == 1 && own == 1;
}

static void report_outputs(long threads)
{
    long good = 0, lines = 0;
    printf("%ld threads; the output files now hold:\n", threads);
    for (int id = 1; id <= threads; id++)
        good += show_output(id, &lines);
    printf("%ld of %ld files hold exactly their own thread's line: %s\n", good, threads,
           good == threads ? "correct" : "wrong");
    kit_result("good_files", "%ld", good);
    kit_result("lines", "%ld", lines);
}

int main(int argc, char **argv)
{
    /* Line by line even into a pipe: a program that hangs still shows its
     * last steps. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    static const char *const options[] = {"--threads", NULL};
    kit_check_usage(argc, argv, options, "[--threads N] [--verbose]");
    long threads = kit_option(argc, argv, "threads", 2, 1, MAX_THREADS);
    verbose = kit_flag(argc, argv, "--verbose");

    remove_old_outputs();
    run_workers(threads);
    /* Every worker has been joined: the files are complete now. */
    report_outputs(threads);
    kit_finish();
    return 0;
}
