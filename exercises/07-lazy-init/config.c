/*
 * config.c - 07-lazy-init: a configuration built on first use.
 *
 * Scenario: the lecture's Lazy Initialization pattern.  Building the
 * site's configuration is slow (create_config() reads a file), so it is
 * not built at start-up but the first time a thread asks for it;
 * get_config() then hands every thread that same object.  Several worker
 * threads start at the same moment and each asks for the config.
 *
 * Symptom to look for: create_config() should run once and every thread
 * should get the same config.  Instead it runs several times, and
 * different threads get different config objects.  Run with --verbose to
 * see which thread built which config; build with -fsanitize=thread to
 * have ThreadSanitizer name the lines.
 *
 * Your job: make create_config() run exactly once, and get_config() return
 * that one object to every thread, for any number of threads.  Only this
 * file is yours; keep any helper you add static.
 */
#include "config.h"

#include <stddef.h>

/* The configuration, once somebody has built it; NULL until then. */
static struct config *config;

struct config *get_config(void)
{
    if (config == NULL) {
        trace("no config yet: building it");
        config = create_config();
        trace("built config #%d", config->id);
    }
    return config;
}
