#!/usr/bin/env bats
# Every count a handout promises is graded: each exercise's README states
# its ranges in a table ("The counts it is graded with"), exercise.json
# states the same ranges as "parameters", the harness refuses counts outside
# them, and the TSan runs cover both ends of every range plus random draws
# inside it (tests/parameter-coverage.jq).

load test_helper

COVERAGE="${BATS_TEST_DIRNAME}/parameter-coverage.jq"

# The handout's table as JSON lines {option, lo, hi}.
stated_ranges() { # <README.md>
  awk -F'|' '/^\| `--[a-z-]+ N` \|/ {
    option = $2; gsub(/[ `]/, "", option); sub(/N$/, "", option)
    split($4, range, " "); gsub(/[^0-9]/, "", range[1]); gsub(/[^0-9]/, "", range[3])
    printf "{\"option\":\"%s\",\"lo\":%s,\"hi\":%s}\n", option, range[1], range[3]
  }' "$1"
}

# The gaps between a handout and a spec, one sentence per line.
coverage_gaps() { # <name> <README.md> <exercise.json>
  stated_ranges "$2" | jq -s --arg name "$1" --slurpfile spec "$3" \
    '{name: $name, spec: $spec[0], stated: .}' | jq -r -f "${COVERAGE}"
}

@test "every handout's ranges are the spec's, and its TSan runs cover both ends and draws between" {
  local dir name gaps=""
  for dir in "${KIT_ROOT}"/exercises/[0-9][0-9]-*/; do
    name="$(basename "${dir}")"
    [[ "$(stated_ranges "${dir}README.md" | wc -l)" -gt 0 ]] || fail "${name}: no table of counts in README.md"
    gaps+="$(coverage_gaps "${name}" "${dir}README.md" "${dir}exercise.json")"
  done
  assert_equal "${gaps}" ""
}

@test "the coverage check names the ends 09's former runs (2 to 4 consumers) left out" {
  local dir="${KIT_ROOT}/exercises/09-condition-variable"
  jq '.tsan_runs = [{"consumers": 2, "tasks": 13, "check_cpu": 1},
                    {"consumers": "3..4", "tasks": "13..18", "check_cpu": 1}]' \
    "${dir}/exercise.json" >"${BATS_TEST_TMPDIR}/exercise.json"
  run coverage_gaps 09 "${dir}/README.md" "${BATS_TEST_TMPDIR}/exercise.json"
  assert_line "09: no TSan run has consumers = 1, the lower end of its range"
  assert_line "09: no TSan run has consumers = 8, the upper end of its range"
  assert_line "09: no TSan run has tasks = 32, the upper end of its range"
}

@test "the coverage check names a pool range drawn only from 12 up and a handout that disagrees" {
  local dir="${KIT_ROOT}/exercises/05-io-bound"
  jq '.tsan_runs = [{"sites": 24, "pool": 12, "fetch_ms": 60, "check_time": 1},
                    {"sites": "24..32", "pool": "12..16", "fetch_ms": 60, "check_time": 1}]' \
    "${dir}/exercise.json" >"${BATS_TEST_TMPDIR}/exercise.json"
  sed 's/| 1 to 64 |/| 1 to 99 |/' "${dir}/README.md" >"${BATS_TEST_TMPDIR}/README.md"
  run coverage_gaps 05 "${BATS_TEST_TMPDIR}/README.md" "${BATS_TEST_TMPDIR}/exercise.json"
  assert_line "05: no TSan run has pool = 1, the lower end of its range"
  assert_line "05: the handout says --sites is 1 to 99, the spec 1..64"
}

@test "every harness refuses counts just outside the ranges its handout states" {
  local dir name file option lo hi program
  local -a link_flags
  read -r -a link_flags <"${KIT_ROOT}/checker/harness/link-flags"
  for dir in "${KIT_ROOT}"/exercises/[0-9][0-9]-*/; do
    name="$(basename "${dir}")"
    program="${BATS_TEST_TMPDIR}/${name}"
    file="$(jq -r '.student_files[0]' "${dir}exercise.json")"
    gcc -pthread -I "${dir}harness" -I "${KIT_ROOT}/checker/harness" "${dir}${file}" \
      "${dir}"harness/*.c "${KIT_ROOT}/checker/harness/kit.c" \
      "${link_flags[@]}" -o "${program}"
    while IFS=$'\t' read -r option lo hi; do
      run -2 "${program}" "${option}" "$((lo - 1))" 3>&-
      assert_output --partial "from ${lo} to ${hi}"
      run -2 "${program}" "${option}" "$((hi + 1))" 3>&-
      assert_output --partial "from ${lo} to ${hi}"
    done < <(stated_ranges "${dir}README.md" | jq -r '[.option, .lo, .hi] | @tsv')
  done
}
