/*
 * main.c - the harness of 04-thread-pool.  Frozen: the checker always
 * builds your thread_pool.c with its own copy of this file.
 *
 * usage: thread-pool [--pool N] [--tasks N] [--verbose]
 *
 * Calls run_pool() with a pool of N workers (default 6) and TASKS tasks
 * (default 100), then shows how often each task ran, which results are
 * wrong, how many tasks ran at the same time at most, and whether every
 * worker had ended.  --verbose prints every worker's steps, one column per
 * worker.
 *
 * The harness keeps its own counts with relaxed atomic operations: they
 * are exact, yet they order nothing between threads, so they cannot hide a
 * race in thread_pool.c from ThreadSanitizer.
 */
#include "thread_pool.h"
#include "kit.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    FIRST_DELAY_US = 5000, /* long: workers that start together overlap */
    DELAY_US = 50,         /* short: a correct pool finishes quickly */
    TASK_US = 300,         /* one task's work */
    INDENT = 20,           /* columns between two workers' trace lines */
    MAX_POOL = 16,
    MAX_TASKS = 250,
    EXAMPLES = 5,          /* task numbers shown per kind of problem */
    MAIN_THREAD = KIT_NO_NUMBER, /* the number of the thread that runs main() */
};

#define RELAXED memory_order_relaxed

static long task_count; /* written before run_pool() */

static _Thread_local long delays;    /* simulated_delay() calls so far */
static _Thread_local int ran_a_task; /* this thread is one of workers_seen */

static atomic_long workers_seen;     /* threads that ran a task */
static atomic_long workers_ended;    /* of those, threads that have ended */
static atomic_long running;          /* tasks running right now */
static atomic_long max_running;      /* the most that ever ran at once */
static atomic_long main_tasks;       /* tasks run by the thread of main() */
static atomic_long bad_calls;        /* run_task() with no such task */
static atomic_long *runs;            /* runs[task]: how often it ran */
static pthread_key_t worker_key;     /* its destructor counts ended workers */

static void count_ended_worker(void *unused)
{
    (void)unused;
    atomic_fetch_add_explicit(&workers_ended, 1, RELAXED);
}

/* The calling thread's number: threads are numbered 1, 2, ... in the order
 * they first call into the harness, and named after it. */
static long this_worker(void)
{
    return kit_thread_number("worker");
}

/* Count the calling thread among the workers, once; the key's destructor
 * counts it again when the thread ends. */
static void count_worker(void)
{
    if (ran_a_task)
        return;
    ran_a_task = 1;
    atomic_fetch_add_explicit(&workers_seen, 1, RELAXED);
    kit_check(pthread_setspecific(worker_key, &worker_key), "pthread_setspecific");
}

void simulated_delay(void)
{
    this_worker();
    kit_sleep_us(delays++ == 0 ? FIRST_DELAY_US : DELAY_US);
}

void trace(const char *fmt, ...)
{
    this_worker();
    va_list args;
    va_start(args, fmt);
    kit_vtrace(fmt, args);
    va_end(args);
}

static void raise_max_running(long now)
{
    long seen = atomic_load_explicit(&max_running, RELAXED);
    while (now > seen &&
           !atomic_compare_exchange_weak_explicit(&max_running, &seen, now, RELAXED, RELAXED))
        continue;
}

static long expected_result(long task)
{
    return task * (task + 1) / 2;
}

long run_task(long task)
{
    long id = this_worker();
    if (task < 0 || task >= task_count) {
        atomic_fetch_add_explicit(&bad_calls, 1, RELAXED);
        trace("run_task(%ld): there is no such task", task);
        return -1;
    }
    if (id == MAIN_THREAD)
        atomic_fetch_add_explicit(&main_tasks, 1, RELAXED);
    else
        count_worker();
    raise_max_running(atomic_fetch_add_explicit(&running, 1, RELAXED) + 1);
    atomic_fetch_add_explicit(&runs[task], 1, RELAXED);
    trace("running task %ld", task);
    kit_sleep_us(TASK_US);
    long sum = 0;
    for (long k = 1; k <= task; k++)
        sum += k;
    atomic_fetch_sub_explicit(&running, 1, RELAXED);
    return sum;
}

/* Append " ITEM" to LIST (at most EXAMPLES items), printf-style. */
static void add_example(char *list, size_t size, long count, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_example(char *list, size_t size, long count, const char *fmt, ...)
{
    if (count > EXAMPLES)
        return;
    size_t used = strlen(list);
    if (used > 0 && used + 1 < size)
        list[used++] = ' ';
    va_list args;
    va_start(args, fmt);
    vsnprintf(list + used, size - used, fmt, args);
    va_end(args);
}

struct tally {
    long once, never, again, right, wrong;
    unsigned long checksum; /* sum of (task + 1) x results[task] */
    char never_list[128], again_list[160], wrong_list[200];
};

static void tally_tasks(struct tally *t, const long *results)
{
    memset(t, 0, sizeof *t);
    for (long task = 0; task < task_count; task++) {
        long n = atomic_load_explicit(&runs[task], RELAXED);
        if (n == 1) {
            t->once++;
        } else if (n == 0) {
            t->never++;
            add_example(t->never_list, sizeof t->never_list, t->never, "%ld", task);
        } else {
            t->again++;
            add_example(t->again_list, sizeof t->again_list, t->again, "%ld:%ld", task, n);
        }
        if (results[task] == expected_result(task)) {
            t->right++;
        } else {
            t->wrong++;
            add_example(t->wrong_list, sizeof t->wrong_list, t->wrong, "%ld:%ld", task,
                        results[task]);
        }
        t->checksum += (unsigned long)(task + 1) * (unsigned long)results[task];
    }
}

/* One line of examples, with "..." when there were more than shown. */
static void print_examples(const char *what, long count, const char *list)
{
    if (count > 0)
        printf("    %s: %s%s\n", what, list, count > EXAMPLES ? " ..." : "");
}

static void report(long pool, const long *results)
{
    struct tally t;
    tally_tasks(&t, results);
    long most = atomic_load_explicit(&max_running, RELAXED);
    long seen = atomic_load_explicit(&workers_seen, RELAXED);
    long ended = atomic_load_explicit(&workers_ended, RELAXED);
    long still = atomic_load_explicit(&running, RELAXED);
    long on_main = atomic_load_explicit(&main_tasks, RELAXED);
    long bad = atomic_load_explicit(&bad_calls, RELAXED);

    printf("pool of %ld, %ld tasks:\n", pool, task_count);
    printf("  %ld tasks ran exactly once, %ld never ran, %ld ran more than once\n", t.once,
           t.never, t.again);
    print_examples("never ran", t.never, t.never_list);
    print_examples("ran more than once (task:times)", t.again, t.again_list);
    printf("  %ld of %ld results right\n", t.right, task_count);
    print_examples("wrong (task:result)", t.wrong, t.wrong_list);
    printf("  at most %ld tasks ran at once; %ld threads ran tasks, %ld of them had ended\n",
           most, seen, ended);
    int right = t.once == task_count && t.right == task_count && most <= pool &&
                seen <= pool && ended == seen && still == 0 && on_main == 0 && bad == 0;
    printf("%s\n", right ? "correct" : "wrong");

    kit_result("tasks_run_once", "%ld", t.once);
    kit_result("tasks_never_run", "%ld", t.never);
    kit_result("never_run_examples", "%s", t.never_list);
    kit_result("tasks_run_again", "%ld", t.again);
    kit_result("run_again_examples", "%s", t.again_list);
    kit_result("results_right", "%ld", t.right);
    kit_result("wrong_result_examples", "%s", t.wrong_list);
    kit_result("results_checksum", "%lu", t.checksum);
    kit_result("max_running", "%ld", most);
    kit_result("workers", "%ld", seen);
    kit_result("workers_ended", "%ld", ended);
    kit_result("running_at_return", "%ld", still);
    kit_result("main_tasks", "%ld", on_main);
    kit_result("bad_task_calls", "%ld", bad);
}

int main(int argc, char **argv)
{
    /* Line by line even into a pipe: a program that hangs still shows its
     * last steps. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    static const char *const options[] = {"--pool", "--tasks", NULL};
    kit_check_usage(argc, argv, options, "[--pool N] [--tasks N] [--verbose]");
    long pool = kit_option(argc, argv, "pool", 6, 1, MAX_POOL);
    task_count = kit_option(argc, argv, "tasks", 100, 1, MAX_TASKS);
    kit_trace_setup(kit_flag(argc, argv, "--verbose"), "w", INDENT, 1);
    kit_be("main", KIT_NO_NUMBER);

    long *results = malloc(task_count * sizeof *results);
    runs = calloc(task_count, sizeof *runs);
    if (results == NULL || runs == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (long task = 0; task < task_count; task++)
        results[task] = -1; /* no result stored */
    kit_check(pthread_key_create(&worker_key, count_ended_worker), "pthread_key_create");

    run_pool(pool, task_count, results);

    /* run_pool() has joined every worker, if it is right: the counts and
     * results are final. */
    report(pool, results);
    free(runs);
    free(results);
    kit_finish();
    return 0;
}
