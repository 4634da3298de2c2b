#!/usr/bin/env bats
# The kit as shipped: every exercise fails for its own reasons, every
# reference solution passes, and neither verdict flickers between runs.

load test_helper

# Grade <times> times; each time, call <verify> with the JSON verdict in $output.
repeat_grading() { # <times> <expected exit> <verify function> [checker options...]
  local times="$1" expected="$2" verify="$3" repetition
  shift 3
  # Not "i": bats' run() changes a variable of that name in its caller.
  for ((repetition = 1; repetition <= times; repetition++)); do
    run "-${expected}" "${CHECK}" --json "$@"
    "${verify}"
  done
}

EXPECTED="${BATS_TEST_DIRNAME}/fixtures/expected"

# True when the exercise failed every criterion named on one line of <file>.
fails_as_expected() { # <exercise> <expected file>
  local line id ok
  while IFS= read -r line; do
    ok=1
    for id in ${line}; do
      [[ "$(criterion_status "${output}" "$1" "${id}")" == fail ]] || ok=0
    done
    ((ok)) && return 0
  done <"$2"
  return 1
}

shipped_bugs_are_caught() {
  local name
  for name in $(jq -r '.exercises[].name' <<<"${output}"); do
    [[ -f "${EXPECTED}/${name}" ]] || fail "no tests/fixtures/expected/${name}"
    fails_as_expected "${name}" "${EXPECTED}/${name}" ||
      fail "${name} did not fail as tests/fixtures/expected/${name} says: $(jq -c --arg n "${name}" \
        '.exercises[] | select(.name == $n) | [.criteria[] | {(.id): .status}] | add' <<<"${output}")"
  done
  # 03's TSan failure, when it does not hang, must be the lock-order report.
  local tsan
  if jq -e '.exercises[] | select(.name == "03-lock-order-deadlock")' <<<"${output}" >/dev/null; then
    tsan="$(criterion_message "${output}" 03-lock-order-deadlock tsan)"
    [[ "$(criterion_status "${output}" 03-lock-order-deadlock completes)" == fail || "${tsan}" == *lock-order* ]] ||
      fail "03 was neither a deadlock nor a lock-order report: ${tsan}"
  fi
  assert_equal "$(jq .passed <<<"${output}")" 0
}

every_solution_passes() {
  assert_equal "$(jq '[.exercises[].criteria[].status] | unique' -c <<<"${output}")" '["pass"]'
  assert_equal "$(jq '.passed == .total and .total == (.exercises | length)' <<<"${output}")" true
}

@test "the three first exercises, as shipped, fail for their expected criteria five times in a row" {
  repeat_grading 5 1 shipped_bugs_are_caught 01 02 03
}

@test "the three first reference solutions pass every criterion five times in a row" {
  repeat_grading 5 0 every_solution_passes --solutions 01 02 03
}

@test "every shipped exercise fails for its expected criteria, twice in a row" {
  repeat_grading 2 1 shipped_bugs_are_caught
}

@test "every reference solution passes every criterion, twice in a row" {
  repeat_grading 2 0 every_solution_passes --solutions
}

@test "the shipped deadlock is named as one, with where each thread is stuck" {
  run -1 "${CHECK}" --json 03
  assert_criterion 03-lock-order-deadlock completes fail
  assert_equal "$(criterion_message "${output}" 03-lock-order-deadlock completes | cut -c1-12)" "deadlock in "
  jq -e '.exercises[0].criteria[] | select(.id == "completes")
    | (.evidence | test("worker [12] -> holds account [01].s lock \\(locked at bank\\.c:[0-9]+ in [a-z_]+"))
      and (.deadlock.threads | length == 2) and (.deadlock.cycle | sort == ["worker 1", "worker 2"])' <<<"${output}"
}

@test "the text verdict of a shipped exercise names the file and line of the race" {
  run -1 "${CHECK}" 01
  assert_output --regexp 'tsan +data race on global .value.: .* at database\.c:[0-9]+ in database_update'
  assert_output --partial "updates were lost"
  assert_output --partial "0 of 1 exercises pass"
}
