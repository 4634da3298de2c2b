/*
 * data_service.c - 02-shared-dest-file, reference solution.
 *
 * The bug: every thread sets the shared dest_file to its own name, then
 * waits for its data.  While it waits, the other threads overwrite
 * dest_file with their names, so when the threads wake up they all open
 * the file named last and append their lines to it.  Setting the name,
 * fetching and writing form one critical section, run by all threads at
 * once.
 *
 * The fix shown here is the lecture's lock: one mutex, shared by every
 * thread, held from setting dest_file until the file is closed, so no
 * thread can change the name while another still needs it.  The threads
 * now take turns, slow fetch included.
 *
 * The lecture's other fix works as well and keeps the threads running side
 * by side: give each thread its own copy of the name, a local
 * "char dest_file[32]" inside save_data(), and share nothing at all.
 */
#include "data_service.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* The name of the file to write next, shared by every thread; dest_lock
 * protects it from being set until its user has finished with it. */
static char dest_file[32];
static pthread_mutex_t dest_lock = PTHREAD_MUTEX_INITIALIZER;

/* A mutex call fails only when the program itself is wrong: stop loudly. */
static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s failed (error %d)\n", what, rc);
        abort();
    }
}

/* Append this thread's line to dest_file.  The caller holds dest_lock. */
static void write_line(int thread_id)
{
    FILE *file = fopen(dest_file, "a");
    if (file == NULL) {
        fprintf(stderr, "thread %d: cannot open %s\n", thread_id, dest_file);
        return;
    }
    fprintf(file, "Thread %d was here\n", thread_id);
    fclose(file);
    trace("wrote to %s", dest_file);
}

void save_data(int thread_id)
{
    must(pthread_mutex_lock(&dest_lock), "pthread_mutex_lock");
    snprintf(dest_file, sizeof dest_file, "output_%d.txt", thread_id);
    trace("dest_file = %s", dest_file);
    simulated_delay(); /* fetching this thread's data */
    write_line(thread_id);
    must(pthread_mutex_unlock(&dest_lock), "pthread_mutex_unlock");
}
