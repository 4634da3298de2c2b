/*
 * sandbox.c - starting the program in its sandbox, and the limits it runs
 * under.
 *
 * With --sandbox FILE the runner execs bubblewrap with the options in FILE
 * (NUL-separated, read by bwrap from a descriptor, so no path of the
 * grader's shows in the sandbox's /proc/1/cmdline), an empty environment
 * (the program's own comes from --setenv in FILE), and --info-fd, on which
 * bwrap names the pid of the sandbox's pid 1.  The program is that
 * process's one child; its pid, in the runner's pid namespace, is the one
 * whose threads are watched and whose stacks gdb reads.
 *
 * bwrap is not asked to run the program as pid 1 (--as-pid-1): pid 1 of a
 * namespace ignores signals it has no handler for, so abort() and
 * Valgrind's "terminate with the default action" (measured: "the
 * 'impossible' happened: signal was supposed to be fatal") misbehave.  Its
 * own pid 1 passes the program's end on as bwrap's exit status, 128 + N
 * for signal N, which decode_sandbox_status turns back into a signal.
 *
 * --cgroup, --cpu-seconds and --max-tasks hold with or without a sandbox;
 * --uid/--gid drop root before exec where no sandbox could be started.
 */
#define _GNU_SOURCE
#include "runner.h"

enum { SANDBOX_START_LIMIT_MS = 10000 };

bool open_sandbox(const struct options *opts, struct run *run)
{
    run->sandbox_args_fd = run->sandbox_info_fd = -1;
    run->sandbox_info_fd_child = -1;
    if (opts->sandbox_args == NULL)
        return true;
    run->sandboxed = true;
    run->sandbox_args_fd = open_private(opts->sandbox_args, O_RDONLY);
    if (run->sandbox_args_fd < 0) {
        fail_run(run, "cannot open --sandbox '%s': %s", opts->sandbox_args,
                 strerror(errno));
        return false;
    }
    int info[2];
    if (pipe2(info, O_CLOEXEC) != 0) {
        fail_run(run, "cannot create a pipe: %s", strerror(errno));
        return false;
    }
    run->sandbox_info_fd = move_fd_high(info[0]);
    run->sandbox_info_fd_child = move_fd_high(info[1]);
    if (run->sandbox_info_fd < 0 || run->sandbox_info_fd_child < 0) {
        fail_run(run, "cannot move a pipe: %s", strerror(errno));
        return false;
    }
    return true;
}

/* What only the child needs; the runner keeps the reading end of the info
 * pipe until read_sandbox_info has read it. */
void close_sandbox_child_fds(struct run *run)
{
    close_fd(run->sandbox_args_fd);
    close_fd(run->sandbox_info_fd_child);
    run->sandbox_args_fd = run->sandbox_info_fd_child = -1;
}

/* bwrap writes {"child-pid": N, ...} once the sandbox's pid 1 exists; an
 * end of file before that means bwrap could not build the sandbox (it says
 * why on the program's stderr). */
void read_sandbox_info(struct run *run)
{
    char text[1024];
    size_t length = 0;
    long long give_up_at = now_ms() + SANDBOX_START_LIMIT_MS;
    while (length < sizeof text - 1 && memchr(text, '}', length) == NULL) {
        struct pollfd ready = { .fd = run->sandbox_info_fd, .events = POLLIN };
        long long left = give_up_at - now_ms();
        if (left <= 0 || poll(&ready, 1, (int)left) == 0)
            break;
        ssize_t got = read(run->sandbox_info_fd, text + length,
                           sizeof text - 1 - length);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        length += (size_t)got;
    }
    text[length] = '\0';
    close_fd(run->sandbox_info_fd);
    run->sandbox_info_fd = -1;
    const char *key = strstr(text, "\"child-pid\":");
    int pid;
    if (key == NULL || sscanf(key + strlen("\"child-pid\":"), " %d", &pid) != 1 ||
        pid <= 0) {
        fail_run(run, "the sandbox did not start (bwrap gave no child pid; "
                      "its message is on the program's stderr)");
        return;
    }
    run->sandbox_init = (pid_t)pid;
}

/* The program is the one child of the sandbox's pid 1, once that has
 * built the sandbox and forked; until then nothing is watched. */
void find_sandboxed_program(struct run *run)
{
    if (run->watched > 0 || run->sandbox_init <= 0)
        return;
    char path[64], text[256];
    snprintf(path, sizeof path, "/proc/%d/task/%d/children",
             (int)run->sandbox_init, (int)run->sandbox_init);
    int pid;
    if (read_proc_file(path, text, sizeof text) && sscanf(text, "%d", &pid) == 1)
        run->watched = (pid_t)pid;
}

/* bwrap ends with the program's exit status, or 128 + N when signal N
 * killed it.  A program that exits with 129 or more on its own is taken for
 * killed: it only ever makes its own run fail. */
int decode_sandbox_status(const struct run *run, int status)
{
    if (!run->sandboxed || !WIFEXITED(status))
        return status;
    int code = WEXITSTATUS(status);
    if (code > 128 && code < 128 + 65)
        return code - 128; /* the wait status of "killed by signal N" */
    return status;
}

void join_cgroups(const struct options *opts, int status_fd)
{
    for (size_t i = 0; i < opts->cgroup_count; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/cgroup.procs", opts->cgroups[i]);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "0\n", 2) != 2)
            child_fail(status_fd, "cannot join cgroup '%s': %s",
                       opts->cgroups[i], strerror(errno));
        close(fd);
    }
}

static void set_limit(int resource, rlim_t soft, rlim_t hard,
                      const char *name, int status_fd)
{
    struct rlimit limit = { soft, hard };
    if (setrlimit(resource, &limit) != 0)
        child_fail(status_fd, "cannot set %s: %s", name, strerror(errno));
}

/* CPU time: SIGXCPU at the limit, SIGKILL a second later.  Tasks: counted
 * per real user id, so it binds only a program that runs as a uid of its
 * own (not root, whom the kernel exempts); the cgroup is the real bound. */
void limit_tasks_and_cpu(const struct options *opts, int status_fd)
{
    if (opts->cpu_seconds > 0)
        set_limit(RLIMIT_CPU, (rlim_t)opts->cpu_seconds,
                  (rlim_t)opts->cpu_seconds + 1, "RLIMIT_CPU", status_fd);
    if (opts->max_tasks > 0)
        set_limit(RLIMIT_NPROC, (rlim_t)opts->max_tasks,
                  (rlim_t)opts->max_tasks, "RLIMIT_NPROC", status_fd);
}

void become_user(const struct options *opts, int status_fd)
{
    if (opts->uid < 0)
        return;
    if (setgroups(0, NULL) != 0 || setresgid((gid_t)opts->gid,
        (gid_t)opts->gid, (gid_t)opts->gid) != 0 ||
        setresuid((uid_t)opts->uid, (uid_t)opts->uid, (uid_t)opts->uid) != 0)
        child_fail(status_fd, "cannot become uid %lld: %s", opts->uid,
                   strerror(errno));
}

static void move_to(int fd, int number, int status_fd)
{
    if (dup2(fd, number) < 0)
        child_fail(status_fd, "cannot set up the sandbox: %s",
                   strerror(errno));
}

void exec_in_sandbox(const struct options *opts, const struct run *run,
                     int status_fd)
{
    move_to(run->sandbox_args_fd, SANDBOX_ARGS_FD, status_fd);
    move_to(run->sandbox_info_fd_child, SANDBOX_INFO_FD, status_fd);
    size_t count = 0;
    while (opts->program_argv[count] != NULL)
        count++;
    char *argv[count + 7];
    char args_fd[16], info_fd[16];
    snprintf(args_fd, sizeof args_fd, "%d", SANDBOX_ARGS_FD);
    snprintf(info_fd, sizeof info_fd, "%d", SANDBOX_INFO_FD);
    size_t n = 0;
    argv[n++] = "bwrap";
    argv[n++] = "--args";
    argv[n++] = args_fd;
    argv[n++] = "--info-fd";
    argv[n++] = info_fd;
    argv[n++] = "--";
    for (size_t i = 0; i < count; i++)
        argv[n++] = opts->program_argv[i];
    argv[n] = NULL;
    char *no_environment[] = { NULL };
    execvpe("bwrap", argv, no_environment);
    child_fail(status_fd, "cannot execute bwrap: %s", strerror(errno));
}
