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

/* The slow service, and an overlap point of the kit: a thread that has
 * set its file name waits there until every other thread has set its own
 * (or is blocked, say on a lock), so the threads' steps overlap on every
 * run, not only when the machine happens to be idle. */
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

static void save_own_data(void *arg)
{
    save_data(*(const int *)arg);
}

static void run_workers(long threads)
{
    struct kit_thread *workers = calloc(threads, sizeof *workers);
    int *ids = calloc(threads, sizeof *ids);
    if (workers == NULL || ids == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (long i = 0; i < threads; i++) {
        ids[i] = (int)i + 1;
        workers[i] = (struct kit_thread){
            .body = save_own_data, .arg = &ids[i], .role = "worker", .number = i + 1,
        };
    }
    kit_run_together(workers, threads);
    free(ids);
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
    kit_trace_setup(kit_flag(argc, argv, "--verbose"), "t", INDENT, 1);

    remove_old_outputs();
    run_workers(threads);
    /* Every worker has been joined: the files are complete now. */
    report_outputs(threads);
    kit_finish();
    return 0;
}
