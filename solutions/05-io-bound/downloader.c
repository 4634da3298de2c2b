/*
 * downloader.c - 05-io-bound, reference solution.
 *
 * The problem: download_all_sites() called download_site() for one site
 * after another.  Each call is almost all waiting for the network, so the
 * program spent N downloads' worth of time waiting, one wait at a time.
 * Nothing was wrong with the results; the program was just I/O bound and
 * used one thread.
 *
 * The fix: a pool of worker threads, at most pool_size of them, that share
 * a queue of sites: the number of the next site to download, next_site.
 * Each worker takes the next site under a mutex, downloads it with the
 * lock released, stores the size at page_sizes[site] (its own index, so
 * the order stays right whoever finishes first) and comes back for more.
 * The waits of up to pool_size downloads now overlap: the whole run takes
 * about ceil(sites / pool_size) downloads' worth of time.  The lock must
 * cover only taking a site: held across download_site(), it would let one
 * download run at a time again.  An atomic fetch-and-add on next_site, or
 * giving worker i the sites i, i + pool_size, ..., works as well.
 */
#include "downloader.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* What every worker needs to know; set up before the workers start. */
struct downloads {
    long sites;
    long *page_sizes;
};

/* The queue: sites next_site .. sites - 1 are still to be downloaded.
 * queue_lock protects next_site. */
static long next_site;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;

/* A pthread call fails only when the program itself is wrong: stop loudly. */
static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s failed (error %d)\n", what, rc);
        abort();
    }
}

/* The next site to download, or -1 when every site has been taken. */
static long take_next_site(long sites)
{
    must(pthread_mutex_lock(&queue_lock), "pthread_mutex_lock");
    long site = next_site < sites ? next_site++ : -1;
    must(pthread_mutex_unlock(&queue_lock), "pthread_mutex_unlock");
    return site;
}

static void *worker_main(void *arg)
{
    struct downloads *downloads = arg;
    long site;
    while ((site = take_next_site(downloads->sites)) != -1) {
        downloads->page_sizes[site] = download_site(site); /* no lock held */
        trace("site %ld: %ld bytes", site, downloads->page_sizes[site]);
    }
    return NULL;
}

void download_all_sites(long sites, long pool_size, long *page_sizes)
{
    struct downloads downloads = {.sites = sites, .page_sizes = page_sizes};
    long count = pool_size < sites ? pool_size : sites; /* no idle workers */
    pthread_t workers[count];
    trace("downloading %ld sites with %ld threads", sites, count);
    for (long i = 0; i < count; i++)
        must(pthread_create(&workers[i], NULL, worker_main, &downloads), "pthread_create");
    for (long i = 0; i < count; i++)
        must(pthread_join(workers[i], NULL), "pthread_join");
}
