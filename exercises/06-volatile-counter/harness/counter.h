/*
 * counter.h - the contract between counter.c (yours) and the harness.
 *
 * The harness starts the worker threads; each one serves HITS page
 * requests and calls record_hit() once per request.  When every worker has
 * finished, the harness reads the total with hit_count() and compares it
 * with threads x hits.
 */
#ifndef COUNTER_H
#define COUNTER_H

/* ---- implemented by counter.c ----------------------------------------- */

/* Count one page view.  Called by every worker, many thousand times each,
 * all at the same time. */
void record_hit(void);

/* The number of page views counted.  Called once, after every worker
 * thread has ended. */
long hit_count(void);

#endif /* COUNTER_H */
