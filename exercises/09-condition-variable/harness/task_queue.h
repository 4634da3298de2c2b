/*
 * task_queue.h - the contract between task_queue.c (yours) and the harness.
 *
 * A producer thread hands tasks 1, 2, ..., TASKS to a pool of CONSUMERS
 * consumer threads through one queue, the way the lecture's
 * ThreadPoolExecutor hands submitted work to its pool.  The producer
 * submits a task every few milliseconds (now and then two at once); each
 * consumer takes tasks until it gets STOP_TASK.  When every task is
 * submitted, the producer submits one STOP_TASK per consumer.
 *
 * The queue itself belongs to the harness: queue_push(), queue_pop() and
 * queue_length() below.  They are not thread-safe: call them only while
 * holding your lock.
 */
#ifndef TASK_QUEUE_H
#define TASK_QUEUE_H

enum {
    NO_TASK = 0,    /* what queue_pop() returns when the queue is empty */
    STOP_TASK = -1, /* "no more work": the consumer that takes it ends */
};

/* ---- implemented by task_queue.c -------------------------------------- */

/* Add TASK to the queue.  Called by the producer only. */
void submit_task(int task);

/* Take the next task from the queue and return it, waiting for the
 * producer while the queue is empty.  Called by every consumer at the same
 * time. */
int next_task(void);

/* ---- offered by the harness ------------------------------------------- */

/* Append TASK at the tail of the queue. */
void queue_push(int task);

/* Remove the task at the head of the queue and return it.  On an empty
 * queue it returns NO_TASK, and the harness counts a take from an empty
 * queue (a consumer that went ahead without a task to take). */
int queue_pop(void);

/* How many tasks are in the queue now. */
int queue_length(void);

/* Print one line for the calling thread, indented by its column, when the
 * program runs with --verbose; otherwise do nothing.  printf-style. */
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* TASK_QUEUE_H */
