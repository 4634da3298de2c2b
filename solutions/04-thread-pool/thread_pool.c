/*
 * thread_pool.c - 04-thread-pool, reference solution.
 *
 * The bug: take_next_task() reads next_task, waits, then moves it along,
 * and nothing keeps a second worker out while the first is in between.
 * Two workers that read the same front both run that task, and both add
 * one to next_task, so the front jumps by two and the task after it is
 * never run.  Reading the front and moving it along is a critical section
 * on the shared queue, exactly like the lecture's local_copy example.
 *
 * The fix: one mutex, shared by every worker, held from reading the front
 * to moving it along.  Each worker now takes a task no other worker can
 * take, and the front moves by exactly one per task.  Only taking a task
 * is locked: run_task() runs outside the lock, so the pool's workers still
 * run their tasks side by side.  An atomic fetch-and-add on next_task
 * (atomic_fetch_add) would take the front and move it along in one
 * indivisible step instead.
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

/* The queue: tasks next_task .. task_count - 1 are still waiting.
 * queue_lock protects next_task. */
static long next_task;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;

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
    must(pthread_mutex_lock(&queue_lock), "pthread_mutex_lock");
    long task = next_task;
    trace("front of the queue: task %ld", task);
    simulated_delay(); /* the queue's bookkeeping */
    next_task += 1;
    must(pthread_mutex_unlock(&queue_lock), "pthread_mutex_unlock");
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
