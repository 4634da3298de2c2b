/*
 * database.h - the contract between database.c (yours) and the harness.
 *
 * The harness starts the worker threads; each calls database_update() once
 * per round.  When every thread has finished, the harness reads the result
 * with database_value() and compares it with threads x rounds.
 */
#ifndef DATABASE_H
#define DATABASE_H

/* ---- implemented by database.c ---------------------------------------- */

/* Add one to the stored value.  Called by many threads at the same time. */
void database_update(void);

/* The stored value.  Called once, after every worker thread has ended. */
long database_value(void);

/* ---- offered by the harness ------------------------------------------- */

/* Sleep about 200 microseconds: the lecture's time.sleep(0.1), standing in
 * for the slow part of a real database update. */
void simulated_delay(void);

/* Print one line for the calling thread, indented by thread number, when
 * the program runs with --verbose; otherwise do nothing.  printf-style. */
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* DATABASE_H */
