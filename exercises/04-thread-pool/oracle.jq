# oracle.jq - judges one run of 04-thread-pool.
# Input: {"params": {"pool", "tasks"}, "result": {...}, "files", "exit_code"};
# result holds the harness's own counts (harness/main.c, report()).
# Output: one sentence per problem; nothing when the run is right.
# What is right comes from the parameters: each of the tasks 0 .. tasks-1
# runs exactly once and stores the sum 0 + 1 + ... + task; no more than
# pool tasks run at once, on no more than pool threads, none of them the
# thread that called run_pool(); every worker has ended when run_pool()
# returns.

def task_result($task): $task * ($task + 1) / 2;

# The harness's checksum of the results: the sum of (task + 1) x result.
def checksum($tasks): [range(0; $tasks) | (. + 1) * task_result(.)] | add // 0;

# "1 2 3" or "0:6 6:4" as reported; a single number arrives as a number.
def examples: tostring | split(" ") | map(select(length > 0));
def more($count; $shown): if $count > $shown then ", ..." else "" end;

def run_again_text:
  map(split(":") | "task \(.[0]) ran \(.[1]) times") | join(", ");

def wrong_result_text:
  map(split(":") | (.[0] | tonumber) as $task
      | if .[1] == "-1" then "results[\($task)] was never stored"
        else "results[\($task)] is \(.[1]), expected \(task_result($task))" end)
  | join(", ");

def number_or_missing($key): .[$key] | if type == "number" then . else null end;

(.params.pool | tonumber) as $pool
| (.params.tasks | tonumber) as $tasks
| .result as $r
| ["tasks_run_once", "tasks_never_run", "tasks_run_again", "results_right", "results_checksum",
   "max_running", "workers", "workers_ended", "running_at_return", "main_tasks", "bad_task_calls"]
  as $keys
| ($keys | map(select(. as $k | $r | number_or_missing($k) == null))) as $missing
| if ($missing | length) > 0 then
    "the program reported no \($missing | join(", ")) (the harness reports them when run_pool() returns)"
  else
    (if $r.tasks_never_run > 0 then
       ($r.never_run_examples | examples) as $shown
       | "\($r.tasks_never_run) of \($tasks) tasks never ran (task \($shown | join(", "))\(more($r.tasks_never_run; $shown | length))): two workers read the same next_task and both moved it along, so the queue's front skipped a task"
     else empty end),
    (if $r.tasks_run_again > 0 then
       ($r.run_again_examples | examples) as $shown
       | "\($r.tasks_run_again) of \($tasks) tasks ran more than once (\($shown | run_again_text)\(more($r.tasks_run_again; $shown | length))): several workers took the same task from the queue"
     else empty end),
    (if $r.tasks_never_run == 0 and $r.tasks_run_again == 0 and $r.tasks_run_once != $tasks then
       "\($r.tasks_run_once) tasks ran exactly once, expected all \($tasks)"
     else empty end),
    # A task that never ran has no result: that sentence is above.  This
    # one is for results that are wrong although their task ran.
    ($tasks - $r.results_right) as $wrong
    | (if $wrong > $r.tasks_never_run then
       ($r.wrong_result_examples | examples) as $shown
       | "\($wrong) of \($tasks) results are wrong or missing (\($shown | wrong_result_text)\(more($wrong; $shown | length))): store run_task(task)'s value in results[task], for every task"
     elif $wrong == 0 and $r.results_checksum != checksum($tasks) then
       "the results add up to the checksum \($r.results_checksum), expected \(checksum($tasks))"
     else empty end),
    (if $r.bad_task_calls > 0 then
       "run_task() was called \($r.bad_task_calls) time(s) with a task that does not exist (tasks are 0 to \($tasks - 1)): check the task number before running it"
     else empty end),
    (if $r.max_running > $pool then
       "\($r.max_running) tasks ran at the same time with a pool of \($pool): never more than the pool's size may run at once"
     else empty end),
    (if $r.workers > $pool then
       "\($r.workers) threads ran tasks with a pool of \($pool): a pool starts its \($pool) workers once and reuses them for every task"
     else empty end),
    (if $r.main_tasks > 0 then
       "\($r.main_tasks) task(s) ran on the thread that called run_pool(): the pool's workers should run every task"
     else empty end),
    (if $r.running_at_return > 0 then
       "\($r.running_at_return) task(s) were still running when run_pool() returned: join every worker before returning"
     elif $r.workers_ended < $r.workers then
       "\($r.workers - $r.workers_ended) of \($r.workers) workers had not ended when run_pool() returned: join every worker before returning"
     else empty end)
  end
