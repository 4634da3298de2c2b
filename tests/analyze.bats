#!/usr/bin/env bats
# checker/check analyze on standalone programs whose truth is known (each
# says its verdict in its header): races are flagged at the racing line,
# deadlocks are named as cycles of threads and mutexes, correct programs pass
# with Helgrind's known false positives set aside, ARGS reach the program,
# --timeout stops a busy-wait, and usage errors exit 2.
# shellcheck disable=SC2016 # $names in single quotes are jq's, not the shell's

load test_helper

PROGRAMS="${BATS_TEST_DIRNAME}/fixtures/analyze"

# One analysis takes seconds, so every one the tests read runs once, before
# the first test, four at a time: much of an analysis is waiting (sleeps,
# deadlock detection, time limits).  <key> <arguments of 'checker/check analyze'>.
ANALYSES=(
  "racy-counter racy-counter.c --json"
  "racy-counter-text racy-counter.c"
  "racy-flag-spin racy-flag-spin.c --json"
  "racy-check-then-act racy-check-then-act.c --json"
  "deadlock-two-locks deadlock-two-locks.c --json"
  "deadlock-two-locks-text deadlock-two-locks.c"
  "deadlock-three-cycle deadlock-three-cycle.c --json"
  "clean-atomics clean-atomics.c --json"
  "clean-once clean-once.c --json"
  "clean-condvar clean-condvar.c --json"
  "clean-semaphore clean-semaphore.c --json"
  "clean-barrier clean-barrier.c --json"
  "clean-rwlock clean-rwlock.c --json"
  "clean-spinlock clean-spinlock.c --json"
  "clean-trylock clean-trylock.c --json"
  "clean-args-text clean-args.c"
  "clean-args-race clean-args.c --json -- --race"
  "gate-global-lock gate-global-lock.c --json"
  "gate-some-paths gate-some-paths.c --json"
  "vector-avoid-hold-and-wait vector-avoid-hold-and-wait.c --json"
  "one-thread-cycle one-thread-cycle.c --json"
  "audit-after-join audit-after-join.c --json"
  "audit-while-running audit-while-running.c --json"
  "rwlock-read-cycle rwlock-read-cycle.c --json"
  "rwlock-write-cycle rwlock-write-cycle.c --json"
  "forged-lock-record forged-lock-record.c --json"
  "hang-condvar hang-condvar.c --json"
  "hang-semaphore hang-semaphore.c --json"
  "deadlock-no-pause deadlock-no-pause.c --json"
  "header-beside with-header/shared-counter.c --json"
  "flags-missing broken-needs-flags.c --json"
  "flags-missing-text broken-needs-flags.c"
  "flags-given broken-needs-flags.c --json -I include -D LOOPS=2000"
  "flags-joined broken-needs-flags.c --json -Iinclude -DLOOPS=2000"
  # Last: its time is measured, so it runs beside as few others as it can.
  "spin-forever spin-forever.c --json --timeout 2"
)

analyze_one() { # <key> <arguments of 'checker/check analyze'...>
  local key="$1" start status=0
  shift
  start="${SECONDS}"
  (cd "${PROGRAMS}" && "${CHECK}" analyze "$@") \
    >"${BATS_FILE_TMPDIR}/${key}.out" 2>"${BATS_FILE_TMPDIR}/${key}.err" || status=$?
  echo "${status}" >"${BATS_FILE_TMPDIR}/${key}.status"
  echo "$((SECONDS - start))" >"${BATS_FILE_TMPDIR}/${key}.seconds"
}

setup_file() {
  export XDG_STATE_HOME="${BATS_FILE_TMPDIR}/state"
  local -i running=0
  local spec
  local -a words
  for spec in "${ANALYSES[@]}"; do
    if ((running >= 4)); then
      wait -n || true
      running=$((running - 1))
    fi
    read -r -a words <<<"${spec}"
    analyze_one "${words[@]}" &
    running=$((running + 1))
  done
  wait
}

# What 'checker/check analyze' printed on stdout for <key> (and on stderr
# too when it ended with a usage or environment error); its exit status.
analysis() { # <key>
  local status
  status="$(cat "${BATS_FILE_TMPDIR}/$1.status")"
  cat "${BATS_FILE_TMPDIR}/$1.out"
  ((status <= 1)) || cat "${BATS_FILE_TMPDIR}/$1.err"
  return "${status}"
}

# Succeeds when the jq filter is true of the JSON verdict in $output.
verdict_has() { # <jq filter> [jq options...]
  local filter="$1"
  shift
  # shellcheck disable=SC2154 # bats' run sets $output
  jq -e "${filter}" "$@" <<<"${output}" >/dev/null ||
    fail "not true of the verdict: ${filter}
$(jq -c '.exercises[].criteria[] | {id, status, message}' <<<"${output}" 2>&1 || printf '%s' "${output}")"
}

# The first TSan finding is a race on <variable> between the accesses at
# <file>:<line> and <other line>, reported at one of them: TSan names
# whichever access came second, and that depends on the schedule.
assert_tsan_race() { # <file> <line> <other line> <variable>
  assert_criterion "$1" tsan fail
  verdict_has '.exercises[0].criteria[] | select(.id == "tsan") | .findings[0]
    | .category == "race" and .variable == $variable
      and .location.file == $file and (.location.line == $line or .location.line == $other)
      and ([.accesses[] | "\(.file):\(.line)"] | sort) == (["\($file):\($line)", "\($file):\($other)"] | sort)' \
    --arg file "$1" --argjson line "$2" --argjson other "$3" --arg variable "$4"
}

# A correct program: exit 0 was asserted by the caller; every criterion
# passes and no TSan finding exists.
assert_every_criterion_passes() { # <file>
  verdict_has '[.exercises[0].criteria[].status] == ["pass", "pass", "pass", "pass"]'
  verdict_has '.exercises[0].criteria[] | select(.id == "tsan") | .findings == null'
}

# Helgrind reported nothing at all about the correct program <file>.
assert_helgrind_silent() { # <file>
  [[ "$(criterion_message "${output}" "$1" helgrind)" == "no error in 1 run" ]] ||
    fail "helgrind: $(criterion_message "${output}" "$1" helgrind)"
}

# Helgrind's findings on <file> are all set aside, and they are exactly
# these, each "<kind> <file>:<line>" (any order).
assert_set_aside() { # <file> <kind file:line>...
  local file="$1"
  shift
  [[ "$(criterion_message "${output}" "${file}" helgrind)" == *"set aside"* ]] ||
    fail "helgrind: $(criterion_message "${output}" "${file}" helgrind)"
  verdict_has '.exercises[0].criteria[] | select(.id == "helgrind") | .findings | all(.set_aside != null)'
  verdict_has '[.exercises[0].criteria[] | select(.id == "helgrind") | .findings[]
      | "\(.kind) \(.location.file):\(.location.line)"] | sort == ($ARGS.positional | sort)' --args "$@"
}

# Both analyzers reported a lock-order inversion in the correct program
# <file>, and both reports were set aside for the reason <phrase>.
assert_lock_order_set_aside() { # <file> <phrase>
  verdict_has '[.exercises[0].criteria[].status] == ["pass", "pass", "pass", "pass"]'
  verdict_has '[.exercises[0].criteria[] | select(.id == "tsan" or .id == "helgrind") | .findings | length > 0
      and all(.[]; .category == "lock-order" and (.set_aside | contains($phrase)))] == [true, true]' \
    --arg phrase "$2"
  [[ "$(criterion_message "${output}" "$1" tsan)" == *"set aside"* ]] ||
    fail "tsan: $(criterion_message "${output}" "$1" tsan)"
}

# A program whose lock orders can deadlock: it failed, by deadlocking or by
# a lock-order report that was not set aside.
assert_lock_order_kept() { # <file>
  verdict_has '.exercises[0].criteria | any(.[]; .id == "completes" and .status == "fail")
    or any(.[]; .id == "tsan" and .status == "fail" and any(.findings[]; .category == "lock-order"))'
  verdict_has '[.exercises[0].criteria[].findings[]? | select(.set_aside != null)] == []'
}

@test "the JSON verdict has one entry named after the file, with the four analyze criteria" {
  run -1 analysis racy-counter
  verdict_has '.mode == "analyze" and .total == 1 and .passed == 0'
  verdict_has '.exercises[0].name == "racy-counter.c"'
  verdict_has '[.exercises[0].criteria[].id] == ["build", "tsan", "helgrind", "completes"]'
  verdict_has '[.exercises[0].runs[].analyzer] == ["tsan", "helgrind"]'
}

@test "two threads adding to a counter with no lock race at the write back, against the read" {
  run -1 analysis racy-counter
  assert_tsan_race racy-counter.c 22 20 "global 'counter'"
  assert_criterion racy-counter.c completes pass
}

@test "a race reads as two threads side by side in the text output" {
  run -1 analysis racy-counter-text
  assert_output --partial "✗ racy-counter.c"
  assert_output --regexp "tsan +data race on global 'counter': write by thread [12] at racy-counter\\.c:22 in add_one, previous read"
  assert_output --regexp $'reads counter \\(racy-counter\\.c:20\\)\n +writes counter \\(racy-counter\\.c:22\\)'
  assert_output --partial "the same race TSan found, between racy-counter.c:20 and racy-counter.c:22"
  assert_output --partial "the analyzers found problems: see above"
}

@test "a thread polling a plain int flag that main sets races with main's write" {
  run -1 analysis racy-flag-spin
  assert_tsan_race racy-flag-spin.c 36 21 "global 'ready'"
  assert_criterion racy-flag-spin.c completes pass
}

@test "lazy initialisation checked and done by two threads without a lock races at the assignment" {
  run -1 analysis racy-check-then-act
  assert_tsan_race racy-check-then-act.c 24 22 "global 'table'"
  assert_criterion racy-check-then-act.c completes pass
}

@test "two threads taking two mutexes in opposite orders deadlock as a cycle of two" {
  run -1 analysis deadlock-two-locks
  assert_criterion deadlock-two-locks.c completes fail
  verdict_has '[.exercises[0].runs[].outcome] == ["deadlock", "deadlock"]'
  verdict_has '.exercises[0].criteria[] | select(.id == "completes") | .deadlock
    | (.cycle | length) == 2
      and ([.threads[] | "\(.holds[0].lock) -> \(.wants.lock)"] | sort) == ["lock_a -> lock_b", "lock_b -> lock_a"]'
  local evidence
  evidence="$(jq -r '.exercises[0].criteria[] | select(.id == "completes") | .evidence' <<<"${output}")"
  [[ "${evidence}" == *"holds lock_a (locked at deadlock-two-locks.c:20 in a_then_b), wants lock_b"* ]] ||
    fail "evidence: ${evidence}"
}

@test "the deadlock text names the mutex each thread holds and the one it waits for" {
  run -1 analysis deadlock-two-locks-text
  assert_output --regexp "completes +deadlock in the tsan run: thread [0-9]+ and thread [0-9]+ each wait for a lock that another of them holds"
  assert_output --regexp "thread [0-9]+ -> holds lock_a \\(locked at deadlock-two-locks\\.c:20 in a_then_b\\), wants lock_b \\(waiting at deadlock-two-locks\\.c:22 in a_then_b\\)"
  assert_output --regexp "thread [0-9]+ -> holds lock_b \\(locked at deadlock-two-locks\\.c:31 in b_then_a\\), wants lock_a \\(waiting at deadlock-two-locks\\.c:33 in b_then_a\\)"
  assert_output --regexp "each waits for a lock the next one holds: thread [0-9]+ -> thread [0-9]+ -> thread [0-9]+"
}

@test "three threads taking three mutexes around a ring deadlock as a cycle of three" {
  run -1 analysis deadlock-three-cycle
  assert_criterion deadlock-three-cycle.c completes fail
  verdict_has '[.exercises[0].runs[].outcome] == ["deadlock", "deadlock"]'
  verdict_has '.exercises[0].criteria[] | select(.id == "completes") | .deadlock
    | (.cycle | length) == 3
      and ([.threads[] | "\(.holds[0].lock) -> \(.wants.lock)"] | sort)
        == ["lock_0 -> lock_1", "lock_1 -> lock_2", "lock_2 -> lock_0"]'
  local evidence
  evidence="$(jq -r '.exercises[0].criteria[] | select(.id == "completes") | .evidence' <<<"${output}")"
  [[ "${evidence}" == *"holds lock_2 (locked at deadlock-three-cycle.c:23 in take_two), wants lock_0"* ]] ||
    fail "evidence: ${evidence}"
}

@test "C11 atomics are clean: Helgrind's races on the release/acquire flag and its data are set aside" {
  run -0 analysis clean-atomics
  assert_every_criterion_passes clean-atomics.c
  assert_set_aside clean-atomics.c "Race clean-atomics.c:24" "Race clean-atomics.c:34"
  verdict_has '[.exercises[0].criteria[] | select(.id == "helgrind") | .findings[].variable] | sort
    == $ARGS.positional' --args "global 'payload'" "global 'published'"
}

@test "pthread_once is clean: Helgrind's race on the data it publishes is set aside" {
  run -0 analysis clean-once
  assert_every_criterion_passes clean-once.c
  assert_set_aside clean-once.c "Race clean-once.c:30"
}

@test "trylock with back-off is clean: Helgrind's lock-order report is set aside" {
  run -0 analysis clean-trylock
  assert_every_criterion_passes clean-trylock.c
  assert_set_aside clean-trylock.c "LockOrder clean-trylock.c:22"
}

@test "a producer and consumer with a mutex and a condition variable are clean" {
  run -0 analysis clean-condvar
  assert_every_criterion_passes clean-condvar.c
  assert_helgrind_silent clean-condvar.c
}

@test "a ring buffer ordered by two semaphores is clean" {
  run -0 analysis clean-semaphore
  assert_every_criterion_passes clean-semaphore.c
  assert_helgrind_silent clean-semaphore.c
}

@test "writes before a barrier and reads after it are clean" {
  run -0 analysis clean-barrier
  assert_every_criterion_passes clean-barrier.c
  assert_helgrind_silent clean-barrier.c
}

@test "readers and a writer sharing a read-write lock are clean" {
  run -0 analysis clean-rwlock
  assert_every_criterion_passes clean-rwlock.c
  assert_helgrind_silent clean-rwlock.c
}

@test "a counter under a pthread spinlock is clean, and Helgrind reports nothing about it" {
  run -0 analysis clean-spinlock
  assert_every_criterion_passes clean-spinlock.c
  assert_helgrind_silent clean-spinlock.c
}

@test "ARGS after -- reach the program: clean alone, a race with --race" {
  run -0 analysis clean-args-text
  assert_output --partial "✓ clean-args.c"
  assert_output --partial "no data race, deadlock or lock misuse found in this run"
  run -1 analysis clean-args-race
  assert_tsan_race clean-args.c 27 25 "global 'counter'"
}

@test "--timeout 2 stops a program that spins forever and calls it a busy-wait, not a deadlock" {
  run -1 analysis spin-forever
  assert_criterion spin-forever.c completes fail
  local message
  message="$(criterion_message "${output}" spin-forever.c completes)"
  [[ "${message}" == *"did not finish within 2 s"*"busy-wait"* && "${message}" != *deadlock* ]] ||
    fail "completes: ${message}"
  verdict_has 'all(.exercises[0].runs[]; .outcome == "timeout" and .wall_ms < 3000)'
  verdict_has '.exercises[0].criteria[] | select(.id == "tsan" or .id == "helgrind") | .status == "skipped"'
  local seconds
  seconds="$(cat "${BATS_FILE_TMPDIR}/spin-forever.seconds")"
  ((seconds < 18)) || fail "the analysis took ${seconds} s"
}

@test "analyze without a file is a usage error" {
  run -2 "${CHECK}" analyze
  assert_output --partial "usage: checker/check analyze FILE.c"
}

@test "analyze of a missing file is a usage error that names it" {
  run -2 "${CHECK}" analyze "${BATS_TEST_TMPDIR}/no-such-program.c"
  assert_output --partial "no file '${BATS_TEST_TMPDIR}/no-such-program.c'"
}

@test "analyze of a file that is not C is a usage error" {
  run -2 "${CHECK}" analyze "${KIT_ROOT}/README.md"
  assert_output --partial "is not a C file"
}

@test "analyze with an unknown option is a usage error that names it" {
  run -2 "${CHECK}" analyze --fast "${PROGRAMS}/racy-counter.c"
  assert_output --partial "unknown option '--fast'"
}

@test "analyze with a timeout that is not a whole number of seconds is a usage error" {
  run -2 "${CHECK}" analyze --timeout 0 "${PROGRAMS}/racy-counter.c"
  assert_output --partial "--timeout takes whole seconds"
}

@test "a gate held around both opposite orders passes, and a gate on some paths does not" {
  run -0 analysis gate-global-lock
  assert_lock_order_set_aside gate-global-lock.c "two of its edges are taken while holding gate"
  run -1 analysis gate-some-paths
  assert_lock_order_kept gate-some-paths.c
}

@test "OSTEP's vector add avoiding hold-and-wait with a global lock passes" {
  run -0 analysis vector-avoid-hold-and-wait
  assert_lock_order_set_aside vector-avoid-hold-and-wait.c "while holding global"
}

@test "a cycle whose edges all come from one thread passes; the same orders in two threads fail" {
  run -0 analysis one-thread-cycle
  assert_lock_order_set_aside one-thread-cycle.c "a thread cannot deadlock with itself"
  run -1 analysis deadlock-two-locks
  assert_lock_order_kept deadlock-two-locks.c
}

@test "main's audit in the opposite order passes after joining the workers, and fails while they run" {
  run -0 analysis audit-after-join
  assert_lock_order_set_aside audit-after-join.c "never run at the same time"
  run -1 analysis audit-while-running
  assert_lock_order_kept audit-while-running.c
}

@test "opposite orders of rwlock read holds pass, and of write holds fail" {
  run -0 analysis rwlock-read-cycle
  assert_lock_order_set_aside rwlock-read-cycle.c "readers do not wait for readers"
  run -1 analysis rwlock-write-cycle
  assert_lock_order_kept rwlock-write-cycle.c
}

@test "a lock record the program forged is not believed: the inversion TSan saw still fails" {
  run -1 analysis forged-lock-record
  assert_criterion forged-lock-record.c tsan fail
  assert_lock_order_kept forged-lock-record.c
}

@test "a hang on a condition variable names it, the mutex it released, and that nobody is left to signal it" {
  run -1 analysis hang-condvar
  assert_criterion hang-condvar.c completes fail
  local message
  message="$(criterion_message "${output}" hang-condvar.c completes)"
  [[ "${message}" == *"waits on the condition variable item_ready (it released queue_lock), and no thread is left to signal it"* ]] ||
    fail "completes: ${message}"
  [[ "${message}" == *"waits to join thread "* && "${message}" != *"waiting on a lock"* ]] || fail "completes: ${message}"
}

@test "a hang on a semaphore names the semaphore, and main waiting to join the thread stuck on it" {
  run -1 analysis hang-semaphore
  local message
  message="$(criterion_message "${output}" hang-semaphore.c completes)"
  [[ "${message}" =~ thread\ ([0-9]+)\ waits\ on\ the\ semaphore\ go,\ and\ no\ thread\ is\ left\ to\ post\ it ]] ||
    fail "completes: ${message}"
  [[ "${message}" == *"waits to join thread ${BASH_REMATCH[1]}"* ]] || fail "completes: ${message}"
}

@test "opposite orders with no pause between the locks deadlock in every run: the kit forces the overlap" {
  run -1 analysis deadlock-no-pause
  assert_criterion deadlock-no-pause.c completes fail
  verdict_has '[.exercises[0].runs[].outcome] == ["deadlock", "deadlock"]'
  verdict_has '.exercises[0].criteria[] | select(.id == "completes") | .deadlock.cycle | length == 2'
}

@test "a program with its header beside it builds, as a compiler in its folder would, and its race is found" {
  run -1 analysis header-beside
  assert_criterion shared-counter.c build pass
  assert_tsan_race shared-counter.c 16 16 "global 'counter'"
}

@test "a program that does not compile exits 4, not 1, and says nothing was analyzed" {
  run -4 analysis flags-missing
  assert_criterion broken-needs-flags.c build fail
  [[ "$(criterion_message "${output}" broken-needs-flags.c build)" == *"guarded_counter.h"* ]]
  verdict_has '[.exercises[0].criteria[] | select(.id != "build") | .status] | all(. == "skipped")'
  run -4 analysis flags-missing-text
  assert_output --partial "the program did not compile, so nothing was analyzed"
  refute_output --partial "the analyzers found problems"
}

@test "-I and -D reach both compilers, spelt apart or joined" {
  run -0 analysis flags-given
  assert_every_criterion_passes broken-needs-flags.c
  run -0 analysis flags-joined
  assert_every_criterion_passes broken-needs-flags.c
}

@test "-I of a missing directory and -D of a non-identifier are usage errors that name them" {
  run -2 "${CHECK}" analyze "${PROGRAMS}/broken-needs-flags.c" -I "${BATS_TEST_TMPDIR}/nowhere"
  assert_output --partial "-I needs an existing directory, not '${BATS_TEST_TMPDIR}/nowhere'"
  run -2 "${CHECK}" analyze "${PROGRAMS}/broken-needs-flags.c" -D '2LOOPS=3'
  assert_output --partial "-D takes NAME or NAME=VALUE (a C identifier first), not '2LOOPS=3'"
  run -2 "${CHECK}" analyze "${PROGRAMS}/broken-needs-flags.c" -I
  assert_output --partial "-I needs a value"
}
