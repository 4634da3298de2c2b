/*
 * report.c - the key=value report of how the run ended.
 */
#define _GNU_SOURCE
#include "runner.h"

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
    if (run->sandboxed)
        fprintf(out, "sandboxed=1\n");
    for (size_t i = 0; i < run->channel_count; i++)
        if (run->channels[i].truncated)
            fprintf(out, "truncated_fd=%d\n", run->channels[i].number);
}

/* Written whole under a temporary name and renamed, so a reader sees the
 * complete report or none. */
bool write_report(const char *path, const struct run *run)
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

/* A runner told to stop reports that, whatever the program had done: the
 * caller gave up on this run. */
void report_interruption(struct run *run)
{
    if (run->outcome == OUTCOME_RUNNING && run->started)
        run->ended_ms = now_ms();
    run->outcome = OUTCOME_ERROR;
    snprintf(run->error, sizeof run->error, "interrupted");
}

