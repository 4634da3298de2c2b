/*
 * task_queue.c - 09-condition-variable, reference solution.
 *
 * The bug: a waiting consumer looks at a counter again and again until it
 * is no longer zero.  It reads the counter without the lock while the
 * producer changes it under the lock, which is a data race, and it never
 * stops running while it waits: a whole core is spent on asking "anything
 * yet?" a million times a second.
 *
 * The fix: a condition variable lets a consumer sleep until the producer
 * says something changed.  The consumer locks the queue, and while the
 * queue is empty it calls pthread_cond_wait(), which unlocks, sleeps, and
 * locks again before it returns.  The producer pushes the task under the
 * lock and signals.  The test is a `while`, not an `if`: a woken consumer
 * must look again, because another consumer may have taken the task first
 * (or the wake-up was spurious, which POSIX allows).  The counter is gone:
 * queue_length(), read under the lock, tells the truth.
 */
#include "task_queue.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
/* Signalled whenever a task is added; waited on while the queue is empty. */
static pthread_cond_t task_added = PTHREAD_COND_INITIALIZER;

/* A pthread call fails only when the program itself is wrong: stop loudly. */
static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s failed (error %d)\n", what, rc);
        abort();
    }
}

void submit_task(int task)
{
    must(pthread_mutex_lock(&queue_lock), "pthread_mutex_lock");
    queue_push(task);
    /* One task: one waiting consumer is enough to take it. */
    must(pthread_cond_signal(&task_added), "pthread_cond_signal");
    must(pthread_mutex_unlock(&queue_lock), "pthread_mutex_unlock");
}

int next_task(void)
{
    must(pthread_mutex_lock(&queue_lock), "pthread_mutex_lock");
    /* while, not if: after waking, the queue may be empty again. */
    while (queue_length() == 0)
        must(pthread_cond_wait(&task_added, &queue_lock), "pthread_cond_wait");
    int task = queue_pop();
    must(pthread_mutex_unlock(&queue_lock), "pthread_mutex_unlock");
    return task;
}
