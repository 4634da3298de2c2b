/*
 * downloader.c - 05-io-bound: downloading many web sites, the lecture's
 * I/O bound problem.
 *
 * Scenario: the program downloads the front page of SITES web sites and
 * keeps each page's size, in site order.  A download spends nearly all of
 * its time waiting for the network, not computing: it is I/O bound, the
 * case the lecture says threads are great for.  This version downloads one
 * site after another, so the program waits for one site at a time.
 *
 * Symptom to look for: every page size is right, but the program is slow:
 * N sites take N times as long as one.  The last line shows the time next
 * to what one download after another and a full pool of threads need.
 * Build with -fsanitize=thread too: once several threads share data,
 * ThreadSanitizer checks that they do so safely.
 *
 * Your job: download with a pool of at most POOL_SIZE threads, so that
 * their waits overlap, while every page size still lands at its own site's
 * index, for any number of sites and any pool size.  Only this file is
 * yours; keep any helper you add static.
 */
#include "downloader.h"

void download_all_sites(long sites, long pool_size, long *page_sizes)
{
    trace("downloading %ld sites, one after another (pool size %ld)", sites, pool_size);
    for (long site = 0; site < sites; site++) {
        page_sizes[site] = download_site(site);
        trace("site %ld: %ld bytes", site, page_sizes[site]);
    }
}
