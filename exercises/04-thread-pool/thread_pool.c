/*
 * thread_pool.c - 04-thread-pool: the lecture's ThreadPoolExecutor, in C.
 *
 * Scenario: "say there are 6 threads in a pool, and 100 tasks".  run_pool()
 * starts a fixed pool of worker threads.  The tasks wait in a queue, kept
 * here as the number of the task at its front, next_task.  A worker takes
 * the task at the front, moves the front along, runs the task and stores
 * its result, then comes back for the next one until the queue is empty.
 * The pool recycles its threads: six workers run all hundred tasks.
 *
 * Symptom to look for: every task should run exactly once.  Instead some
 * tasks run twice or more and others never run, so their results are
 * missing.  Run with --verbose to see which task each worker takes; build
 * with -fsanitize=thread to have ThreadSanitizer name the lines.
 *
 * Your job: make every task run exactly once, with the pool's workers and
 * no others, for any pool size and number of tasks.  Only this file is
 * yours; keep any helper you add static.
 */
#include "thread_pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* What every worker needs to know; set up before the workers start. */
struct pool {
    long task_count;
    long *results;
};

/* The queue: tasks next_task .. task_count - 1 are still waiting. */
static long next_task;

/* A pthread call fails only when the program itself is wrong: stop loudly. */
static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s failed (error %d)\n", what, rc);
        abort();
    }
}

/* The task at the front of the queue, or -1 when the queue is empty. */
static long take_next_task(const struct pool *pool)
{
    long task = next_task;
    trace("front of the queue: task %ld", task);
    simulated_delay(); /* the queue's bookkeeping */
    next_task += 1;
    if (task >= pool->task_count)
        return -1;
    trace("took task %ld", task);
    return task;
}

static void *worker_main(void *arg)
{
    struct pool *pool = arg;
    long task;
    while ((task = take_next_task(pool)) != -1)
        pool->results[task] = run_task(task);
    trace("queue empty, done");
    return NULL;
}

void run_pool(long pool_size, long task_count, long *results)
{
    struct pool pool = {.task_count = task_count, .results = results};
    pthread_t workers[pool_size];
    for (long i = 0; i < pool_size; i++)
        must(pthread_create(&workers[i], NULL, worker_main, &pool), "pthread_create");
    for (long i = 0; i < pool_size; i++)
        must(pthread_join(workers[i], NULL), "pthread_join");
}
