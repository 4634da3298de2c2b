#!/usr/bin/env bats
# Editor support: compile_commands.json covers every exercise's C files
# with the include paths of a grading, so clangd finds the harness headers.

load test_helper

setup() {
  COPY="$(copy_kit "${BATS_TEST_TMPDIR}/kit")"
  export KIT_ROOT="${COPY}"
  run -0 "${COPY}/checker/check" editor
  DATABASE="${COPY}/compile_commands.json"
}

@test "the compile database has an entry for every student file and harness file" {
  local exercise file
  for exercise in "${COPY}"/exercises/*/; do
    while read -r file; do
      jq -e --arg f "${exercise}${file}" 'any(.[]; .file == $f)' "${DATABASE}" >/dev/null ||
        fail "no entry for ${exercise}${file}"
    done < <(jq -r '.student_files[]' "${exercise}exercise.json")
    jq -e --arg f "${exercise}harness/main.c" 'any(.[]; .file == $f)' "${DATABASE}" >/dev/null ||
      fail "no entry for ${exercise}harness/main.c"
  done
}

@test "every entry compiles as written, headers found" {
  local -a arguments
  local entry
  while read -r entry; do
    mapfile -t arguments < <(jq -r '.arguments[] | if . == "-c" then "-fsyntax-only" else . end' <<<"${entry}")
    run "${arguments[@]}"
    assert_success
    refute_output --partial "file not found"
  done < <(jq -c '.[]' "${DATABASE}")
}

@test "clangd checks a student file with no error" {
  command -v clangd >/dev/null || skip "clangd is not installed"
  cd "${COPY}/exercises/01-lost-update"
  run clangd --check=database.c
  assert_success
  assert_output --partial "All checks completed, 0 errors"
  refute_output --partial "'database.h' file not found"
}

@test "a grading of the kit's exercises writes the database when it is missing" {
  rm "${DATABASE}"
  run -1 "${COPY}/checker/check" 01
  assert [ -s "${DATABASE}" ]
}
