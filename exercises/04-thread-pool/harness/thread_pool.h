/*
 * thread_pool.h - the contract between thread_pool.c (yours) and the
 * harness.
 *
 * The harness calls run_pool() once, with a pool size and a queue of
 * TASK_COUNT tasks numbered 0, 1, ...  run_pool() starts POOL_SIZE worker
 * threads; each takes the next task from the queue, runs it with
 * run_task(), stores the result in results[task], and comes back for
 * another until the queue is empty.  When run_pool() returns, the harness
 * checks that every task ran exactly once with the right result, that no
 * more than POOL_SIZE tasks ever ran at the same time, that no more than
 * POOL_SIZE threads ran tasks, and that every worker had ended.
 */
#ifndef THREAD_POOL_H
#define THREAD_POOL_H

/* ---- implemented by thread_pool.c ------------------------------------- */

/* Run tasks 0 .. TASK_COUNT - 1 on a pool of POOL_SIZE worker threads and
 * store task i's result in RESULTS[i].  Return once every task is done and
 * every worker thread has been joined. */
void run_pool(long pool_size, long task_count, long *results);

/* ---- offered by the harness ------------------------------------------- */

/* Run task TASK (about 300 microseconds of work) and return its result,
 * the sum 0 + 1 + ... + TASK.  Many workers call it at the same time. */
long run_task(long task);

/* The slow part of taking a task from the queue (a real queue's
 * bookkeeping).  The first call in each thread takes 5 milliseconds, later
 * calls about 50 microseconds: workers that start together take their
 * first task at the same time. */
void simulated_delay(void);

/* Print one line for the calling thread, indented by worker number, when
 * the program runs with --verbose; otherwise do nothing.  printf-style. */
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* THREAD_POOL_H */
