# verdict.jq - where every verdict is decided.
#
# A pure function from the facts of one grading to its verdict: no file, no
# clock, no randomness, so the same facts always give the same verdict and
# tests can feed it recorded facts.
#
# Input (written by libexec/grade-exercise):
#   {name, title, seed, time_limit_seconds, primitives: ["atomics", ...],
#    build: {passed, message, evidence},
#    runs: [{analyzer: "tsan"|"helgrind", params, outcome, exit_code,
#            signal_name, wall_ms, spinning, blocked_ms, finished,
#            problems: [...], stacks, analysis: {readable, complete, findings}}]}
# Output: {name, title, passed, seed, hints (how many the exercise has), criteria: [{id, passed, status,
#          message, evidence, findings?}], runs: [...]}
# Criterion ids: build, tsan, helgrind, result, completes (no result in
# mode "analyze": a program of someone's own has no oracle).  A status is
# "pass", "fail" or "skipped" (not judged, because an earlier problem hides
# it); only "pass" counts as passed.

def pass($id; $message):
  {id: $id, passed: true, status: "pass", message: $message, evidence: ""};
def fail($id; $message; $evidence):
  {id: $id, passed: false, status: "fail", message: $message, evidence: $evidence};
def skipped($id; $why):
  {id: $id, passed: false, status: "skipped", message: "not checked: \($why)", evidence: ""};

def has($primitive): any(.[]; . == $primitive);
# Parameters named check_* switch the harness's own measurements on and
# off; they mean nothing to a student, so messages leave them out.
def params_text: to_entries | map(select(.key | startswith("check_") | not) | "\(.key)=\(.value)") | join(" ");
def run_name: "\(.analyzer) run" + (.params | params_text | if . != "" then " with \(.)" else "" end);
def hung: .outcome == "deadlock" or .outcome == "timeout";
def ended: .outcome == "exited" or .outcome == "signaled";
def plural($n; $word): "\($n) \($word)\(if $n == 1 then "" else "s" end)";
def and_list: if length <= 2 then join(" and ") else (.[:-1] | join(", ")) + " and " + .[-1] end;
def more($n): if $n > 0 then " (and \(plural($n; "more finding")))" else "" end;

# The two places of a race, in either order: the same pair seen by both
# analyzers, or in either order, is one race.
def line_pair: [(.accesses[]?, .cycle[]?) | "\(.file):\(.line)"] | sort;

# The same report seen in several runs (or by both analyzers) is one finding.
def distinct_findings:
  group_by([.analyzer, .kind] + (if .category == "race" and (.accesses | length) > 0 then line_pair
                                  else [.location.file, .location.line] end))
  | map(.[0] + {count: length}
        # A report is set aside only when it is in every run it appeared in.
        + (if any(.[]; has("set_aside")) then {set_aside: (if all(.[]; .set_aside != null) then .[0].set_aside else null end)}
           else {} end))
  # Cause before consequence: the student's file before the harness, a
  # misuse before the race or lock-order problem it leads to.
  | sort_by(.analyzer != "tsan", (.location.file // "" | startswith("harness/")),
      ({misuse: 0, race: 1, "lock-order": 2}[.category] // 3));

def evidence_of: map(.text // .message) | join("\n\n") | .[0:6000];
def public_findings: map(del(.text));

def findings_failure($id; $findings):
  fail($id; ($findings[0].message) + more(($findings | length) - 1); $findings | evidence_of)
  + {findings: ($findings | public_findings)};

# -- completes -------------------------------------------------------------
def completes($runs; $limit):
  ($runs | map(select(hung))) as $hung
  | if ($runs | length) == 0 then skipped("completes"; "the program never ran")
    elif ($hung | length) == 0 then
      pass("completes"; "all \(plural($runs | length; "run")) finished (slowest \($runs | map(.wall_ms) | max) ms)")
    elif $hung[0].outcome == "deadlock" then
      $hung[0] as $run
      | ($run.deadlock.cycle // []) as $cycle
      | ($run.deadlock.self_locked // []) as $self
      | if ($self | length) > 0 then
          fail("completes"; "deadlock in the \($run | run_name): \($self[0].thread) waits for \($self[0].lock), which it took at \($self[0].at) and never released"
            + (if ($run.deadlock.threads | length) > 1 then "; every other thread waits behind it" else "" end); $run.deadlock.picture)
          + {deadlock: ($run.deadlock | del(.picture))}
        elif any($run.deadlock.threads[]?; .wants.held_by == "a thread that has ended") then
          ([$run.deadlock.threads[] | select(.wants.held_by == "a thread that has ended")][0]) as $waiter
          | fail("completes"; "deadlock in the \($run | run_name): \($waiter.thread) waits for \($waiter.wants.lock), which a thread that has ended still holds (it locked it at \($waiter.wants.held_at) and returned without unlocking)"; $run.deadlock.picture)
          + {deadlock: ($run.deadlock | del(.picture))}
        elif ($cycle | length) > 1 then
          fail("completes"; "deadlock in the \($run | run_name): \($cycle | and_list) each wait for a lock that another of them holds, so none can go on"; $run.deadlock.picture)
          + {deadlock: ($run.deadlock | del(.picture))}
        elif ($run.deadlock.waits // null) != null then
          fail("completes"; "deadlock in the \($run | run_name): \($run.deadlock.waits), so none can go on"; $run.deadlock.picture)
          + {deadlock: ($run.deadlock | del(.picture))}
        else
          fail("completes"; "deadlock in the \($run | run_name): every thread was blocked waiting on a lock, with no progress for \($run.blocked_ms) ms, so the checker stopped it";
            ($run.deadlock.picture // "") + (if ($run.deadlock.picture // "") != "" then "\n" else "" end) + $run.stacks)
        end
    else
      $hung[0] as $run
      | fail("completes"; "the \($run | run_name) did not finish within \($limit) s"
          + (if $run.spinning == 1 then ": a thread kept running without getting anywhere (a busy-wait on a flag that never changes?)" else "" end);
          $run.stacks)
    end;

# -- lock order the kit proves harmless ------------------------------------
# The kit records how every thread took its locks (kit.c), and lockgraph.jq
# judges each cycle of that record.  An analyzer's lock-order report is set
# aside only when every run that ended left a complete record in which no
# cycle can form, and every edge of the report is in the record of its run:
# the lock it took at the same file:line (Helgrind names the place of only
# one edge of a longer cycle: the others must match by their locks; and
# which of its two stacks took which lock is not certain, so a Helgrind edge
# matches a place where either of its locks was taken).  The record comes from inside
# the graded program, so it is only believed where the analyzer agrees
# (docs/lock-order.md).
def site_matches($edge): any(.at[]; startswith("\($edge.file):\($edge.line) in "));

def lowercase_address: if type == "string" then ascii_downcase else null end;

def lock_order_set_aside($run; $runs):
  ($run.lock_graph // null) as $graph
  | [.cycle[]? | {holding: ((.holding_address // .holding) | lowercase_address),
                  acquires: ((.acquires_address // .acquires) | lowercase_address), file, line}] as $edges
  | if .category != "lock-order" or $graph == null or ($edges | length) == 0 then null
    elif any($runs[]; ended and ((.lock_graph.proven // false) | not)) then null
    elif any($edges[]; .acquires // "" | test("^0x[0-9a-f]+$") | not) or all($edges[]; .file == null) then null
    else
      (.analyzer == "helgrind") as $helgrind
      | [$edges[] | . as $e
       | [$graph.acquired[] | select((.lock == $e.acquires or ($helgrind and .lock == $e.holding))
                                     and ($e.file == null or site_matches($e)))] as $taken
       | if ($taken | length) == 0 then "missing"
         elif $helgrind or $e.file == null or any($taken[]; .held | index([$e.holding]) != null) then empty
         else "the lock taken at \($e.file):\($e.line) was taken there only after the other lock of the reported edge had been released"
         end] as $notes
      | ([$graph.cycles[] | select(any(.addresses[]; IN($edges[].acquires))) | .reasons[]] + $notes | unique) as $reasons
      | if any($notes[]; . == "missing") or ($reasons | length) == 0 then null
        else "the kit's lock record shows this cycle cannot deadlock: \($reasons | join("; "))"
        end
    end;

# The findings of $these runs, with set_aside where the lock record proves
# one harmless; $all: every run of the grading.
def judged_findings($these; $all):
  [$these[] | . as $run | .analysis.findings[] | . + {set_aside: lock_order_set_aside($run; $all)}];

def set_aside_summary($aside):
  "\(plural($aside | length; "lock-order report")) set aside: "
  + ($aside | map("\(.kind) at \(.location.file // "?"):\(.location.line // "?") (\(.set_aside))") | join("; "));

# -- tsan ------------------------------------------------------------------
# A TSan run that reached kit_finish must show the harness's own race (the
# tamper canary) and end with TSan's report exit code: anything else means
# the program silenced or removed TSan's reports, or left past TSan's exit.
# (Graded runs only: a program of someone's own has no kit_finish.)
def tampered:
  .outcome == "exited" and .finished and (.analysis.canary != true or .exit_code != 66);

def tsan($runs):
  ($runs | map(select(.analyzer == "tsan"))) as $tsan
  | (judged_findings($tsan; $runs) | distinct_findings) as $judged
  | ($judged | map(select(.set_aside == null) | del(.set_aside))) as $findings
  | ($judged | map(select(.set_aside != null))) as $aside
  | if ($tsan | length) == 0 then skipped("tsan"; "no TSan run")
    elif any($tsan[]; .analysis.readable | not) then
      fail("tsan"; "TSan's report could not be read, so the run cannot count as clean"; "")
    elif ($findings | length) > 0 then findings_failure("tsan"; $findings)
    elif any($tsan[]; ended and (.analysis.complete | not)) then
      fail("tsan"; "TSan's report was cut off, so the run cannot count as clean"; "")
    elif any($tsan[]; tampered) then
      fail("tsan"; "the analyzer's report was removed or silenced: the harness's own check race (kit_finish's tamper canary) is missing from TSan's log, or the program did not end through the harness's normal exit (\([$tsan[] | select(tampered)][0] | run_name))"; "")
    elif any($tsan[]; .outcome == "exited" and .exit_code == 66 and (.analysis.findings | length) == 0 and (.analysis.canary | not)) then
      fail("tsan"; "TSan ended the program with its report exit code (66) but left no report: reports must not be removed or silenced"; "")
    elif any($tsan[]; ended) | not then
      skipped("tsan"; "no TSan run finished (see completes)")
    elif ($aside | length) > 0 then
      pass("tsan"; "no data race or lock problem in \(plural($tsan | map(select(ended)) | length; "run")) once \(set_aside_summary($aside))")
      + {findings: ($aside | public_findings)}
    else
      pass("tsan"; "no data race or lock problem in \(plural($tsan | map(select(ended)) | length; "run"))")
    end;

# -- helgrind --------------------------------------------------------------
# Helgrind's known false positives (shared notes), trusted only when TSan,
# which understands these primitives, found nothing.
def set_aside_reason($primitives):
  if .category == "race" and ($primitives | has("atomics")) then
    "Helgrind does not see the ordering that atomic operations give, and reports it as a race"
  elif .category == "race" and ($primitives | has("once")) then
    "Helgrind does not model pthread_once, and reports the data it publishes as a race"
  elif .category == "lock-order" and ($primitives | has("trylock")) then
    "Helgrind counts a trylock that backs off as a lock-order violation, though it cannot deadlock"
  elif (.kind | IN("Misc", "Dubious")) and (.message | test("pthread_cond_[{a-z,]+}?: dubious")) then
    "signalling a condition variable after unlocking its mutex is legal"
  elif .kind == "Misc" and ($primitives | has("spinlock")) then
    "Helgrind does not model spinlocks"
  else null end;

def helgrind($runs; $primitives; $tsan_clean):
  ($runs | map(select(.analyzer == "helgrind"))) as $all
  | ($all | map(select(ended))) as $ended
  | ([$runs[] | select(.analyzer == "tsan") | .analysis.findings[] | [.category] + line_pair]) as $tsan_pairs
  | (judged_findings($ended; $runs) | distinct_findings
     | map(. + {set_aside: (.set_aside // (if $tsan_clean then set_aside_reason($primitives) else null end)),
                same_as_tsan: ((.category == "race" or .category == "lock-order")
                  and ([.category] + line_pair) as $pair | $tsan_pairs | index([$pair]) != null)})) as $findings
  | ($findings | map(select(.set_aside == null))) as $kept
  | ($findings | map(select(.set_aside != null))) as $aside
  | if ($all | length) == 0 then skipped("helgrind"; "no Helgrind run")
    elif ($ended | length) == 0 then skipped("helgrind"; "the program did not finish under Helgrind (see completes)")
    elif any($ended[]; .analysis.readable | not) then
      fail("helgrind"; "Helgrind's XML report is missing or malformed, so the run cannot count as clean"; "")
    elif ($kept | length) > 0 then findings_failure("helgrind"; $kept)
    elif any($ended[]; .analysis.complete | not) then
      fail("helgrind"; "Helgrind's XML report was cut off, so the run cannot count as clean"; "")
    elif ($aside | length) > 0 then
      pass("helgrind"; "clean once \(plural($aside | length; "known false positive")) \(if ($aside | length) == 1 then "is" else "are" end) set aside: "
        + ($aside | map("\(.kind) at \(.location.file // "?"):\(.location.line // "?") (\(.set_aside))") | join("; ")))
      + {findings: ($aside | public_findings)}
    else pass("helgrind"; "no error in \(plural($ended | length; "run"))")
    end;

# -- result ----------------------------------------------------------------
# A crash that the analyzer caught itself (TSan's "SEGV on unknown address")
# ends the run with an exit code, not a signal: its report names the place.
def caught_crash:
  [.analysis.findings[]? | select(.kind | test("SEGV|SIGBUS|SIGFPE|SIGILL|deadly signal|killed by"; "i"))][0];

def run_problems:
  if .outcome == "signaled" then ["crashed with \(.signal_name // "signal \(.signal)")"]
  elif (.finished | not) and caught_crash != null then ["crashed: \(caught_crash.message)"]
  elif .finished and .result_channel_intact == false then
    ["the results did not come through the harness's own writer: other code wrote to the result channel (descriptor 3)"]
  elif .finished | not then ["stopped before the end of main (exit code \(.exit_code))"]
  else .problems end;

def result($runs):
  ($runs | map(select(ended))) as $ended
  | ($ended | map(select(run_problems | length > 0))) as $wrong
  | if ($ended | length) == 0 then skipped("result"; "the program never finished (see completes)")
    elif ($wrong | length) == 0 then pass("result"; "right result in \(plural($ended | length; "run"))")
    else
      fail("result"; "\($wrong[0] | run_problems[0]) (\($wrong[0] | run_name))"
        + (if ($wrong | length) > 1 then "; wrong in \($wrong | length) of \($ended | length) runs" else "" end);
        $wrong | map("\(run_name): \(run_problems | join("; "))") | join("\n"))
    end;

# -- the verdict -------------------------------------------------------------
def criteria:
  if .build.passed | not then
    [fail("build"; .build.message; .build.evidence)]
    + ((if .mode == "analyze" then ["tsan", "helgrind", "completes"] else ["tsan", "helgrind", "result", "completes"] end)
       | map(skipped(.; "the build failed")))
  else
    tsan(.runs) as $tsan
    | [pass("build"; .build.message) + {evidence: .build.evidence},
       $tsan,
       helgrind(.runs; .primitives; $tsan.passed)]
    + (if .mode == "analyze" then [] else [result(.runs)] end)
    + [completes(.runs; .time_limit_seconds // 10)]
  end;

# Text that came from the program or the compiler (messages, evidence, file
# and thread names) reaches terminals: every control character but newline
# and tab, C1 controls included, becomes U+FFFD, so no escape sequence of
# the program's ever reaches one.
def printable_strings:
  walk(if type == "string" then gsub("[\u0000-\u0008\u000b-\u001f\u007f-\u009f]"; "\ufffd") else . end);

criteria as $criteria
| {name, title, passed: all($criteria[]; .passed), seed, hints: (.hints // 0),
   criteria: $criteria,
   runs: (.runs | map({analyzer, params, outcome, exit_code, wall_ms}))}
| printable_strings
