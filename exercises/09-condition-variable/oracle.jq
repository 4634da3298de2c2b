# oracle.jq - judges one run of 09-condition-variable.
# Input: {"params": {"consumers", "tasks", "check_cpu"},
#         "result": {"taken_1" .. "taken_<tasks>", "empty_takes", "bogus",
#                    "looks", "awake", "consumer_cpu_us", "producer_ms"}, ...}.
# Output: one sentence per problem; nothing when the run is right.
#
# Right means: every task 1 .. tasks taken exactly once, no take from an
# empty queue, nothing taken that was never submitted, and (when check_cpu
# is 1) consumers that sleep while they wait:
#
#   - looks/awake: after each pause of the producer (10 ms since the last
#     task) the harness looks at every consumer's scheduler state.  A
#     consumer blocked on a condition variable, a semaphore or a lock is
#     asleep; one that checks again and again is running or ready to run
#     (even a sched_yield() loop stays ready to run).  Measured under TSan on
#     a busy 2-core machine: 0 of 27 looks for a consumer that sleeps, 23 to
#     27 of 27 for every spinning variant.  More than half is the bound.
#   - CPU time: the consumers' own CPU time (CLOCK_THREAD_CPUTIME_ID) from
#     the start to their STOP_TASK.  Consumers that sleep use 0.5 to 2 ms
#     under TSan, even on a loaded machine; the bound is 10 ms.  The runs
#     last at least 100 ms, so a spinning consumer that gets one core burns
#     at least 10 times the bound (20 times with two).  On a crowded machine
#     the scheduler may give a spinner, above all one that calls
#     sched_yield(), hardly any CPU; it is still ready to run, which the
#     looks see.
#   Helgrind runs every thread in turn and makes CPU time meaningless, so
#   its runs set check_cpu to 0.

def cpu_bound_us: 10000;

def list_of: map(tostring) | if length == 1 then .[0]
  else (.[0:-1] | join(", ")) + " and " + .[-1] end;

def ms: . / 100 | round / 10;

(.params.consumers | tonumber) as $consumers
| (.params.tasks | tonumber) as $tasks
| ((.params.check_cpu // 1) | tonumber) as $check_cpu
| .result as $r
| "\($consumers) consumers, \($tasks) tasks" as $run
| [range(1; $tasks + 1) | {task: ., taken: $r["taken_\(.)"]}] as $counts
| if ($counts | any(.taken | type != "number")) then
    "the program reported no count for some tasks (\($run))"
  else
    ($counts | map(select(.taken == 0) | .task)) as $lost
    | ($counts | map(select(.taken > 1))) as $twice
    | (if $r.empty_takes > 0 then
         "consumers took from an empty queue \($r.empty_takes) times (\($run)): a consumer went on to queue_pop() after waiting without checking again that a task was there, but another consumer may have taken it first, or nothing was added at all"
       else empty end),
      (if ($lost | length) > 0 then
         "task\(if ($lost | length) > 1 then "s" else "" end) \($lost | list_of) never reached a consumer (\($run))"
       else empty end),
      (if ($twice | length) > 0 then
         "task\(if ($twice | length) > 1 then "s" else "" end) \($twice | map(.task) | list_of) went to consumers more than once (\($run)): every task must be taken exactly once"
       else empty end),
      (if ($r.bogus // 0) > 0 then
         "consumers got \($r.bogus) tasks that were never submitted (\($run))"
       else empty end),
      (if $check_cpu == 1 and ($r.looks | type) == "number" and $r.looks > 0
          and $r.awake * 2 > $r.looks then
         "the consumers were running instead of asleep at \($r.awake) of \($r.looks) moments when they had nothing to do (\($run)): a consumer that checks again and again whether a task has come keeps a core busy, even with sched_yield(); it should sleep until the producer wakes it"
       else empty end),
      (if $check_cpu == 1 and ($r.consumer_cpu_us | type) == "number"
          and $r.consumer_cpu_us > cpu_bound_us then
         "the consumers used \($r.consumer_cpu_us | ms) ms of CPU time waiting for \($tasks) tasks over \($r.producer_ms) ms (\($run)); consumers that sleep while they wait need less than \(cpu_bound_us | ms) ms"
       else empty end)
  end
