/*
 * main.c - the harness of 09-condition-variable.  Frozen: the checker
 * always builds your task_queue.c with its own copy of this file.
 *
 * usage: condition-variable [--consumers N] [--tasks N] [--verbose]
 *
 * Starts one producer and N consumer threads (default 3).  The producer
 * submits tasks 1 .. TASKS (default 12) a few milliseconds apart, every
 * third one right after the one before it, then one STOP_TASK per
 * consumer.  Each consumer takes tasks with next_task() until it gets
 * STOP_TASK.  At the end the harness prints how often each task was taken,
 * how often a consumer took from an empty queue, and how busy the
 * consumers were while they waited.  --verbose prints every thread's
 * steps, one column per thread.
 */
#include "task_queue.h"
#include "kit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    /* Before most submissions the producer sleeps DELAY_US: far longer
     * than a consumer needs to take a task, so every consumer is waiting
     * again when the next task comes, and a consumer that waits by
     * checking over and over keeps running for the whole run. */
    DELAY_US = 10000,
    INDENT = 22, /* columns between two threads' trace lines */
    MAX_CONSUMERS = 8,
    MAX_TASKS = 32,
    /* Room for every task and STOP_TASK twice over: a submit_task() that
     * pushes a task twice still fits, and the oracle says what went wrong. */
    QUEUE_CAPACITY = 2 * (MAX_TASKS + MAX_CONSUMERS),
};

/* The queue: a ring buffer.  Not thread-safe; task_queue.c locks it. */
static int slots[QUEUE_CAPACITY];
static int head, length;
static long empty_takes; /* queue_pop() calls on an empty queue */

struct consumer {
    long tasks;
    long *taken;              /* taken[t]: how often it took task t */
    long bogus;               /* tasks it got that were never submitted */
    long cpu_us;              /* CPU time it used after the start */
};

struct producer {
    long tasks;
    struct consumer *consumers;
    struct kit_thread *crew;  /* the consumers come first */
    long count;               /* of consumers */
    long looks, awake;        /* consumer states seen, and how many running */
    long work_ms;             /* from the start to the last STOP_TASK */
};

void queue_push(int task)
{
    if (length == QUEUE_CAPACITY) {
        fprintf(stderr, "queue_push: the queue is full (%d tasks)\n", length);
        abort();
    }
    slots[(head + length) % QUEUE_CAPACITY] = task;
    length++;
}

int queue_pop(void)
{
    if (length == 0) {
        empty_takes++;
        return NO_TASK;
    }
    int task = slots[head];
    head = (head + 1) % QUEUE_CAPACITY;
    length--;
    return task;
}

int queue_length(void)
{
    return length;
}

void trace(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    kit_vtrace(fmt, args);
    va_end(args);
}

static long clock_us(clockid_t clock)
{
    struct timespec now;
    if (clock_gettime(clock, &now) != 0) {
        perror("clock_gettime");
        exit(1);
    }
    return now.tv_sec * 1000000L + now.tv_nsec / 1000;
}

/* Every thread begins at the same moment (kit_run_together), so the
 * consumers are waiting when the first task comes. */
static void consume(void *arg)
{
    struct consumer *self = arg;
    /* Only the waiting counts, not starting the thread. */
    long cpu_start = clock_us(CLOCK_THREAD_CPUTIME_ID);
    for (;;) {
        int task = next_task();
        if (task == STOP_TASK) {
            trace("took STOP: done");
            break;
        }
        if (task == NO_TASK) {
            trace("took from an EMPTY queue");
        } else if (task < 1 || task > self->tasks) {
            self->bogus++;
            trace("took %d: never submitted", task);
        } else {
            self->taken[task]++;
            trace("took task %d", task);
        }
    }
    self->cpu_us = clock_us(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
}

/* Sleep, then look at every consumer.  The last task came DELAY_US ago,
 * so each one should be asleep, waiting for the next. */
static void pause_and_look(struct producer *self)
{
    kit_sleep_us(DELAY_US);
    long awake = 0;
    for (long i = 0; i < self->count; i++) {
        char state = kit_thread_state(self->crew[i].tid);
        if (state == '?')
            continue;
        self->looks++;
        awake += state == 'R';
    }
    self->awake += awake;
    if (awake > 0)
        trace("%ld of %ld waiting consumers are running", awake, self->count);
}

static void produce(void *arg)
{
    struct producer *self = arg;
    long started = clock_us(CLOCK_MONOTONIC);
    for (int task = 1; task <= self->tasks; task++) {
        /* Every third task follows the one before it at once: two tasks
         * arrive together, and two consumers must wake for them. */
        if (task % 3 != 0)
            pause_and_look(self);
        trace("submitting task %d", task);
        submit_task(task);
    }
    pause_and_look(self);
    trace("submitting STOP x %ld", self->count);
    for (long i = 0; i < self->count; i++)
        submit_task(STOP_TASK);
    self->work_ms = (clock_us(CLOCK_MONOTONIC) - started) / 1000;
}

static void *checked_calloc(size_t count, size_t size)
{
    void *memory = calloc(count, size);
    if (memory == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return memory;
}

/* Adds up what the consumers took, prints it and reports it. */
static void report(struct producer *producer)
{
    long tasks = producer->tasks, count = producer->count;
    long wrong = 0, bogus = 0, cpu_us = 0;
    char key[32];
    printf("%ld consumers, %ld tasks:\n", count, tasks);
    for (long task = 1; task <= tasks; task++) {
        long taken = 0;
        for (long i = 0; i < count; i++)
            taken += producer->consumers[i].taken[task];
        if (taken != 1) {
            printf("  task %ld was taken %ld times\n", task, taken);
            wrong++;
        }
        snprintf(key, sizeof key, "taken_%ld", task);
        kit_result(key, "%ld", taken);
    }
    for (long i = 0; i < count; i++) {
        bogus += producer->consumers[i].bogus;
        cpu_us += producer->consumers[i].cpu_us;
    }
    if (wrong == 0)
        printf("  every task was taken exactly once\n");
    printf("  takes from an empty queue: %ld\n", empty_takes);
    if (bogus > 0)
        printf("  tasks taken that were never submitted: %ld\n", bogus);
    printf("  waiting consumers found running: %ld of %ld looks\n", producer->awake,
           producer->looks);
    printf("  CPU time of the consumers in the %ld ms the producer worked: %.1f ms\n",
           producer->work_ms, cpu_us / 1000.0);
    kit_result("empty_takes", "%ld", empty_takes);
    kit_result("bogus", "%ld", bogus);
    kit_result("looks", "%ld", producer->looks);
    kit_result("awake", "%ld", producer->awake);
    kit_result("consumer_cpu_us", "%ld", cpu_us);
    kit_result("producer_ms", "%ld", producer->work_ms);
}

int main(int argc, char **argv)
{
    /* Line by line even into a pipe: a program that hangs still shows its
     * last steps. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    static const char *const options[] = {"--consumers", "--tasks", NULL};
    kit_check_usage(argc, argv, options, "[--consumers N] [--tasks N] [--verbose]");
    long count = kit_option(argc, argv, "consumers", 3, 1, MAX_CONSUMERS);
    long tasks = kit_option(argc, argv, "tasks", 12, 1, MAX_TASKS);
    kit_trace_setup(kit_flag(argc, argv, "--verbose"), "c", INDENT, 0);

    struct consumer *consumers = checked_calloc(count, sizeof *consumers);
    struct kit_thread *crew = checked_calloc(count + 1, sizeof *crew);
    for (long i = 0; i < count; i++) {
        consumers[i] = (struct consumer){
            .tasks = tasks, .taken = checked_calloc(tasks + 1, sizeof(long)),
        };
        crew[i] = (struct kit_thread){
            .body = consume, .arg = &consumers[i], .role = "consumer", .number = i + 1,
        };
    }
    struct producer producer = {
        .tasks = tasks, .consumers = consumers, .crew = crew, .count = count,
    };
    crew[count] = (struct kit_thread){
        .body = produce, .arg = &producer, .role = "producer", .number = KIT_NO_NUMBER,
    };
    kit_run_together(crew, count + 1);
    free(crew);

    /* Every thread has been joined: the counts are final. */
    report(&producer);
    for (long i = 0; i < count; i++)
        free(consumers[i].taken);
    free(consumers);
    kit_finish();
    return 0;
}
