#!/usr/bin/env bats
# The checker's command line: names, options, exit codes, output formats.

load test_helper

@test "--help prints the usage and exits 0" {
  run -0 "${CHECK}" --help
  assert_output --partial "Usage: checker/check [options] [EXERCISE...]"
  assert_output --partial "--submission DIR"
}

@test "--version prints the version and the tools it grades with, and exits 0" {
  run -0 "${CHECK}" --version
  assert_line --index 0 --regexp '^race-kit checker [0-9]+\.[0-9]+\.[0-9]+$'
  assert_line --regexp "^  clang +$(clang -dumpversion)\$"
  assert_line --regexp "^  gcc +$(gcc -dumpfullversion)\$"
  assert_line --regexp "^  valgrind +$(valgrind --version | sed 's/^valgrind-//')\$"
  assert_line --regexp "^  glibc +$(getconf GNU_LIBC_VERSION | sed 's/^glibc //')\$"
  assert_line --regexp "^  jq +$(jq --version | sed 's/^jq-//')\$"
  assert_line --regexp '^  libxslt +[0-9]+\.[0-9]+\.[0-9]+$'
}

@test "the JSON verdict names the toolchain that graded it" {
  run -0 "${CHECK}" --json --solutions 01
  jq -e --arg clang "$(clang -dumpversion)" --arg gcc "$(gcc -dumpfullversion)" \
    --arg valgrind "$(valgrind --version | sed 's/^valgrind-//')" '
    .toolchain | (.clang == $clang) and (.gcc == $gcc) and (.valgrind == $valgrind)
      and (.glibc | test("^[0-9]+\\.[0-9]+$")) and (.jq | type == "string") and (.kernel | length > 0)' <<<"${output}"
}

@test "an unknown exercise exits 2 and lists the valid choices" {
  run -2 "${CHECK}" no-such-exercise
  assert_output --partial "unknown exercise 'no-such-exercise'"
  assert_output --partial "Valid choices: 01-lost-update 02-shared-dest-file 03-lock-order-deadlock"
}

@test "a typo in an exercise name suggests the closest one" {
  run -2 "${CHECK}" lost-updte
  assert_output --partial "Did you mean '01-lost-update'?"
}

@test "an unknown option exits 2 and lists the valid options" {
  run -2 "${CHECK}" --jsno
  assert_output --partial "unknown option '--jsno'"
  assert_output --partial "--solutions"
}

@test "an option that needs a value says so" {
  run -2 "${CHECK}" --submission
  assert_output --partial "--submission needs a value"
}

@test "a submission directory that does not exist is a usage error" {
  run -2 "${CHECK}" --submission "${BATS_TEST_TMPDIR}/nowhere" 01
  assert_output --partial "no directory"
}

@test "a seed that is not a number is a usage error" {
  run -2 "${CHECK}" --seed abc 01
  assert_output --partial "--seed takes a whole number"
}

@test "an exercise can be named whole, without its number, or by its number" {
  local word
  for word in 01-lost-update lost-update 01 1; do
    run -0 "${KIT_ROOT}/checker/libexec/resolve-exercise" "${word}"
    assert_output "01-lost-update"
  done
}

# A PATH holding every command of this machine but the named ones.
path_without() { # <tool...>
  local bin="${BATS_TEST_TMPDIR}/bin" tool
  mkdir -p "${bin}"
  ln -s /usr/bin/* "${bin}/"
  for tool in "$@"; do
    rm -f "${bin}/${tool}"
  done
  printf '%s\n' "${bin}"
}

@test "a missing analyzer is an environment error (exit 3) naming the install command" {
  PATH="$(path_without valgrind)" run -3 "${CHECK}" --solutions 01
  assert_output --partial "missing tools: valgrind"
  assert_output --partial "sudo apt-get install -y valgrind"
}

@test "a missing clang is an environment error, never the student's failure" {
  PATH="$(path_without clang)" run -3 "${CHECK}" --json 01
  assert_output --partial "missing tools: clang"
  refute_output --partial '"passed"'
}

@test "--json prints the documented schema with the five criteria in order" {
  run -0 "${CHECK}" --json --solutions 01
  jq -e '
    (.passed | type == "number") and (.total | type == "number") and (.seed | type == "number")
    and (.exercises | length == 1)
    and (.exercises[0] | (.name == "01-lost-update") and (.passed == true))
    and ([.exercises[0].criteria[].id] == ["build", "tsan", "helgrind", "result", "completes"])
    and all(.exercises[0].criteria[]; (.passed | type == "boolean") and (.message | type == "string")
        and (.status | IN("pass", "fail", "skipped")))' <<<"${output}"
}

@test "text output has one line per exercise and a count, without colour when piped" {
  run -1 "${CHECK}" 01
  assert_line --index 0 --regexp '^✗ 01-lost-update'
  assert_output --partial "0 of 1 exercises pass"
  refute_output --partial $'\033['
}

@test "the same seed draws the same parameters" {
  run -0 "${CHECK}" --json --seed 4242 --solutions 01
  local first
  first="$(jq -c '[.exercises[].runs[].params]' <<<"${output}")"
  run -0 "${CHECK}" --json --seed 4242 --solutions 01
  assert_equal "$(jq -c '[.exercises[].runs[].params]' <<<"${output}")" "${first}"
}

@test "grading leaves the working copy untouched, no temp dirs and no processes behind" {
  local before after
  before="$(cd "${KIT_ROOT}" && find exercises/01-lost-update exercises/03-lock-order-deadlock -type f -exec cksum {} + | sort)"
  TMPDIR="${BATS_TEST_TMPDIR}/tmp"
  mkdir -p "${TMPDIR}"
  TMPDIR="${TMPDIR}" run -1 "${CHECK}" 01 03
  after="$(cd "${KIT_ROOT}" && find exercises/01-lost-update exercises/03-lock-order-deadlock -type f -exec cksum {} + | sort)"
  assert_equal "${after}" "${before}"
  run find "${BATS_TEST_TMPDIR}/tmp" -mindepth 1
  assert_output ""
  # Every graded program ran from under this TMPDIR: none may still run.
  run pgrep -f "${BATS_TEST_TMPDIR}/tmp/"
  assert_failure
}

@test "a grading leaves nothing in /tmp either, not even Valgrind's vgdb pipes" {
  # Analyzers write to /tmp whatever TMPDIR says: a private /tmp shows all they
  # leave.  The cache and the student's progress (XDG_STATE_HOME) are meant to stay.
  unshare --mount true 2>/dev/null || skip "needs a private mount namespace (root)"
  # The kit is bound outside /tmp first: a clone under /tmp would vanish.
  # shellcheck disable=SC2016 # expanded by the inner shell
  run unshare --mount sh -c '
    kit="/run/race-kit-test.$$"
    mkdir -p "${kit}" && mount --bind "$1" "${kit}" || exit 9
    mount -t tmpfs race-kit-tmp /tmp || exit 9
    mkdir /tmp/cache /tmp/state /tmp/tmpdir
    KIT_ROOT="${kit}" CHECKER_ROOT="${kit}/checker" RACE_KIT_CACHE=/tmp/cache XDG_STATE_HOME=/tmp/state \
      TMPDIR=/tmp/tmpdir "${kit}/checker/check" 03 >/dev/null 2>&1
    echo "exit=$?"
    find /tmp -mindepth 1 \( -path /tmp/cache -o -path /tmp/state \) -prune -o -print
    umount "${kit}" && rmdir "${kit}"' sh "${KIT_ROOT}"
  assert_output "exit=1
/tmp/tmpdir"
}

# True once a graded program has been started under DIR (a process runs a
# binary the grading built there; its files may be on a mount of the
# grading's own, out of this test's sight), waiting at most <seconds>: a
# signal sent then interrupts a grading in progress however fast the
# machine is.
wait_for_graded_program() { # <dir> <seconds>
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    pgrep -f "$1/.*/build/prog_(tsan|plain)" >/dev/null && return 0
    sleep 0.1
  done
  return 1
}

@test "an interrupted grading exits 130, says so, and leaves nothing behind" {
  local tmp="${BATS_TEST_TMPDIR}/tmp" out="${BATS_TEST_TMPDIR}/out" pid status=0
  mkdir -p "${tmp}"
  TMPDIR="${tmp}" "${CHECK}" 01 02 >"${out}" 2>&1 3>&- &
  pid=$!
  wait_for_graded_program "${tmp}" 120 || fail "no graded program started within 120 s: $(cat "${out}")"
  # SIGTERM: bats runs tests with SIGINT ignored, which a shell cannot trap.
  kill -TERM "${pid}"
  wait "${pid}" || status=$?
  assert_equal "${status}" 130
  run cat "${out}"
  assert_output --partial "Interrupted: no verdict was given"
  run find "${tmp}" -mindepth 1
  assert_output ""
  run pgrep -f "${tmp}/"
  assert_failure
}

@test "hint shows the next hint each time it is asked, then stays at the last" {
  local n
  for n in 1 2 3 3; do
    run -0 "${CHECK}" hint lost-update
    assert_line --index 0 "Hint ${n} of 3 for 01-lost-update:"
  done
  refute_output --partial "Still stuck?"
}

@test "hint N shows that hint, and a hint that does not exist is a usage error" {
  run -0 "${CHECK}" hint 02 2
  assert_line --index 0 "Hint 2 of 3 for 02-shared-dest-file:"
  assert_output --partial "Still stuck? 'checker/check hint shared-dest-file'"
  run -2 "${CHECK}" hint 02 4
  assert_output --partial "02-shared-dest-file has hints 1 to 3, not '4'"
  run -2 "${CHECK}" hint no-such-exercise
  assert_output --partial "unknown exercise"
}

@test "a failed check ends by pointing to the exercise's hints" {
  run -1 "${CHECK}" 03
  assert_output --partial "stuck?    'checker/check hint lock-order-deadlock' gives a hint"
}
