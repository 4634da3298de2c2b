/*
 * run-program.c - run one untrusted program, watch it, and report how it
 * ended.
 *
 * This is the single place where the checker starts student code: the
 * plain, ThreadSanitizer and Helgrind runs all go through here, so limits,
 * hang detection and clean-up live in one spot.  A sandbox (bubblewrap with
 * CPU, memory and process limits) will be added here too, in
 * exec_program(), and nowhere else.
 *
 *   run-program [options] -- PROGRAM [ARGS...]
 *     --timeout MS        wall-clock limit in milliseconds (required)
 *     --hang-ms MS        deadlock detection window; 0 turns it off (500)
 *     --cwd DIR           directory the program starts in
 *     --stdout FILE       the program's stdout (/dev/null); --stderr likewise
 *     --result FILE       truncated and given to the program as descriptor 3
 *     --max-output BYTES  RLIMIT_FSIZE of the program (8388608)
 *     --stacks FILE       on a deadlock, gdb's backtraces of every thread
 *                         (through vgdb when the program runs under valgrind)
 *     --gdb-script FILE   with --stacks: gdb commands to run after the
 *                         backtraces (the checker reads the harness's lock
 *                         bookkeeping this way)
 *     --report FILE       key=value lines saying how the run ended (required)
 *
 * The program gets the runner's environment unchanged (the caller cleans it
 * with env -i), stdin from /dev/null, default signal dispositions, no core
 * files, and no descriptor beyond 0-2 and the --result one.
 *
 * The report is written to FILE.tmp and renamed, so nobody reads half of it:
 *   outcome=exited|signaled|timeout|deadlock|error
 *   exit_code=N                   exited
 *   signal=N, signal_name=SIGxxx  signaled
 *   error=TEXT                    error (usage, start failure, interrupted)
 *   wall_ms=N, cpu_ms=N           whenever the program was started
 *   threads=N                     timeout and deadlock, when known: tasks
 *                                 of the process (TSan adds one of its own)
 *   spinning=1                    timeout while a thread was using CPU
 *   blocked_ms=N                  deadlock
 *   stacks_ms=N                   deadlock with --stacks: how long gdb took
 *
 * Exit status: 0 when the program ran and the report was written, whatever
 * the program did; 125 for usage errors, when the program could not be
 * started, when the report could not be written, or when the runner was
 * interrupted (SIGTERM, SIGINT, SIGHUP).
 *
 * Whatever way the run ends, nothing the program started is left running:
 * the program gets its own process group, the runner is a child subreaper
 * (orphans that escaped with setsid() or a double fork become its
 * children), and at the end it kills the group and then every child it has
 * until none is left.  Only a SIGKILL of the runner itself defeats this;
 * then PR_SET_PDEATHSIG still takes the program down.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The runner's own failure, kept apart from any status a program can have. */
enum { EXIT_RUNNER_FAILED = 125 };

enum {
    POLL_INTERVAL_MS = 50,   /* how often the program's threads are read */
    DEFAULT_HANG_MS = 500,
    GDB_LIMIT_MS = 5000,     /* a stuck gdb must not hold up the verdict */
    SPIN_WINDOW_MS = 250,    /* CPU use this recent at the timeout = spinning */
    CLEANUP_LIMIT_MS = 5000, /* then give up on processes that will not die */
    RESULT_FD = 3,           /* where harnesses write their result lines */
    FIRST_PRIVATE_FD = 10,   /* the runner's descriptors stay clear of 0-3 */
};

static const long long DEFAULT_MAX_OUTPUT = 8388608;
static const long long MAX_MILLISECONDS = 1000000000; /* about 11 days */

static const char usage_text[] =
    "usage: run-program --timeout MS --report FILE [--hang-ms MS] [--cwd DIR]\n"
    "                   [--stdout FILE] [--stderr FILE] [--result FILE]\n"
    "                   [--max-output BYTES] [--stacks FILE]\n"
    "                   [--gdb-script FILE]\n"
    "                   -- PROGRAM [ARGS...]\n";

struct options {
    long long timeout_ms;   /* -1 until given */
    long long hang_ms;
    long long max_output;
    const char *cwd;
    const char *stdout_path;
    const char *stderr_path;
    const char *result_path;
    const char *stacks_path;
    const char *gdb_script;
    const char *report_path;
    char **program_argv;
};

/* What a thread of the program is doing, for deadlock detection. */
enum task_kind {
    TASK_ACTIVE,  /* running, runnable, or sleeping in a way that ends */
    TASK_BLOCKED, /* waiting for another thread, with no timeout */
    TASK_IGNORED, /* not the program's work: sanitizer thread, exited */
};

struct task {
    pid_t tid;
    char state;                   /* field 3 of /proc/.../stat */
    enum task_kind kind;
    unsigned long long cpu_ticks; /* utime + stime */
    unsigned long long times_run; /* from schedstat; 0 when unavailable */
};

/* All threads of the program at one moment, sorted by tid. */
struct sample {
    struct task *tasks;
    size_t count;
    size_t capacity;
    bool complete; /* false when some thread could not be read */
    long long taken_ms;
};

enum outcome {
    OUTCOME_RUNNING,
    OUTCOME_EXITED,
    OUTCOME_SIGNALED,
    OUTCOME_TIMEOUT,
    OUTCOME_DEADLOCK,
    OUTCOME_ERROR,
};

struct run {
    enum outcome outcome;
    char error[512];         /* for OUTCOME_ERROR */
    pid_t child;             /* the program; also its process group id */
    bool started;            /* a child was forked: times are meaningful */
    long long started_ms;
    long long ended_ms;
    int wait_status;         /* for exited and signaled */
    long long cpu_us;        /* of every process reaped, gdb excepted */
    struct sample samples[2];
    int latest;              /* index of the newest sample */
    long long quiet_since_ms; /* -1 while a thread may still make progress */
    long long last_cpu_use_ms; /* -1 before any thread used CPU */
    long long blocked_ms;
    long long stacks_ms;     /* -1 unless gdb was run for --stacks */
    bool spinning;
    bool threads_known;
    size_t threads;
};

/* The descriptors the program starts with, all above FIRST_PRIVATE_FD. */
struct child_files {
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
    int result_fd; /* -1 without --result: descriptor 3 stays closed */
};

/* Set by the signal handler; the main loop turns it into error=interrupted. */
static volatile sig_atomic_t stop_requested;

/* Signals write a byte here so that the poll() in the main loop wakes up
 * at once when the program exits or the runner is told to stop. */
static int wake_pipe[2] = { -1, -1 };

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void warn(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fputs("run-program: ", stderr);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
}

static long long now_ms(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
        warn("cannot read the monotonic clock: %s", strerror(errno));
        abort();
    }
    return now.tv_sec * 1000LL + now.tv_nsec / 1000000;
}

static void pause_ms(long long ms)
{
    struct timespec pause = { ms / 1000, (ms % 1000) * 1000000 };
    /* An early wake-up only means the caller looks again sooner. */
    (void)nanosleep(&pause, NULL);
}

static void close_fd(int fd)
{
    if (fd >= 0 && close(fd) != 0)
        warn("cannot close descriptor %d: %s", fd, strerror(errno));
}

/* Moves FD to FIRST_PRIVATE_FD or above, close-on-exec, so that setting up
 * the program's descriptors 0-3 can never overwrite one of ours. */
static int move_fd_high(int fd)
{
    if (fd < 0 || fd >= FIRST_PRIVATE_FD)
        return fd;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, FIRST_PRIVATE_FD);
    int saved_errno = errno;
    close_fd(fd);
    errno = saved_errno;
    return high;
}

static int open_private(const char *path, int flags)
{
    return move_fd_high(open(path, flags | O_CLOEXEC, 0666));
}

static void fail_run(struct run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Ends the run as an error; the first reason given is the one reported. */
static void fail_run(struct run *run, const char *fmt, ...)
{
    if (run->outcome == OUTCOME_ERROR)
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(run->error, sizeof run->error, fmt, args);
    va_end(args);
    run->outcome = OUTCOME_ERROR;
    if (run->started)
        run->ended_ms = now_ms();
}

/* ------------------------------------------------------------------ */
/* Options                                                            */
/* ------------------------------------------------------------------ */

enum option_id {
    OPT_TIMEOUT = 256,
    OPT_HANG_MS,
    OPT_CWD,
    OPT_STDOUT,
    OPT_STDERR,
    OPT_RESULT,
    OPT_MAX_OUTPUT,
    OPT_STACKS,
    OPT_GDB_SCRIPT,
    OPT_REPORT,
};

static const struct option long_options[] = {
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "hang-ms", required_argument, NULL, OPT_HANG_MS },
    { "cwd", required_argument, NULL, OPT_CWD },
    { "stdout", required_argument, NULL, OPT_STDOUT },
    { "stderr", required_argument, NULL, OPT_STDERR },
    { "result", required_argument, NULL, OPT_RESULT },
    { "max-output", required_argument, NULL, OPT_MAX_OUTPUT },
    { "stacks", required_argument, NULL, OPT_STACKS },
    { "gdb-script", required_argument, NULL, OPT_GDB_SCRIPT },
    { "report", required_argument, NULL, OPT_REPORT },
    { NULL, 0, NULL, 0 },
};

/* The first usage error; parsing goes on so that --report is still known
 * and the report can say what was wrong. */
static char usage_error[256];

static void note_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void note_usage_error(const char *fmt, ...)
{
    if (usage_error[0] != '\0')
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(usage_error, sizeof usage_error, fmt, args);
    va_end(args);
}

static long long parse_number(const char *option, const char *text,
                              long long min, long long max)
{
    char *end = NULL;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    /* strtoll() accepts leading blanks and signs; a limit should not. */
    if (text[0] < '0' || text[0] > '9' || errno != 0 || *end != '\0' ||
        value < min || value > max) {
        note_usage_error("--%s takes a whole number from %lld to %lld, "
                         "not '%s'", option, min, max, text);
        return min;
    }
    return value;
}

static void apply_option(struct options *opts, int id, char *value)
{
    switch (id) {
    case OPT_TIMEOUT:
        opts->timeout_ms = parse_number("timeout", value, 1, MAX_MILLISECONDS);
        break;
    case OPT_HANG_MS:
        opts->hang_ms = parse_number("hang-ms", value, 0, MAX_MILLISECONDS);
        break;
    case OPT_MAX_OUTPUT:
        opts->max_output = parse_number("max-output", value, 0, LLONG_MAX);
        break;
    case OPT_CWD:
        opts->cwd = value;
        break;
    case OPT_STDOUT:
        opts->stdout_path = value;
        break;
    case OPT_STDERR:
        opts->stderr_path = value;
        break;
    case OPT_RESULT:
        opts->result_path = value;
        break;
    case OPT_STACKS:
        opts->stacks_path = value;
        break;
    case OPT_GDB_SCRIPT:
        opts->gdb_script = value;
        break;
    case OPT_REPORT:
        opts->report_path = value;
        break;
    }
}

/* getopt_long() was told to stay quiet, so name the bad option here. */
static void note_bad_option(int id, char **argv)
{
    const char *option = argv[optind - 1];
    if (id == ':')
        note_usage_error("option '%s' needs a value", option);
    else if (optopt != 0)
        note_usage_error("unknown option '-%c'", optopt);
    else
        note_usage_error("unknown option '%s'", option);
}

/* Returns false on a usage error, described in usage_error. */
static bool parse_options(int argc, char **argv, struct options *opts)
{
    *opts = (struct options){
        .timeout_ms = -1,
        .hang_ms = DEFAULT_HANG_MS,
        .max_output = DEFAULT_MAX_OUTPUT,
        .stdout_path = "/dev/null",
        .stderr_path = "/dev/null",
    };
    opterr = 0;
    int id;
    /* "+": options end at PROGRAM, whose own options are not ours. */
    while ((id = getopt_long(argc, argv, "+:", long_options, NULL)) != -1) {
        if (id == '?' || id == ':')
            note_bad_option(id, argv);
        else
            apply_option(opts, id, optarg);
    }
    if (opts->timeout_ms < 0)
        note_usage_error("--timeout is required");
    if (opts->report_path == NULL)
        note_usage_error("--report is required");
    if (optind >= argc)
        note_usage_error("no PROGRAM given after --");
    opts->program_argv = argv + optind;
    return usage_error[0] == '\0';
}

/* ------------------------------------------------------------------ */
/* Signals                                                            */
/* ------------------------------------------------------------------ */

static void note_signal(int sig)
{
    int saved_errno = errno;
    if (sig != SIGCHLD)
        stop_requested = 1;
    if (write(wake_pipe[1], "", 1) < 0) {
        /* The pipe is full: the main loop has a wake-up pending already. */
    }
    errno = saved_errno;
}

static bool install_signal_handlers(void)
{
    static const int signals[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP };
    if (pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
        return false;
    wake_pipe[0] = move_fd_high(wake_pipe[0]);
    wake_pipe[1] = move_fd_high(wake_pipe[1]);
    if (wake_pipe[0] < 0 || wake_pipe[1] < 0)
        return false;
    struct sigaction action = { .sa_handler = note_signal,
                                .sa_flags = SA_RESTART | SA_NOCLDSTOP };
    if (sigemptyset(&action.sa_mask) != 0)
        return false;
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &action, NULL) != 0)
            return false;
    }
    return true;
}

/* Sleeps up to TIMEOUT_MS; returns early when a signal arrives.  Returns
 * false only when poll() itself fails. */
static bool sleep_until_woken(long long timeout_ms)
{
    struct pollfd wake = { .fd = wake_pipe[0], .events = POLLIN };
    int ready = poll(&wake, 1, (int)timeout_ms);
    if (ready < 0)
        return errno == EINTR;
    char drained[64];
    while (ready > 0 && read(wake_pipe[0], drained, sizeof drained) > 0)
        continue;
    return true;
}

/* ------------------------------------------------------------------ */
/* Starting the program                                               */
/* ------------------------------------------------------------------ */

/* In the child: tells the runner why the program could not be started and
 * ends.  The runner reads this from a close-on-exec pipe, so an exec that
 * fails is never mistaken for a program that exits with 127. */
static void child_fail(int status_fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static void child_fail(int status_fd, const char *fmt, ...)
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
        dup2(files->stderr_fd, STDERR_FILENO) < 0 ||
        (files->result_fd >= 0 && dup2(files->result_fd, RESULT_FD) < 0))
        child_fail(status_fd, "cannot set up descriptors: %s",
                   strerror(errno));
}

/* Descriptors the runner inherited (a test harness often has 3 and more
 * open) must not reach the program: descriptor 3 means "result channel". */
static void close_other_fds_on_exec(int first_fd)
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
static void reset_signals(int status_fd)
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
static void exec_program(const struct options *opts,
                         const struct child_files *files, pid_t runner,
                         int status_fd) __attribute__((noreturn));

static void exec_program(const struct options *opts,
                         const struct child_files *files, pid_t runner,
                         int status_fd)
{
    if (setpgid(0, 0) != 0)
        child_fail(status_fd, "cannot create a process group: %s",
                   strerror(errno));
    die_with_runner(runner, status_fd);
    allow_runner_to_trace(runner, status_fd);
    connect_standard_fds(files, status_fd);
    close_other_fds_on_exec(files->result_fd >= 0 ? RESULT_FD + 1 : RESULT_FD);
    if (opts->cwd != NULL && chdir(opts->cwd) != 0)
        child_fail(status_fd, "cannot change to directory '%s': %s",
                   opts->cwd, strerror(errno));
    limit_resources(opts->max_output, status_fd);
    reset_signals(status_fd);
    execvp(opts->program_argv[0], opts->program_argv);
    child_fail(status_fd, "cannot execute '%s': %s", opts->program_argv[0],
               strerror(errno));
}

static void close_child_files(struct child_files *files)
{
    close_fd(files->stdin_fd);
    close_fd(files->stdout_fd);
    close_fd(files->stderr_fd);
    close_fd(files->result_fd);
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
    *files = (struct child_files){ -1, -1, -1, -1 };
    return open_child_file(run, &files->stdin_fd, "stdin", "/dev/null",
                           O_RDONLY) &&
           open_child_file(run, &files->stdout_fd, "--stdout",
                           opts->stdout_path, output) &&
           open_child_file(run, &files->stderr_fd, "--stderr",
                           opts->stderr_path, output) &&
           (opts->result_path == NULL ||
            open_child_file(run, &files->result_fd, "--result",
                            opts->result_path,
                            O_WRONLY | O_CREAT | O_TRUNC));
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
    run->wait_status = status;
    run->outcome = WIFSIGNALED(status) ? OUTCOME_SIGNALED : OUTCOME_EXITED;
    run->ended_ms = now_ms();
}

/* Reaps every child that has ended: the program, and as subreaper also
 * orphaned descendants.  Returns false when the runner has no child left. */
static bool reap_children(struct run *run)
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

static void start_program(const struct options *opts, struct run *run)
{
    struct child_files files;
    int status_pipe[2];
    if (!open_child_files(opts, &files, run) ||
        !open_status_pipe(run, status_pipe)) {
        close_child_files(&files);
        return;
    }
    pid_t runner = getpid();
    run->started_ms = now_ms();
    run->child = fork();
    if (run->child == 0)
        exec_program(opts, &files, runner, status_pipe[1]);
    int fork_errno = errno;
    close_fd(status_pipe[1]);
    close_child_files(&files);
    if (run->child < 0) {
        fail_run(run, "cannot start the program: %s", strerror(fork_errno));
    } else {
        run->started = true;
        wait_for_exec(run, status_pipe[0]);
    }
    close_fd(status_pipe[0]);
}

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
static bool read_proc_file(const char *path, char *text, size_t size)
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
static const char *after_command_name(const char *stat_line)
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

static pid_t pid_from_name(const char *name)
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
    take_sample(run->child, current, now);
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

static void watch_program(const struct options *opts, struct run *run)
{
    long long deadline = run->started_ms + opts->timeout_ms;
    long long next_sample = run->started_ms;
    while (run->outcome == OUTCOME_RUNNING) {
        long long now = now_ms();
        long long wake_at = next_sample < deadline ? next_sample : deadline;
        if (now < wake_at && !sleep_until_woken(wake_at - now)) {
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
        if (!sleep_until_woken(left < POLL_INTERVAL_MS ? left
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

/* Writes every thread's backtrace to PATH while the program still hangs,
 * so the report can show where each thread is stuck. */
static void capture_stacks(const char *path, const char *script,
                           pid_t target)
{
    int output_fd =
        open_private(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND);
    if (output_fd < 0) {
        warn("cannot open --stacks '%s': %s", path, strerror(errno));
        return;
    }
    bool valgrind = runs_under_valgrind(target);
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

/* ------------------------------------------------------------------ */
/* Cleaning up                                                        */
/* ------------------------------------------------------------------ */

static pid_t parent_of(pid_t pid)
{
    char path[64];
    char text[1024];
    int parent;
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    if (!read_proc_file(path, text, sizeof text))
        return -1;
    const char *rest = after_command_name(text);
    if (rest == NULL || sscanf(rest, " %*c %d", &parent) != 1)
        return -1;
    return (pid_t)parent;
}

/* Kills every child of the runner: the program if still there, and
 * descendants re-parented to the runner because it is a subreaper. */
static void kill_children_of_runner(void)
{
    DIR *proc = opendir("/proc");
    if (proc == NULL) {
        warn("cannot read /proc: %s", strerror(errno));
        return;
    }
    pid_t self = getpid();
    struct dirent *entry;
    while ((entry = readdir(proc)) != NULL) {
        pid_t pid = pid_from_name(entry->d_name);
        if (pid > 0 && parent_of(pid) == self && kill(pid, SIGKILL) != 0 &&
            errno != ESRCH)
            warn("cannot kill process %d: %s", (int)pid, strerror(errno));
    }
    if (closedir(proc) != 0)
        warn("cannot close /proc: %s", strerror(errno));
}

/* Leaves nothing of the program running.  Killing a process re-parents its
 * children to the runner before the process can be reaped, so repeating
 * "kill all children, reap" until no child is left reaches every
 * descendant, however deep it forked. */
static void stop_everything(struct run *run)
{
    if (run->child > 0 && kill(-run->child, SIGKILL) != 0 && errno != ESRCH)
        warn("cannot kill process group %d: %s", (int)run->child,
             strerror(errno));
    long long give_up_at = now_ms() + CLEANUP_LIMIT_MS;
    for (;;) {
        kill_children_of_runner();
        if (!reap_children(run))
            return;
        if (now_ms() >= give_up_at) {
            warn("processes of the program still running after %d ms",
                 CLEANUP_LIMIT_MS);
            return;
        }
        pause_ms(5);
    }
}

/* ------------------------------------------------------------------ */
/* The report                                                         */
/* ------------------------------------------------------------------ */

#define SIGNAL_ENTRY(sig) { sig, #sig }

static const struct {
    int number;
    const char *name;
} signal_names[] = {
    SIGNAL_ENTRY(SIGHUP),  SIGNAL_ENTRY(SIGINT),    SIGNAL_ENTRY(SIGQUIT),
    SIGNAL_ENTRY(SIGILL),  SIGNAL_ENTRY(SIGTRAP),   SIGNAL_ENTRY(SIGABRT),
    SIGNAL_ENTRY(SIGBUS),  SIGNAL_ENTRY(SIGFPE),    SIGNAL_ENTRY(SIGKILL),
    SIGNAL_ENTRY(SIGUSR1), SIGNAL_ENTRY(SIGSEGV),   SIGNAL_ENTRY(SIGUSR2),
    SIGNAL_ENTRY(SIGPIPE), SIGNAL_ENTRY(SIGALRM),   SIGNAL_ENTRY(SIGTERM),
    SIGNAL_ENTRY(SIGCHLD), SIGNAL_ENTRY(SIGCONT),   SIGNAL_ENTRY(SIGSTOP),
    SIGNAL_ENTRY(SIGTSTP), SIGNAL_ENTRY(SIGTTIN),   SIGNAL_ENTRY(SIGTTOU),
    SIGNAL_ENTRY(SIGURG),  SIGNAL_ENTRY(SIGXCPU),   SIGNAL_ENTRY(SIGXFSZ),
    SIGNAL_ENTRY(SIGVTALRM), SIGNAL_ENTRY(SIGPROF), SIGNAL_ENTRY(SIGWINCH),
    SIGNAL_ENTRY(SIGIO),   SIGNAL_ENTRY(SIGSYS),
#ifdef SIGSTKFLT
    SIGNAL_ENTRY(SIGSTKFLT),
#endif
#ifdef SIGPWR
    SIGNAL_ENTRY(SIGPWR),
#endif
};

static void print_signal_name(FILE *out, int sig)
{
    for (size_t i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++) {
        if (signal_names[i].number == sig) {
            fprintf(out, "signal_name=%s\n", signal_names[i].name);
            return;
        }
    }
    if (sig >= SIGRTMIN && sig <= SIGRTMAX)
        fprintf(out, "signal_name=SIGRTMIN+%d\n", sig - SIGRTMIN);
    else
        fprintf(out, "signal_name=SIG%d\n", sig);
}

static const char *outcome_name(enum outcome outcome)
{
    switch (outcome) {
    case OUTCOME_EXITED:
        return "exited";
    case OUTCOME_SIGNALED:
        return "signaled";
    case OUTCOME_TIMEOUT:
        return "timeout";
    case OUTCOME_DEADLOCK:
        return "deadlock";
    case OUTCOME_RUNNING:
    case OUTCOME_ERROR:
        break;
    }
    return "error";
}

/* A value may quote a file name; a newline in it would forge a key. */
static void print_one_line(FILE *out, const char *key, const char *value)
{
    fprintf(out, "%s=", key);
    for (const char *c = value; *c != '\0'; c++)
        fputc(*c == '\n' || *c == '\r' ? ' ' : *c, out);
    fputc('\n', out);
}

static void print_report(FILE *out, const struct run *run)
{
    fprintf(out, "outcome=%s\n", outcome_name(run->outcome));
    if (run->outcome == OUTCOME_EXITED)
        fprintf(out, "exit_code=%d\n", WEXITSTATUS(run->wait_status));
    if (run->outcome == OUTCOME_SIGNALED) {
        fprintf(out, "signal=%d\n", WTERMSIG(run->wait_status));
        print_signal_name(out, WTERMSIG(run->wait_status));
    }
    if (run->outcome == OUTCOME_ERROR)
        print_one_line(out, "error", run->error);
    if (run->started) {
        fprintf(out, "wall_ms=%lld\n", run->ended_ms - run->started_ms);
        fprintf(out, "cpu_ms=%lld\n", run->cpu_us / 1000);
    }
    if ((run->outcome == OUTCOME_TIMEOUT ||
         run->outcome == OUTCOME_DEADLOCK) && run->threads_known)
        fprintf(out, "threads=%zu\n", run->threads);
    if (run->outcome == OUTCOME_TIMEOUT && run->spinning)
        fprintf(out, "spinning=1\n");
    if (run->outcome == OUTCOME_DEADLOCK)
        fprintf(out, "blocked_ms=%lld\n", run->blocked_ms);
    if (run->stacks_ms >= 0)
        fprintf(out, "stacks_ms=%lld\n", run->stacks_ms);
}

/* Written whole under a temporary name and renamed, so a reader sees the
 * complete report or none. */
static bool write_report(const char *path, const struct run *run)
{
    char tmp_path[PATH_MAX];
    if (snprintf(tmp_path, sizeof tmp_path, "%s.tmp", path) >=
        (int)sizeof tmp_path) {
        warn("report path too long: '%s'", path);
        return false;
    }
    FILE *out = fopen(tmp_path, "we");
    if (out == NULL) {
        warn("cannot create '%s': %s", tmp_path, strerror(errno));
        return false;
    }
    print_report(out, run);
    bool written = !ferror(out);
    if (fclose(out) != 0)
        written = false;
    if (!written) {
        warn("cannot write '%s'", tmp_path);
        if (unlink(tmp_path) != 0)
            warn("cannot remove '%s': %s", tmp_path, strerror(errno));
        return false;
    }
    if (rename(tmp_path, path) != 0) {
        warn("cannot rename '%s' to '%s': %s", tmp_path, path,
             strerror(errno));
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ */

static int report_usage_error(const struct options *opts)
{
    warn("%s", usage_error);
    fputs(usage_text, stderr);
    if (opts->report_path != NULL) {
        struct run run = { .outcome = OUTCOME_ERROR };
        snprintf(run.error, sizeof run.error, "usage: %s", usage_error);
        write_report(opts->report_path, &run);
    }
    return EXIT_RUNNER_FAILED;
}

/* A runner told to stop reports that, whatever the program had done: the
 * caller gave up on this run. */
static void report_interruption(struct run *run)
{
    if (run->outcome == OUTCOME_RUNNING && run->started)
        run->ended_ms = now_ms();
    run->outcome = OUTCOME_ERROR;
    snprintf(run->error, sizeof run->error, "interrupted");
}

static bool prepare_runner(struct run *run)
{
    /* Orphans of the program (double fork, setsid) come to the runner
     * instead of init, so they can be found and killed at the end. */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        fail_run(run, "cannot become a child subreaper: %s", strerror(errno));
        return false;
    }
    if (!install_signal_handlers()) {
        fail_run(run, "cannot install signal handlers: %s", strerror(errno));
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    struct options opts;
    if (!parse_options(argc, argv, &opts))
        return report_usage_error(&opts);

    struct run run = {
        .outcome = OUTCOME_RUNNING,
        .child = -1,
        .quiet_since_ms = -1,
        .last_cpu_use_ms = -1,
        .stacks_ms = -1,
    };
    if (prepare_runner(&run))
        start_program(&opts, &run);
    if (run.outcome == OUTCOME_RUNNING)
        watch_program(&opts, &run);
    if (run.outcome == OUTCOME_DEADLOCK && opts.stacks_path != NULL) {
        long long gdb_started_ms = now_ms();
        capture_stacks(opts.stacks_path, opts.gdb_script, run.child);
        run.stacks_ms = now_ms() - gdb_started_ms;
    }
    stop_everything(&run);
    if (stop_requested)
        report_interruption(&run);
    for (size_t i = 0; i < 2; i++)
        free(run.samples[i].tasks);
    if (run.outcome == OUTCOME_ERROR)
        warn("%s", run.error);
    if (!write_report(opts.report_path, &run))
        return EXIT_RUNNER_FAILED;
    return run.outcome == OUTCOME_ERROR ? EXIT_RUNNER_FAILED : 0;
}
