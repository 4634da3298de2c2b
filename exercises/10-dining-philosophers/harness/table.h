/*
 * table.h - the contract between table.c (yours) and the harness.
 *
 * PHILOSOPHERS philosophers (default 5) sit round a table, numbered 0, 1,
 * ...; between each two neighbours lies one fork, so there are as many
 * forks as philosophers.  Philosopher i has fork i on the left and fork
 * (i + 1) mod PHILOSOPHERS on the right, and can eat only with both in
 * hand.  Each philosopher eats MEALS times (default 3): pick_up_forks(),
 * eat (the harness), put_down_forks(), think a little (the harness).  All
 * philosophers sit down at the same moment.
 */
#ifndef TABLE_H
#define TABLE_H

#include <pthread.h>

struct fork {
    int id;               /* 0, 1, ...; never changes */
    pthread_mutex_t lock; /* held by whoever has the fork in hand */
};

struct philosopher {
    int id;              /* 0, 1, ...; never changes */
    int seats;           /* how many philosophers sit at the table */
    struct fork *left;   /* fork id */
    struct fork *right;  /* fork (id + 1) mod seats */
};

/* ---- implemented by table.c ------------------------------------------- */

/* Return with both of SELF's forks in hand (their locks held).  Every
 * philosopher calls this at the same time, for the forks it shares with
 * its neighbours. */
void pick_up_forks(struct philosopher *self);

/* Put both forks down again (unlock them), after eating. */
void put_down_forks(struct philosopher *self);

/* ---- offered by the harness ------------------------------------------- */

/* The philosopher stops to think for a moment.  The first call in each
 * thread takes 10 milliseconds, later calls about 200 microseconds: if
 * the philosophers can get stuck waiting for each other, they do so on
 * the very first try. */
void ponder(void);

/* Print one line for the calling philosopher, indented by its number, when
 * the program runs with --verbose; otherwise do nothing.  printf-style. */
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* TABLE_H */
