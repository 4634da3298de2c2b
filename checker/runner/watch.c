/*
 * watch.c - watching the running program: reading its threads from
 * /proc, and telling a deadlock, a spin and a timeout apart.
 */
#define _GNU_SOURCE
#include "runner.h"

/* ------------------------------------------------------------------ */
/* Reading the program's threads                                      */
/* ------------------------------------------------------------------ */

/*
 * Deadlock detection.
 *
 * Every POLL_INTERVAL_MS the runner reads, for each thread (task) of the
 * program, /proc/PID/task/TID/stat (state, utime, stime), .../syscall (the
 * system call the thread sleeps in, with its arguments) and .../schedstat
 * (how often it has been on a CPU).  Measured on x86-64, Linux 6, glibc
 * 2.36, clang 14, valgrind 3.19:
 *
 *  - pthread_mutex_lock, pthread_cond_wait, pthread_join, sem_wait and
 *    pthread_barrier_wait sleep in futex (202) with a NULL timeout (4th
 *    argument, 5th field of the syscall file): BLOCKED.  Such a thread
 *    wakes up only when another thread of the program does something.
 *  - pthread_cond_timedwait sleeps in futex with a timeout; usleep, sleep
 *    and nanosleep sleep in clock_nanosleep (230).  These wake up by
 *    themselves, so a program with such a thread is not deadlocked.
 *  - ThreadSanitizer's background thread loops over a raw nanosleep (35)
 *    of 100 ms: IGNORED, it is no thread of the program.  It is on a CPU
 *    ten times a second, which is why progress is compared only for the
 *    BLOCKED threads.  (A program calling syscall(SYS_nanosleep) itself
 *    gets the same treatment; libc never makes that call.)
 *  - Under valgrind (Helgrind, with or without --fair-sched=yes) the
 *    program's pid is the tool (helgrind-amd64-linux exec'ed in place) and
 *    each client thread is one of its tasks.  A client thread stuck on a
 *    mutex sits in the client's own futex call, NULL timeout, because
 *    valgrind drops its big lock around blocking system calls; valgrind
 *    adds no task of its own, and the blocked tasks' CPU times and run
 *    counts stay flat.  A thread waiting for valgrind's big lock waits
 *    only while another thread runs, so the program never looks quiet
 *    for long while it computes.
 *  - A thread that exited (state Z, e.g. main after pthread_exit) does
 *    nothing: IGNORED.
 *
 * A deadlock is declared when at least one thread is BLOCKED, all are
 * BLOCKED or IGNORED, and this held for --hang-ms with the same set of
 * threads while no BLOCKED thread used CPU or was scheduled (which catches
 * threads that wake each other up faster than the poll).  A busy-wait keeps
 * a thread runnable (state R) with its CPU time growing, so it is never a
 * deadlock: it runs into the timeout and is reported as spinning.
 *
 * Only PROGRAM's own pid is watched: a wrapper must exec the real program
 * (env, setarch and valgrind do) rather than run it as a child.
 */
static bool is_futex_call(long nr)
{
#ifdef SYS_futex
    if (nr == SYS_futex)
        return true;
#endif
#ifdef SYS_futex_time64
    if (nr == SYS_futex_time64)
        return true;
#endif
    (void)nr;
    return false;
}

static bool is_sanitizer_sleep(long nr)
{
#ifdef SYS_nanosleep
    return nr == SYS_nanosleep;
#else
    (void)nr;
    return false;
#endif
}

/* SYSCALL_LINE is the task's /proc/.../syscall, read when STATE is S. */
static enum task_kind classify_task(char state, const char *syscall_line)
{
    if (state == 'Z' || state == 'X')
        return TASK_IGNORED;
    if (state != 'S')
        return TASK_ACTIVE;
    long nr;
    unsigned long long args[4];
    int fields = sscanf(syscall_line, "%ld %llx %llx %llx %llx", &nr,
                        &args[0], &args[1], &args[2], &args[3]);
    if (fields >= 1 && is_sanitizer_sleep(nr))
        return TASK_IGNORED;
    if (fields == 5 && is_futex_call(nr) && args[3] == 0)
        return TASK_BLOCKED;
    return TASK_ACTIVE;
}

/* Reads a small /proc file in one go; such files are generated whole. */
bool read_proc_file(const char *path, char *text, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t length = read(fd, text, size - 1);
    close_fd(fd);
    if (length < 0)
        return false;
    text[length] = '\0';
    return true;
}

/* The command name (field 2) may hold spaces and parentheses, so fields
 * are counted from the last ')'. */
const char *after_command_name(const char *stat_line)
{
    const char *paren = strrchr(stat_line, ')');
    return paren == NULL ? NULL : paren + 1;
}

static bool parse_task_stat(const char *stat_line, struct task *task)
{
    const char *rest = after_command_name(stat_line);
    unsigned long long utime, stime;
    /* Fields 3 (state) to 15 (stime). */
    if (rest == NULL ||
        sscanf(rest, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
               &task->state, &utime, &stime) != 3)
        return false;
    task->cpu_ticks = utime + stime;
    return true;
}

static bool read_task(pid_t pid, pid_t tid, struct task *task)
{
    char path[64];
    char text[1024];
    char syscall_line[256] = "";
    task->tid = tid;
    snprintf(path, sizeof path, "/proc/%d/task/%d/stat", pid, tid);
    if (!read_proc_file(path, text, sizeof text) ||
        !parse_task_stat(text, task))
        return false;
    if (task->state == 'S') {
        snprintf(path, sizeof path, "/proc/%d/task/%d/syscall", pid, tid);
        if (!read_proc_file(path, syscall_line, sizeof syscall_line))
            return false;
    }
    task->kind = classify_task(task->state, syscall_line);
    /* Field 3 counts the times the task got a CPU; kernels built without
     * schedstat lack the file and then CPU time alone tells progress. */
    snprintf(path, sizeof path, "/proc/%d/task/%d/schedstat", pid, tid);
    task->times_run = 0;
    if (read_proc_file(path, text, sizeof text) &&
        sscanf(text, "%*u %*u %llu", &task->times_run) != 1)
        task->times_run = 0;
    return true;
}

static bool append_task(struct sample *sample, const struct task *task)
{
    if (sample->count == sample->capacity) {
        size_t capacity = sample->capacity == 0 ? 16 : 2 * sample->capacity;
        struct task *tasks =
            realloc(sample->tasks, capacity * sizeof *tasks);
        if (tasks == NULL)
            return false;
        sample->tasks = tasks;
        sample->capacity = capacity;
    }
    sample->tasks[sample->count++] = *task;
    return true;
}

pid_t pid_from_name(const char *name)
{
    char *end = NULL;
    long value = strtol(name, &end, 10);
    if (name[0] < '0' || name[0] > '9' || *end != '\0' || value > INT_MAX)
        return -1;
    return (pid_t)value;
}

static int compare_tids(const void *a, const void *b)
{
    pid_t left = ((const struct task *)a)->tid;
    pid_t right = ((const struct task *)b)->tid;
    return (left > right) - (left < right);
}

static void take_sample(pid_t pid, struct sample *sample, long long now)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    sample->count = 0;
    sample->taken_ms = now;
    DIR *dir = opendir(path);
    sample->complete = dir != NULL;
    if (dir == NULL)
        return;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        pid_t tid = pid_from_name(entry->d_name);
        struct task task;
        if (tid < 0)
            continue;
        /* A thread that ends between readdir and read is no reason to
         * stop; the sample just does not count as quiet. */
        if (!read_task(pid, tid, &task) || !append_task(sample, &task))
            sample->complete = false;
    }
    if (closedir(dir) != 0)
        sample->complete = false;
    qsort(sample->tasks, sample->count, sizeof *sample->tasks, compare_tids);
}

static const struct task *find_task(const struct sample *sample, pid_t tid)
{
    struct task key = { .tid = tid };
    return bsearch(&key, sample->tasks, sample->count, sizeof key,
                   compare_tids);
}

/* ------------------------------------------------------------------ */
/* Deciding: deadlock, spinning                                       */
/* ------------------------------------------------------------------ */

static bool every_task_quiet(const struct sample *sample)
{
    size_t blocked = 0;
    if (!sample->complete)
        return false;
    for (size_t i = 0; i < sample->count; i++) {
        if (sample->tasks[i].kind == TASK_ACTIVE)
            return false;
        blocked += sample->tasks[i].kind == TASK_BLOCKED;
    }
    return blocked > 0;
}

static bool same_tasks_without_progress(const struct sample *before,
                                        const struct sample *now)
{
    if (!before->complete || before->count != now->count)
        return false;
    for (size_t i = 0; i < now->count; i++) {
        const struct task *old = &before->tasks[i];
        const struct task *new = &now->tasks[i];
        if (old->tid != new->tid || old->kind != new->kind)
            return false;
        if (new->kind == TASK_BLOCKED &&
            (old->cpu_ticks != new->cpu_ticks ||
             old->times_run != new->times_run))
            return false;
    }
    return true;
}

static void watch_for_hang(struct run *run, const struct sample *before,
                           const struct sample *now)
{
    if (!every_task_quiet(now))
        run->quiet_since_ms = -1;
    else if (run->quiet_since_ms < 0 ||
             !same_tasks_without_progress(before, now))
        run->quiet_since_ms = now->taken_ms;
}

/* Runnable, or CPU time grown since the sample before: the program is
 * computing or busy-waiting, not blocked. */
static bool some_task_used_cpu(const struct sample *before,
                               const struct sample *now)
{
    for (size_t i = 0; i < now->count; i++) {
        const struct task *task = &now->tasks[i];
        if (task->kind == TASK_IGNORED)
            continue;
        if (task->state == 'R')
            return true;
        const struct task *old = find_task(before, task->tid);
        if (old != NULL && old->cpu_ticks != task->cpu_ticks)
            return true;
    }
    return false;
}

static void note_threads(struct run *run, const struct sample *sample)
{
    run->threads_known = sample->complete && sample->count > 0;
    run->threads = sample->count;
}

static void observe_program(const struct options *opts, struct run *run,
                            long long now)
{
    const struct sample *before = &run->samples[run->latest];
    run->latest ^= 1;
    struct sample *current = &run->samples[run->latest];
    find_sandboxed_program(run);
    if (run->watched > 0)
        take_sample(run->watched, current, now);
    else
        *current = (struct sample){ .tasks = current->tasks,
                                    .capacity = current->capacity,
                                    .taken_ms = now };
    if (some_task_used_cpu(before, current))
        run->last_cpu_use_ms = now;
    watch_for_hang(run, before, current);
    if (opts->hang_ms > 0 && run->quiet_since_ms >= 0 &&
        now - run->quiet_since_ms >= opts->hang_ms) {
        run->outcome = OUTCOME_DEADLOCK;
        run->ended_ms = now;
        run->blocked_ms = now - run->quiet_since_ms;
        note_threads(run, current);
    }
}

static void declare_timeout(struct run *run, long long now)
{
    run->outcome = OUTCOME_TIMEOUT;
    run->ended_ms = now;
    run->spinning = run->last_cpu_use_ms >= 0 &&
                    now - run->last_cpu_use_ms <= SPIN_WINDOW_MS;
    note_threads(run, &run->samples[run->latest]);
}

void watch_program(const struct options *opts, struct run *run)
{
    long long deadline = run->started_ms + opts->timeout_ms;
    long long next_sample = run->started_ms;
    while (run->outcome == OUTCOME_RUNNING) {
        long long now = now_ms();
        long long wake_at = next_sample < deadline ? next_sample : deadline;
        if (now < wake_at && !sleep_until_woken(run, wake_at - now)) {
            fail_run(run, "cannot wait for events: %s", strerror(errno));
            return;
        }
        reap_children(run);
        if (run->outcome != OUTCOME_RUNNING)
            return;
        if (stop_requested) {
            fail_run(run, "interrupted");
            return;
        }
        now = now_ms();
        /* SIGCHLD from descendants wakes the loop too; that is no reason
         * to read /proc more often. */
        if (now >= next_sample || now >= deadline) {
            observe_program(opts, run, now);
            next_sample = now + POLL_INTERVAL_MS;
        }
        if (run->outcome == OUTCOME_RUNNING && now >= deadline)
            declare_timeout(run, now);
    }
}
