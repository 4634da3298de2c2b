/*
 * data_service.h - the contract between data_service.c (yours) and the
 * harness.
 *
 * The harness starts the worker threads, numbered 1, 2, ...; each calls
 * save_data() with its own number, all at the same moment.  When every
 * thread has finished, the harness looks at the files output_1.txt,
 * output_2.txt, ... in the current directory.
 */
#ifndef DATA_SERVICE_H
#define DATA_SERVICE_H

/* ---- implemented by data_service.c ------------------------------------ */

/* Fetch the data of thread THREAD_ID and save it, one line reading
 * "Thread <THREAD_ID> was here", to the file output_<THREAD_ID>.txt. */
void save_data(int thread_id);

/* ---- offered by the harness ------------------------------------------- */

/* Sleep about 1 millisecond: fetching the data from a slow service. */
void simulated_delay(void);

/* Print one line for the calling thread, indented by thread number, when
 * the program runs with --verbose; otherwise do nothing.  printf-style. */
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* DATA_SERVICE_H */
