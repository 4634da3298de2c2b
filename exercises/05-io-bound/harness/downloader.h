/*
 * downloader.h - the contract between downloader.c (yours) and the
 * harness.
 *
 * The harness calls download_all_sites() once, with the number of sites
 * (numbered 0, 1, ...) and a pool size.  It times the call, then checks
 * that page_sizes[site] holds the size of site's page for every site, that
 * no more than POOL_SIZE downloads were ever in progress at the same time,
 * and that the call took about as long as a pool of POOL_SIZE threads
 * needs, not as long as one download after another.
 */
#ifndef DOWNLOADER_H
#define DOWNLOADER_H

/* ---- implemented by downloader.c -------------------------------------- */

/* Download every site 0 .. SITES - 1 and store the size of site's page in
 * PAGE_SIZES[site], using at most POOL_SIZE threads at a time.  Return
 * once every download is done and every thread started has been joined. */
void download_all_sites(long sites, long pool_size, long *page_sizes);

/* ---- offered by the harness ------------------------------------------- */

/* Download the front page of site SITE and return its size in bytes, the
 * same for the same site every time.  Nearly all of the call is waiting
 * for the network (--fetch-ms milliseconds, 60 by default), not
 * computing.  Many threads may call it at the same time. */
long download_site(long site);

/* Print one line for the calling thread, indented by thread number, when
 * the program runs with --verbose; otherwise do nothing.  printf-style. */
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* DOWNLOADER_H */
