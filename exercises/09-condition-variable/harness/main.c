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
#define _GNU_SOURCE
#include "task_queue.h"
#include "kit.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
    /* Before most submissions the producer sleeps DELAY_US: far longer
     * than a consumer needs to take a task, so every consumer is waiting
     * again when the next task comes, and a consumer that waits by
     * checking over and over keeps running for the whole run. */
    DELAY_US = 10000,
    INDENT = 22, /* columns between two threads' trace lines */
    MAX_CONSUMERS = 8,
    MAX_TASKS = 64,
    /* Room for every task and STOP_TASK twice over: a submit_task() that
     * pushes a task twice still fits, and the oracle says what went wrong. */
    QUEUE_CAPACITY = 2 * (MAX_TASKS + MAX_CONSUMERS),
};

/* The queue: a ring buffer.  Not thread-safe; task_queue.c locks it. */
static int slots[QUEUE_CAPACITY];
static int head, length;
static long empty_takes; /* queue_pop() calls on an empty queue */

struct consumer {
    pthread_t thread;
    int id;                   /* 1, 2, ...: its column in the trace */
    pid_t tid;                /* the kernel's id, to look at its state */
    long tasks;
    long *taken;              /* taken[t]: how often it took task t */
    long bogus;               /* tasks it got that were never submitted */
    long cpu_us;              /* CPU time it used after the start */
    pthread_barrier_t *start; /* shared by every thread */
};

struct producer {
    pthread_t thread;
    long tasks;
    struct consumer *consumers;
    long count;               /* of consumers */
    long looks, awake;        /* consumer states seen, and how many running */
    long work_ms;             /* from the start to the last STOP_TASK */
    pthread_barrier_t *start;
};

static int verbose;              /* written before any thread starts */
static _Thread_local int column; /* 0: producer, k: consumer k */

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
    if (!verbose)
        return;
    char line[200];
    va_list args;
    va_start(args, fmt);
    vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    /* One printf per line: stdio locks the stream, so lines never mix. */
    if (column == 0)
        printf("producer: %s\n", line);
    else
        printf("%*sc%d: %s\n", column * INDENT, "", column, line);
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

/* The scheduler's state of thread TID of this process: 'R' while it runs
 * or is ready to run, 'S' while it sleeps (waits on a lock, a condition
 * variable, a semaphore, a timer); '?' when it cannot be read. */
static char thread_state(pid_t tid)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return '?';
    ssize_t size = read(fd, text, sizeof text - 1);
    close(fd);
    if (size <= 0)
        return '?';
    text[size] = '\0';
    /* "tid (name) S ...": the name may hold spaces and parentheses. */
    const char *name_end = strrchr(text, ')');
    return name_end != NULL && name_end[1] == ' ' ? name_end[2] : '?';
}

static void wait_for_start(pthread_barrier_t *start)
{
    int rc = pthread_barrier_wait(start);
    if (rc != PTHREAD_BARRIER_SERIAL_THREAD)
        kit_check(rc, "pthread_barrier_wait");
}

static void *consumer_main(void *arg)
{
    struct consumer *self = arg;
    column = self->id;
    self->tid = gettid();
    kit_name_thread("consumer %d", self->id);
    wait_for_start(self->start);
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
    return NULL;
}

/* Sleep, then look at every consumer.  The last task came DELAY_US ago,
 * so each one should be asleep, waiting for the next. */
static void pause_and_look(struct producer *self)
{
    kit_sleep_us(DELAY_US);
    long awake = 0;
    for (long i = 0; i < self->count; i++) {
        char state = thread_state(self->consumers[i].tid);
        if (state == '?')
            continue;
        self->looks++;
        awake += state == 'R';
    }
    self->awake += awake;
    if (awake > 0)
        trace("%ld of %ld waiting consumers are running", awake, self->count);
}

static void *producer_main(void *arg)
{
    struct producer *self = arg;
    column = 0;
    kit_name_thread("producer");
    wait_for_start(self->start);
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
    return NULL;
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
    verbose = kit_flag(argc, argv, "--verbose");

    pthread_barrier_t start;
    kit_check(pthread_barrier_init(&start, NULL, count + 1), "pthread_barrier_init");
    struct consumer *consumers = checked_calloc(count, sizeof *consumers);
    for (long i = 0; i < count; i++) {
        consumers[i] = (struct consumer){
            .id = i + 1, .tasks = tasks, .start = &start,
            .taken = checked_calloc(tasks + 1, sizeof(long)),
        };
        kit_check(pthread_create(&consumers[i].thread, NULL, consumer_main, &consumers[i]),
                  "pthread_create");
    }
    struct producer producer = {
        .tasks = tasks, .consumers = consumers, .count = count, .start = &start,
    };
    kit_check(pthread_create(&producer.thread, NULL, producer_main, &producer),
              "pthread_create");

    kit_check(pthread_join(producer.thread, NULL), "pthread_join");
    for (long i = 0; i < count; i++)
        kit_check(pthread_join(consumers[i].thread, NULL), "pthread_join");
    kit_check(pthread_barrier_destroy(&start), "pthread_barrier_destroy");

    /* Every thread has been joined: the counts are final. */
    report(&producer);
    for (long i = 0; i < count; i++)
        free(consumers[i].taken);
    free(consumers);
    kit_finish();
    return 0;
}
