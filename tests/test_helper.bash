# shellcheck shell=bash
# Loaded by every test file: assertions, the kit's paths, and helpers that
# grade a fixture the way an instructor grades a submission.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

KIT_ROOT="$(cd "${BATS_TEST_DIRNAME}/.." && pwd)"
CHECK="${KIT_ROOT}/checker/check"
FIXES="${BATS_TEST_DIRNAME}/fixtures/fixes"
export KIT_ROOT CHECK FIXES

# One compiled runner and canary for the whole suite, not one per test.
export RACE_KIT_CACHE="${BATS_RUN_TMPDIR}/cache"
# Hints remember what was seen: per test, not in the real home directory.
export XDG_STATE_HOME="${BATS_TEST_TMPDIR}/state"
unset NO_COLOR RACE_KIT_KEEP_WORK

# Lay out a submission holding one fixture's files as DIR/<exercise>/.
make_submission() { # <exercise> <fixture dir> -> prints the submission dir
  local dir="${BATS_TEST_TMPDIR}/submission"
  mkdir -p "${dir}/$1"
  cp -R "$2"/. "${dir}/$1/"
  printf '%s\n' "${dir}"
}

# Grade one fixture fix of an exercise; leaves the JSON verdict in $output.
grade_fix() { # <exercise> <fix name>
  local submission
  submission="$(make_submission "$1" "${FIXES}/$1/$2")"
  run "${CHECK}" --json --submission "${submission}" "$1"
}

# The status ("pass", "fail", "skipped") of one criterion of one exercise.
criterion_status() { # <json> <exercise> <criterion id>
  jq -r --arg ex "$2" --arg id "$3" \
    '.exercises[] | select(.name == $ex) | .criteria[] | select(.id == $id) | .status' <<<"$1"
}

criterion_message() { # <json> <exercise> <criterion id>
  jq -r --arg ex "$2" --arg id "$3" \
    '.exercises[] | select(.name == $ex) | .criteria[] | select(.id == $id) | .message' <<<"$1"
}

assert_criterion() { # <exercise> <criterion id> <expected status>
  local actual
  # shellcheck disable=SC2154 # bats' run sets $output
  actual="$(criterion_status "${output}" "$1" "$2")"
  [[ "${actual}" == "$3" ]] ||
    fail "$1: criterion '$2' is '${actual}', expected '$3'. Verdict: $(jq -c '.exercises[].criteria[] | {id, status, message}' <<<"${output}")"
}

# A copy of the kit, without its git history, that a test may change
# (list, reset, watch work on the kit's own exercise files); prints its path.
copy_kit() { # <dir>
  mkdir -p "$1"
  tar -C "${KIT_ROOT}" --exclude=.git --exclude=build -cf - . | tar -C "$1" -xf -
  printf '%s\n' "$1"
}
