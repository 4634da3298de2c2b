#!/usr/bin/env bats
# lib/verdict.jq decides every verdict from the facts of a grading.  These
# tests feed it facts directly, including ones a hostile program might try to
# produce (a missing or damaged report), and check what it decides.

load test_helper

VERDICT="${KIT_ROOT}/checker/lib/verdict.jq"

# Facts of a clean grading with one TSan and one Helgrind run; the jq filter
# given as argument changes them.
facts() { # [jq filter]
  jq -n "{
    name: \"01-lost-update\", title: \"Lost update\", seed: 7, time_limit_seconds: 10,
    primitives: [], build: {passed: true, message: \"compiles\", evidence: \"\"},
    runs: [
      {analyzer: \"tsan\", params: {threads: 2}, outcome: \"exited\", exit_code: 66,
       wall_ms: 40, finished: true, result_channel_intact: true, problems: [], stacks: \"\",
       analysis: {readable: true, complete: true, canary: true, findings: []}},
      {analyzer: \"helgrind\", params: {threads: 2}, outcome: \"exited\", exit_code: 0,
       wall_ms: 400, finished: true, problems: [], stacks: \"\",
       analysis: {readable: true, complete: true, findings: []}}
    ]} | ${1:-.}"
}

helgrind_race='{analyzer: "helgrind", kind: "Race", category: "race", message: "Possible data race",
  location: {file: "database.c", line: 12, function: "db_update"}, text: "..."}'
tsan_race='{analyzer: "tsan", kind: "data race", category: "race", message: "data race on global x",
  location: {file: "database.c", line: 12, function: "db_update"}, text: "WARNING: ThreadSanitizer: data race"}'

decide() { # [jq filter on the facts]
  run -0 jq -c -f "${VERDICT}" <<<"$(facts "${1:-.}")"
}

status_of() { # <criterion id>
  jq -r --arg id "$1" '.criteria[] | select(.id == $id) | .status' <<<"${output}"
}

@test "clean facts pass every criterion" {
  decide
  assert_equal "$(jq -r .passed <<<"${output}")" true
  assert_equal "$(jq -r '[.criteria[].status] | join(" ")' <<<"${output}")" "pass pass pass pass pass"
}

@test "a failed build skips every other criterion" {
  decide '.build = {passed: false, message: "does not compile: database.c:3:1: error: x", evidence: ""}'
  assert_equal "$(jq -r '[.criteria[].status] | join(" ")' <<<"${output}")" "fail skipped skipped skipped skipped"
}

@test "a TSan exit code 66 without a report fails: reports cannot be silenced" {
  decide '.runs[0].finished = false | .runs[0].analysis.canary = false'
  assert_equal "$(status_of tsan)" fail
  assert_output --partial "left no report"
}

@test "a finished TSan run without the harness's canary report fails as silenced" {
  decide '.runs[0].analysis.canary = false'
  assert_equal "$(status_of tsan)" fail
  assert_output --partial "the analyzer's report was removed or silenced"
}

@test "a finished TSan run that left past TSan's exit code fails as silenced" {
  decide '.runs[0].exit_code = 0'
  assert_equal "$(status_of tsan)" fail
  assert_output --partial "did not end through the harness's normal exit"
}

@test "results that did not all come through the harness's writer fail result" {
  decide '.runs[1].result_channel_intact = false'
  assert_equal "$(status_of result)" fail
  assert_output --partial "did not come through the harness's own writer"
}

@test "an unreadable TSan report fails instead of counting as clean" {
  decide '.runs[0].analysis = {readable: false, complete: false, findings: []}'
  assert_equal "$(status_of tsan)" fail
}

@test "an unreadable Helgrind XML file fails instead of counting as clean" {
  decide '.runs[1].analysis = {readable: false, complete: false, findings: []}'
  assert_equal "$(status_of helgrind)" fail
  assert_output --partial "missing or malformed"
}

@test "a Helgrind report cut off before FINISHED fails" {
  decide '.runs[1].analysis.complete = false'
  assert_equal "$(status_of helgrind)" fail
}

@test "a Helgrind race on code using atomics is set aside when TSan is clean" {
  decide ".primitives = [\"atomics\"] | .runs[1].analysis.findings = [${helgrind_race}]"
  assert_equal "$(status_of helgrind)" pass
  assert_output --partial "known false positive"
}

@test "a Helgrind race is not set aside when TSan found a race too" {
  decide ".primitives = [\"atomics\"] | .runs[1].analysis.findings = [${helgrind_race}]
          | .runs[0].analysis.findings = [${tsan_race}]"
  assert_equal "$(status_of tsan)" fail
  assert_equal "$(status_of helgrind)" fail
}

@test "a Helgrind race on code without atomics fails" {
  decide ".runs[1].analysis.findings = [${helgrind_race}]"
  assert_equal "$(status_of helgrind)" fail
}

# The findings of a recorded Helgrind report, as the checker parses them.
recorded_helgrind_findings() { # <xml fixture>
  xsltproc "${KIT_ROOT}/checker/lib/helgrind.xsl" "${BATS_TEST_DIRNAME}/fixtures/reports/$1" |
    jq -R -s -L "${KIT_ROOT}/checker/lib" --arg srcdir "/tmp/race kit/src" -f "${KIT_ROOT}/checker/lib/helgrind.jq" |
    jq -c .findings
}

@test "a signal after unlocking is set aside alike as Valgrind 3.19's Misc and 3.24's Dubious" {
  local recording kind findings
  for recording in "hg-dubious-signal.xml Misc" "hg-dubious-signal-3.24.xml Dubious"; do
    read -r recording kind <<<"${recording}"
    findings="$(recorded_helgrind_findings "${recording}")"
    assert_equal "$(jq -r '.[0].kind' <<<"${findings}")" "${kind}"
    decide ".runs[1].analysis.findings = ${findings}"
    assert_equal "$(status_of helgrind)" pass
  done
}

@test "a Dubious report about anything but signalling stays a failure" {
  decide '.runs[1].analysis.findings = [{analyzer: "helgrind", kind: "Dubious", category: "misuse",
    message: "Thread #2: something dubious happened", location: null, text: ""}]'
  assert_equal "$(status_of helgrind)" fail
}

@test "the same finding in several runs is reported once, with a count" {
  decide ".runs += [.runs[0]] | .runs[0].analysis.findings = [${tsan_race}] | .runs[2].analysis.findings = [${tsan_race}]"
  assert_equal "$(jq '.criteria[] | select(.id == "tsan") | .findings | length' <<<"${output}")" 1
  assert_equal "$(jq '.criteria[] | select(.id == "tsan") | .findings[0].count' <<<"${output}")" 2
}

@test "a deadlocked run fails completes and skips what it could not judge" {
  decide '.runs |= map(.outcome = "deadlock" | .blocked_ms = 500 | .finished = false
          | .stacks = "Thread 2: waiting in transfer at bank.c:20")'
  assert_equal "$(status_of completes)" fail
  assert_equal "$(status_of result)" skipped
  assert_output --partial "deadlock in the tsan run with threads=2"
  assert_output --partial "bank.c:20"
}

@test "a timeout that kept a thread busy is named as a busy-wait" {
  decide '.runs[0].outcome = "timeout" | .runs[0].spinning = 1'
  assert_equal "$(status_of completes)" fail
  assert_output --partial "busy-wait"
}

@test "a run that stopped before the end of main fails result" {
  decide '.runs[0].finished = false | .runs[0].exit_code = 0'
  assert_equal "$(status_of result)" fail
  assert_output --partial "stopped before the end of main"
}

@test "a crash fails result with the signal's name" {
  decide '.runs[0].outcome = "signaled" | .runs[0].signal_name = "SIGSEGV" | .runs[0].finished = false'
  assert_equal "$(status_of result)" fail
  assert_output --partial "crashed with SIGSEGV"
}

@test "the oracle's problems fail result, naming the run" {
  decide '.runs[0].problems = ["final value is 3, expected 4"]'
  assert_equal "$(status_of result)" fail
  assert_output --partial "final value is 3, expected 4 (tsan run with threads=2)"
}

@test "a deadlock with lock bookkeeping is explained as a cycle of threads and locks" {
  decide '.runs[0] |= (.outcome = "deadlock" | .finished = false | .blocked_ms = 500
          | .deadlock = {cycle: ["worker 1", "worker 2"],
              threads: [], picture: "worker 1 -> holds account 0 (locked at bank.c:38 in transfer), wants account 1 (waiting at bank.c:39 in transfer)"})'
  assert_equal "$(status_of completes)" fail
  assert_output --partial "worker 1 and worker 2 each wait for a lock that another of them holds"
  assert_output --partial "holds account 0 (locked at bank.c:38 in transfer)"
}

@test "a thread waiting for a lock it holds itself is named as a lock never released" {
  decide '.runs[0] |= (.outcome = "deadlock" | .finished = false | .blocked_ms = 500
          | .deadlock = {cycle: ["cash machine 2"], picture: "",
              self_locked: [{thread: "cash machine 2", lock: "the account'"'"'s lock", at: "account.c:38 in withdraw"}],
              threads: [{thread: "cash machine 1"}, {thread: "cash machine 2"}]})'
  assert_output --partial "cash machine 2 waits for the account's lock, which it took at account.c:38 in withdraw and never released; every other thread waits behind it"
}

@test "a lock held by a thread that has ended is named as such, with where it was taken" {
  decide '.runs[0] |= (.outcome = "deadlock" | .finished = false | .blocked_ms = 500
          | .deadlock = {cycle: [], self_locked: [], picture: "",
              threads: [{thread: "thread 3", wants: {lock: "m", held_by: "a thread that has ended", held_at: "orphan.c:4 in leaver"}}]})'
  assert_output --partial "thread 3 waits for m, which a thread that has ended still holds (it locked it at orphan.c:4 in leaver and returned without unlocking)"
}

# A TSan lock-order inversion between two accounts, and the kit's record of
# a run in which both orders were taken under a gate.
tsan_inversion='{analyzer: "tsan", kind: "lock-order-inversion (potential deadlock)", category: "lock-order",
  message: "lock-order-inversion (potential deadlock): cycle M0 => M1 => M0",
  location: {file: "bank.c", line: 30, function: "transfer"}, text: "WARNING: ThreadSanitizer: lock-order-inversion",
  cycle: [{thread: "T1", holding: "M0", acquires: "M1", holding_address: "0xa0", acquires_address: "0xb0", file: "bank.c", line: 30},
          {thread: "T2", holding: "M1", acquires: "M0", holding_address: "0xb0", acquires_address: "0xa0", file: "bank.c", line: 30}]}'
gated_record='{complete: true, why_incomplete: null, proven: true,
  acquired: [{lock: "0xb0", mode: "x", held: ["0x90", "0xa0"], at: ["bank.c:30 in transfer"]},
             {lock: "0xa0", mode: "x", held: ["0x90", "0xb0"], at: ["bank.c:30 in transfer"]}],
  cycles: [{locks: ["account 0", "account 1"], addresses: ["0xa0", "0xb0"], feasible: false,
            reasons: ["two of its edges are taken while holding gate, so they never happen at once"]}]}'

decide_inversion() { # [jq filter on the facts, after the inversion and records are in]
  decide ".runs[0].analysis.findings = [${tsan_inversion}] | .runs[].lock_graph = ${gated_record} | ${1:-.}"
}

@test "a lock-order inversion the kit's record proves harmless is set aside, saying why" {
  decide_inversion
  assert_equal "$(status_of tsan)" pass
  assert_output --partial "1 lock-order report set aside"
  assert_output --partial "holding gate"
  assert_equal "$(jq -r '.criteria[] | select(.id == "tsan") | .findings[0].set_aside | length > 0' <<<"${output}")" true
}

@test "a lock-order inversion is kept when another run's record has a cycle that can form" {
  decide_inversion '.runs[1].lock_graph.proven = false | .runs[1].lock_graph.cycles[0].feasible = true'
  assert_equal "$(status_of tsan)" fail
}

@test "a lock-order inversion is kept when a run left no lock record, or an incomplete one" {
  decide_inversion '.runs[1].lock_graph = null'
  assert_equal "$(status_of tsan)" fail
  decide_inversion '.runs[0].lock_graph.complete = false | .runs[0].lock_graph.proven = false'
  assert_equal "$(status_of tsan)" fail
}

@test "a lock-order inversion is kept when the record has no such lock taken at the place TSan names" {
  decide_inversion '.runs[0].lock_graph.acquired[0].at = ["bank.c:31 in transfer"]'
  assert_equal "$(status_of tsan)" fail
  decide_inversion '.runs[0].lock_graph.acquired[0].lock = "0xc0"'
  assert_equal "$(status_of tsan)" fail
}

@test "a TSan edge the record shows taken after its first lock was released is named as such" {
  decide_inversion '.runs[0].lock_graph.acquired[0].held = ["0x90"]'
  assert_equal "$(status_of tsan)" pass
  assert_output --partial "only after the other lock of the reported edge had been released"
}
