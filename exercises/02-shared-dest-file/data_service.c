/*
 * data_service.c - 02-shared-dest-file: the lecture's data service, in C.
 *
 * Scenario: each thread fetches its data from a slow service and saves it
 * to a file of its own, output_<id>.txt.  As in the lecture, the name of
 * the file to write is kept in dest_file, a variable all threads share.
 *
 * Symptom to look for: after a run with N threads there should be N files,
 * each holding one line, "Thread <id> was here".  Instead one file holds
 * every thread's line and the other files are missing.  Run with --verbose
 * to see which name each thread sets and where it writes; build with
 * -fsanitize=thread to have ThreadSanitizer name the lines.
 *
 * Your job: make every thread's line land in its own file, alone, for any
 * number of threads.  Only this file is yours; keep any helper you add
 * static.
 */
#include "data_service.h"

#include <pthread.h>
#include <stdio.h>

/* The name of the file to write next, shared by every thread. */
static char dest_file[32];

void save_data(int thread_id)
{
    snprintf(dest_file, sizeof dest_file, "output_%d.txt", thread_id);
    trace("dest_file = %s", dest_file);

    simulated_delay(); /* fetching this thread's data */

    /* Append, like a log: no line that was written can get lost. */
    FILE *file = fopen(dest_file, "a");
    if (file == NULL) {
        fprintf(stderr, "thread %d: cannot open %s\n", thread_id, dest_file);
        return;
    }
    fprintf(file, "Thread %d was here\n", thread_id);
    fclose(file);
    trace("wrote to %s", dest_file);
}
