#!/usr/bin/env bats
# Graded code is untrusted: attempts to silence the analyzers, forge a
# result or escape the kit's harness fail, each with a message that says why.
# Broken submissions fail cleanly too.

load test_helper

ATTACKS="${BATS_TEST_DIRNAME}/fixtures/attacks/01-lost-update"

grade_attack() { # <attack name>
  local submission
  submission="$(make_submission 01-lost-update "${ATTACKS}/$1")"
  run -1 "${CHECK}" --json --submission "${submission}" 01
}

build_message() {
  criterion_message "${output}" 01-lost-update build
}

assert_rejected() { # <tamper fixture> <expected words in the build message>
  local submission
  submission="$(make_submission 01-lost-update "${FIXES}/01-lost-update/$1")"
  run -1 "${CHECK}" --json --submission "${submission}" 01
  assert_criterion 01-lost-update build fail
  assert_criterion 01-lost-update tsan skipped
  [[ "$(build_message)" == "not allowed: "*"$2"* ]] || fail "build message: $(build_message)"
}

@test "defining __tsan_default_options is rejected" {
  assert_rejected tamper-tsan-default-options "a sanitizer interface function"
}

@test "a no_sanitize attribute is rejected" {
  assert_rejected tamper-no-sanitize "an attribute that turns off analysis"
}

@test "Valgrind client requests are rejected" {
  assert_rejected tamper-helgrind-disable "a Valgrind client request"
}

@test "inline assembly is rejected" {
  assert_rejected tamper-inline-asm "inline assembly"
}

@test "raw system calls are rejected" {
  assert_rejected tamper-syscall "a raw system call"
}

@test "inline assembly hidden behind token pasting is still rejected" {
  grade_attack macro-hidden-asm
  assert_criterion 01-lost-update build fail
  [[ "$(build_message)" == *"inline assembly (database.c:14)"* ]] || fail "$(build_message)"
}

@test "opening files to reach the result channel is rejected" {
  grade_attack calls-open
  assert_criterion 01-lost-update build fail
  [[ "$(build_message)" == *"database.c:20 calls open: graded code has no files of its own"* ]] || fail "$(build_message)"
}

@test "replacing pthread_mutex_lock is rejected" {
  grade_attack defines-pthread-mutex-lock
  assert_criterion 01-lost-update build fail
  [[ "$(build_message)" == *"defines pthread_mutex_lock"* ]] || fail "$(build_message)"
}

@test "calling the harness runtime's result channel is rejected" {
  grade_attack calls-kit-result
  assert_criterion 01-lost-update build fail
  [[ "$(build_message)" == *"calls kit_result"* ]] || fail "$(build_message)"
}

@test "a result printed on stdout is ignored: the race still fails" {
  grade_attack prints-fake-result
  assert_criterion 01-lost-update result fail
  assert_criterion 01-lost-update tsan fail
}

@test "an edited harness in the submission is ignored" {
  grade_attack edited-harness
  assert_criterion 01-lost-update tsan fail
  assert_criterion 01-lost-update result fail
}

@test "leaving the program early fails result" {
  grade_attack exits-early
  assert_criterion 01-lost-update result fail
  [[ "$(criterion_message "${output}" 01-lost-update result)" == *"stopped before the end of main"* ]]
}

@test "a crash fails result and names the signal" {
  grade_attack crashes
  assert_criterion 01-lost-update result fail
  [[ "$(criterion_message "${output}" 01-lost-update result)" == "crashed"*"SEGV"*"database.c:11"* ]]
}

@test "a compile error fails build with the file and line" {
  grade_attack broken-compile-error
  assert_criterion 01-lost-update build fail
  [[ "$(build_message)" == "does not compile: database.c:8:"* ]] || fail "$(build_message)"
}

@test "a missing student file fails build and names it" {
  grade_attack missing-file
  assert_criterion 01-lost-update build fail
  [[ "$(build_message)" == "database.c not found in "* ]] || fail "$(build_message)"
}

@test "a symbolic link instead of the student file is refused" {
  local submission="${BATS_TEST_TMPDIR}/submission"
  mkdir -p "${submission}/01-lost-update"
  ln -s "${KIT_ROOT}/solutions/01-lost-update/database.c" "${submission}/01-lost-update/database.c"
  run -1 "${CHECK}" --json --submission "${submission}" 01
  assert_criterion 01-lost-update build fail
}

@test "non-static names of the student's own still pass" {
  local submission
  submission="$(make_submission 01-lost-update "${ATTACKS}/global-lock-not-static")"
  run -0 "${CHECK}" --json --submission "${submission}" 01
}

@test "code that only gcc accepts fails build through the TSan build, and leaves nothing running" {
  local submission tmp="${BATS_TEST_TMPDIR}/tmp"
  submission="$(make_submission 01-lost-update "${ATTACKS}/broken-gcc-only")"
  mkdir -p "${tmp}"
  TMPDIR="${tmp}" run -1 "${CHECK}" --json --submission "${submission}" 01
  assert_criterion 01-lost-update build fail
  [[ "$(build_message)" == "does not compile: database.c:8:"*"function definition is not allowed here"* ]] || fail "$(build_message)"
  assert_criterion 01-lost-update helgrind skipped
  # The Helgrind run that started on gcc's build has ended with the grading.
  run pgrep -f "${tmp}/"
  assert_failure
  run find "${tmp}" -mindepth 1
  assert_output ""
}
