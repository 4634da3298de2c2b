/*
 * main.c - the harness of 10-dining-philosophers.  Frozen: the checker
 * always builds your table.c with its own copy of this file.
 *
 * usage: dining-philosophers [--philosophers N] [--meals N] [--verbose]
 *
 * Lays N forks (default 5) and starts N philosopher threads that each eat
 * MEALS times (default 3) following table.h, waits for them, then prints
 * how often each one ate and whether a fork was ever in two hands at once.
 * --verbose prints every philosopher's steps, one column each.
 */
#include "table.h"
#include "kit.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    FIRST_PONDER_US = 10000, /* long: every philosopher has a fork in hand */
    PONDER_US = 200,         /* short: a correct program finishes quickly */
    EAT_US = 300,            /* long enough for neighbours to overlap */
    THINK_US = 100,          /* between two meals, with no fork in hand */
    INDENT = 20,             /* columns between two philosophers' lines */
    MAX_PHILOSOPHERS = 16,
    MAX_MEALS = 100,
    NOBODY = -1,
};

struct diner {
    struct philosopher seat; /* what table.c sees */
    long meals;              /* to eat */
    long eaten;              /* meals eaten, counted by the harness */
    long clashes;            /* a fork of its was in another hand too */
};

/* Per fork: the philosopher eating with it, or NOBODY.  The fork's lock,
 * held by whoever eats with it, is what keeps these marks consistent. */
static int fork_holder[MAX_PHILOSOPHERS];

static _Thread_local long ponders; /* ponder() calls so far */

void ponder(void)
{
    kit_sleep_us(ponders++ == 0 ? FIRST_PONDER_US : PONDER_US);
}

void trace(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    kit_vtrace(fmt, args);
    va_end(args);
}

/* The fork is in SELF's hand: it must not be in anyone else's. */
static void take_in_hand(struct diner *self, struct fork *fork)
{
    int holder = fork_holder[fork->id];
    if (holder != NOBODY) {
        trace("fork %d is in p%d's hand too!", fork->id, holder);
        self->clashes++;
    }
    fork_holder[fork->id] = self->seat.id;
}

static void lay_down(struct diner *self, struct fork *fork)
{
    if (fork_holder[fork->id] != self->seat.id) {
        trace("fork %d was taken from my hand while I ate!", fork->id);
        self->clashes++;
    }
    fork_holder[fork->id] = NOBODY;
}

static void eat(struct diner *self)
{
    take_in_hand(self, self->seat.left);
    take_in_hand(self, self->seat.right);
    trace("eating (meal %ld)", self->eaten + 1);
    kit_sleep_us(EAT_US);
    lay_down(self, self->seat.right);
    lay_down(self, self->seat.left);
    self->eaten++;
}

/* Everybody sits down together (kit_run_together), so they all reach for
 * their forks at the same moment on every run. */
static void dine(void *arg)
{
    struct diner *self = arg;
    for (long meal = 0; meal < self->meals; meal++) {
        pick_up_forks(&self->seat);
        eat(self);
        put_down_forks(&self->seat);
        kit_sleep_us(THINK_US);
    }
    trace("done");
}

static void *checked_calloc(size_t count, size_t size)
{
    void *memory = calloc(count, size);
    if (memory == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return memory;
}

static struct fork *lay_forks(long count)
{
    struct fork *forks = checked_calloc(count, sizeof *forks);
    for (long i = 0; i < count; i++) {
        forks[i].id = i;
        kit_check(pthread_mutex_init(&forks[i].lock, NULL), "pthread_mutex_init");
        kit_label(&forks[i], sizeof forks[i], "fork %ld", i);
    }
    return forks;
}

static void clear_table(struct fork *forks, long count)
{
    for (long i = 0; i < count; i++)
        kit_check(pthread_mutex_destroy(&forks[i].lock),
                  "pthread_mutex_destroy (a philosopher left a fork locked)");
    free(forks);
}

static void report(struct diner *diners, long count, long meals)
{
    long clashes = 0, wrong = 0;
    char key[32];
    printf("%ld philosophers, %ld meals each:\n", count, meals);
    for (long i = 0; i < count; i++) {
        printf("  philosopher %ld ate %ld times\n", i, diners[i].eaten);
        wrong += diners[i].eaten != meals;
        clashes += diners[i].clashes;
        snprintf(key, sizeof key, "ate_%ld", i);
        kit_result(key, "%ld", diners[i].eaten);
    }
    printf("  forks found in two hands at once: %ld\n", clashes);
    printf("  %s\n", wrong == 0 && clashes == 0 ? "correct" : "wrong");
    kit_result("clashes", "%ld", clashes);
}

int main(int argc, char **argv)
{
    /* Line by line even into a pipe: a program that hangs still shows its
     * last steps. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    static const char *const options[] = {"--philosophers", "--meals", NULL};
    kit_check_usage(argc, argv, options, "[--philosophers N] [--meals N] [--verbose]");
    long count = kit_option(argc, argv, "philosophers", 5, 2, MAX_PHILOSOPHERS);
    long meals = kit_option(argc, argv, "meals", 3, 1, MAX_MEALS);
    kit_trace_setup(kit_flag(argc, argv, "--verbose"), "p", INDENT, 0);

    struct fork *forks = lay_forks(count);
    for (long i = 0; i < count; i++)
        fork_holder[i] = NOBODY;
    struct diner *diners = checked_calloc(count, sizeof *diners);
    struct kit_thread *crew = checked_calloc(count, sizeof *crew);
    for (long i = 0; i < count; i++) {
        diners[i] = (struct diner){
            .seat = {.id = i, .seats = count, .left = &forks[i],
                     .right = &forks[(i + 1) % count]},
            .meals = meals,
        };
        crew[i] = (struct kit_thread){
            .body = dine, .arg = &diners[i], .role = "philosopher", .number = i,
        };
    }
    kit_run_together(crew, count);
    free(crew);

    /* Every philosopher has been joined: the counts are final. */
    report(diners, count, meals);
    clear_table(forks, count);
    free(diners);
    kit_finish();
    return 0;
}
