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

/* Sleeps up to TIMEOUT_MS; returns early when a signal arrives, and with
 * a RUN, copies what its channels bring meanwhile.  Returns false only
 * when poll() itself fails. */
bool sleep_until_woken(struct run *run, long long timeout_ms)
{
    struct pollfd fds[1 + MAX_CHANNELS];
    fds[0] = (struct pollfd){ .fd = wake_pipe[0], .events = POLLIN };
    size_t count = 1 + (run != NULL ? channel_poll_fds(run, fds + 1) : 0);
    int ready = poll(fds, (nfds_t)count, (int)timeout_ms);
    if (ready < 0)
        return errno == EINTR;
    char drained[64];
    if (fds[0].revents != 0)
        while (read(wake_pipe[0], drained, sizeof drained) > 0)
            continue;
    if (run != NULL)
        copy_channels(run);
    return true;
}

