/*
 * common.c - small helpers every part of the runner uses: messages, the
 * clock, descriptors kept clear of the program's, and failing a run.
 */
#define _GNU_SOURCE
#include "runner.h"

void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void warn(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fputs("run-program: ", stderr);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
}

long long now_ms(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
        warn("cannot read the monotonic clock: %s", strerror(errno));
        abort();
    }
    return now.tv_sec * 1000LL + now.tv_nsec / 1000000;
}

void pause_ms(long long ms)
{
    struct timespec pause = { ms / 1000, (ms % 1000) * 1000000 };
    /* An early wake-up only means the caller looks again sooner. */
    (void)nanosleep(&pause, NULL);
}

void close_fd(int fd)
{
    if (fd >= 0 && close(fd) != 0)
        warn("cannot close descriptor %d: %s", fd, strerror(errno));
}

/* Moves FD to FIRST_PRIVATE_FD or above, close-on-exec, so that setting up
 * the program's descriptors 0-3 can never overwrite one of ours. */
int move_fd_high(int fd)
{
    if (fd < 0 || fd >= FIRST_PRIVATE_FD)
        return fd;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, FIRST_PRIVATE_FD);
    int saved_errno = errno;
    close_fd(fd);
    errno = saved_errno;
    return high;
}

int open_private(const char *path, int flags)
{
    return move_fd_high(open(path, flags | O_CLOEXEC, 0666));
}

void fail_run(struct run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Ends the run as an error; the first reason given is the one reported. */
void fail_run(struct run *run, const char *fmt, ...)
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
