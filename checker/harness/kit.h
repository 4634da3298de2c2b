/*
 * kit.h - the runtime every exercise harness links against.
 *
 * It belongs to the checker, not to any exercise, and student files never
 * include it.  It gives harnesses three things:
 *
 *   - option parsing with bounds, so every harness reads "--threads 4" the
 *     same way and rejects nonsense with a clear message;
 *   - kit_result(), the channel that carries results to the checker.  It
 *     writes "key=value" lines to file descriptor 3 when the checker opened
 *     one, so results never travel through stdout, which student code can
 *     print anything to;
 *   - small helpers (sleeping, checked pthread calls) that keep harnesses
 *     short.
 *
 * Every build also links with the flags in link-flags (beside this file):
 * --wrap=fopen, so kit.c sees each fopen() and allows only plain file names
 * in the current directory, and --wrap for the pthread lock calls, so kit.c
 * can keep the lock bookkeeping that explains a deadlock (which thread holds
 * which lock, taken where, and waits for which).
 */
#ifndef KIT_H
#define KIT_H

#include <stdio.h>

/* The value of "--NAME N" in argv, or FALLBACK when absent.  Exits with a
 * usage message when N is not a whole number in [MIN, MAX]. */
long kit_option(int argc, char **argv, const char *name, long fallback,
                long min, long max);

/* Exit with "usage: PROGRAM USAGE" unless every argument is one of OPTIONS
 * followed by its value, or "--verbose".  OPTIONS is a NULL-terminated list
 * such as {"--threads", "--rounds", NULL}: a misspelt option is refused
 * rather than silently ignored. */
void kit_check_usage(int argc, char **argv, const char *const options[],
                     const char *usage);

/* Whether FLAG (such as "--verbose") is among the arguments. */
int kit_flag(int argc, char **argv, const char *flag);

/* Report one result to the checker as "KEY=VALUE".  Does nothing when the
 * program runs outside the checker (descriptor 3 not open). */
void kit_result(const char *key, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Report that the harness reached its end; the checker treats a run without
 * this line as one that did not finish.  Under TSan it then makes the kit's
 * own known race (the tamper canary, which every TSan log must show), and it
 * closes the result channel with the count of lines kit_result wrote.
 * Call it last, once every thread the harness started has been joined. */
void kit_finish(void);

/* Sleep for MICROSECONDS, resuming after signals. */
void kit_sleep_us(long microseconds);

/* Name the calling thread by its role ("worker 2", "consumer"), printf-style,
 * at most 15 characters.  The checker uses these names when it explains a
 * deadlock or a race, so every harness names the threads it starts. */
void kit_name_thread(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Give the object at START (SIZE bytes) a name for explanations, e.g.
 * kit_label(&accounts[i], sizeof accounts[i], "account %d", i): a lock
 * inside it is then called "account 0" rather than by its address. */
void kit_label(const void *start, unsigned long size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Exit with a message naming WHAT when a pthread call returned RC != 0.
 * Call, then check: an assert() around the call would vanish with NDEBUG. */
void kit_check(int rc, const char *what);

/* ---- starting together, tracing, forcing overlap ----------------------
 *
 * Every harness starts its threads the same way, so that their steps
 * overlap on every run, and prints the same --verbose trace, one column
 * per thread.  This section is that one place. */

#include <pthread.h>
#include <stdarg.h>

/* A thread kit_run_together() starts.  The harness fills in the first
 * four fields; the kit fills in the others, TID before any body begins. */
struct kit_thread {
    void (*body)(void *arg); /* what the thread does, once started */
    void *arg;
    const char *role;        /* "worker": named "worker NUMBER" */
    long number;             /* its trace column; KIT_NO_NUMBER: named ROLE */
    pthread_t handle;
    long tid;                /* the kernel's id, for /proc/self/task/TID */
};

enum { KIT_NO_NUMBER = -1 };

/* Start COUNT threads, let none of them begin its body before every one
 * exists (they all begin at the same moment), and join them all.  Each
 * thread is named and traced by its role and number. */
void kit_run_together(struct kit_thread *threads, long count);

/* Give the calling thread a role and number for names and traces, as
 * kit_run_together() does for the threads it starts; KIT_NO_NUMBER for
 * one shown by its role alone ("main", "producer").  The process's own
 * main thread keeps its name. */
void kit_be(const char *role, long number);

/* The calling thread's number.  A thread the harness did not start (a
 * pool's worker, started by student code) gets the next free number,
 * 1, 2, ... in the order threads first ask, and is named ROLE NUMBER. */
long kit_thread_number(const char *role);

/* The scheduler's state of thread TID of this process: 'R' while it runs
 * or is ready to run, 'S' while it sleeps (waits on a lock, a condition
 * variable, a semaphore, a timer); '?' when it cannot be read. */
char kit_thread_state(long tid);

/* How --verbose traces look: nothing unless VERBOSE; otherwise thread N
 * prints "<LETTER>N: line" indented by (N - FIRST_COLUMN) x WIDTH, and a
 * thread shown by role alone prints "<role>: line". */
void kit_trace_setup(int verbose, const char *letter, int width, long first_column);

/* One trace line for the calling thread (printf-style, va_list). */
void kit_vtrace(const char *fmt, va_list args) __attribute__((format(printf, 1, 0)));

/* Sleep MICROSECONDS at an overlap point, then hold the calling thread
 * (one of kit_run_together()'s) until every other one of them has reached
 * an overlap point too (or been at one since), has ended, or sleeps
 * (blocked on a lock, a condition variable, anything): the steps before
 * the overlap point then overlap on every run, whatever the machine's
 * load, not only when the sleep happens to be long enough.  A time cap
 * keeps a thread that never comes from holding the others for long.  The
 * bookkeeping uses relaxed atomics only: it orders nothing between the
 * threads, so it hides no race from ThreadSanitizer.  Under Valgrind,
 * which runs one thread at a time anyway, it only sleeps. */
void kit_overlap_sleep(long microseconds);

/* Whether the program runs under Valgrind (Helgrind). */
int kit_under_valgrind(void);

#endif /* KIT_H */
