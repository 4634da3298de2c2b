/*
 * main.c - the harness of 05-io-bound.  Frozen: the checker always builds
 * your downloader.c with its own copy of this file.
 *
 * usage: io-bound [--sites N] [--pool N] [--fetch-ms N] [--check-time 0|1]
 *                 [--verbose]
 *
 * Calls download_all_sites() for SITES sites (default 24) with a pool size
 * (default 12), each download waiting FETCH_MS milliseconds (default 60),
 * and measures how long the call takes with CLOCK_MONOTONIC.  Then shows
 * which page sizes are wrong, how many downloads were in progress at the
 * same time at most, and the time next to what one download after another
 * and a full pool would need.  --check-time 0 marks a run whose time is not
 * judged (under Valgrind, threads take turns, so time says nothing there).
 * --verbose prints every thread's steps, one column per thread.
 *
 * The harness keeps its own counts with relaxed atomic operations: they
 * are exact, yet they order nothing between threads, so they cannot hide a
 * race in downloader.c from ThreadSanitizer.
 */
#include "downloader.h"
#include "kit.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    INDENT = 24, /* columns between two threads' trace lines */
    MAX_SITES = 64,
    MAX_POOL = 16,
    MAX_FETCH_MS = 1000,
    EXAMPLES = 5, /* sites shown per kind of problem */
    SLACK_MS = 500, /* time bound: twice a full pool's time + SLACK_MS (as oracle.jq) */
    MAIN_THREAD = KIT_NO_NUMBER,
};

#define RELAXED memory_order_relaxed

static long site_count; /* written before download_all_sites() */
static long fetch_us;   /* written before download_all_sites() */

static _Thread_local int has_downloaded; /* this thread called download_site() */

static atomic_long downloaders;      /* threads that downloaded, main() too */
static atomic_long fetching;         /* downloads in progress right now */
static atomic_long max_fetching;     /* the most ever in progress at once */
static atomic_long bad_calls;        /* download_site() with no such site */
static atomic_long *downloads;       /* downloads[site]: how often fetched */

/* The calling thread's number: threads are numbered 1, 2, ... in the order
 * they first call into the harness, and named after it. */
static long this_thread(void)
{
    return kit_thread_number("worker");
}

void trace(const char *fmt, ...)
{
    this_thread();
    va_list args;
    va_start(args, fmt);
    kit_vtrace(fmt, args);
    va_end(args);
}

/* The size of a site's front page: any number will do, as long as it is
 * the same for the same site and differs between neighbours. */
static long page_size(long site)
{
    return 1000 + site * 7919 % 9000;
}

static void raise_max_fetching(long now)
{
    long seen = atomic_load_explicit(&max_fetching, RELAXED);
    while (now > seen &&
           !atomic_compare_exchange_weak_explicit(&max_fetching, &seen, now, RELAXED, RELAXED))
        continue;
}

long download_site(long site)
{
    this_thread();
    if (site < 0 || site >= site_count) {
        atomic_fetch_add_explicit(&bad_calls, 1, RELAXED);
        trace("download_site(%ld): there is no such site", site);
        return -1;
    }
    if (!has_downloaded) {
        has_downloaded = 1;
        atomic_fetch_add_explicit(&downloaders, 1, RELAXED);
    }
    raise_max_fetching(atomic_fetch_add_explicit(&fetching, 1, RELAXED) + 1);
    atomic_fetch_add_explicit(&downloads[site], 1, RELAXED);
    trace("fetching site %ld", site);
    kit_sleep_us(fetch_us); /* waiting for the network */
    atomic_fetch_sub_explicit(&fetching, 1, RELAXED);
    return page_size(site);
}

static double now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

/* Append " ITEM" to LIST (at most EXAMPLES items), printf-style. */
static void add_example(char *list, size_t size, long count, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_example(char *list, size_t size, long count, const char *fmt, ...)
{
    if (count > EXAMPLES)
        return;
    size_t used = strlen(list);
    if (used > 0 && used + 1 < size)
        list[used++] = ' ';
    va_list args;
    va_start(args, fmt);
    vsnprintf(list + used, size - used, fmt, args);
    va_end(args);
}

static void report(long pool, long fetch_ms, int check_time, double elapsed,
                   const long *page_sizes)
{
    long right = 0, wrong = 0, again = 0, fetches = 0;
    unsigned long checksum = 0; /* sum of (site + 1) x page_sizes[site] */
    char wrong_list[160] = "";
    for (long site = 0; site < site_count; site++) {
        long n = atomic_load_explicit(&downloads[site], RELAXED);
        fetches += n;
        again += n > 1;
        if (page_sizes[site] == page_size(site)) {
            right++;
        } else {
            wrong++;
            add_example(wrong_list, sizeof wrong_list, wrong, "%ld:%ld", site, page_sizes[site]);
        }
        checksum += (unsigned long)(site + 1) * (unsigned long)page_sizes[site];
    }
    long most = atomic_load_explicit(&max_fetching, RELAXED);
    long threads = atomic_load_explicit(&downloaders, RELAXED);
    long still = atomic_load_explicit(&fetching, RELAXED);
    long bad = atomic_load_explicit(&bad_calls, RELAXED);
    long rounds = (site_count + pool - 1) / pool;

    printf("%ld sites, pool of %ld, %ld ms per download:\n", site_count, pool, fetch_ms);
    printf("  %ld of %ld page sizes right\n", right, site_count);
    if (wrong > 0)
        printf("    wrong (site:size): %s%s\n", wrong_list, wrong > EXAMPLES ? " ..." : "");
    printf("  %ld downloads for %ld sites; %ld thread(s) downloaded, at most %ld at once\n",
           fetches, site_count, threads, most);
    printf("  took %.1f ms; one after another: about %ld ms, a pool of %ld: about %ld ms\n",
           elapsed, site_count * fetch_ms, pool, rounds * fetch_ms);
    int sound = wrong == 0 && again == 0 && most <= pool && threads <= pool && still == 0 &&
                bad == 0;
    /* Fewest downloads at once that still fetch every site in ROUNDS rounds. */
    long full_pool = (site_count + rounds - 1) / rounds;
    long bound = 2 * rounds * fetch_ms + SLACK_MS;
    if (!sound)
        printf("wrong\n");
    else if (!check_time)
        printf("right (overlap and time not judged in this run)\n");
    else if (most < full_pool)
        printf("right, but too slow: a pool of %ld fetches %ld sites in %ld round(s) only with "
               "%ld downloads at once\n", pool, site_count, rounds, full_pool);
    else if (elapsed > bound)
        printf("right, but too slow: more than %ld ms (twice a full pool's time + %d ms)\n",
               bound, SLACK_MS);
    else if (full_pool <= 1)
        printf("right; with a pool of 1 or a single site nothing can overlap: try more\n");
    else
        printf("correct: %ld downloads at once, within %ld ms\n", most, bound);

    kit_result("pages_right", "%ld", right);
    kit_result("wrong_page_examples", "%s", wrong_list);
    kit_result("pages_checksum", "%lu", checksum);
    kit_result("downloads", "%ld", fetches);
    kit_result("sites_downloaded_again", "%ld", again);
    kit_result("max_fetching", "%ld", most);
    kit_result("downloading_threads", "%ld", threads);
    kit_result("fetching_at_return", "%ld", still);
    kit_result("bad_site_calls", "%ld", bad);
    kit_result("elapsed_ms", "%.1f", elapsed);
}

int main(int argc, char **argv)
{
    /* Line by line even into a pipe: a program that hangs still shows its
     * last steps. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    static const char *const options[] = {
        "--sites", "--pool", "--fetch-ms", "--check-time", NULL};
    kit_check_usage(argc, argv, options,
                    "[--sites N] [--pool N] [--fetch-ms N] [--check-time 0|1] [--verbose]");
    site_count = kit_option(argc, argv, "sites", 24, 1, MAX_SITES);
    long pool = kit_option(argc, argv, "pool", 12, 1, MAX_POOL);
    long fetch_ms = kit_option(argc, argv, "fetch-ms", 60, 1, MAX_FETCH_MS);
    int check_time = (int)kit_option(argc, argv, "check-time", 1, 0, 1);
    kit_trace_setup(kit_flag(argc, argv, "--verbose"), "w", INDENT, 1);
    fetch_us = fetch_ms * 1000;
    kit_be("main", KIT_NO_NUMBER);

    long *page_sizes = malloc(site_count * sizeof *page_sizes);
    downloads = calloc(site_count, sizeof *downloads);
    if (page_sizes == NULL || downloads == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (long site = 0; site < site_count; site++)
        page_sizes[site] = -1; /* not stored */

    double start = now_ms();
    download_all_sites(site_count, pool, page_sizes);
    double elapsed = now_ms() - start;

    /* download_all_sites() has joined its threads, if it is right: the
     * page sizes and counts are final. */
    report(pool, fetch_ms, check_time, elapsed, page_sizes);
    free(downloads);
    free(page_sizes);
    kit_finish();
    return 0;
}
