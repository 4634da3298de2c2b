/*
 * cleanup.c - leaving nothing of the program running.
 */
#define _GNU_SOURCE
#include "runner.h"

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
void stop_everything(struct run *run)
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

