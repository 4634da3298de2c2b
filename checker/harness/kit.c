/*
 * kit.c - see kit.h.  Compiled into every build the kit makes, with the
 * same warnings as student code.
 */
#define _GNU_SOURCE
#include "kit.h"

#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { KIT_RESULT_FD = 3 };

long kit_option(int argc, char **argv, const char *name, long fallback,
                long min, long max)
{
    for (int i = 1; i + 1 < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0 || strcmp(argv[i] + 2, name) != 0)
            continue;
        char *end = NULL;
        errno = 0;
        long value = strtol(argv[i + 1], &end, 10);
        if (errno != 0 || end == argv[i + 1] || *end != '\0' ||
            value < min || value > max) {
            fprintf(stderr, "%s: --%s takes a whole number from %ld to %ld, "
                            "not '%s'\n", argv[0], name, min, max, argv[i + 1]);
            exit(2);
        }
        return value;
    }
    return fallback;
}

static int is_option(const char *arg, const char *const options[])
{
    for (size_t i = 0; options[i] != NULL; i++)
        if (strcmp(arg, options[i]) == 0)
            return 1;
    return 0;
}

void kit_check_usage(int argc, char **argv, const char *const options[],
                     const char *usage)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--verbose") == 0)
            continue;
        if (is_option(argv[i], options) && i + 1 < argc) {
            i++;
            continue;
        }
        fprintf(stderr, "usage: %s %s\n", argv[0], usage);
        exit(2);
    }
}

int kit_flag(int argc, char **argv, const char *flag)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], flag) == 0)
            return 1;
    return 0;
}

static int result_channel_open(void)
{
    return fcntl(KIT_RESULT_FD, F_GETFD) != -1;
}

void kit_result(const char *key, const char *fmt, ...)
{
    if (!result_channel_open())
        return;
    char value[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(value, sizeof value, fmt, args);
    va_end(args);
    dprintf(KIT_RESULT_FD, "%s=%s\n", key, value);
}

void kit_finish(void)
{
    kit_result("finished", "1");
}

void kit_sleep_us(long microseconds)
{
    struct timespec left = {
        .tv_sec = microseconds / 1000000,
        .tv_nsec = (microseconds % 1000000) * 1000,
    };
    while (nanosleep(&left, &left) == -1 && errno == EINTR)
        continue;
}

void kit_name_thread(const char *fmt, ...)
{
    char name[16]; /* the kernel keeps 15 characters and a NUL */
    va_list args;
    va_start(args, fmt);
    vsnprintf(name, sizeof name, fmt, args);
    va_end(args);
    pthread_setname_np(pthread_self(), name);
}

void kit_check(int rc, const char *what)
{
    if (rc == 0)
        return;
    fprintf(stderr, "%s failed: %s\n", what, strerror(rc));
    exit(1);
}

/*
 * fopen() as the program sees it.  Exercises that write files (02) only
 * need plain names such as "output_1.txt"; refusing paths keeps a program
 * from reopening the checker's files through /proc/self/fd or similar.
 */
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);

static int is_plain_file_name(const char *path)
{
    return path != NULL && path[0] != '\0' && path[0] != '.' &&
           strchr(path, '/') == NULL;
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
#ifdef KIT_ANY_FOPEN /* 'checker/check analyze': someone's own program */
    (void)is_plain_file_name;
#else
    if (!is_plain_file_name(path)) {
        errno = EACCES;
        return NULL;
    }
#endif
    return __real_fopen(path, mode);
}

/*
 * Lock bookkeeping, read by the checker when a run deadlocks.
 *
 * Every lock, trylock, unlock and condition wait of the program passes
 * through the wrappers below.  Each thread records, in a slot of its own,
 * the mutexes it holds (with where it took them) and the one it waits for.
 * Slots are written only by their own thread, with relaxed atomics, and
 * read only by gdb from outside: the bookkeeping adds no synchronisation
 * between threads, so the analyzers see exactly what the program does.
 * The table's layout is read by checker/lib/deadlock.gdb.
 */
enum { KIT_MAX_THREADS = 128, KIT_MAX_HELD = 8, KIT_MAX_LABELS = 64 };

struct kit_thread_locks {
    _Atomic long tid;
    const void *_Atomic waiting_for;
    const void *_Atomic waiting_site;
    const void *_Atomic held[KIT_MAX_HELD];
    const void *_Atomic held_site[KIT_MAX_HELD];
};

struct kit_label_entry {
    const void *start;
    unsigned long size;
    char name[32];
};

/* Not static: gdb reads them by name. */
struct kit_thread_locks kit_lock_table[KIT_MAX_THREADS];
struct kit_label_entry kit_labels[KIT_MAX_LABELS];
_Atomic int kit_label_count;

static _Atomic int lock_slots_taken;
static _Thread_local struct kit_thread_locks *my_locks;

#define RELAXED memory_order_relaxed

/* This thread's slot, or NULL once every slot is taken. */
static struct kit_thread_locks *locks_of_this_thread(void)
{
    if (my_locks == NULL) {
        int slot = atomic_fetch_add_explicit(&lock_slots_taken, 1, RELAXED);
        if (slot >= KIT_MAX_THREADS)
            return NULL;
        my_locks = &kit_lock_table[slot];
        atomic_store_explicit(&my_locks->tid, (long)gettid(), RELAXED);
    }
    return my_locks;
}

static void note_waiting(const void *mutex, const void *site)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    if (mine == NULL)
        return;
    atomic_store_explicit(&mine->waiting_site, site, RELAXED);
    atomic_store_explicit(&mine->waiting_for, mutex, RELAXED);
}

static void note_held(const void *mutex, const void *site)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    if (mine == NULL)
        return;
    for (int i = 0; i < KIT_MAX_HELD; i++) {
        if (atomic_load_explicit(&mine->held[i], RELAXED) == NULL) {
            atomic_store_explicit(&mine->held_site[i], site, RELAXED);
            atomic_store_explicit(&mine->held[i], mutex, RELAXED);
            return;
        }
    }
}

static void note_released(const void *mutex)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    if (mine == NULL)
        return;
    for (int i = KIT_MAX_HELD - 1; i >= 0; i--) {
        if (atomic_load_explicit(&mine->held[i], RELAXED) == mutex) {
            atomic_store_explicit(&mine->held[i], NULL, RELAXED);
            return;
        }
    }
}

void kit_label(const void *start, unsigned long size, const char *fmt, ...)
{
    int index = atomic_fetch_add_explicit(&kit_label_count, 1, RELAXED);
    if (index >= KIT_MAX_LABELS)
        return;
    struct kit_label_entry *label = &kit_labels[index];
    label->start = start;
    label->size = size;
    va_list args;
    va_start(args, fmt);
    vsnprintf(label->name, sizeof label->name, fmt, args);
    va_end(args);
}

int __real_pthread_mutex_lock(pthread_mutex_t *mutex);
int __real_pthread_mutex_trylock(pthread_mutex_t *mutex);
int __real_pthread_mutex_unlock(pthread_mutex_t *mutex);
int __real_pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
int __real_pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                                  const struct timespec *deadline);
int __wrap_pthread_mutex_lock(pthread_mutex_t *mutex);
int __wrap_pthread_mutex_trylock(pthread_mutex_t *mutex);
int __wrap_pthread_mutex_unlock(pthread_mutex_t *mutex);
int __wrap_pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
int __wrap_pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                                  const struct timespec *deadline);

int __wrap_pthread_mutex_lock(pthread_mutex_t *mutex)
{
    const void *site = __builtin_return_address(0);
    note_waiting(mutex, site);
    int rc = __real_pthread_mutex_lock(mutex);
    note_waiting(NULL, NULL);
    if (rc == 0)
        note_held(mutex, site);
    return rc;
}

int __wrap_pthread_mutex_trylock(pthread_mutex_t *mutex)
{
    int rc = __real_pthread_mutex_trylock(mutex);
    if (rc == 0)
        note_held(mutex, __builtin_return_address(0));
    return rc;
}

int __wrap_pthread_mutex_unlock(pthread_mutex_t *mutex)
{
    note_released(mutex);
    return __real_pthread_mutex_unlock(mutex);
}

/* A condition wait gives the mutex up while it sleeps. */
int __wrap_pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
    const void *site = __builtin_return_address(0);
    note_released(mutex);
    int rc = __real_pthread_cond_wait(cond, mutex);
    note_held(mutex, site);
    return rc;
}

int __wrap_pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                                  const struct timespec *deadline)
{
    const void *site = __builtin_return_address(0);
    note_released(mutex);
    int rc = __real_pthread_cond_timedwait(cond, mutex, deadline);
    note_held(mutex, site);
    return rc;
}
