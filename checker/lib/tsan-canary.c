/*
 * tsan-canary.c - a data race the checker's preflight must see reported.
 *
 * If ThreadSanitizer stays quiet on this, or crashes before main (as clang
 * 14 does on kernels with vm.mmap_rnd_bits above 28), no verdict about a
 * student's code could be trusted, so the checker stops with an
 * environment error instead of grading.
 */
#include <pthread.h>
#include <unistd.h>

static int shared_counter;

static void *bump(void *unused)
{
    (void)unused;
    shared_counter++;
    usleep(1000); /* keep both threads alive so the accesses overlap */
    return NULL;
}

int main(void)
{
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        if (pthread_create(&threads[i], NULL, bump, NULL) != 0)
            return 2;
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    return 0;
}
