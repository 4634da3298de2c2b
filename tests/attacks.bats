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

# shellcheck disable=SC2030 # bats' run sets output and status for the helpers below
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

# --- tests/attacks/: one hostile submission per class of attack ------------
# Each is graded as an instructor grades a submission: in the sandbox (the
# test machine has bubblewrap), in a temporary directory of its own, with a
# wall-time bound; afterwards nothing of it runs and nothing it wrote is left
# outside the grading's own (removed) work directory.

CORPUS="${BATS_TEST_DIRNAME}/attacks"
readonly ATTACK_LIMIT_S=120 # wall time for one hostile grading, under load

grade_corpus() { # <case> [exercise]: sets output, status and ELAPSED_S
  local exercise="${2:-01-lost-update}" submission started case="$1"
  [[ "${case}" == /* ]] || case="${CORPUS}/${case}"
  submission="$(make_submission "${exercise}" "${case}")"
  CORPUS_TMP="${BATS_TEST_TMPDIR}/tmp"
  mkdir -p "${CORPUS_TMP}"
  started="${SECONDS}"
  TMPDIR="${CORPUS_TMP}" run "${CHECK}" --json --submission "${submission}" "${exercise}"
  ELAPSED_S=$((SECONDS - started))
}

# What every hostile grading must leave behind: a verdict with exit 1, in
# time, no process, no file, and the working copy as it was.
assert_contained() {
  # shellcheck disable=SC2031 # bats' run sets status and output
  assert_equal "${status}" 1
  ((ELAPSED_S <= ATTACK_LIMIT_S)) || fail "took ${ELAPSED_S} s"
  run pgrep -f "${CORPUS_TMP}/"
  assert_failure
  run find "${CORPUS_TMP}" -mindepth 1
  assert_output ""
  [[ ! -e /tmp/race-kit-hostile-was-here ]] || fail "the program wrote into the machine's /tmp"
}

corpus_refused() { # <case> <words of the build message>
  grade_corpus "$1"
  # shellcheck disable=SC2031
  local verdict="${output}"
  assert_contained
  output="${verdict}"
  assert_criterion 01-lost-update build fail
  [[ "$(build_message)" == "not allowed: "*"$2"* ]] || fail "build message: $(build_message)"
}

@test "attacks: a GNU line marker behind a comment and a line splice is refused" {
  corpus_refused line-marker "a line marker (#line or # N)"
}

@test "attacks: a file that includes itself is refused" {
  corpus_refused self-include 'an include of "database.c"'
}

@test "attacks: including the kit's solution through the harness's include path is refused" {
  corpus_refused include-solution 'an include of "../../../solutions/01-lost-update/database.c"'
}

@test "attacks: #include \"/dev/zero\" is refused before any preprocessor reads it" {
  corpus_refused include-dev-zero 'an include of "/dev/zero"'
  ((ELAPSED_S <= 30)) || fail "took ${ELAPSED_S} s"
}

@test "attacks: #include </dev/stdin> is refused" {
  corpus_refused include-dev-stdin "an include of </dev/stdin>"
}

@test "attacks: attributes spelt __attribute( or [[gnu::...]], and _Pragma, are refused" {
  corpus_refused attribute-spellings "an attribute that changes how the program is linked or started"
  [[ "$(build_message)" == *"a _Pragma operator"* ]] || fail "$(build_message)"
}

@test "attacks: code only clang compiles is scanned with clang's own macros" {
  corpus_refused clang-only "an attribute that turns off analysis"
}

@test "attacks: code only -pthread's _REENTRANT compiles is scanned too" {
  corpus_refused reentrant-only "inline assembly"
}

@test "attacks: #pragma is refused" {
  corpus_refused pragma "a #pragma"
}

@test "attacks: a submission folder that links to the solutions is refused" {
  local submission="${BATS_TEST_TMPDIR}/linked"
  mkdir -p "${submission}"
  ln -s "${KIT_ROOT}/solutions/01-lost-update" "${submission}/01-lost-update"
  run -1 "${CHECK}" --json --submission "${submission}" 01
  assert_criterion 01-lost-update build fail
  [[ "$(build_message)" == *"is a symbolic link"* ]] || fail "$(build_message)"
}

@test "attacks: lines written to the result descriptor by student code fail result" {
  grade_corpus forged-result-channel
  local verdict="${output}"
  assert_contained
  output="${verdict}"
  assert_criterion 01-lost-update result fail
  [[ "$(criterion_message "${output}" 01-lost-update result)" == *"did not come through the harness's own writer"* ]] ||
    fail "$(criterion_message "${output}" 01-lost-update result)"
}

@test "attacks: a program that reaches any libc function sees, breaks and forges nothing" {
  local secret="secret-of-another-student-$$" other="${BATS_TEST_TMPDIR}/other/01-lost-update"
  mkdir -p "${other}" "${BATS_TEST_TMPDIR}/hostile"
  printf '/* %s */\n' "${secret}" >"${other}/database.c"
  sed "s|SOLUTION_PATH|\"${KIT_ROOT}/solutions/01-lost-update/database.c\"|" \
    "${CORPUS}/hostile/database.c" >"${BATS_TEST_TMPDIR}/hostile/database.c"
  local before
  before="$(cd "${KIT_ROOT}" && git status --porcelain)"
  # A good grading beside it, at the same time, still passes.
  local good="${BATS_TEST_TMPDIR}/good.json"
  RACE_KIT_SECRET="${secret}" "${CHECK}" --json --solutions 01 >"${good}" &
  local good_job=$!
  RACE_KIT_SECRET="${secret}" grade_corpus "${BATS_TEST_TMPDIR}/hostile"
  local verdict="${output}"
  wait "${good_job}" || fail "the good grading beside it failed: $(cat "${good}")"
  assert_equal "$(jq -r .passed "${good}")" 1
  assert_contained
  output="${verdict}"
  assert_criterion 01-lost-update tsan fail
  [[ "$(criterion_message "${output}" 01-lost-update tsan)" == "the analyzer's report was removed or silenced"* ]] ||
    fail "$(criterion_message "${output}" 01-lost-update tsan)"
  refute_output --partial "${secret}"
  refute_output --partial "reference solution"
  refute_output --partial "${KIT_ROOT}/solutions"
  assert_equal "$(cd "${KIT_ROOT}" && git status --porcelain)" "${before}"
}

@test "attacks: 3000 threads stop at the task limit, and the grading ends" {
  grade_corpus thread-bomb
  assert_contained
}

@test "attacks: 4 GiB of memory stops at the memory limit, and the grading ends" {
  grade_corpus memory-hog
  assert_contained
}

@test "attacks: 3 GiB of files stop at the disk limit, and the grading ends" {
  grade_corpus disk-filler 02-shared-dest-file
  assert_contained
}

@test "attacks: thousands of files with long names are judged, not a broken grading" {
  grade_corpus many-files 02-shared-dest-file
  local verdict="${output}"
  assert_contained
  output="${verdict}"
  assert_criterion 02-shared-dest-file result fail
}

@test "attacks: a macro that doubles 30 times stops the compiler at a limit" {
  grade_corpus doubling-macro
  local verdict="${output}"
  assert_contained
  output="${verdict}"
  assert_criterion 01-lost-update build fail
}

@test "attacks: an escape sequence in an #error text never reaches the terminal" {
  local submission
  submission="$(make_submission 01-lost-update "${CORPUS}/terminal-escape")"
  run -1 "${CHECK}" --submission "${submission}" 01
  refute_output --partial $'\033'
  run -1 "${CHECK}" --json --submission "${submission}" 01
  refute_output --partial '\u001b'
}

@test "attacks: --require-sandbox refuses to grade without the sandbox, and says why" {
  RACE_KIT_NO_SANDBOX=1 run -3 "${CHECK}" --require-sandbox --solutions 01
  assert_output --partial "the sandbox is required"
  assert_output --partial "RACE_KIT_NO_SANDBOX is set"
}

@test "attacks: a --submission is graded in the full sandbox unless told otherwise" {
  local submission
  submission="$(make_submission 01-lost-update "${KIT_ROOT}/solutions/01-lost-update")"
  RACE_KIT_NO_SANDBOX=1 run -3 "${CHECK}" --json --submission "${submission}" 01
  RACE_KIT_NO_SANDBOX=1 run -0 "${CHECK}" --json --allow-no-sandbox --submission "${submission}" 01
  assert_equal "$(jq -r .isolation.level <<<"${output}")" uid
  run -0 "${CHECK}" --json --submission "${submission}" 01
  assert_equal "$(jq -r .isolation.level <<<"${output}")" sandbox
}
