#!/usr/bin/env bats
# A student's loop: list, reset and diff on a copy of the kit (the commands
# change the kit's own exercise files), and verdicts that stream and say
# what comes next.

load test_helper

# A copy of the kit the test may change, without its git history.
setup() {
  COPY="$(copy_kit "${BATS_TEST_TMPDIR}/kit")"
  SHIPPED_KIT="${KIT_ROOT}"
  # The copy's checker works on the copy (common.bash honours KIT_ROOT).
  export KIT_ROOT="${COPY}"
  KIT_CHECK="${COPY}/checker/check"
}

use_solution() { # <exercise>
  cp "${KIT_ROOT}/solutions/$1/"*.c "${COPY}/exercises/$1/"
}

@test "list on a fresh kit shows every exercise not started and 01 next" {
  run -0 "${KIT_CHECK}" list
  assert_line "  · 01-lost-update             not started"
  assert_line "  · 10-dining-philosophers     not started"
  assert_line "[------------------------------] 0 of 10 exercises pass"
  assert_line --partial "Next: 01-lost-update ('checker/check lost-update'"
}

@test "list shows the last grading of each file as it is now, and never grades" {
  run -0 "${KIT_CHECK}" list
  use_solution 01-lost-update
  run -0 "${KIT_CHECK}" 01
  run -1 "${KIT_CHECK}" 02
  run -0 "${KIT_CHECK}" list
  assert_line "  ✓ 01-lost-update             passed"
  assert_line "  ✗ 02-shared-dest-file        failing"
  assert_line "  · 03-lock-order-deadlock     not started"
  assert_line "[###---------------------------] 1 of 10 exercises pass"
  assert_line --partial "Next: 02-shared-dest-file"
  # An edit since the last grading: its verdict no longer counts.
  echo "/* an edit */" >>"${COPY}/exercises/01-lost-update/database.c"
  run -0 "${KIT_CHECK}" list
  assert_line "  ~ 01-lost-update             changed"
}

@test "the verdicts are kept in the state directory, never in the kit" {
  local before
  before="$(find "${COPY}" -type f | sort | sha256sum)"
  run -1 "${KIT_CHECK}" 01
  run -0 "${KIT_CHECK}" list
  assert_equal "$(find "${COPY}" -type f | sort | sha256sum)" "${before}"
  run find "${XDG_STATE_HOME}/race-kit" -path '*/verdicts/*' -type f
  assert_equal "${#lines[@]}" 1
}

@test "diff shows what the student changed, shipped first, and exits 1" {
  run -0 "${KIT_CHECK}" diff 01
  assert_output "No changes: 01-lost-update is as shipped."
  sed -i 's/local_copy += 1;/local_copy += 2;/' "${COPY}/exercises/01-lost-update/database.c"
  run -1 "${KIT_CHECK}" diff lost-update
  assert_line "--- shipped 01-lost-update/database.c"
  assert_line "+++ yours 01-lost-update/database.c"
  assert_line "-    local_copy += 1;"
  assert_line "+    local_copy += 2;"
}

@test "reset puts the shipped file back, without git, and names the backup it kept" {
  run -0 "${KIT_CHECK}" list
  use_solution 01-lost-update
  local fixed="${BATS_TEST_TMPDIR}/fixed.c"
  cp "${COPY}/exercises/01-lost-update/database.c" "${fixed}"
  # No git on PATH: only the copy kept at the first run can restore it.
  mkdir -p "${BATS_TEST_TMPDIR}/bin"
  local tool
  for tool in bash jq cat cp cmp cksum cut date mkdir sha256sum basename dirname; do
    ln -s "$(command -v "${tool}")" "${BATS_TEST_TMPDIR}/bin/${tool}"
  done
  PATH="${BATS_TEST_TMPDIR}/bin" run -0 "${KIT_CHECK}" reset 01
  assert_line --regexp "^Your 01-lost-update/database.c is kept in .*/backups/01-lost-update/[0-9-]+/database.c$"
  assert_line "01-lost-update is back as shipped."
  cmp "${COPY}/exercises/01-lost-update/database.c" "${SHIPPED_KIT}/exercises/01-lost-update/database.c"
  local backup
  backup="$(sed -n 's/^Your .* is kept in //p' <<<"${output}")"
  cmp "${backup}" "${fixed}"
  run -0 "${KIT_CHECK}" reset 01
  assert_output "01-lost-update is already as shipped: nothing to reset."
}

@test "reset and diff of an unknown exercise are usage errors that list the choices" {
  run -2 "${KIT_CHECK}" reset typo
  assert_output --partial "unknown exercise 'typo'"
  run -2 "${KIT_CHECK}" diff
  assert_output --partial "usage: checker/check diff EXERCISE"
}

@test "verdicts print in the order given" {
  run -1 "${KIT_CHECK}" 03 01
  assert_line --index 0 --partial "✗ 03-lock-order-deadlock"
  run grep -n '^✗' <<<"${output}"
  assert_line --index 1 --partial "01-lost-update"
}

@test "a passing exercise says which one is next, and the seed line names the exercise" {
  use_solution 01-lost-update
  run -0 "${KIT_CHECK}" --seed 99 01
  assert_line "Next: 02-shared-dest-file. Read exercises/02-shared-dest-file/README.md,"
  assert_line "then 'checker/check shared-dest-file' (or 'make watch')."
  run -1 "${KIT_CHECK}" --seed 99 02
  assert_line --partial "(seed 99: 'checker/check --seed 99 shared-dest-file' repeats these runs)"
}

@test "hints can be read again from the first with --reset" {
  run -0 "${KIT_CHECK}" hint 01
  run -0 "${KIT_CHECK}" hint 01
  assert_line --index 0 "Hint 2 of 3 for 01-lost-update:"
  run -0 "${KIT_CHECK}" hint lost-update --reset
  assert_output "Hints for 01-lost-update start again from hint 1."
  run -0 "${KIT_CHECK}" hint 01
  assert_line --index 0 "Hint 1 of 3 for 01-lost-update:"
}
