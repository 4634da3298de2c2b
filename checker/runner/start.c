/*
 * start.c - starting the program: its descriptors, limits and signals,
 * and reaping it and whatever it left behind.
 */
#define _GNU_SOURCE
#include "runner.h"

/* ------------------------------------------------------------------ */
/* Starting the program                                               */
/* ------------------------------------------------------------------ */

/* In the child: tells the runner why the program could not be started and
 * ends.  The runner reads this from a close-on-exec pipe, so an exec that
 * fails is never mistaken for a program that exits with 127. */
void child_fail(int status_fd, const char *fmt, ...)
{
    char message[512];
    va_list args;
    va_start(args, fmt);
    int length = vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    if (length > (int)sizeof message - 1)
        length = (int)sizeof message - 1;
    if (write(status_fd, message, (size_t)length) < 0) {
        /* The runner then sees exit status 127 without a reason. */
    }
    _exit(127);
}

/* A SIGKILL of the runner leaves no one to clean up; then at least the
 * program dies with it. */
static void die_with_runner(pid_t runner, int status_fd)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        child_fail(status_fd, "cannot set the parent-death signal: %s",
                   strerror(errno));
    if (getppid() != runner)
        child_fail(status_fd, "the runner ended before the program started");
}

/* With Yama's ptrace_scope=1 only ancestors may attach, and gdb (--stacks)
 * is the program's sibling.  This names the runner, and so its children,
 * as allowed; without Yama the call fails with EINVAL, which is fine. */
static void allow_runner_to_trace(pid_t runner, int status_fd)
{
    if (prctl(PR_SET_PTRACER, (unsigned long)runner) != 0 && errno != EINVAL)
        child_fail(status_fd, "cannot allow tracing: %s", strerror(errno));
}

static void connect_standard_fds(const struct child_files *files,
                                 int status_fd)
{
    if (dup2(files->stdin_fd, STDIN_FILENO) < 0 ||
        dup2(files->stdout_fd, STDOUT_FILENO) < 0 ||
        dup2(files->stderr_fd, STDERR_FILENO) < 0)
        child_fail(status_fd, "cannot set up descriptors: %s",
                   strerror(errno));
}

/* Descriptors the runner inherited (a test harness often has 3 and more
 * open) must not reach the program: descriptor 3 means "result channel". */
void close_other_fds_on_exec(int first_fd)
{
    if (close_range((unsigned)first_fd, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    /* Kernels before 5.11 lack the flag: mark them one by one. */
    long open_max = sysconf(_SC_OPEN_MAX);
    for (int fd = first_fd; fd < open_max; fd++) {
        if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 && errno != EBADF)
            break;
    }
}

static void limit_resources(long long max_output, int status_fd)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_FSIZE, &limit) != 0)
        child_fail(status_fd, "cannot read RLIMIT_FSIZE: %s", strerror(errno));
    /* Soft and hard alike, so the program cannot raise it again; a lower
     * hard limit set by whoever started the runner wins. */
    rlim_t wanted = (rlim_t)max_output;
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < wanted)
        wanted = limit.rlim_max;
    limit.rlim_cur = limit.rlim_max = wanted;
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0)
        child_fail(status_fd, "cannot set RLIMIT_FSIZE: %s", strerror(errno));
    /* A crash is reported by its signal; a core file in the student's
     * directory only costs time and disk. */
    struct rlimit no_core = { 0, 0 };
    if (setrlimit(RLIMIT_CORE, &no_core) != 0)
        child_fail(status_fd, "cannot set RLIMIT_CORE: %s", strerror(errno));
}

/* The program starts with every signal at its default and none blocked,
 * whatever the runner's caller had ignored. */
void reset_signals(int status_fd)
{
    struct sigaction default_action = { .sa_handler = SIG_DFL };
    for (int sig = 1; sig < NSIG; sig++) {
        /* Fails (EINVAL) for SIGKILL, SIGSTOP and the signals libc keeps
         * for itself; those need no reset. */
        (void)sigaction(sig, &default_action, NULL);
    }
    sigset_t none;
    if (sigemptyset(&none) != 0 || sigprocmask(SIG_SETMASK, &none, NULL) != 0)
        child_fail(status_fd, "cannot unblock signals: %s", strerror(errno));
}

/* In the child: sets up everything the program is promised, then execs. */
static void exec_program(const struct options *opts, const struct run *run,
                         const struct child_files *files, pid_t runner,
                         int status_fd) __attribute__((noreturn));

static void exec_program(const struct options *opts, const struct run *run,
                         const struct child_files *files, pid_t runner,
                         int status_fd)
{
    if (setpgid(0, 0) != 0)
        child_fail(status_fd, "cannot create a process group: %s",
                   strerror(errno));
    die_with_runner(runner, status_fd);
    allow_runner_to_trace(runner, status_fd);
    join_cgroups(opts, status_fd);
    /* Everything above 2 is closed on exec; the channels (and bwrap's
     * descriptors) are then put in place without that flag. */
    close_other_fds_on_exec(RESULT_FD);
    connect_standard_fds(files, status_fd);
    connect_channels(run, status_fd);
    if (opts->cwd != NULL && chdir(opts->cwd) != 0)
        child_fail(status_fd, "cannot change to directory '%s': %s",
                   opts->cwd, strerror(errno));
    limit_resources(opts->max_output, status_fd);
    limit_tasks_and_cpu(opts, status_fd);
    reset_signals(status_fd);
    if (run->sandboxed)
        exec_in_sandbox(opts, run, status_fd);
    become_user(opts, status_fd);
    execvp(opts->program_argv[0], opts->program_argv);
    child_fail(status_fd, "cannot execute '%s': %s", opts->program_argv[0],
               strerror(errno));
}

static void close_child_files(struct child_files *files)
{
    close_fd(files->stdin_fd);
    close_fd(files->stdout_fd);
    close_fd(files->stderr_fd);
}

static bool open_child_file(struct run *run, int *fd, const char *option,
                            const char *path, int flags)
{
    *fd = open_private(path, flags);
    if (*fd < 0)
        fail_run(run, "cannot open %s '%s': %s", option, path,
                 strerror(errno));
    return *fd >= 0;
}

static bool open_child_files(const struct options *opts,
                             struct child_files *files, struct run *run)
{
    /* O_APPEND: --stdout and --stderr may name the same file. */
    const int output = O_WRONLY | O_CREAT | O_TRUNC | O_APPEND;
    *files = (struct child_files){ -1, -1, -1 };
    return open_child_file(run, &files->stdin_fd, "stdin", "/dev/null",
                           O_RDONLY) &&
           open_child_file(run, &files->stdout_fd, "--stdout",
                           opts->stdout_path, output) &&
           open_child_file(run, &files->stderr_fd, "--stderr",
                           opts->stderr_path, output);
}

static void account_cpu(struct run *run, const struct rusage *usage)
{
    run->cpu_us += usage->ru_utime.tv_sec * 1000000LL +
                   usage->ru_utime.tv_usec +
                   usage->ru_stime.tv_sec * 1000000LL +
                   usage->ru_stime.tv_usec;
}

static void record_child_end(struct run *run, int status)
{
    if (run->outcome != OUTCOME_RUNNING)
        return;
    status = decode_sandbox_status(run, status);
    run->wait_status = status;
    run->outcome = WIFSIGNALED(status) ? OUTCOME_SIGNALED : OUTCOME_EXITED;
    run->ended_ms = now_ms();
}

/* Reaps every child that has ended: the program, and as subreaper also
 * orphaned descendants.  Returns false when the runner has no child left. */
bool reap_children(struct run *run)
{
    for (;;) {
        int status;
        struct rusage usage;
        pid_t pid = wait4(-1, &status, WNOHANG, &usage);
        if (pid == 0)
            return true;
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            if (errno != ECHILD)
                warn("cannot wait for children: %s", strerror(errno));
            return false;
        }
        account_cpu(run, &usage);
        if (pid == run->child)
            record_child_end(run, status);
    }
}

/* Waits until the child has exec'ed (the pipe closes) or says why not. */
static void wait_for_exec(struct run *run, int status_fd)
{
    char message[512];
    ssize_t length;
    do
        length = read(status_fd, message, sizeof message - 1);
    while (length < 0 && errno == EINTR);
    if (length == 0)
        return;
    if (length < 0) {
        /* The program may be running; the clean-up will kill it. */
        fail_run(run, "cannot read the start status: %s", strerror(errno));
        return;
    }
    message[length] = '\0';
    fail_run(run, "%s", message);
    /* The child has written its last words and exits at once. */
    int status;
    struct rusage usage;
    if (wait4(run->child, &status, 0, &usage) == run->child)
        account_cpu(run, &usage);
    run->child = -1;
}

/* The pipe through which the child reports a failed start; its write end
 * is kept clear of the descriptors the child sets up. */
static bool open_status_pipe(struct run *run, int status_pipe[2])
{
    if (pipe2(status_pipe, O_CLOEXEC) != 0) {
        fail_run(run, "cannot create a pipe: %s", strerror(errno));
        return false;
    }
    status_pipe[1] = move_fd_high(status_pipe[1]);
    if (status_pipe[1] < 0) {
        fail_run(run, "cannot move a pipe: %s", strerror(errno));
        close_fd(status_pipe[0]);
        return false;
    }
    return true;
}

void start_program(const struct options *opts, struct run *run)
{
    struct child_files files;
    int status_pipe[2];
    if (!open_child_files(opts, &files, run) || !open_channels(opts, run) ||
        !open_sandbox(opts, run) || !open_status_pipe(run, status_pipe)) {
        close_child_files(&files);
        close_program_ends(run);
        close_sandbox_child_fds(run);
        return;
    }
    pid_t runner = getpid();
    run->started_ms = now_ms();
    run->child = fork();
    if (run->child == 0)
        exec_program(opts, run, &files, runner, status_pipe[1]);
    int fork_errno = errno;
    close_fd(status_pipe[1]);
    close_child_files(&files);
    close_program_ends(run);
    close_sandbox_child_fds(run);
    if (run->child < 0) {
        fail_run(run, "cannot start the program: %s", strerror(fork_errno));
    } else {
        run->started = true;
        run->watched = run->sandboxed ? -1 : run->child;
        wait_for_exec(run, status_pipe[0]);
        if (run->sandboxed && run->outcome == OUTCOME_RUNNING)
            read_sandbox_info(run);
    }
    close_fd(status_pipe[0]);
}
