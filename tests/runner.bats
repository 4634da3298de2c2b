#!/usr/bin/env bats
#
# Tests of checker/runner/run-program, the one program that starts student
# code: outcomes in the report, deadlock detection (plain, ThreadSanitizer,
# Helgrind), limits, and that nothing the program started outlives a run.
# Fixtures are in tests/fixtures/runner/; each says what it expects.

bats_require_minimum_version 1.5.0

setup_file() {
  local root="${BATS_TEST_DIRNAME}/.."
  local fixture
  gcc -O2 -Wall -Wextra -Werror -o "${BATS_FILE_TMPDIR}/run-program" \
    "${root}"/checker/runner/*.c
  for fixture in "${BATS_TEST_DIRNAME}"/fixtures/runner/*.c; do
    gcc -Wall -Wextra -Werror -pthread -g \
      -o "${BATS_FILE_TMPDIR}/$(basename "${fixture}" .c)" "${fixture}"
  done
  # Optional: the ThreadSanitizer test skips when this build is missing.
  if command -v clang >/dev/null; then
    clang -fsanitize=thread -g -O1 -pthread \
      -o "${BATS_FILE_TMPDIR}/lock_order_deadlock_tsan" \
      "${BATS_TEST_DIRNAME}/fixtures/runner/lock_order_deadlock.c" || true
  fi
}

setup() {
  bats_load_library bats-support
  bats_load_library bats-assert
  BIN="${BATS_FILE_TMPDIR}"
  REPORT="${BATS_TEST_TMPDIR}/report"
}

runner() { # <run-program options and program>
  "${BIN}/run-program" --report "${REPORT}" "$@"
}

assert_report() { # <key=value line>...
  local line
  run cat "${REPORT}"
  for line in "$@"; do
    assert_line "${line}"
  done
}

report_value() { # <key>
  sed -n "s/^$1=//p" "${REPORT}"
}

process_exists() { # <pid>
  kill -0 "$1" 2>/dev/null
}

wait_for_file() { # <file>
  local tries=0
  until [[ -s "$1" ]]; do
    ((++tries < 100)) || fail "$1 did not appear within 5 s"
    sleep 0.05
  done
}

# --- how a program ends ---------------------------------------------------

@test "a program's exit code is passed through in the report" {
  run -0 runner --timeout 5000 -- sh -c 'exit 7'
  assert_report outcome=exited exit_code=7
  refute_line --partial signal
}

@test "exit code 127 of the program itself is an exit, not a start failure" {
  run -0 runner --timeout 5000 -- sh -c 'exit 127'
  assert_report outcome=exited exit_code=127
}

@test "a crash is reported with its signal number and name" {
  run -0 runner --timeout 5000 -- "${BIN}/null_pointer"
  assert_report outcome=signaled signal=11 signal_name=SIGSEGV
  refute_line --partial exit_code
}

@test "the report is complete and no temporary file is left beside it" {
  run -0 runner --timeout 5000 -- true
  assert_report outcome=exited exit_code=0
  assert_line --regexp '^wall_ms=[0-9]+$'
  assert_line --regexp '^cpu_ms=[0-9]+$'
  assert [ ! -e "${REPORT}.tmp" ]
}

# --- deadlock or not ------------------------------------------------------

@test "a lock-order deadlock is declared within 1.5 s" {
  run -0 runner --timeout 10000 --hang-ms 500 -- \
    "${BIN}/lock_order_deadlock"
  assert_report outcome=deadlock threads=3
  assert [ "$(report_value wall_ms)" -lt 1500 ]
  assert [ "$(report_value blocked_ms)" -ge 500 ]
}

@test "on a deadlock the stacks file names the functions where threads wait" {
  command -v gdb >/dev/null || skip "gdb is not installed"
  local stacks="${BATS_TEST_TMPDIR}/stacks"
  run -0 runner --timeout 10000 --stacks "${stacks}" -- \
    "${BIN}/lock_order_deadlock"
  assert_report outcome=deadlock
  run cat "${stacks}"
  assert_line --partial " in transfer_a_to_b "
  assert_line --partial " in transfer_b_to_a "
}

@test "when gdb cannot be run the stacks file says so" {
  local stacks="${BATS_TEST_TMPDIR}/stacks"
  mkdir "${BATS_TEST_TMPDIR}/empty"
  PATH="${BATS_TEST_TMPDIR}/empty" run -0 runner --timeout 10000 \
    --stacks "${stacks}" -- "${BIN}/lock_order_deadlock"
  assert_report outcome=deadlock
  run cat "${stacks}"
  assert_line --partial "run-program: cannot run gdb"
}

@test "the deadlock in a ThreadSanitizer build is declared a deadlock" {
  [[ -x "${BIN}/lock_order_deadlock_tsan" ]] ||
    skip "no ThreadSanitizer build (clang missing or failed)"
  # clang 14's TSan aborts on kernels with vm.mmap_rnd_bits above 28 unless
  # ASLR is off; setarch execs the program in place, so the pid watched is
  # still the program's.
  run -0 runner --timeout 10000 -- \
    setarch "$(uname -m)" -R "${BIN}/lock_order_deadlock_tsan"
  assert_report outcome=deadlock
  assert [ "$(report_value wall_ms)" -lt 1500 ]
}

@test "the deadlock under Helgrind is declared a deadlock" {
  command -v valgrind >/dev/null || skip "valgrind is not installed"
  run -0 runner --timeout 20000 -- valgrind --tool=helgrind \
    --fair-sched=yes -q "${BIN}/lock_order_deadlock"
  assert_report outcome=deadlock threads=3
}

@test "under Helgrind the stacks file shows the client's functions" {
  command -v valgrind >/dev/null || skip "valgrind is not installed"
  command -v gdb >/dev/null || skip "gdb is not installed"
  local stacks="${BATS_TEST_TMPDIR}/stacks"
  run -0 runner --timeout 20000 --stacks "${stacks}" -- valgrind \
    --tool=helgrind --fair-sched=yes -q "${BIN}/lock_order_deadlock"
  assert_report outcome=deadlock
  run cat "${stacks}"
  assert_line --partial " in transfer_a_to_b "
  assert_line --partial " in transfer_b_to_a "
}

@test "a wait on a condition variable nobody signals is a deadlock" {
  run -0 runner --timeout 10000 -- "${BIN}/lost_wakeup"
  assert_report outcome=deadlock threads=2
}

@test "with --hang-ms 0 a deadlock runs into the timeout, not spinning" {
  run -0 runner --timeout 700 --hang-ms 0 -- "${BIN}/lock_order_deadlock"
  assert_report outcome=timeout threads=3
  refute_line --partial spinning
}

@test "a busy-wait is a timeout with spinning=1, never a deadlock" {
  run -0 runner --timeout 700 -- "${BIN}/busy_spin"
  assert_report outcome=timeout spinning=1 threads=2
}

@test "threads sleeping in usleep for 1.5 s finish normally" {
  run -0 runner --timeout 10000 --hang-ms 500 -- "${BIN}/sleeping_threads"
  assert_report outcome=exited exit_code=0
}

@test "a pthread_cond_timedwait loop is no deadlock" {
  run -0 runner --timeout 10000 --hang-ms 500 -- "${BIN}/timed_wait_loop"
  assert_report outcome=exited exit_code=0
}

# --- nothing left behind --------------------------------------------------

@test "a daemon that escaped with a double fork and setsid does not survive" {
  local pid_file="${BATS_TEST_TMPDIR}/daemon.pid"
  run -0 runner --timeout 5000 -- "${BIN}/escaping_daemon" "${pid_file}"
  assert_report outcome=exited exit_code=0
  refute process_exists "$(cat "${pid_file}")"
}

@test "SIGTERM to the runner kills the program and reports error=interrupted" {
  local pid_file="${BATS_TEST_TMPDIR}/sleeper.pid"
  local runner_status=0
  # Not through runner(): $! must be run-program itself, not a subshell.
  "${BIN}/run-program" --report "${REPORT}" --timeout 20000 -- \
    "${BIN}/sleep_forever" "${pid_file}" 3>&- &
  local runner_pid=$!
  wait_for_file "${pid_file}"
  kill -TERM "${runner_pid}"
  wait "${runner_pid}" || runner_status=$?
  assert_equal "${runner_status}" 125
  assert_report outcome=error error=interrupted
  refute process_exists "$(cat "${pid_file}")"
}

# --- what the program is given --------------------------------------------

@test "an output flood is cut at --max-output by SIGXFSZ" {
  local out="${BATS_TEST_TMPDIR}/out"
  run -0 runner --timeout 5000 --stdout "${out}" --max-output 65536 -- \
    "${BIN}/output_flood"
  assert_report outcome=signaled signal=25 signal_name=SIGXFSZ
  assert [ "$(stat -c %s "${out}")" -le 65536 ]
}

@test "lines the program writes to descriptor 3 end up in the --result file" {
  local result="${BATS_TEST_TMPDIR}/result"
  run -0 runner --timeout 5000 --result "${result}" -- "${BIN}/result_line"
  assert_report outcome=exited exit_code=0
  run cat "${result}"
  assert_output "x=1"
}

@test "without --result the program has no descriptor 3" {
  # bats keeps its own descriptor 3 open: it must not reach the program.
  run -0 runner --timeout 5000 -- test -e /proc/self/fd/3
  assert_report outcome=exited exit_code=1
}

@test "the program reads stdin from /dev/null and starts in --cwd" {
  local out="${BATS_TEST_TMPDIR}/out"
  run -0 runner --timeout 5000 --stdout "${out}" -- readlink /proc/self/fd/0
  run cat "${out}"
  assert_output "/dev/null"
  run -0 runner --timeout 5000 --cwd /usr --stdout "${out}" -- pwd
  run cat "${out}"
  assert_output "/usr"
}

# --- the runner's own errors ----------------------------------------------

@test "a program that cannot be executed gives exit 125 and outcome=error" {
  run -125 runner --timeout 5000 -- "${BATS_TEST_TMPDIR}/no-such-program"
  assert_line --regexp "^run-program: cannot execute .*no-such-program"
  assert_report outcome=error
  assert_line --regexp "^error=cannot execute .*no-such-program"
}

@test "an unknown option gives exit 125 and a message naming it" {
  run -125 runner --timeout 5000 --bogus -- true
  assert_line --index 0 "run-program: unknown option '--bogus'"
}

@test "a missing --timeout gives exit 125 and says so" {
  run -125 runner -- true
  assert_line --index 0 "run-program: --timeout is required"
}

@test "a --timeout that is no number gives exit 125" {
  run -125 runner --timeout 5s -- true
  assert_line --index 0 --partial "run-program: --timeout takes a whole number"
}
