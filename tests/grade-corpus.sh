#!/usr/bin/env bash
# Summary: grade every fix fixture, the shipped exercises and the solutions
# Usage: tests/grade-corpus.sh SEED
#
# Prints one JSON line per grading, {"exercise", "submission", "passed",
# "criteria": {"build": "pass", ...}}, sorted, for tests/compare-verdicts.sh
# to compare between two machines.  The fixtures are graded in rounds: round
# r holds every exercise's r-th fixture, so that one checker run grades ten
# exercises at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[[ "${1:-}" =~ ^[0-9]{1,9}$ ]] || { echo "Usage: tests/grade-corpus.sh SEED" >&2; exit 2; }
readonly SEED="$1"

work="$(mktemp -d "${TMPDIR:-/tmp}/race-kit-corpus.XXXXXX")"
trap 'rm -rf "${work}"' EXIT

# Lay out the rounds: DIR/round-R/<exercise>/ and DIR/round-R/names.json,
# {"<exercise>": "<fixture>"}.
lay_out_rounds() {
  local exercise_dir exercise fixture round
  for exercise_dir in tests/fixtures/fixes/*/; do
    exercise="$(basename "${exercise_dir}")"
    round=0
    for fixture in "${exercise_dir}"*/; do
      round=$((round + 1))
      mkdir -p "${work}/round-${round}/${exercise}"
      cp -R "${fixture}." "${work}/round-${round}/${exercise}/"
      printf '%s\t%s\n' "${exercise}" "$(basename "${fixture}")" >>"${work}/round-${round}/names"
    done
  done
}

# One checker run, its verdicts as lines labelled by <names file> (or by a
# fixed label).  A grading that could not run at all (exit 2, 3, 130) stops.
grade() { # <label: names file or word> <checker arguments...>
  local label="$1" status=0 verdict
  shift
  verdict="$(checker/check --json --seed "${SEED}" "$@")" || status=$?
  ((status <= 1)) || { echo "Error: checker/check $* exited ${status}" >&2; exit "${status}"; }
  jq -c --rawfile names "$([[ -f "${label}" ]] && echo "${label}" || echo /dev/null)" --arg word "${label}" '
    ($names | split("\n") | map(select(length > 0) | split("\t") | {(.[0]): .[1]}) | add // {}) as $fixture
    | .exercises[]
    | {exercise: .name, submission: ($fixture[.name] // $word), passed,
       criteria: (.criteria | map({(.id): .status}) | add)}' <<<"${verdict}"
}

main() {
  lay_out_rounds
  local round exercises
  {
    for round in "${work}"/round-*/; do
      mapfile -t exercises < <(cut -f1 "${round}names")
      grade "${round}names" --submission "${round}" "${exercises[@]}"
    done
    grade shipped
    grade solution --solutions
  } | sort
}

main "$@"
