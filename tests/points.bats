#!/usr/bin/env bats
# The points rule, on the exercises' real failure patterns: partial credit
# counts only criteria the shipped program fails, so an untouched exercise
# (even disguised) never out-scores a real attempt.

load test_helper

SOLUTIONS="${KIT_ROOT}/solutions"
SHIPPED="${KIT_ROOT}/exercises"

write_points() { # <file>
  cat >"$1" <<'EOF'
{
  "default": {"points": 10, "partial": {"tsan": 3, "helgrind": 2, "result": 2, "completes": 2}},
  "exercises": {"01-lost-update": {"points": 20}}
}
EOF
}

setup_file() {
  export CLASS="${BATS_FILE_TMPDIR}/class" OUT="${BATS_FILE_TMPDIR}/out" POINTS="${BATS_FILE_TMPDIR}/points.json"
  write_points "${POINTS}"
  mkdir -p "${CLASS}"/{solved,hardcoded,halfway,renamed,broken,untouched}
  cp "${SOLUTIONS}/01-lost-update/database.c" "${SOLUTIONS}/02-shared-dest-file/data_service.c" "${CLASS}/solved/"
  cp "${FIXES}/01-lost-update/hard-coded-result/database.c" "${CLASS}/hardcoded/"
  cp "${FIXES}/01-lost-update/lock-around-write-only/database.c" "${CLASS}/halfway/"
  # The shipped bug with every name changed: not "untouched", yet no fix.
  sed 's/dest_file/target_name/g' "${SHIPPED}/02-shared-dest-file/data_service.c" >"${CLASS}/renamed/data_service.c"
  echo 'int broken = ;' >"${CLASS}/broken/data_service.c"
  cp "${SHIPPED}/01-lost-update/database.c" "${SHIPPED}/02-shared-dest-file/data_service.c" "${CLASS}/untouched/"
  "${CHECK}" class "${CLASS}" --out "${OUT}" --points "${POINTS}" --seed 11 01 02 >"${BATS_FILE_TMPDIR}/log" 2>&1 ||
    { cat "${BATS_FILE_TMPDIR}/log" >&3; return 1; }
}

score() { # <student> <exercise>
  jq -r --arg s "$1" --arg e "$2" '.students[] | select(.student == $s) | .scores[$e].score' "${OUT}/gradebook.json"
}

@test "points: a pass earns the exercise's points, its own or the default" {
  [[ "$(score solved 01-lost-update)" == 20 && "$(score solved 02-shared-dest-file)" == 10 ]]
  [[ "$(jq -r '.students[] | select(.student == "solved") | "\(.total)/\(.max)"' "${OUT}/gradebook.json")" == 30/30 ]]
}

@test "points: the shipped programs are graded once, and only what they fail can earn partial credit" {
  jq -e '."02-shared-dest-file" | index("completes") == null and index("tsan") != null' "${OUT}/reference.json"
  jq -e '."01-lost-update" | index("tsan") != null and index("result") != null' "${OUT}/reference.json"
}

@test "points: a fix that ends the race but fakes the result earns partial credit for the analyzers only" {
  # tsan earns 3; helgrind 2 more when Helgrind also caught the shipped race.
  local expected=3
  jq -e '."01-lost-update" | index("helgrind") != null' "${OUT}/reference.json" && expected=5
  [[ "$(score hardcoded 01-lost-update)" == "${expected}" ]]
  jq -e '.points.exercises[0] | .status == "partial" and (.note | test("^partial credit for tsan(, helgrind)?$"))' \
    "${OUT}/students/hardcoded/verdict.json"
}

@test "points: a fix that fails where the shipped file fails earns nothing for what it never broke" {
  # Passes build and completes (as the shipped program does), fails tsan and result.
  jq -e '.exercises[0].criteria | map(select(.status == "pass") | .id) | index("completes") != null' \
    "${OUT}/students/halfway/verdict.json"
  [[ "$(score halfway 01-lost-update)" == 0 ]]
}

@test "points: untouched, disguised untouched and a compile error all earn 0; no attempt ranks below them" {
  [[ "$(score untouched 01-lost-update)" == 0 && "$(score untouched 02-shared-dest-file)" == 0 ]]
  [[ "$(score renamed 02-shared-dest-file)" == 0 && "$(score broken 02-shared-dest-file)" == 0 ]]
  # Counting passed criteria would give the disguised copy 2 of 5 (build, completes).
  [[ "$(jq '[.exercises[0].criteria[] | select(.status == "pass")] | length' "${OUT}/students/renamed/verdict.json")" -ge 2 ]]
  local least
  least="$(jq '[.students[] | select(.student != "untouched" and .student != "renamed") | .total] | min' "${OUT}/gradebook.json")"
  (( least >= $(jq '.students[] | select(.student == "untouched") | .total' "${OUT}/gradebook.json") ))
}

refuse_points() { # <points json> <expected message>
  echo "$1" >"${BATS_TEST_TMPDIR}/p.json"
  run -2 "${CHECK}" class "${CLASS}" --out "${BATS_TEST_TMPDIR}/o" --points "${BATS_TEST_TMPDIR}/p.json" 01
  assert_output --partial "$2"
}

@test "points: a points file that is wrong is refused with the reason" {
  refuse_points '{"exercises": {"01-lost-update": {"points": 4, "partial": {"tsan": 4}}}}' \
    "partial credit (4) must stay below the exercise's points (4)"
  refuse_points '{"exercises": {"01-lost-update": {"points": 4, "partial": {"build": 1}}}}' \
    "partial credit can be given for tsan, helgrind, result, completes only"
  refuse_points '{"exercises": {"99-nothing": {"points": 4}}}' "no exercise named 99-nothing"
  refuse_points '{"exercises": ' "is not valid JSON"
}

@test "points: the same points file again regrades nobody" {
  run -0 "${CHECK}" class "${CLASS}" --out "${OUT}" --points "${POINTS}" --seed 11 01 02
  assert_output --partial "Graded 0 of 6 students now"
}
