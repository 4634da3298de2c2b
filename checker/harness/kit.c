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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

enum { KIT_RESULT_FD = 3 };

/* The lock bookkeeping, at the end of this file. */
static void report_lock_record(void);
static void kit_note_sleeping(int sleeping);
static void kit_note_name(const char *name);

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

/* How many lines kit_result wrote: kit_finish closes the channel with
 * "channel_end=<that count>", so lines that reached descriptor 3 some
 * other way (student code writing to it) show as a count that disagrees. */
static atomic_int result_lines;

void kit_result(const char *key, const char *fmt, ...)
{
    if (!result_channel_open())
        return;
    char value[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(value, sizeof value, fmt, args);
    va_end(args);
    /* One result, one line: a newline in a value would forge a key. */
    for (char *c = value; *c != '\0'; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    atomic_fetch_add(&result_lines, 1);
    dprintf(KIT_RESULT_FD, "%s=%s\n", key, value);
}

/* The real pthread calls behind the kit's wrappers (link-flags' --wrap):
 * the canary below and the thread wrappers further down both use them. */
int __real_pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                          void *(*routine)(void *), void *arg);
int __real_pthread_join(pthread_t thread, void **value);

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define KIT_UNDER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define KIT_UNDER_TSAN 1
#endif

#ifdef KIT_UNDER_TSAN
/*
 * The tamper canary: once the student's code is done, the harness makes
 * one data race of its own, in kit_tamper_canary, which TSan must report
 * in every run.  A run whose log lacks it had TSan's reports silenced or
 * removed, and cannot count as clean (see docs/security.md).
 */
static int kit_canary_cell;
static atomic_int kit_canary_first_done;

/*
 * Both accesses are made here, so the report's two frames are this
 * function's.  The first (main's) is made while the second thread waits;
 * that thread then writes while main is still alive, so TSan finds the race
 * against a live thread whose stack it can always restore.  The wait is a
 * relaxed load, which TSan does not count as synchronisation.
 */
__attribute__((noinline)) static void *kit_tamper_canary(void *second)
{
    if (second != NULL)
        while (!atomic_load_explicit(&kit_canary_first_done, memory_order_relaxed))
            sched_yield();
    kit_canary_cell++;
    atomic_signal_fence(memory_order_seq_cst);
    if (second == NULL)
        atomic_store_explicit(&kit_canary_first_done, 1, memory_order_relaxed);
    return NULL;
}

/* The real pthread calls, not the kit's wrappers: the wrappers' own
 * bookkeeping takes locks, which could order the two accesses and hide the
 * race under some schedules.  Only when the checker listens on the result
 * channel: a student's own 'make run-tsan' shows no race of the kit's. */
static void raise_tamper_canary(void)
{
    pthread_t other;
    if (!result_channel_open())
        return;
    if (__real_pthread_create(&other, NULL, kit_tamper_canary, &other) != 0)
        return;
    kit_tamper_canary(NULL);
    __real_pthread_join(other, NULL);
}
#else
static void raise_tamper_canary(void)
{
}
#endif

void kit_finish(void)
{
    report_lock_record();
    kit_result("finished", "1");
    raise_tamper_canary();
    if (result_channel_open())
        dprintf(KIT_RESULT_FD, "channel_end=%d\n", atomic_load(&result_lines));
}

void kit_sleep_us(long microseconds)
{
    struct timespec left = {
        .tv_sec = microseconds / 1000000,
        .tv_nsec = (microseconds % 1000000) * 1000,
    };
    kit_note_sleeping(1);
    while (nanosleep(&left, &left) == -1 && errno == EINTR)
        continue;
    kit_note_sleeping(0);
}

void kit_name_thread(const char *fmt, ...)
{
    char name[16]; /* the kernel keeps 15 characters and a NUL */
    va_list args;
    va_start(args, fmt);
    vsnprintf(name, sizeof name, fmt, args);
    va_end(args);
    pthread_setname_np(pthread_self(), name);
    kit_note_name(name);
}

void kit_check(int rc, const char *what)
{
    if (rc == 0)
        return;
    fprintf(stderr, "%s failed: %s\n", what, strerror(rc));
    exit(1);
}

/* ---- starting together, tracing, forcing overlap (see kit.h) ---------- */

enum {
    KIT_CREW_MAX = 64,         /* threads kit_overlap_sleep() keeps track of */
    OVERLAP_POLL_US = 20,      /* how often a held thread looks again */
    OVERLAP_CAP_US = 100000,   /* the longest a thread is held */
};

/* One thread of kit_run_together(), as the others see it.  Written by its
 * own thread, read by the others, all relaxed. */
struct crew_member {
    _Atomic long tid;
    _Atomic long visits;   /* overlap points reached so far */
    _Atomic int at_point;  /* inside an overlap point now */
    _Atomic int ended;
};

static struct crew_member crew[KIT_CREW_MAX];
static _Atomic long crew_size;
static _Atomic long numbers_given;

static _Thread_local struct crew_member *my_member;
static _Thread_local const char *my_role;
static _Thread_local long my_number = KIT_NO_NUMBER;
static _Thread_local int has_identity;

static struct {
    int verbose;
    const char *letter;
    int width;
    long first_column;
} trace_style = {0, "t", 0, 1};

void kit_be(const char *role, long number)
{
    my_role = role;
    my_number = number;
    has_identity = 1;
    if (gettid() == getpid())
        return; /* the process's name: leave it */
    if (number == KIT_NO_NUMBER)
        kit_name_thread("%s", role);
    else
        kit_name_thread("%s %ld", role, number);
}

long kit_thread_number(const char *role)
{
    if (!has_identity)
        kit_be(role, atomic_fetch_add_explicit(&numbers_given, 1, memory_order_relaxed) + 1);
    return my_number;
}

void kit_trace_setup(int verbose, const char *letter, int width, long first_column)
{
    trace_style.verbose = verbose;
    trace_style.letter = letter;
    trace_style.width = width;
    trace_style.first_column = first_column;
}

void kit_vtrace(const char *fmt, va_list args)
{
    if (!trace_style.verbose)
        return;
    char line[200];
    vsnprintf(line, sizeof line, fmt, args);
    /* One printf per line: stdio locks the stream, so lines never mix. */
    if (!has_identity || my_number == KIT_NO_NUMBER) {
        printf("%s: %s\n", has_identity ? my_role : "main", line);
        return;
    }
    long indent = (my_number - trace_style.first_column) * trace_style.width;
    printf("%*s%s%ld: %s\n", indent > 0 ? (int)indent : 0, "", trace_style.letter, my_number,
           line);
}

struct start_ticket {
    struct kit_thread *thread;
    struct crew_member *member; /* NULL beyond KIT_CREW_MAX */
    pthread_barrier_t *barrier;
};

static void *begin_crew_thread(void *arg)
{
    struct start_ticket *ticket = arg;
    kit_be(ticket->thread->role, ticket->thread->number);
    ticket->thread->tid = (long)gettid();
    my_member = ticket->member;
    if (my_member != NULL)
        atomic_store_explicit(&my_member->tid, (long)gettid(), memory_order_relaxed);
    /* Nobody starts before every thread exists: they all begin together. */
    int rc = pthread_barrier_wait(ticket->barrier);
    if (rc != PTHREAD_BARRIER_SERIAL_THREAD)
        kit_check(rc, "pthread_barrier_wait");
    ticket->thread->body(ticket->thread->arg);
    if (my_member != NULL)
        atomic_store_explicit(&my_member->ended, 1, memory_order_relaxed);
    return NULL;
}

void kit_run_together(struct kit_thread *threads, long count)
{
    struct start_ticket *tickets = calloc(count, sizeof *tickets);
    pthread_barrier_t barrier;
    if (tickets == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    atomic_store_explicit(&crew_size, count < KIT_CREW_MAX ? count : KIT_CREW_MAX, memory_order_relaxed);
    kit_check(pthread_barrier_init(&barrier, NULL, (unsigned)count), "pthread_barrier_init");
    for (long i = 0; i < count; i++) {
        tickets[i] = (struct start_ticket){
            .thread = &threads[i], .barrier = &barrier,
            .member = i < KIT_CREW_MAX ? &crew[i] : NULL,
        };
        kit_check(pthread_create(&threads[i].handle, NULL, begin_crew_thread, &tickets[i]),
                  "pthread_create");
    }
    for (long i = 0; i < count; i++)
        kit_check(pthread_join(threads[i].handle, NULL), "pthread_join");
    kit_check(pthread_barrier_destroy(&barrier), "pthread_barrier_destroy");
    free(tickets);
}

char kit_thread_state(long tid)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
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

struct sighting {
    long visits;
    int at_point;
};

static int waits_in_the_lock_record(long tid);

/* Whether OTHER need not be waited for: it is at an overlap point, has
 * been at one since SEEN, has ended, or is not running. */
static int need_not_wait_for(struct crew_member *other, struct sighting seen)
{
    if (seen.at_point || atomic_load_explicit(&other->at_point, memory_order_relaxed) ||
        atomic_load_explicit(&other->visits, memory_order_relaxed) != seen.visits ||
        atomic_load_explicit(&other->ended, memory_order_relaxed))
        return 1;
    /* One that waits (for a lock, a condition, ...: the lock record says
     * so even while it is woken and retrying), sleeps, or has gone will not
     * come to an overlap point soon. */
    long tid = atomic_load_explicit(&other->tid, memory_order_relaxed);
    return tid == 0 || waits_in_the_lock_record(tid) || kit_thread_state(tid) != 'R';
}

int kit_under_valgrind(void)
{
    return RUNNING_ON_VALGRIND;
}

void kit_overlap_sleep(long microseconds)
{
    struct crew_member *me = my_member;
    if (me == NULL || kit_under_valgrind()) {
        kit_sleep_us(microseconds);
        return;
    }
    long size = atomic_load_explicit(&crew_size, memory_order_relaxed);
    struct sighting seen[KIT_CREW_MAX];
    for (long i = 0; i < size; i++)
        seen[i] = (struct sighting){
            .visits = atomic_load_explicit(&crew[i].visits, memory_order_relaxed),
            .at_point = atomic_load_explicit(&crew[i].at_point, memory_order_relaxed),
        };
    atomic_store_explicit(&me->at_point, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&me->visits, 1, memory_order_relaxed);
    kit_sleep_us(microseconds);
    for (long waited = 0; waited < OVERLAP_CAP_US; waited += OVERLAP_POLL_US) {
        long i = 0;
        while (i < size && (&crew[i] == me || need_not_wait_for(&crew[i], seen[i])))
            i++;
        if (i == size)
            break;
        kit_sleep_us(OVERLAP_POLL_US);
    }
    atomic_store_explicit(&me->at_point, 0, memory_order_relaxed);
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
 * Lock bookkeeping: what each thread holds and waits for, and the record of
 * how it took its locks.
 *
 * Every lock, trylock, unlock, condition wait, semaphore wait and post,
 * thread creation and join of the program passes through the wrappers
 * below (link-flags).  Each thread keeps, in a slot of its own:
 *
 *   - what it holds and what it waits for right now, read by gdb from
 *     outside when a run deadlocks (checker/lib/deadlock.gdb reads this
 *     layout), so the checker can say who waits for whom;
 *   - the lock-order record: every distinct way it took a lock (which lock,
 *     where, in which mode, holding which other locks, inside which
 *     semaphores), and when it started and joined threads.  The thread that
 *     ends the run reports it through the result channel (report_lock_record),
 *     and checker/lib/lockgraph.jq builds the lock-order graph from it.
 *
 * A slot is written only by its own thread.  Other threads read a few of
 * its fields (forced overlap, below) with relaxed atomics, and the record is
 * read only after its thread was joined.  The bookkeeping adds no
 * synchronisation between threads, so the analyzers see exactly what the
 * program does; Helgrind is told not to check the kit's own tables, which it
 * would otherwise take for racy data of the program.
 */
#include <semaphore.h>
#include <valgrind/helgrind.h>

/* clang's -O1 of the TSan build spends most of a second on this section,
 * on the critical path of every grading; it is bookkeeping, not a hot path. */
#ifdef __clang__
#pragma clang optimize off
#endif

enum {
    KIT_MAX_THREADS = 128,
    KIT_MAX_HELD = 10,         /* locks one thread holds at once */
    KIT_MAX_SEMS = 4,          /* semaphores one thread is inside at once */
    KIT_MAX_ACQUISITIONS = 32, /* distinct ways one thread took a lock */
    KIT_MAX_SEM_NOTES = 8,     /* semaphores one thread set up or posted */
    KIT_MAX_CHILDREN = 64,     /* threads one thread started */
    KIT_MAX_LABELS = 64,
    /* Forced overlap: how long a thread that has just taken its first lock
     * waits for the others to reach theirs. */
    KIT_OVERLAP_CAP_MS = 300,
    KIT_OVERLAP_POLL_US = 100,
};

/* What a blocked thread waits for (deadlock.gdb prints the number). */
enum kit_wait {
    KIT_WAIT_NONE, KIT_WAIT_MUTEX, KIT_WAIT_COND, KIT_WAIT_SEM, KIT_WAIT_JOIN,
    KIT_WAIT_READ, KIT_WAIT_WRITE, KIT_WAIT_BARRIER,
};

/* How far a thread is, for forced overlap. */
enum kit_stage { KIT_STAGE_CREATED, KIT_STAGE_RUNNING, KIT_STAGE_FIRST_LOCK, KIT_STAGE_ENDED };

/* What did not fit in the record: a record that lost anything proves nothing. */
enum kit_overflow {
    KIT_LOST_HELD = 1, KIT_LOST_ACQUISITION = 2, KIT_LOST_SEM = 4,
    KIT_LOST_CHILD = 8, KIT_LOST_LINE = 16,
};

/* One way a thread took a lock.  Mode 'x' is a mutex, 'r'/'w' a read or
 * write hold of a rwlock ('R' on a writer-preferring one, where a waiting
 * writer blocks new readers). */
struct kit_acquisition {
    const void *lock;
    const void *site;
    long epoch;     /* the thread's epoch (see below) when it took it */
    char mode;
    char tried;     /* by trylock or a timed lock: it cannot wait forever */
    int held_count;
    const void *held[KIT_MAX_HELD];
    char held_mode[KIT_MAX_HELD];
    int sem_count;
    const void *sems[KIT_MAX_SEMS];
};

struct kit_sem_note {
    const void *sem;
    long initial;   /* the value sem_init gave it, or -1 */
    int unpaired;   /* posted by a thread that had not waited on it */
};

struct kit_child {
    pthread_t thread;
    int slot;
};

struct kit_join {
    long epoch;     /* the joiner's epoch before the join */
    int slot;       /* the thread joined */
};

/*
 * A thread's epoch counts the threads it started and joined so far: lock
 * acquisitions of different epochs are told apart, so checker/lib/
 * lockgraph.jq can see that, for example, main's audit after joining every
 * worker cannot run at the same time as any worker.
 */
struct kit_thread_locks {
    /* Read by gdb and by other threads, so atomic. */
    _Atomic long tid;
    const void *_Atomic waiting_for;
    const void *_Atomic waiting_site;
    _Atomic int waiting_kind;        /* enum kit_wait */
    _Atomic long waiting_also;       /* a condition's mutex */
    const void *_Atomic held[KIT_MAX_HELD];
    const void *_Atomic held_site[KIT_MAX_HELD];
    _Atomic int stage;               /* enum kit_stage */
    _Atomic int sleeping;            /* in kit_sleep_us */
    /* The record: written by this thread, read after it was joined. */
    char held_mode[KIT_MAX_HELD];
    char name[16];
    int parent;                      /* slot of the thread that started it, or -1 */
    long parent_epoch;
    long epoch;
    int lost;                        /* enum kit_overflow bits */
    int sem_count;
    const void *sems[KIT_MAX_SEMS];  /* semaphores it is inside now */
    int acquisition_count;
    struct kit_acquisition acquisitions[KIT_MAX_ACQUISITIONS];
    int sem_note_count;
    struct kit_sem_note sem_notes[KIT_MAX_SEM_NOTES];
    int child_count;
    struct kit_child children[KIT_MAX_CHILDREN];
    int join_count;
    struct kit_join joins[KIT_MAX_CHILDREN];
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
static _Thread_local int my_slot = -1;

#define RELAXED memory_order_relaxed

__attribute__((constructor)) static void hide_kit_tables_from_helgrind(void)
{
    VALGRIND_HG_DISABLE_CHECKING(kit_lock_table, sizeof kit_lock_table);
    VALGRIND_HG_DISABLE_CHECKING(&lock_slots_taken, sizeof lock_slots_taken);
}

static int claim_slot(void)
{
    int slot = atomic_fetch_add_explicit(&lock_slots_taken, 1, RELAXED);
    return slot < KIT_MAX_THREADS ? slot : -1;
}

static void enter_slot(int slot, int parent, long parent_epoch)
{
    my_slot = slot;
    my_locks = &kit_lock_table[slot];
    my_locks->parent = parent;
    my_locks->parent_epoch = parent_epoch;
    atomic_store_explicit(&my_locks->tid, (long)gettid(), RELAXED);
    atomic_store_explicit(&my_locks->stage, KIT_STAGE_RUNNING, RELAXED);
}

/* This thread's slot, or NULL once every slot is taken.  Threads the kit
 * started get theirs from their parent; main claims one on first use. */
static struct kit_thread_locks *locks_of_this_thread(void)
{
    if (my_locks == NULL) {
        int slot = claim_slot();
        if (slot < 0)
            return NULL;
        enter_slot(slot, -1, 0);
    }
    return my_locks;
}

static void note_waiting(int kind, const void *what, const void *site, long also)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    if (mine == NULL)
        return;
    atomic_store_explicit(&mine->waiting_site, site, RELAXED);
    atomic_store_explicit(&mine->waiting_also, also, RELAXED);
    atomic_store_explicit(&mine->waiting_for, what, RELAXED);
    atomic_store_explicit(&mine->waiting_kind, kind, RELAXED);
}

static void note_done_waiting(void)
{
    note_waiting(KIT_WAIT_NONE, NULL, NULL, 0);
}

static void note_held(struct kit_thread_locks *mine, const void *lock, const void *site, char mode)
{
    for (int i = 0; i < KIT_MAX_HELD; i++) {
        if (atomic_load_explicit(&mine->held[i], RELAXED) == NULL) {
            mine->held_mode[i] = mode;
            atomic_store_explicit(&mine->held_site[i], site, RELAXED);
            atomic_store_explicit(&mine->held[i], lock, RELAXED);
            return;
        }
    }
    mine->lost |= KIT_LOST_HELD;
}

static void note_released(const void *lock)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    if (mine == NULL)
        return;
    for (int i = KIT_MAX_HELD - 1; i >= 0; i--) {
        if (atomic_load_explicit(&mine->held[i], RELAXED) == lock) {
            atomic_store_explicit(&mine->held[i], NULL, RELAXED);
            return;
        }
    }
}

/* The acquisition as it would be recorded now: this thread's held locks
 * and semaphores, in table order. */
static void describe_acquisition(const struct kit_thread_locks *mine, struct kit_acquisition *what)
{
    what->held_count = 0;
    for (int i = 0; i < KIT_MAX_HELD; i++) {
        const void *lock = atomic_load_explicit(&mine->held[i], RELAXED);
        if (lock == NULL)
            continue;
        what->held[what->held_count] = lock;
        what->held_mode[what->held_count] = mine->held_mode[i];
        what->held_count++;
    }
    what->sem_count = mine->sem_count;
    memcpy(what->sems, mine->sems, sizeof what->sems);
}

static int same_acquisition(const struct kit_acquisition *a, const struct kit_acquisition *b)
{
    if (a->lock != b->lock || a->site != b->site || a->epoch != b->epoch ||
        a->mode != b->mode || a->tried != b->tried ||
        a->held_count != b->held_count || a->sem_count != b->sem_count)
        return 0;
    for (int i = 0; i < a->held_count; i++)
        if (a->held[i] != b->held[i] || a->held_mode[i] != b->held_mode[i])
            return 0;
    for (int i = 0; i < a->sem_count; i++)
        if (a->sems[i] != b->sems[i])
            return 0;
    return 1;
}

static void record_acquisition(struct kit_thread_locks *mine, const void *lock,
                               const void *site, char mode, int tried)
{
    struct kit_acquisition now = {
        .lock = lock, .site = site, .epoch = mine->epoch, .mode = mode, .tried = (char)tried,
    };
    describe_acquisition(mine, &now);
    for (int i = 0; i < mine->acquisition_count; i++)
        if (same_acquisition(&mine->acquisitions[i], &now))
            return;
    if (mine->acquisition_count == KIT_MAX_ACQUISITIONS) {
        mine->lost |= KIT_LOST_ACQUISITION;
        return;
    }
    mine->acquisitions[mine->acquisition_count++] = now;
}

static long milliseconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Whether the thread in SLOT cannot take part in a deadlock any sooner
 * than it is now: it has taken its own first lock, waits for something,
 * sleeps in the harness, or has ended. */
static int is_in_place(int slot)
{
    const struct kit_thread_locks *other = &kit_lock_table[slot];
    int stage = atomic_load_explicit(&other->stage, RELAXED);
    return stage == KIT_STAGE_FIRST_LOCK || stage == KIT_STAGE_ENDED ||
           atomic_load_explicit(&other->waiting_kind, RELAXED) != KIT_WAIT_NONE ||
           atomic_load_explicit(&other->sleeping, RELAXED);
}

static int others_in_place(void)
{
    int slots = atomic_load_explicit(&lock_slots_taken, RELAXED);
    if (slots > KIT_MAX_THREADS)
        slots = KIT_MAX_THREADS;
    for (int slot = 0; slot < slots; slot++)
        if (slot != my_slot && !is_in_place(slot))
            return 0;
    return 1;
}

/*
 * Forced overlap.  A thread that has just taken its first lock waits, at
 * most KIT_OVERLAP_CAP_MS, until every other thread has taken its own first
 * lock or is blocked, before it goes on.  Threads that take locks in
 * opposite orders then always hold their first locks at the same moment,
 * so the deadlock forms on every run however loaded the machine is, while
 * threads that agree on an order just go on.  Only polling: the wait adds
 * no synchronisation the analyzers could see.
 */
static void wait_for_the_others(void)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!others_in_place() && milliseconds_since(&start) < KIT_OVERLAP_CAP_MS) {
        struct timespec nap = {.tv_sec = 0, .tv_nsec = KIT_OVERLAP_POLL_US * 1000};
        nanosleep(&nap, NULL);
    }
}

static void took_lock(const void *lock, const void *site, char mode, int tried)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    if (mine == NULL)
        return;
    record_acquisition(mine, lock, site, mode, tried);
    note_held(mine, lock, site, mode);
    if (atomic_load_explicit(&mine->stage, RELAXED) == KIT_STAGE_RUNNING) {
        atomic_store_explicit(&mine->stage, KIT_STAGE_FIRST_LOCK, RELAXED);
        wait_for_the_others();
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
    /* The checker names mutexes in the analyzers' reports by these labels. */
    kit_result("kit_label", "%p %lu %s", start, size, label->name);
}

static void kit_note_sleeping(int sleeping)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    if (mine != NULL)
        atomic_store_explicit(&mine->sleeping, sleeping, RELAXED);
}

static void kit_note_name(const char *name)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    if (mine != NULL)
        snprintf(mine->name, sizeof mine->name, "%s", name);
}

/* ---- mutexes, condition variables, rwlocks ------------------------------ */

#define CALLER __builtin_return_address(0)

int __real_pthread_mutex_lock(pthread_mutex_t *mutex);
int __real_pthread_mutex_trylock(pthread_mutex_t *mutex);
int __real_pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *deadline);
int __real_pthread_mutex_unlock(pthread_mutex_t *mutex);
int __real_pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
int __real_pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                                  const struct timespec *deadline);
int __real_pthread_rwlock_rdlock(pthread_rwlock_t *rwlock);
int __real_pthread_rwlock_wrlock(pthread_rwlock_t *rwlock);
int __real_pthread_rwlock_tryrdlock(pthread_rwlock_t *rwlock);
int __real_pthread_rwlock_trywrlock(pthread_rwlock_t *rwlock);
int __real_pthread_rwlock_unlock(pthread_rwlock_t *rwlock);
int __wrap_pthread_mutex_lock(pthread_mutex_t *mutex);
int __wrap_pthread_mutex_trylock(pthread_mutex_t *mutex);
int __wrap_pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *deadline);
int __wrap_pthread_mutex_unlock(pthread_mutex_t *mutex);
int __wrap_pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
int __wrap_pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                                  const struct timespec *deadline);
int __wrap_pthread_rwlock_rdlock(pthread_rwlock_t *rwlock);
int __wrap_pthread_rwlock_wrlock(pthread_rwlock_t *rwlock);
int __wrap_pthread_rwlock_tryrdlock(pthread_rwlock_t *rwlock);
int __wrap_pthread_rwlock_trywrlock(pthread_rwlock_t *rwlock);
int __wrap_pthread_rwlock_unlock(pthread_rwlock_t *rwlock);

int __wrap_pthread_mutex_lock(pthread_mutex_t *mutex)
{
    const void *site = CALLER;
    note_waiting(KIT_WAIT_MUTEX, mutex, site, 0);
    int rc = __real_pthread_mutex_lock(mutex);
    note_done_waiting();
    if (rc == 0)
        took_lock(mutex, site, 'x', 0);
    return rc;
}

int __wrap_pthread_mutex_trylock(pthread_mutex_t *mutex)
{
    int rc = __real_pthread_mutex_trylock(mutex);
    if (rc == 0)
        took_lock(mutex, CALLER, 'x', 1);
    return rc;
}

int __wrap_pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *deadline)
{
    const void *site = CALLER;
    note_waiting(KIT_WAIT_MUTEX, mutex, site, 0);
    int rc = __real_pthread_mutex_timedlock(mutex, deadline);
    note_done_waiting();
    if (rc == 0)
        took_lock(mutex, site, 'x', 1);
    return rc;
}

int __wrap_pthread_mutex_unlock(pthread_mutex_t *mutex)
{
    note_released(mutex);
    return __real_pthread_mutex_unlock(mutex);
}

/* A condition wait gives the mutex up while it sleeps, and takes it again
 * before it returns: that is an acquisition like any other. */
int __wrap_pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
    const void *site = CALLER;
    note_released(mutex);
    note_waiting(KIT_WAIT_COND, cond, site, (long)mutex);
    int rc = __real_pthread_cond_wait(cond, mutex);
    note_done_waiting();
    took_lock(mutex, site, 'x', 0);
    return rc;
}

int __wrap_pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                                  const struct timespec *deadline)
{
    const void *site = CALLER;
    note_released(mutex);
    note_waiting(KIT_WAIT_COND, cond, site, (long)mutex);
    int rc = __real_pthread_cond_timedwait(cond, mutex, deadline);
    note_done_waiting();
    took_lock(mutex, site, 'x', 0);
    return rc;
}

/* glibc keeps the kind of a rwlock in it: with the default (readers first)
 * a reader never waits for another reader, even when a writer waits. */
static char read_mode(const pthread_rwlock_t *rwlock)
{
    return rwlock->__data.__flags == PTHREAD_RWLOCK_PREFER_READER_NP ? 'r' : 'R';
}

int __wrap_pthread_rwlock_rdlock(pthread_rwlock_t *rwlock)
{
    const void *site = CALLER;
    note_waiting(KIT_WAIT_READ, rwlock, site, 0);
    int rc = __real_pthread_rwlock_rdlock(rwlock);
    note_done_waiting();
    if (rc == 0)
        took_lock(rwlock, site, read_mode(rwlock), 0);
    return rc;
}

int __wrap_pthread_rwlock_wrlock(pthread_rwlock_t *rwlock)
{
    const void *site = CALLER;
    note_waiting(KIT_WAIT_WRITE, rwlock, site, 0);
    int rc = __real_pthread_rwlock_wrlock(rwlock);
    note_done_waiting();
    if (rc == 0)
        took_lock(rwlock, site, 'w', 0);
    return rc;
}

int __wrap_pthread_rwlock_tryrdlock(pthread_rwlock_t *rwlock)
{
    int rc = __real_pthread_rwlock_tryrdlock(rwlock);
    if (rc == 0)
        took_lock(rwlock, CALLER, read_mode(rwlock), 1);
    return rc;
}

int __wrap_pthread_rwlock_trywrlock(pthread_rwlock_t *rwlock)
{
    int rc = __real_pthread_rwlock_trywrlock(rwlock);
    if (rc == 0)
        took_lock(rwlock, CALLER, 'w', 1);
    return rc;
}

int __wrap_pthread_rwlock_unlock(pthread_rwlock_t *rwlock)
{
    note_released(rwlock);
    return __real_pthread_rwlock_unlock(rwlock);
}

/* ---- semaphores and barriers -------------------------------------------- */

static struct kit_sem_note *sem_note(struct kit_thread_locks *mine, const void *sem)
{
    for (int i = 0; i < mine->sem_note_count; i++)
        if (mine->sem_notes[i].sem == sem)
            return &mine->sem_notes[i];
    if (mine->sem_note_count == KIT_MAX_SEM_NOTES) {
        mine->lost |= KIT_LOST_SEM;
        return NULL;
    }
    struct kit_sem_note *note = &mine->sem_notes[mine->sem_note_count++];
    *note = (struct kit_sem_note){.sem = sem, .initial = -1};
    return note;
}

/* The thread is now inside SEM: it counts against the semaphore's value. */
static void entered_sem(const void *sem)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    if (mine == NULL)
        return;
    if (mine->sem_count == KIT_MAX_SEMS) {
        mine->lost |= KIT_LOST_SEM;
        return;
    }
    mine->sems[mine->sem_count++] = sem;
}

/* A post by a thread inside SEM lets it out; any other post raises the
 * number of threads the semaphore admits, so it bounds nothing. */
static void posted_sem(const void *sem)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    if (mine == NULL)
        return;
    for (int i = mine->sem_count - 1; i >= 0; i--) {
        if (mine->sems[i] == sem) {
            memmove(&mine->sems[i], &mine->sems[i + 1], (mine->sem_count - i - 1) * sizeof mine->sems[0]);
            mine->sem_count--;
            return;
        }
    }
    struct kit_sem_note *note = sem_note(mine, sem);
    if (note != NULL)
        note->unpaired = 1;
}

int __real_sem_init(sem_t *sem, int shared, unsigned value);
int __real_sem_wait(sem_t *sem);
int __real_sem_trywait(sem_t *sem);
int __real_sem_timedwait(sem_t *sem, const struct timespec *deadline);
int __real_sem_post(sem_t *sem);
int __real_pthread_barrier_wait(pthread_barrier_t *barrier);
int __wrap_sem_init(sem_t *sem, int shared, unsigned value);
int __wrap_sem_wait(sem_t *sem);
int __wrap_sem_trywait(sem_t *sem);
int __wrap_sem_timedwait(sem_t *sem, const struct timespec *deadline);
int __wrap_sem_post(sem_t *sem);
int __wrap_pthread_barrier_wait(pthread_barrier_t *barrier);

int __wrap_sem_init(sem_t *sem, int shared, unsigned value)
{
    int rc = __real_sem_init(sem, shared, value);
    struct kit_thread_locks *mine = locks_of_this_thread();
    struct kit_sem_note *note = rc == 0 && mine != NULL ? sem_note(mine, sem) : NULL;
    if (note != NULL)
        note->initial = note->initial < 0 ? (long)value : -2; /* set up twice: unknown */
    return rc;
}

int __wrap_sem_wait(sem_t *sem)
{
    note_waiting(KIT_WAIT_SEM, sem, CALLER, 0);
    int rc = __real_sem_wait(sem);
    note_done_waiting();
    if (rc == 0)
        entered_sem(sem);
    return rc;
}

int __wrap_sem_trywait(sem_t *sem)
{
    int rc = __real_sem_trywait(sem);
    if (rc == 0)
        entered_sem(sem);
    return rc;
}

int __wrap_sem_timedwait(sem_t *sem, const struct timespec *deadline)
{
    note_waiting(KIT_WAIT_SEM, sem, CALLER, 0);
    int rc = __real_sem_timedwait(sem, deadline);
    note_done_waiting();
    if (rc == 0)
        entered_sem(sem);
    return rc;
}

int __wrap_sem_post(sem_t *sem)
{
    posted_sem(sem);
    return __real_sem_post(sem);
}

int __wrap_pthread_barrier_wait(pthread_barrier_t *barrier)
{
    note_waiting(KIT_WAIT_BARRIER, barrier, CALLER, 0);
    int rc = __real_pthread_barrier_wait(barrier);
    note_done_waiting();
    return rc;
}

/* ---- threads -------------------------------------------------------------- */

struct kit_start {
    void *(*routine)(void *);
    void *arg;
    int slot, parent;
    long parent_epoch;
};

void __real_pthread_exit(void *value) __attribute__((noreturn));
int __wrap_pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                          void *(*routine)(void *), void *arg);
int __wrap_pthread_join(pthread_t thread, void **value);
void __wrap_pthread_exit(void *value) __attribute__((noreturn));

static void note_ended(void)
{
    if (my_locks != NULL)
        atomic_store_explicit(&my_locks->stage, KIT_STAGE_ENDED, RELAXED);
}

static void *start_thread(void *arg)
{
    struct kit_start start = *(struct kit_start *)arg;
    free(arg);
    if (start.slot >= 0)
        enter_slot(start.slot, start.parent, start.parent_epoch);
    void *value = start.routine(start.arg);
    note_ended();
    return value;
}

int __wrap_pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                          void *(*routine)(void *), void *arg)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    struct kit_start *start = malloc(sizeof *start);
    if (start == NULL)
        return EAGAIN;
    *start = (struct kit_start){
        .routine = routine, .arg = arg, .slot = claim_slot(),
        .parent = my_slot, .parent_epoch = mine != NULL ? mine->epoch : 0,
    };
    int slot = start->slot;
    int rc = __real_pthread_create(thread, attr, start_thread, start);
    if (rc != 0) {
        free(start);
        if (slot >= 0) /* never runs: nobody waits for it */
            atomic_store_explicit(&kit_lock_table[slot].stage, KIT_STAGE_ENDED, RELAXED);
        return rc;
    }
    if (mine == NULL)
        return rc;
    if (slot < 0 || mine->child_count == KIT_MAX_CHILDREN)
        mine->lost |= KIT_LOST_CHILD;
    else
        mine->children[mine->child_count++] = (struct kit_child){.thread = *thread, .slot = slot};
    mine->epoch++;
    return rc;
}

static int slot_of_child(const struct kit_thread_locks *mine, pthread_t thread)
{
    for (int i = mine->child_count - 1; i >= 0; i--)
        if (pthread_equal(mine->children[i].thread, thread))
            return mine->children[i].slot;
    return -1;
}

/* A join orders everything the joined thread did before what the joiner
 * does next.  A thread joined by another than its parent is not found:
 * its record stays out of reach, and the record says it is incomplete. */
int __wrap_pthread_join(pthread_t thread, void **value)
{
    struct kit_thread_locks *mine = locks_of_this_thread();
    int child = mine != NULL ? slot_of_child(mine, thread) : -1;
    /* The pthread_t is what gdb's thread list shows: it names the thread. */
    note_waiting(KIT_WAIT_JOIN, (const void *)(uintptr_t)thread, CALLER, 0);
    int rc = __real_pthread_join(thread, value);
    note_done_waiting();
    if (rc != 0 || mine == NULL)
        return rc;
    if (child >= 0 && mine->join_count < KIT_MAX_CHILDREN)
        mine->joins[mine->join_count++] = (struct kit_join){.epoch = mine->epoch, .slot = child};
    mine->epoch++;
    return rc;
}

void __wrap_pthread_exit(void *value)
{
    note_ended();
    __real_pthread_exit(value);
}

/* ---- the record, reported at the end of the run ----------------------------- */

/* Appends "<address>:<mode>" (or "<address>") to the list in LINE; 0 when
 * LINE is full. */
static int append_item(char *line, size_t size, const void *address, char mode)
{
    size_t used = strlen(line);
    int wrote = mode != 0 ? snprintf(line + used, size - used, "%s%p:%c", used > 0 ? "," : "", address, mode)
                          : snprintf(line + used, size - used, "%s%p", used > 0 ? "," : "", address);
    return wrote > 0 && (size_t)wrote < size - used;
}

static int report_acquisition(int slot, const struct kit_acquisition *what)
{
    char held[200] = "", sems[80] = "";
    int fits = 1;
    for (int i = 0; i < what->held_count; i++)
        fits &= append_item(held, sizeof held, what->held[i], what->held_mode[i]);
    for (int i = 0; i < what->sem_count; i++)
        fits &= append_item(sems, sizeof sems, what->sems[i], 0);
    kit_result("lockgraph_acquired", "%d %ld %p %c%s %p held=%s sems=%s", slot, what->epoch,
               what->lock, what->mode, what->tried ? "t" : "", what->site, held, sems);
    return fits;
}

/* One thread's part of the record; the number of lines it wrote. */
static int report_thread(int slot, int *lost)
{
    const struct kit_thread_locks *t = &kit_lock_table[slot];
    int lines = 1;
    *lost |= t->lost;
    kit_result("lockgraph_thread", "%d %d %ld %ld %s", slot, t->parent, t->parent_epoch,
               t->epoch, t->name[0] != '\0' ? t->name : "-");
    for (int i = 0; i < t->join_count; i++, lines++)
        kit_result("lockgraph_join", "%d %ld %d", slot, t->joins[i].epoch, t->joins[i].slot);
    for (int i = 0; i < t->acquisition_count; i++, lines++)
        if (!report_acquisition(slot, &t->acquisitions[i]))
            *lost |= KIT_LOST_LINE;
    for (int i = 0; i < t->sem_note_count; i++, lines++)
        kit_result("lockgraph_sem", "%p %ld %d", t->sem_notes[i].sem, t->sem_notes[i].initial,
                   t->sem_notes[i].unpaired);
    return lines;
}

/*
 * Reports the record of this thread and of every thread it joined, and of
 * every thread those joined, and so on: those are the threads whose
 * record is complete and safe to read.  "lockgraph_end=<lines> <threads
 * left out> <lost>" closes it; checker/lib/lockgraph.jq trusts a record
 * only when that line is there, agrees with the lines above it, and says
 * nothing was left out or lost.
 */
static void report_lock_record(void)
{
    static atomic_flag reported = ATOMIC_FLAG_INIT;
    if (atomic_flag_test_and_set(&reported) || locks_of_this_thread() == NULL)
        return;
    int slots = atomic_load_explicit(&lock_slots_taken, RELAXED);
    if (slots > KIT_MAX_THREADS)
        slots = KIT_MAX_THREADS;
    int queue[KIT_MAX_THREADS], reached[KIT_MAX_THREADS] = {0};
    int head = 0, tail = 0, lines = 1, lost = slots == KIT_MAX_THREADS ? KIT_LOST_CHILD : 0;
    queue[tail++] = my_slot;
    reached[my_slot] = 1;
    kit_result("lockgraph_begin", "%p", (const void *)kit_label);
    while (head < tail) {
        int slot = queue[head++];
        lines += report_thread(slot, &lost);
        const struct kit_thread_locks *t = &kit_lock_table[slot];
        for (int i = 0; i < t->join_count; i++) {
            int child = t->joins[i].slot;
            if (!reached[child]) {
                reached[child] = 1;
                queue[tail++] = child;
            }
        }
    }
    int left_out = 0;
    for (int slot = 0; slot < slots; slot++)
        left_out += !reached[slot] && atomic_load_explicit(&kit_lock_table[slot].tid, RELAXED) != 0;
    int labels = atomic_load_explicit(&kit_label_count, RELAXED);
    for (int i = 0; i < labels && i < KIT_MAX_LABELS; i++, lines++)
        kit_result("lockgraph_label", "%p %lu %s", kit_labels[i].start, kit_labels[i].size,
                   kit_labels[i].name);
    kit_result("lockgraph_end", "%d %d %d", lines, left_out, lost);
}

/* A program of someone's own ('checker/check analyze') has no kit_finish. */
__attribute__((destructor)) static void report_lock_record_at_exit(void)
{
    report_lock_record();
}

/* For the overlap points: whether thread TID waits, as the lock record
 * (above) has it.  Relaxed reads: nothing is ordered by looking. */
static int waits_in_the_lock_record(long tid)
{
    for (int i = 0; i < KIT_MAX_THREADS; i++)
        if (atomic_load_explicit(&kit_lock_table[i].tid, RELAXED) == tid)
            return atomic_load_explicit(&kit_lock_table[i].waiting_for, RELAXED) != NULL;
    return 0;
}
