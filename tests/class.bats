#!/usr/bin/env bats
# 'checker/check class': every layout, odd student ids, resume, shards and
# merge, the gradebook.  The class is graded once (exercises 01 and 02) and
# the tests read its results; the resume and shard tests grade one exercise.

load test_helper

SOLUTIONS="${KIT_ROOT}/solutions"
SHIPPED="${KIT_ROOT}/exercises"

# A class of six: each layout, an untouched file, a compile error, a
# folder with no exercise file, and an id no shell would like.
make_class() { # <class dir>
  local class="$1"
  mkdir -p "${class}/alice/01-lost-update" "${class}/alice/02-shared-dest-file"
  cp "${SOLUTIONS}/01-lost-update/database.c" "${class}/alice/01-lost-update/"
  cp "${SHIPPED}/02-shared-dest-file/data_service.c" "${class}/alice/02-shared-dest-file/"
  mkdir -p "${class}/bob/exercises/01-lost-update" "${class}/bob/exercises/02-shared-dest-file"
  cp "${FIXES}/01-lost-update/lock-around-write-only/database.c" "${class}/bob/exercises/01-lost-update/"
  cp "${SOLUTIONS}/02-shared-dest-file/data_service.c" "${class}/bob/exercises/02-shared-dest-file/"
  mkdir -p "${class}/carol"
  cp "${SOLUTIONS}/01-lost-update/database.c" "${SOLUTIONS}/02-shared-dest-file/data_service.c" "${class}/carol/"
  mkdir -p "${class}/dave o'neil -rf \$(touch pwned)"
  echo 'int broken = ;' >"${class}/dave o'neil -rf \$(touch pwned)/database.c"
  mkdir -p "${class}/erin"
  echo 'my answers' >"${class}/erin/answers.txt"
  mkdir -p "${class}/frank"$'\n'$'\e[31m'
  { echo '/* my fix */'; cat "${SHIPPED}/02-shared-dest-file/data_service.c"; } >"${class}/frank"$'\n'$'\e[31m'/data_service.c
  echo 'not a student' >"${class}/README.txt"
}

setup_file() {
  export CLASS="${BATS_FILE_TMPDIR}/class" OUT="${BATS_FILE_TMPDIR}/out"
  make_class "${CLASS}"
  cd "${BATS_FILE_TMPDIR}" || return 1
  "${CHECK}" class "${CLASS}" --out "${OUT}" --seed 7 01 02 >"${BATS_FILE_TMPDIR}/first.log" 2>&1 ||
    { cat "${BATS_FILE_TMPDIR}/first.log" >&3; return 1; }
}

score() { # <student> <exercise> -> score/status
  jq -r --arg s "$1" --arg e "$2" '.students[] | select(.student == $s) | "\(.scores[$e].score)/\(.scores[$e].status)"' \
    "${OUT}/gradebook.json"
}

@test "class: each layout is mapped by file name and graded" {
  [[ "$(score alice 01-lost-update)" == 1/pass ]]
  [[ "$(score bob 01-lost-update)" == 0/fail ]]
  [[ "$(score bob 02-shared-dest-file)" == 1/pass ]]
  [[ "$(score carol 01-lost-update)" == 1/pass ]]
  [[ "$(score carol 02-shared-dest-file)" == 1/pass ]]
  [[ "$(jq -r .layout "${OUT}/students/alice/verdict.json")" == exercises ]]
  [[ "$(jq -r .layout "${OUT}/students/bob/verdict.json")" == kit ]]
  [[ "$(jq -r .layout "${OUT}/students/carol/verdict.json")" == flat ]]
}

@test "class: untouched (comments aside) and missing files earn 0 without being graded" {
  [[ "$(score alice 02-shared-dest-file)" == 0/untouched ]]
  [[ "$(score "frank"$'\n'$'\e[31m' 02-shared-dest-file)" == 0/untouched ]]
  [[ "$(score "dave o'neil -rf \$(touch pwned)" 02-shared-dest-file)" == 0/missing ]]
  [[ "$(jq '.exercises | length' "${OUT}/students/alice/verdict.json")" == 1 ]]
}

@test "class: a folder with no exercise file gets a clear error in the gradebook, not a silent 0" {
  run -0 grep '^"erin",0,0,0,2,"no exercise file found: put each file in NN-name/FILE' "${OUT}/gradebook.csv"
  run -0 grep -F 'README.txt: a file, not a student folder' "${BATS_FILE_TMPDIR}/first.log"
}

@test "class: odd student ids work, are never run, and are escaped on the terminal" {
  [[ ! -e "${BATS_FILE_TMPDIR}/pwned" && ! -e "${CLASS}/pwned" ]]
  [[ "$(score "dave o'neil -rf \$(touch pwned)" 01-lost-update)" == 0/fail ]]
  jq -e '.exercises[0].criteria[0] | .id == "build" and .status == "fail"' \
    "${OUT}/students/dave o'neil -rf \$(touch pwned)/verdict.json"
  run -1 grep -F $'\e' "${BATS_FILE_TMPDIR}/first.log"
  run -1 grep -F $'\e' "${OUT}/students/frank"$'\n'$'\e[31m'/feedback.txt
}

@test "class: gradebook.csv has one column per exercise and parses as CSV" {
  run -0 head -n 1 "${OUT}/gradebook.csv"
  assert_output '"student","01-lost-update","02-shared-dest-file","total","max","status"'
  run -0 python3 -c 'import csv, sys; rows = list(csv.reader(open(sys.argv[1], newline=""))); print(len(rows), {len(r) for r in rows})' \
    "${OUT}/gradebook.csv"
  assert_output '7 {6}'
  [[ "$(jq '.students | map(.student) | length' "${OUT}/gradebook.json")" == 6 ]]
  [[ "$(jq -r '.students[] | select(.student == "carol") | "\(.total)/\(.max)"' "${OUT}/gradebook.json")" == 2/2 ]]
}

@test "class: verdict.json keeps the checker's schema and adds who, what and how" {
  local verdict="${OUT}/students/bob/verdict.json"
  jq -e '.student == "bob" and (.submission_sha256 | test("^[0-9a-f]{64}$"))
    and .kit.version == "1.0.0" and (.kit.commit | length > 0) and (.kit.fingerprint | test("^[0-9a-f]{64}$"))
    and .seed == 7 and (.isolation | type == "object" or . == null) and (.graded_at | test("^[0-9T:-]+Z$")) and (.grading_seconds > 0) and has("isolation")
    and (.exercises | map(.name)) == ["01-lost-update", "02-shared-dest-file"]
    and (.exercises[0].criteria | map(.id)) == ["build", "tsan", "helgrind", "result", "completes"]' "${verdict}"
  run -0 cat "${OUT}/students/bob/feedback.txt"
  assert_output --partial "✗ 01-lost-update"
  assert_output --partial "points: 1 of 2"
  refute_output --partial $'\e['
}

@test "class: a run with nothing changed grades nobody; a changed file regrades only its student" {
  local out="${BATS_TEST_TMPDIR}/out" class="${BATS_TEST_TMPDIR}/class"
  mkdir -p "${class}/ann" "${class}/ben"
  cp "${SOLUTIONS}/01-lost-update/database.c" "${class}/ann/"
  cp "${FIXES}/01-lost-update/mutex-per-thread/database.c" "${class}/ben/"
  run -0 "${CHECK}" class "${class}" --out "${out}" 01
  assert_output --partial "Graded 2 of 2 students now"
  local before
  before="$(cat "${out}/students/ann/verdict.json")"
  run -0 "${CHECK}" class "${class}" --out "${out}" 01
  assert_output --partial "Graded 0 of 2 students now (2 unchanged since the last run)"
  [[ "$(cat "${out}/students/ann/verdict.json")" == "${before}" ]]
  cp "${SOLUTIONS}/01-lost-update/database.c" "${class}/ben/"
  run -0 "${CHECK}" class "${class}" --out "${out}" 01
  assert_output --partial "Graded 1 of 2 students now"
  [[ "$(cat "${out}/students/ann/verdict.json")" == "${before}" ]]
  run -0 grep -c grade-student "${out}/joblog"
  assert_output 1
  run -0 grep '^"ben",1,1,1,"graded"$' "${out}/gradebook.csv"
}

@test "class: an interrupted grading keeps every student already written" {
  local out="${BATS_TEST_TMPDIR}/out" class="${BATS_TEST_TMPDIR}/class"
  mkdir -p "${class}/ann" "${class}/ben"
  cp "${SOLUTIONS}/01-lost-update/database.c" "${class}/ann/"
  cp "${SOLUTIONS}/01-lost-update/database.c" "${class}/ben/"
  run -0 "${CHECK}" class "${class}" --out "${out}" --jobs 1 01
  echo '/* changed */ int x;' >>"${class}/ben/database.c"
  "${CHECK}" class "${class}" --out "${out}" --jobs 1 01 >/dev/null 2>&1 &
  local pid=$!
  sleep 1
  kill -TERM "${pid}"
  wait "${pid}" || true
  jq -e '.student == "ann" and .points.total == 1' "${out}/students/ann/verdict.json"
  jq -e '.student == "ben"' "${out}/students/ben/verdict.json"
  run -0 find "${out}/students" -maxdepth 1 -name '.*' ! -name .
  assert_output ''
}

@test "class: shards split the class deterministically and merge into one gradebook" {
  local class="${BATS_TEST_TMPDIR}/class" name
  for name in s1 s2 s3; do
    mkdir -p "${class}/${name}"
    echo 'int broken = ;' >"${class}/${name}/database.c"
  done
  run -0 "${CHECK}" class "${class}" --out "${BATS_TEST_TMPDIR}/a" --shard 1/2 --seed 3 01
  run -0 "${CHECK}" class "${class}" --out "${BATS_TEST_TMPDIR}/b" --shard 2/2 --seed 3 01
  [[ "$(jq -c '[.students[].student]' "${BATS_TEST_TMPDIR}/a/gradebook.json")" == '["s1","s3"]' ]]
  [[ "$(jq -c '[.students[].student]' "${BATS_TEST_TMPDIR}/b/gradebook.json")" == '["s2"]' ]]
  run -0 "${CHECK}" class --merge --out "${BATS_TEST_TMPDIR}/all" "${BATS_TEST_TMPDIR}/b" "${BATS_TEST_TMPDIR}/a"
  [[ "$(jq -c '[.students[].student]' "${BATS_TEST_TMPDIR}/all/gradebook.json")" == '["s1","s2","s3"]' ]]
  [[ -f "${BATS_TEST_TMPDIR}/all/students/s2/verdict.json" ]]
  run -2 "${CHECK}" class --merge --out "${BATS_TEST_TMPDIR}/twice" "${BATS_TEST_TMPDIR}/a" "${BATS_TEST_TMPDIR}/a"
  assert_output --partial "student s1 is in two shards"
  run -0 "${CHECK}" class "${class}" --out "${BATS_TEST_TMPDIR}/c" --shard 2/2 --seed 4 01
  run -2 "${CHECK}" class --merge --out "${BATS_TEST_TMPDIR}/mixed" "${BATS_TEST_TMPDIR}/a" "${BATS_TEST_TMPDIR}/c"
  assert_output --partial "was graded with another kit, points file, exercise list or seed"
}

@test "class: usage errors say what is wrong" {
  run -2 "${CHECK}" class "${BATS_TEST_TMPDIR}"
  assert_output --partial "say where the results go with --out OUT_DIR"
  run -2 "${CHECK}" class "${BATS_TEST_TMPDIR}" --out "${BATS_TEST_TMPDIR}/o" --shard 3/2
  assert_output --partial "--shard takes K/N with 1 <= K <= N"
  run -2 "${CHECK}" class "${BATS_TEST_TMPDIR}/nowhere" --out "${BATS_TEST_TMPDIR}/o"
  assert_output --partial "no folder"
  run -2 "${CHECK}" class "${BATS_TEST_TMPDIR}" --out "${BATS_TEST_TMPDIR}/o" --jobs 0
  assert_output --partial "--jobs takes a whole number above 0"
}

@test "class: a student id a spreadsheet would run as a formula is written as text" {
  run -0 jq -rn -L "${KIT_ROOT}/checker/lib" 'include "gradebook";
    {exercises: ["01"], students: [
      {student: "=HYPERLINK(\"http://x\")", scores: {"01": {score: 2}}, total: 2, max: 2, status: "graded"},
      {student: "@sum", scores: {}, total: 0, max: 2, status: "graded"},
      {student: "ann", scores: {}, total: 0, max: 2, status: "graded"}]} | csv'
  assert_line --index 1 '"'"'"'=HYPERLINK(""http://x"")",2,2,2,"graded"'
  assert_line --index 2 '"'"'"'@sum",0,0,2,"graded"'
  assert_line --index 3 '"ann",0,0,2,"graded"'
}
