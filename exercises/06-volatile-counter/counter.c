/*
 * counter.c - 06-volatile-counter: a page-view counter shared by threads.
 *
 * Scenario: the course website counts its page views.  Every worker thread
 * serves requests and calls record_hit() once per request; at the end the
 * site shows hit_count().  The counter was declared volatile, in the
 * belief that this makes it safe to share: every access really goes to
 * memory, so no thread keeps a stale copy of it in a register.
 *
 * Symptom to look for: T threads serving H requests each should count
 * T x H page views.  The count comes out short, by a different amount on
 * every run.  Build with -fsanitize=thread to have ThreadSanitizer name
 * the line.
 *
 * Your job: make the count exactly T x H for any number of threads and
 * requests.  Only this file is yours; keep any helper you add static.
 */
#include "counter.h"

/* Every page view of the site, counted by all the workers together.
 * volatile: each hits++ reads the counter from memory and writes it back
 * to memory, instead of working on a copy kept in a register. */
static volatile long hits;

void record_hit(void)
{
    hits++;
}

long hit_count(void)
{
    return hits;
}
