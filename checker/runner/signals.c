/*
 * signals.c - the runner's own signals: SIGCHLD wakes the main loop,
 * SIGTERM, SIGINT and SIGHUP end the run as interrupted.
 */
#define _GNU_SOURCE
#include "runner.h"

/* Set by the signal handler; the main loop turns it into error=interrupted. */
volatile sig_atomic_t stop_requested;

/* Signals write a byte here so that the poll() in the main loop wakes up
 * at once when the program exits or the runner is told to stop. */
static int wake_pipe[2] = { -1, -1 };

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

bool install_signal_handlers(void)
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
bool sleep_until_woken(long long timeout_ms)
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

