/*
 * run-program.c - run one untrusted program, watch it, and report how it
 * ended.
 *
 * This is the single place where the checker starts student code: the
 * plain, ThreadSanitizer and Helgrind runs all go through here, so limits,
 * hang detection and clean-up live in one spot.  A sandbox (bubblewrap with
 * CPU, memory and process limits) will be added here too, in
 * exec_program(), and nowhere else.
 *
 *   run-program [options] -- PROGRAM [ARGS...]
 *     --timeout MS        wall-clock limit in milliseconds (required)
 *     --hang-ms MS        deadlock detection window; 0 turns it off (500)
 *     --cwd DIR           directory the program starts in
 *     --stdout FILE       the program's stdout (/dev/null); --stderr likewise
 *     --result FILE       truncated and given to the program as descriptor 3
 *     --max-output BYTES  RLIMIT_FSIZE of the program (8388608)
 *     --stacks FILE       on a deadlock, gdb's backtraces of every thread
 *                         (through vgdb when the program runs under valgrind)
 *     --gdb-script FILE   with --stacks: gdb commands to run after the
 *                         backtraces (the checker reads the harness's lock
 *                         bookkeeping this way)
 *     --report FILE       key=value lines saying how the run ended (required)
 *
 * The program gets the runner's environment unchanged (the caller cleans it
 * with env -i), stdin from /dev/null, default signal dispositions, no core
 * files, and no descriptor beyond 0-2 and the --result one.
 *
 * The report is written to FILE.tmp and renamed, so nobody reads half of it:
 *   outcome=exited|signaled|timeout|deadlock|error
 *   exit_code=N                   exited
 *   signal=N, signal_name=SIGxxx  signaled
 *   error=TEXT                    error (usage, start failure, interrupted)
 *   wall_ms=N, cpu_ms=N           whenever the program was started
 *   threads=N                     timeout and deadlock, when known: tasks
 *                                 of the process (TSan adds one of its own)
 *   spinning=1                    timeout while a thread was using CPU
 *   blocked_ms=N                  deadlock
 *   stacks_ms=N                   deadlock with --stacks: how long gdb took
 *
 * Exit status: 0 when the program ran and the report was written, whatever
 * the program did; 125 for usage errors, when the program could not be
 * started, when the report could not be written, or when the runner was
 * interrupted (SIGTERM, SIGINT, SIGHUP).
 *
 * Whatever way the run ends, nothing the program started is left running:
 * the program gets its own process group, the runner is a child subreaper
 * (orphans that escaped with setsid() or a double fork become its
 * children), and at the end it kills the group and then every child it has
 * until none is left.  Only a SIGKILL of the runner itself defeats this;
 * then PR_SET_PDEATHSIG still takes the program down.
 */
#define _GNU_SOURCE
#include "runner.h"

static bool prepare_runner(struct run *run)
{
    /* Orphans of the program (double fork, setsid) come to the runner
     * instead of init, so they can be found and killed at the end. */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        fail_run(run, "cannot become a child subreaper: %s", strerror(errno));
        return false;
    }
    if (!install_signal_handlers()) {
        fail_run(run, "cannot install signal handlers: %s", strerror(errno));
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    struct options opts;
    if (!parse_options(argc, argv, &opts))
        return report_usage_error(&opts);

    struct run run = {
        .outcome = OUTCOME_RUNNING,
        .child = -1,
        .quiet_since_ms = -1,
        .last_cpu_use_ms = -1,
        .stacks_ms = -1,
        .watched = -1,
        .sandbox_args_fd = -1,
        .sandbox_info_fd = -1,
        .sandbox_info_fd_child = -1,
    };
    if (prepare_runner(&run))
        start_program(&opts, &run);
    if (run.outcome == OUTCOME_RUNNING)
        watch_program(&opts, &run);
    if (run.outcome == OUTCOME_DEADLOCK && opts.stacks_path != NULL) {
        long long gdb_started_ms = now_ms();
        capture_stacks(opts.stacks_path, opts.gdb_script, run.watched);
        run.stacks_ms = now_ms() - gdb_started_ms;
    }
    stop_everything(&run);
    drain_channels(&run);
    if (stop_requested)
        report_interruption(&run);
    for (size_t i = 0; i < 2; i++)
        free(run.samples[i].tasks);
    if (run.outcome == OUTCOME_ERROR)
        warn("%s", run.error);
    if (!write_report(opts.report_path, &run))
        return EXIT_RUNNER_FAILED;
    return run.outcome == OUTCOME_ERROR ? EXIT_RUNNER_FAILED : 0;
}

