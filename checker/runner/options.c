/*
 * options.c - the command line of run-program.
 */
#define _GNU_SOURCE
#include "runner.h"

static const long long DEFAULT_MAX_OUTPUT = 8388608;
static const long long MAX_MILLISECONDS = 1000000000; /* about 11 days */

static const char usage_text[] =
    "usage: run-program --timeout MS --report FILE [--hang-ms MS] [--cwd DIR]\n"
    "                   [--stdout FILE] [--stderr FILE] [--result FILE]\n"
    "                   [--max-output BYTES] [--stacks FILE]\n"
    "                   [--gdb-script FILE] [--channel N:FILE]...\n"
    "                   [--sandbox FILE] [--cgroup DIR]... [--cpu-seconds N]\n"
    "                   [--max-tasks N] [--uid N --gid N]\n"
    "                   -- PROGRAM [ARGS...]\n";

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
    OPT_CHANNEL,
    OPT_SANDBOX,
    OPT_CGROUP,
    OPT_CPU_SECONDS,
    OPT_MAX_TASKS,
    OPT_UID,
    OPT_GID,
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
    { "channel", required_argument, NULL, OPT_CHANNEL },
    { "sandbox", required_argument, NULL, OPT_SANDBOX },
    { "cgroup", required_argument, NULL, OPT_CGROUP },
    { "cpu-seconds", required_argument, NULL, OPT_CPU_SECONDS },
    { "max-tasks", required_argument, NULL, OPT_MAX_TASKS },
    { "uid", required_argument, NULL, OPT_UID },
    { "gid", required_argument, NULL, OPT_GID },
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

/* "N:FILE": the program's descriptor N is a channel copied to FILE. */
static void add_channel(struct options *opts, int fd, const char *path)
{
    for (size_t i = 0; i < opts->channel_count; i++) {
        if (opts->channel_fds[i] == fd) {
            note_usage_error("descriptor %d is given twice", fd);
            return;
        }
    }
    if (opts->channel_count == MAX_CHANNELS) {
        note_usage_error("at most %d channels", MAX_CHANNELS);
        return;
    }
    opts->channel_fds[opts->channel_count] = fd;
    opts->channel_paths[opts->channel_count++] = path;
}

static void parse_channel(struct options *opts, char *value)
{
    char *colon = strchr(value, ':');
    if (colon == NULL || colon[1] == '\0') {
        note_usage_error("--channel takes N:FILE, not '%s'", value);
        return;
    }
    *colon = '\0';
    int fd = (int)parse_number("channel", value, RESULT_FD, LAST_CHANNEL_FD);
    add_channel(opts, fd, colon + 1);
}

static void add_cgroup(struct options *opts, const char *dir)
{
    if (opts->cgroup_count == MAX_CGROUPS)
        note_usage_error("at most %d cgroups", MAX_CGROUPS);
    else
        opts->cgroups[opts->cgroup_count++] = dir;
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
        add_channel(opts, RESULT_FD, value);
        break;
    case OPT_CHANNEL:
        parse_channel(opts, value);
        break;
    case OPT_SANDBOX:
        opts->sandbox_args = value;
        break;
    case OPT_CGROUP:
        add_cgroup(opts, value);
        break;
    case OPT_CPU_SECONDS:
        opts->cpu_seconds = parse_number("cpu-seconds", value, 1, 1000000);
        break;
    case OPT_MAX_TASKS:
        opts->max_tasks = parse_number("max-tasks", value, 1, 1000000);
        break;
    case OPT_UID:
        opts->uid = parse_number("uid", value, 1, 4294967294LL);
        break;
    case OPT_GID:
        opts->gid = parse_number("gid", value, 1, 4294967294LL);
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
bool parse_options(int argc, char **argv, struct options *opts)
{
    *opts = (struct options){
        .timeout_ms = -1,
        .hang_ms = DEFAULT_HANG_MS,
        .max_output = DEFAULT_MAX_OUTPUT,
        .stdout_path = "/dev/null",
        .stderr_path = "/dev/null",
        .uid = -1,
        .gid = -1,
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
    if ((opts->uid < 0) != (opts->gid < 0))
        note_usage_error("--uid and --gid go together");
    if (opts->uid >= 0 && opts->sandbox_args != NULL)
        note_usage_error("--uid is for runs without --sandbox");
    if (optind >= argc)
        note_usage_error("no PROGRAM given after --");
    opts->program_argv = argv + optind;
    return usage_error[0] == '\0';
}

int report_usage_error(const struct options *opts)
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
