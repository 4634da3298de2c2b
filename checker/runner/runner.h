/*
 * runner.h - what the parts of run-program share: the run being watched,
 * the options, and the functions one part offers the others.  See
 * run-program.c for what the runner does and promises.
 */
#ifndef RUNNER_H
#define RUNNER_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
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
#include <sys/socket.h>
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
    FIRST_PRIVATE_FD = 10,   /* the runner's descriptors stay clear of 0-9 */
    LAST_CHANNEL_FD = 7,     /* --channel descriptors are 3 to 7 */
    SANDBOX_ARGS_FD = 8,     /* bwrap reads its options here (--args) */
    SANDBOX_INFO_FD = 9,     /* and says which pid it started (--info-fd) */
    MAX_CHANNELS = 4,
    MAX_CGROUPS = 4,
};

struct options {
    long long timeout_ms;   /* -1 until given */
    long long hang_ms;
    long long max_output;
    const char *cwd;
    const char *stdout_path;
    const char *stderr_path;
    const char *stacks_path;
    const char *gdb_script;
    const char *report_path;
    const char *sandbox_args;   /* --sandbox FILE: bwrap's options */
    const char *cgroups[MAX_CGROUPS];
    size_t cgroup_count;
    long long cpu_seconds;      /* 0: no CPU limit */
    long long max_tasks;        /* 0: no RLIMIT_NPROC */
    long long uid, gid;         /* -1: keep the runner's */
    int channel_fds[MAX_CHANNELS];
    const char *channel_paths[MAX_CHANNELS];
    size_t channel_count;
    char **program_argv;
};

/* A descriptor of the program that is a socket only the runner reads: what
 * is written to it cannot be read back, rewound, truncated or reopened. */
struct channel {
    int number;         /* the program's descriptor */
    int program_end;    /* -1 once handed to the child */
    int runner_end;     /* -1 at end of file */
    int file;           /* where the bytes go */
    long long copied;
    bool truncated;     /* more than --max-output bytes arrived */
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
    bool sandboxed;          /* started through bwrap (--sandbox) */
    pid_t sandbox_init;      /* bwrap's pid 1 of the sandbox */
    pid_t watched;           /* whose threads are read: the program itself */
    int sandbox_args_fd;
    int sandbox_info_fd;     /* the runner's end of bwrap's --info-fd */
    int sandbox_info_fd_child; /* the end bwrap writes to */
    struct channel channels[MAX_CHANNELS];
    size_t channel_count;
    long long max_output;
};

/* The descriptors the program starts with, all above FIRST_PRIVATE_FD. */
struct child_files {
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
};

/* Set by the signal handler; the main loop turns it into error=interrupted. */
extern volatile sig_atomic_t stop_requested;

/* common.c */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
long long now_ms(void);
void pause_ms(long long ms);
void close_fd(int fd);
int move_fd_high(int fd);
int open_private(const char *path, int flags);
void fail_run(struct run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* options.c */
bool parse_options(int argc, char **argv, struct options *opts);
int report_usage_error(const struct options *opts);

/* signals.c */
bool install_signal_handlers(void);
bool sleep_until_woken(struct run *run, long long timeout_ms);

/* start.c */
void start_program(const struct options *opts, struct run *run);
bool reap_children(struct run *run);
void close_other_fds_on_exec(int first_fd);
void reset_signals(int status_fd);
void child_fail(int status_fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/* sandbox.c */
bool open_sandbox(const struct options *opts, struct run *run);
void join_cgroups(const struct options *opts, int status_fd);
void limit_tasks_and_cpu(const struct options *opts, int status_fd);
void become_user(const struct options *opts, int status_fd);
void exec_in_sandbox(const struct options *opts, const struct run *run,
                     int status_fd) __attribute__((noreturn));
void close_sandbox_child_fds(struct run *run);
void read_sandbox_info(struct run *run);
void find_sandboxed_program(struct run *run);
int decode_sandbox_status(const struct run *run, int status);

/* channels.c */
bool open_channels(const struct options *opts, struct run *run);
void connect_channels(const struct run *run, int status_fd);
void close_program_ends(struct run *run);
void copy_channels(struct run *run);
void drain_channels(struct run *run);
size_t channel_poll_fds(const struct run *run, struct pollfd *fds);

/* watch.c */
bool read_proc_file(const char *path, char *text, size_t size);
const char *after_command_name(const char *stat_line);
pid_t pid_from_name(const char *name);
void watch_program(const struct options *opts, struct run *run);

/* stacks.c */
void capture_stacks(const char *path, const char *script, pid_t target);

/* cleanup.c */
void stop_everything(struct run *run);

/* report.c */
bool write_report(const char *path, const struct run *run);
void report_interruption(struct run *run);

#endif /* RUNNER_H */
