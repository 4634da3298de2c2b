#!/usr/bin/env bats
# Verdicts read like a teacher's: on real verdicts of the shipped exercises,
# the solutions and every fix fixture, no analyzer numbering (M0, T2,
# thread #3), no frame of the kit's runtime, no unknown line, no internal
# parameter, and no line wider than 100 columns.

load test_helper

# The fix fixtures as submissions: round k holds the k-th fix of each
# exercise, so every fixture is graded once, ten exercises at a time.
lay_out_rounds() { # <dir>
  local exercise fix k
  for exercise in "${FIXES}"/*/; do
    k=0
    for fix in "${exercise}"*/; do
      k=$((k + 1))
      mkdir -p "$1/round-${k}/$(basename "${exercise}")"
      cp -R "${fix}". "$1/round-${k}/$(basename "${exercise}")/"
    done
  done
}

# Every verdict once, as JSON and as the text a terminal 100 columns wide
# shows (RACE_KIT_WIDTH), kept for all the tests of this file.
setup_file() {
  load test_helper
  local dir="${BATS_FILE_TMPDIR}" round names
  export RACE_KIT_WIDTH=100
  "${CHECK}" --json --seed 4242 >"${dir}/shipped.json" || true
  "${CHECK}" --json --seed 4242 --solutions >"${dir}/solutions.json" || true
  lay_out_rounds "${dir}/rounds"
  for round in "${dir}"/rounds/*/; do
    names="$(basename -a "${round}"*/ | tr '\n' ' ')"
    # shellcheck disable=SC2086 # one word per exercise
    "${CHECK}" --json --seed 4242 --submission "${round}" ${names} >"${dir}/$(basename "${round}").json" || true
  done
  local json
  for json in "${dir}"/*.json; do
    jq -r --argjson color false --argjson width 100 -f "${KIT_ROOT}/checker/lib/render-text.jq" \
      "${json}" >"${json%.json}.txt"
  done
}

every_text() {
  cat "${BATS_FILE_TMPDIR}"/*.txt
}

@test "every shipped exercise, solution and fix fixture was graded" {
  local count
  count="$(jq -s '[.[].exercises[]] | length' "${BATS_FILE_TMPDIR}"/*.json)"
  local fixtures
  fixtures="$(find "${FIXES}" -mindepth 2 -maxdepth 2 -type d | wc -l)"
  ((count == 20 + fixtures)) || fail "graded ${count} exercises, expected $((20 + fixtures))"
}

@test "no verdict names a mutex M0 or a thread T2 or #3" {
  run every_text
  refute_output --regexp '\bM[0-9]+\b'
  refute_output --regexp '\bT[0-9]+\b'
  refute_output --regexp '[Tt]hread #[0-9]'
}

@test "no verdict points into the kit's runtime or at an unknown line" {
  run every_text
  refute_output --partial 'kit.c'
  refute_output --partial '__wrap_'
  refute_output --partial ':?'
  refute_output --partial ':null'
}

@test "no verdict shows the harness's internal parameters" {
  run every_text
  refute_output --regexp 'check_[a-z]+='
}

@test "no verdict line is wider than 100 columns" {
  run every_text
  refute_line --regexp '^.{101,}$'
}

@test "the shipped 03 deadlock names the accounts' locks by the harness's labels" {
  run cat "${BATS_FILE_TMPDIR}/shipped.txt"
  assert_output --regexp "worker [12] -> holds account [01]'s lock \\(locked at bank\\.c:[0-9]+ in lock_account"
}

@test "Helgrind's threads are named as TSan's are, worker N" {
  run jq -r '.exercises[] | select(.name == "01-lost-update") | .criteria[] | select(.id == "helgrind") | .message' \
    "${BATS_FILE_TMPDIR}/shipped.json"
  assert_output --regexp "^data race on global 'value': (read|write) by worker [0-9] at database\\.c:[0-9]+ in database_update, previous (read|write) by worker [0-9] at database\\.c:[0-9]+"
}

@test "a race where each thread holds its own mutex names the mutex by its variable" {
  run grep -h "holding 'lock'" "${BATS_FILE_TMPDIR}"/round-*.txt
  assert_success
}
