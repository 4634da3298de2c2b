/*
 * config.c - 07-lazy-init, reference solution.
 *
 * The bug: get_config() checks whether the config exists, then builds it:
 * check-then-act.  Building is slow, so several threads check while the
 * first one is still building; they all find NULL, each builds a config of
 * its own, and each stores it in the shared pointer over the others'.
 * create_config() runs several times and threads end up with different
 * configs.  The check and the build have to happen as one step.
 *
 * The fix: pthread_once(), made for exactly this.  The first thread to get
 * there runs load_config(); every other thread that arrives meanwhile
 * waits until it has finished, and every later call returns at once.  When
 * pthread_once() returns, the config is built and the thread is guaranteed
 * to see it, so reading the pointer afterwards needs no lock.  A mutex held
 * from the check to the assignment is also correct, but every call then
 * takes the lock, long after the config exists.
 */
#include "config.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* The configuration; written once, by load_config(). */
static struct config *config;
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

/* A pthread call fails only when the program itself is wrong: stop loudly. */
static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s failed (error %d)\n", what, rc);
        abort();
    }
}

static void load_config(void)
{
    trace("no config yet: building it");
    config = create_config();
    trace("built config #%d", config->id);
}

struct config *get_config(void)
{
    must(pthread_once(&config_once, load_config), "pthread_once");
    return config;
}
