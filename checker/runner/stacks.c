/*
 * stacks.c - every thread's backtrace of a deadlocked program, with gdb.
 */
#define _GNU_SOURCE
#include "runner.h"

/* ------------------------------------------------------------------ */
/* Backtraces of a deadlocked program                                 */
/* ------------------------------------------------------------------ */

static void note_in_stacks(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A line of the runner's own in the stacks file, saying why backtraces are
 * missing or incomplete. */
static void note_in_stacks(int fd, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int written = vdprintf(fd, fmt, args);
    va_end(args);
    if (written < 0)
        warn("cannot write to the stacks file: %s", strerror(errno));
}

/* Under valgrind, gdb -p sees only valgrind's own frames; the client's
 * threads are reached through valgrind's gdbserver and vgdb (valgrind's
 * default --vgdb=yes).  Valgrind's tools live in .../valgrind/, e.g.
 * /usr/libexec/valgrind/helgrind-amd64-linux. */
static bool runs_under_valgrind(pid_t pid)
{
    char path[64];
    char exe[PATH_MAX];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    ssize_t length = readlink(path, exe, sizeof exe - 1);
    if (length < 0)
        return false;
    exe[length] = '\0';
    return strstr(exe, "/valgrind/") != NULL;
}

static void exec_gdb(pid_t target, bool valgrind, const char *script,
                     int output_fd) __attribute__((noreturn));

static void exec_gdb(pid_t target, bool valgrind, const char *script,
                     int output_fd)
{
    char attach[64];
    /* Own group, so a stuck gdb can be killed with all it started. */
    if (setpgid(0, 0) != 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        note_in_stacks(output_fd, "run-program: cannot prepare gdb: %s\n",
                       strerror(errno));
        _exit(127);
    }
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
        dup2(output_fd, STDOUT_FILENO) < 0 ||
        dup2(output_fd, STDERR_FILENO) < 0) {
        note_in_stacks(output_fd, "run-program: cannot set up gdb's "
                                  "descriptors: %s\n", strerror(errno));
        _exit(127);
    }
    close_other_fds_on_exec(STDERR_FILENO + 1);
    reset_signals(output_fd);
    if (valgrind) {
        snprintf(attach, sizeof attach, "target remote | vgdb --pid=%d",
                 (int)target);
        execlp("gdb", "gdb", "-batch", "-nx", "-ex", attach, "-ex",
               "thread apply all bt", (char *)NULL);
    } else if (script != NULL) {
        snprintf(attach, sizeof attach, "%d", (int)target);
        execlp("gdb", "gdb", "-p", attach, "-batch", "-nx", "-ex",
               "thread apply all bt", "-x", script, (char *)NULL);
    } else {
        snprintf(attach, sizeof attach, "%d", (int)target);
        execlp("gdb", "gdb", "-p", attach, "-batch", "-nx", "-ex",
               "thread apply all bt", (char *)NULL);
    }
    note_in_stacks(output_fd, "run-program: cannot run gdb: %s\n",
                   strerror(errno));
    _exit(127);
}

/* Waits for PID at most LIMIT_MS; false if it is still running then, or
 * when the runner is told to stop. */
static bool wait_with_limit(pid_t pid, long long limit_ms, int *status)
{
    long long give_up_at = now_ms() + limit_ms;
    for (;;) {
        pid_t done = waitpid(pid, status, WNOHANG);
        if (done == pid)
            return true;
        if (done < 0 && errno != EINTR)
            return false;
        long long left = give_up_at - now_ms();
        if (left <= 0 || stop_requested)
            return false;
        if (!sleep_until_woken(NULL, left < POLL_INTERVAL_MS ? left
                                                       : POLL_INTERVAL_MS))
            pause_ms(POLL_INTERVAL_MS);
    }
}

static void describe_gdb_end(int output_fd, int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return;
    if (WIFEXITED(status))
        note_in_stacks(output_fd, "run-program: gdb failed with exit status "
                                  "%d\n", WEXITSTATUS(status));
    else
        note_in_stacks(output_fd, "run-program: gdb was killed by signal "
                                  "%d\n", WTERMSIG(status));
}

static void stop_gdb(pid_t gdb, int output_fd)
{
    int status;
    if (kill(-gdb, SIGKILL) != 0 && kill(gdb, SIGKILL) != 0)
        warn("cannot stop gdb: %s", strerror(errno));
    if (waitpid(gdb, &status, 0) != gdb)
        warn("cannot reap gdb: %s", strerror(errno));
    if (stop_requested)
        note_in_stacks(output_fd, "run-program: interrupted while gdb ran\n");
    else
        note_in_stacks(output_fd, "run-program: gdb did not finish within "
                                  "%d ms\n", GDB_LIMIT_MS);
}

/* In a sandbox the program knows its threads by the ids of its own pid
 * namespace (the lock bookkeeping records gettid()), gdb by the runner's:
 * one line "KIT-NSPID <runner's id> <program's id>" per thread pairs them. */
static void note_namespace_tids(int fd, pid_t target)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)target);
    DIR *dir = opendir(path);
    if (dir == NULL)
        return;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        pid_t tid = pid_from_name(entry->d_name);
        char status_path[96], text[4096];
        if (tid < 0)
            continue;
        snprintf(status_path, sizeof status_path, "/proc/%d/task/%d/status",
                 (int)target, (int)tid);
        if (!read_proc_file(status_path, text, sizeof text))
            continue;
        const char *line = strstr(text, "\nNSpid:");
        int outer, inner;
        if (line == NULL)
            continue;
        /* The last id on the line is the innermost namespace's. */
        const char *end = strchr(line + 1, '\n');
        const char *last = end != NULL ? end : line + strlen(line);
        while (last > line && (last[-1] < '0' || last[-1] > '9'))
            last--;
        while (last > line && last[-1] >= '0' && last[-1] <= '9')
            last--;
        if (sscanf(line, "\nNSpid: %d", &outer) == 1 &&
            sscanf(last, "%d", &inner) == 1 && outer != inner)
            note_in_stacks(fd, "KIT-NSPID %d %d\n", outer, inner);
    }
    closedir(dir);
}

/* Writes every thread's backtrace to PATH while the program still hangs,
 * so the report can show where each thread is stuck. */
void capture_stacks(const char *path, const char *script,
                           pid_t target)
{
    int output_fd =
        open_private(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND);
    if (output_fd < 0) {
        warn("cannot open --stacks '%s': %s", path, strerror(errno));
        return;
    }
    bool valgrind = runs_under_valgrind(target);
    note_namespace_tids(output_fd, target);
    pid_t gdb = fork();
    if (gdb == 0)
        exec_gdb(target, valgrind, script, output_fd);
    int status;
    if (gdb < 0)
        note_in_stacks(output_fd, "run-program: cannot start gdb: %s\n",
                       strerror(errno));
    else if (wait_with_limit(gdb, GDB_LIMIT_MS, &status))
        describe_gdb_end(output_fd, status);
    else
        stop_gdb(gdb, output_fd);
    close_fd(output_fd);
}

