/*
 * task_queue.c - 09-condition-variable: a pool of consumers waiting for work.
 *
 * Scenario: a producer submits tasks one by one, a few milliseconds apart,
 * and a pool of consumer threads takes them from one shared queue, like
 * the lecture's ThreadPoolExecutor hands submitted work to its threads.
 * The queue itself is the harness's (queue_push, queue_pop, queue_length);
 * this file decides how a consumer waits until there is a task to take.
 * Here a consumer watches a counter of waiting tasks, looking again and
 * again until it is no longer zero.
 *
 * Symptom to look for: every task arrives, but the program's last line
 * shows the consumers using about as much CPU time as the whole run lasts
 * (or more): while they wait they never stop running.  Build with
 * -fsanitize=thread and ThreadSanitizer names the counter they watch.
 * Run with --verbose to see who takes which task.
 *
 * Your job: make a waiting consumer use no CPU until a task is there, with
 * every task taken exactly once and never a take from an empty queue.
 * Only this file is yours; keep any helper you add static.
 */
#include "task_queue.h"

#include <pthread.h>
#include <sched.h>

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;

/* How many tasks are in the queue: consumers watch it to see work arrive. */
static int tasks_waiting;

void submit_task(int task)
{
    pthread_mutex_lock(&queue_lock);
    queue_push(task);
    tasks_waiting++;
    pthread_mutex_unlock(&queue_lock);
}

int next_task(void)
{
    int task = NO_TASK;
    while (task == NO_TASK) {
        /* Nothing there yet: look again until the producer adds a task. */
        while (tasks_waiting == 0)
            sched_yield(); /* let the producer run */
        pthread_mutex_lock(&queue_lock);
        if (tasks_waiting > 0) { /* another consumer may have been faster */
            task = queue_pop();
            tasks_waiting--;
        }
        pthread_mutex_unlock(&queue_lock);
    }
    return task;
}
