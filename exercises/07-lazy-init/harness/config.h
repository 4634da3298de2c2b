/*
 * config.h - the contract between config.c (yours) and the harness.
 *
 * The site's configuration is expensive to build, so it is built lazily:
 * not at start-up, but the first time a thread asks for it.  After that
 * every thread must get that same object, for as long as the program runs.
 *
 * The harness starts the worker threads at the same moment; each serves
 * REQUESTS requests and calls get_config() once per request.  At the end
 * it checks how often create_config() ran and how many different config
 * objects the workers were handed.
 */
#ifndef CONFIG_H
#define CONFIG_H

/* The site's configuration.  The harness builds it and never changes it
 * afterwards; your code only passes the pointer on. */
struct config {
    int id;               /* 1 for the first object create_config() built, 2 ... */
    char site_name[32];
    long max_connections;
};

/* ---- implemented by config.c ------------------------------------------ */

/* The one shared configuration, built on first use.  Called by every
 * worker, at the same time, once per request; never returns NULL. */
struct config *get_config(void);

/* ---- offered by the harness ------------------------------------------- */

/* Build a new configuration by reading the site's configuration file.
 * Slow: it takes a few milliseconds, so every worker asks for the config
 * before the first one is ready.  Every call builds a new object (with a
 * new id) and the harness counts the calls: it must run exactly once. */
struct config *create_config(void);

/* Print one line for the calling thread, indented by thread number, when
 * the program runs with --verbose; otherwise do nothing.  printf-style. */
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* CONFIG_H */
