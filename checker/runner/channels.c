/*
 * channels.c - descriptors the program writes to but cannot take back.
 *
 * Each --channel N:FILE (and --result FILE, which is --channel 3:FILE) is
 * one end of a Unix socket pair: the program gets the other end as
 * descriptor N, and the runner copies every byte that arrives to FILE, up
 * to --max-output bytes (the rest is read and dropped, and the report says
 * truncated_fd=N).  Unlike a file, a socket cannot be read back, rewound,
 * truncated, or reopened through /proc/self/fd (open() of a socket fails
 * with ENXIO), so what was written stays written: the harness's results,
 * and Valgrind's XML (--xml-fd), which Valgrind keeps out of the client
 * program's reach besides.
 */
#define _GNU_SOURCE
#include "runner.h"

enum { DRAIN_LIMIT_MS = 2000 };

static bool open_channel(struct run *run, struct channel *channel, int fd,
                         const char *path)
{
    int pair[2];
    *channel = (struct channel){ fd, -1, -1, -1, 0, false };
    channel->file = open_private(path, O_WRONLY | O_CREAT | O_TRUNC);
    if (channel->file < 0) {
        fail_run(run, "cannot open channel file '%s': %s", path,
                 strerror(errno));
        return false;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        fail_run(run, "cannot create a socket pair: %s", strerror(errno));
        return false;
    }
    channel->runner_end = move_fd_high(pair[0]);
    channel->program_end = move_fd_high(pair[1]);
    if (channel->runner_end < 0 || channel->program_end < 0 ||
        fcntl(channel->runner_end, F_SETFL, O_NONBLOCK) != 0) {
        fail_run(run, "cannot set up a socket: %s", strerror(errno));
        return false;
    }
    /* The program only writes; the runner only reads. */
    (void)shutdown(channel->runner_end, SHUT_WR);
    return true;
}

bool open_channels(const struct options *opts, struct run *run)
{
    run->max_output = opts->max_output;
    for (size_t i = 0; i < opts->channel_count; i++) {
        run->channel_count = i + 1;
        if (!open_channel(run, &run->channels[i], opts->channel_fds[i],
                          opts->channel_paths[i]))
            return false;
    }
    return true;
}

void connect_channels(const struct run *run, int status_fd)
{
    for (size_t i = 0; i < run->channel_count; i++) {
        const struct channel *channel = &run->channels[i];
        if (dup2(channel->program_end, channel->number) < 0)
            child_fail(status_fd, "cannot set up descriptor %d: %s",
                       channel->number, strerror(errno));
    }
}

void close_program_ends(struct run *run)
{
    for (size_t i = 0; i < run->channel_count; i++) {
        close_fd(run->channels[i].program_end);
        run->channels[i].program_end = -1;
    }
}

static void keep(struct channel *channel, const char *bytes, size_t length,
                 long long limit)
{
    long long room = limit - channel->copied;
    if ((long long)length > room) {
        channel->truncated = true;
        length = room > 0 ? (size_t)room : 0;
    }
    while (length > 0) {
        ssize_t written = write(channel->file, bytes, length);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            warn("cannot write a channel file: %s", strerror(errno));
            channel->truncated = true;
            return;
        }
        bytes += written;
        length -= (size_t)written;
        channel->copied += written;
    }
}

/* Copies what has arrived; returns false while more may come later. */
static bool copy_channel(struct channel *channel, long long limit)
{
    char buffer[65536];
    for (;;) {
        ssize_t got = read(channel->runner_end, buffer, sizeof buffer);
        if (got > 0) {
            keep(channel, buffer, (size_t)got, limit);
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return false;
        close_fd(channel->runner_end);
        channel->runner_end = -1;
        return true;
    }
}

void copy_channels(struct run *run)
{
    for (size_t i = 0; i < run->channel_count; i++)
        if (run->channels[i].runner_end >= 0)
            copy_channel(&run->channels[i], run->max_output);
}

/* Once every process of the program is gone, each channel ends soon; the
 * limit only guards against a writer the clean-up could not kill. */
void drain_channels(struct run *run)
{
    long long give_up_at = now_ms() + DRAIN_LIMIT_MS;
    for (size_t i = 0; i < run->channel_count; i++) {
        struct channel *channel = &run->channels[i];
        while (channel->runner_end >= 0 && !copy_channel(channel, run->max_output)) {
            long long left = give_up_at - now_ms();
            struct pollfd ready = { .fd = channel->runner_end, .events = POLLIN };
            if (left <= 0 || poll(&ready, 1, (int)left) == 0) {
                channel->truncated = true;
                break;
            }
        }
        close_fd(channel->runner_end);
        channel->runner_end = -1;
        close_fd(channel->file);
        channel->file = -1;
    }
}

size_t channel_poll_fds(const struct run *run, struct pollfd *fds)
{
    size_t count = 0;
    for (size_t i = 0; i < run->channel_count; i++)
        if (run->channels[i].runner_end >= 0)
            fds[count++] = (struct pollfd){ .fd = run->channels[i].runner_end,
                                            .events = POLLIN };
    return count;
}
