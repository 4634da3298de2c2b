/*
 * main.c - the harness of 07-lazy-init.  Frozen: the checker always builds
 * your config.c with its own copy of this file.
 *
 * usage: lazy-init [--threads N] [--requests N] [--verbose]
 *
 * Starts N worker threads (default 4) that each serve REQUESTS requests
 * (default 3) and call get_config() once per request, waits for them all,
 * then reports how often create_config() ran and how many different config
 * objects the workers were handed.  --verbose prints every thread's steps,
 * one column per thread.
 */
#include "config.h"
#include "kit.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    LOAD_DELAY_US = 5000, /* reading the file: far longer than a check for NULL */
    POLL_US = 100,        /* how often create_config() looks for late workers */
    ARRIVAL_LIMIT_US = 1000000, /* a safety net: workers arrive within microseconds */
    INDENT = 28,          /* columns between two threads' trace lines */
    MAX_THREADS = 16,
    MAX_REQUESTS = 100,
};

struct worker {
    long requests;
    int seen[MAX_REQUESTS]; /* the id of the config each request got; 0: NULL */
};

/* Every config create_config() built, and how many workers have asked for
 * their first config so far; all protected by registry_lock.  Workers
 * only touch it before their first get_config(). */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct config *built[MAX_THREADS * MAX_REQUESTS];
static int built_count;
static long asking;

static long workers_total; /* written before any worker starts */

void trace(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    kit_vtrace(fmt, args);
    va_end(args);
}

/* Wait until every worker has asked for its first config.  The workers
 * announce themselves just before that first get_config(), so once they
 * all have, each of them is at most a check for NULL away from deciding
 * whether to build a config, and the read below gives them that time many
 * times over: a get_config() that can let two threads build one does so on
 * every run, not only on unlucky ones. */
static void wait_for_every_worker(void)
{
    kit_check(pthread_mutex_lock(&registry_lock), "pthread_mutex_lock");
    for (long waited = 0; asking < workers_total && waited < ARRIVAL_LIMIT_US;
         waited += POLL_US) {
        kit_check(pthread_mutex_unlock(&registry_lock), "pthread_mutex_unlock");
        kit_sleep_us(POLL_US);
        kit_check(pthread_mutex_lock(&registry_lock), "pthread_mutex_lock");
    }
    kit_check(pthread_mutex_unlock(&registry_lock), "pthread_mutex_unlock");
}

struct config *create_config(void)
{
    trace("reading the configuration file");
    wait_for_every_worker();
    kit_sleep_us(LOAD_DELAY_US);

    struct config *config = calloc(1, sizeof *config);
    if (config == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    snprintf(config->site_name, sizeof config->site_name, "COMP 2522");
    config->max_connections = 64;
    kit_check(pthread_mutex_lock(&registry_lock), "pthread_mutex_lock");
    if (built_count == MAX_THREADS * MAX_REQUESTS) {
        /* More calls than requests: get_config() calls it in a loop. */
        fprintf(stderr, "create_config() called more often than get_config()\n");
        exit(1);
    }
    built[built_count++] = config;
    config->id = built_count;
    kit_check(pthread_mutex_unlock(&registry_lock), "pthread_mutex_unlock");
    trace("configuration file read: config #%d", config->id);
    return config;
}

static void serve_requests(void *arg)
{
    struct worker *self = arg;
    kit_check(pthread_mutex_lock(&registry_lock), "pthread_mutex_lock");
    asking++;
    kit_check(pthread_mutex_unlock(&registry_lock), "pthread_mutex_unlock");
    for (long request = 0; request < self->requests; request++) {
        struct config *config = get_config();
        self->seen[request] = config == NULL ? 0 : config->id;
        if (config == NULL)
            trace("request %ld: got no config", request + 1);
        else
            trace("request %ld: uses config #%d", request + 1, config->id);
    }
}

static void run_workers(struct worker *workers, long threads, long requests)
{
    struct kit_thread *crew = calloc(threads, sizeof *crew);
    if (crew == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    workers_total = threads;
    for (long i = 0; i < threads; i++) {
        workers[i] = (struct worker){.requests = requests};
        crew[i] = (struct kit_thread){
            .body = serve_requests, .arg = &workers[i], .role = "worker", .number = i + 1,
        };
    }
    kit_run_together(crew, threads);
    free(crew);
}

/* How many different configs the workers got, and how many requests got
 * none.  Called after every worker has been joined. */
static void count_handed_out(const struct worker *workers, long threads, long *objects,
                             long *missing)
{
    static char handed_out[MAX_THREADS * MAX_REQUESTS + 1];
    *objects = 0;
    *missing = 0;
    for (long i = 0; i < threads; i++) {
        for (long r = 0; r < workers[i].requests; r++) {
            int id = workers[i].seen[r];
            if (id == 0)
                (*missing)++;
            else if (!handed_out[id]++)
                (*objects)++;
        }
    }
}

int main(int argc, char **argv)
{
    /* Line by line even into a pipe: a program that hangs still shows its
     * last steps. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    static const char *const options[] = {"--threads", "--requests", NULL};
    kit_check_usage(argc, argv, options, "[--threads N] [--requests N] [--verbose]");
    long threads = kit_option(argc, argv, "threads", 4, 1, MAX_THREADS);
    long requests = kit_option(argc, argv, "requests", 3, 1, MAX_REQUESTS);
    kit_trace_setup(kit_flag(argc, argv, "--verbose"), "t", INDENT, 1);

    struct worker *workers = calloc(threads, sizeof *workers);
    if (workers == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    run_workers(workers, threads, requests);

    /* Every worker has been joined: the counts are final. */
    long objects, missing;
    count_handed_out(workers, threads, &objects, &missing);
    int right = built_count == 1 && objects == 1 && missing == 0;
    printf("%ld threads x %ld requests: create_config() ran %d time%s (expected once), "
           "%ld different config%s handed out (expected 1)%s%s\n",
           threads, requests, built_count, built_count == 1 ? "" : "s", objects,
           objects == 1 ? "" : "s", missing > 0 ? ", some requests got none" : "",
           right ? ": correct" : "");
    kit_result("created", "%d", built_count);
    kit_result("objects", "%ld", objects);
    kit_result("missing", "%ld", missing);
    for (int i = 0; i < built_count; i++)
        free(built[i]);
    free(workers);
    kit_finish();
    return 0;
}
