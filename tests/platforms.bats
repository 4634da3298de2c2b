#!/usr/bin/env bats
# The platforms' entry points run for real against their documented
# contracts: Gradescope's run_autograder and PrairieLearn's grader against
# fake trees, the GitHub Classroom workflow as YAML, the container files.

load test_helper

# The entry points find the kit they are part of, never the one under test.
unset_kit() {
  unset KIT_ROOT CHECKER_ROOT
}

# A PATH whose valgrind is broken: the checker's preflight refuses to grade.
broken_path() {
  mkdir -p "${BATS_TEST_TMPDIR}/broken-bin"
  printf '#!/bin/sh\nexit 1\n' >"${BATS_TEST_TMPDIR}/broken-bin/valgrind"
  chmod +x "${BATS_TEST_TMPDIR}/broken-bin/valgrind"
  echo "${BATS_TEST_TMPDIR}/broken-bin:${PATH}"
}

SOLUTIONS="${KIT_ROOT}/solutions"

# A fake Gradescope tree: the zip unpacked in source/, run_autograder at the
# top as Gradescope copies it, the student's files flat in submission/.
gradescope_tree() { # <root>
  mkdir -p "$1/source" "$1/submission"
  (cd "$1/source" && unzip -q "${KIT_ROOT}/build/gradescope/autograder.zip")
  cp "$1/source/run_autograder" "$1/run_autograder"
}

@test "gradescope: the zip has setup.sh and run_autograder on top, the kit and no solution" {
  echo '{"default": {"points": 5}}' >"${BATS_TEST_TMPDIR}/points.json"
  run -0 make -C "${KIT_ROOT}" --no-print-directory gradescope POINTS="${BATS_TEST_TMPDIR}/points.json" EX=01
  run -0 unzip -Z1 "${KIT_ROOT}/build/gradescope/autograder.zip"
  assert_line setup.sh
  assert_line run_autograder
  assert_line points.json
  assert_line exercises.txt
  assert_line checker/check
  assert_line exercises/01-lost-update/exercise.json
  refute_output --partial solutions/
  refute_output --partial tests/
  bash -n "${KIT_ROOT}/platforms/gradescope/setup.sh"
}

@test "gradescope: run_autograder grades the submission into results.json, one test per exercise" {
  make -C "${KIT_ROOT}" --no-print-directory gradescope POINTS= EX="01 02" >/dev/null
  local root="${BATS_TEST_TMPDIR}/autograder"
  gradescope_tree "${root}"
  cp "${SOLUTIONS}/01-lost-update/database.c" "${root}/submission/"
  unset_kit
  AUTOGRADER_ROOT="${root}" run -0 "${root}/run_autograder"
  local results="${root}/results/results.json"
  jq -e '(.tests | length) == 2 and .score == 1 and (.output | test("Student: submission"))' "${results}"
  jq -e '.tests | all(has("score") and has("max_score") and has("status") and has("name")
    and has("output") and has("visibility"))' "${results}"
  jq -e '.tests[0] | .name == "01-lost-update" and .score == 1 and .max_score == 1 and .status == "passed"' "${results}"
  jq -e '.tests[1] | .name == "02-shared-dest-file" and .score == 0 and .status == "failed"
    and (.output | test("not submitted"))' "${results}"
}

@test "gradescope: a broken environment still writes results.json, saying so" {
  make -C "${KIT_ROOT}" --no-print-directory gradescope POINTS= EX=01 >/dev/null
  local root="${BATS_TEST_TMPDIR}/autograder"
  gradescope_tree "${root}"
  cp "${SOLUTIONS}/01-lost-update/database.c" "${root}/submission/"
  unset_kit
  PATH="$(broken_path)" AUTOGRADER_ROOT="${root}" run -0 "${root}/run_autograder"
  jq -e '.score == 0 and .tests == [] and (.output | test("could not grade this submission"))
    and (.output | test("valgrind is installed but does not run")) and (.output | test("not a problem with your code"))' \
    "${root}/results/results.json"
  rm -rf "${root}/source/checker"
  AUTOGRADER_ROOT="${root}" run -0 "${root}/run_autograder"
  jq -e '.output | test("the kit is missing")' "${root}/results/results.json"
}

@test "prairielearn: the grader reads /grade/student and writes /grade/results/results.json" {
  local root="${BATS_TEST_TMPDIR}/grade"
  mkdir -p "${root}/student/01-lost-update" "${root}/tests"
  cp "${SOLUTIONS}/01-lost-update/database.c" "${root}/student/01-lost-update/"
  echo "01 02" >"${root}/tests/exercises.txt"
  PL_GRADE_ROOT="${root}" run -0 "${KIT_ROOT}/platforms/prairielearn/grade"
  jq -e '.gradable == true and .score == 0.5 and (.tests | length) == 2
    and (.tests[0] | .name == "01-lost-update" and .points == 1 and .max_points == 1)' "${root}/results/results.json"
  PATH="$(broken_path)" PL_GRADE_ROOT="${root}" run -0 "${KIT_ROOT}/platforms/prairielearn/grade"
  jq -e '.gradable == false and (.message | test("could not run"))' "${root}/results/results.json"
}

@test "classroom: the template's workflow is valid YAML with one graded test per exercise and the reporter" {
  local dir="${BATS_TEST_TMPDIR}/template"
  echo '{"default": {"points": 10}, "exercises": {"03-lock-order-deadlock": {"points": 20}}}' >"${BATS_TEST_TMPDIR}/p.json"
  run -0 make -C "${KIT_ROOT}" --no-print-directory classroom DIR="${dir}" POINTS="${BATS_TEST_TMPDIR}/p.json"
  local workflow="${dir}/.github/workflows/classroom.yml"
  run -0 yq -c . "${workflow}"
  local steps
  steps="$(yq -c '.jobs[].steps' "${workflow}")"
  local name count=0
  for name in $(cd "${KIT_ROOT}/exercises" && ls -d [0-9][0-9]-*); do
    jq -e --arg n "${name}" 'map(select(.uses == "classroom-resources/autograding-command-grader@v1"
      and .with["test-name"] == $n and .with.command == "checker/check \($n)")) | length == 1' <<<"${steps}"
    count=$((count + 1))
  done
  ((count == 10))
  jq -e 'map(select(.with["test-name"] == "03-lock-order-deadlock"))[0].with["max-score"] == 20' <<<"${steps}"
  jq -e 'map(select(.with["test-name"] == "01-lost-update"))[0].with["max-score"] == 10' <<<"${steps}"
  jq -e --argjson n "${count}" 'map(select(.uses == "classroom-resources/autograding-grading-reporter@v1"))[0]
    | (.with.runners | split(",") | length) == $n
    and (.env | keys | length) == $n and .env["EX-01-LOST-UPDATE_RESULTS"] == "${{steps.ex-01-lost-update.outputs.result}}"' \
    <<<"${steps}"
  [[ -x "${dir}/checker/check" && -f "${dir}/README.md" && ! -e "${dir}/solutions" ]]
}

@test "container: Debian 12, the kit's own setup (one package list), no solutions; the devcontainer uses it" {
  run -0 grep -E '^FROM debian:12$' "${KIT_ROOT}/Dockerfile"
  run -0 grep -F '/opt/race-kit/checker/setup' "${KIT_ROOT}/Dockerfile"
  run -1 grep -E 'apt-get[^\n]*install' "${KIT_ROOT}/Dockerfile"
  run -0 grep -Fx solutions "${KIT_ROOT}/.dockerignore"
  jq -e '.build.dockerfile == "../Dockerfile" and .build.context == ".."' "${KIT_ROOT}/.devcontainer/devcontainer.json"
}
