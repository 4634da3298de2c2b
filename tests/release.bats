#!/usr/bin/env bats
# 'make student-release': what students get holds no solution, no fix
# fixture and no history, and its checker works from a fresh copy.

load test_helper

setup_file() {
  export RELEASE="${BATS_FILE_TMPDIR}/release"
  make -C "${KIT_ROOT}" --no-print-directory student-release DIR="${RELEASE}" >/dev/null
}

# Solution text: lines of the solutions (long enough to be their own, not
# "return 0;") found in none of the files students must get anyway (the
# shipped exercises and the checker).
trimmed_lines() { # <files...>
  sed 's/^[[:space:]]*//; s/[[:space:]]*$//' "$@"
}

solution_lines() {
  local -a shipped
  mapfile -t shipped < <(find "${KIT_ROOT}/exercises" "${KIT_ROOT}/checker" -type f)
  trimmed_lines "${KIT_ROOT}"/solutions/*/*.c | awk 'length >= 24' | sort -u |
    grep -vxF -f <(trimmed_lines "${shipped[@]}")
}

@test "release: no solutions, no tests or fix fixtures, one commit of history" {
  [[ ! -e "${RELEASE}/solutions" && ! -e "${RELEASE}/tests" && ! -e "${RELEASE}/instructor.mk" ]]
  [[ -x "${RELEASE}/checker/check" && -f "${RELEASE}/exercises/01-lost-update/database.c" ]]
  run -0 git -C "${RELEASE}" rev-list --all --count
  assert_output 1
  run -0 git -C "${RELEASE}" log --all --name-only --format=
  refute_output --partial solutions/
  refute_output --partial fixtures/fixes
}

@test "release: no line of any solution's fix appears in any file" {
  local -a lines
  mapfile -t lines < <(solution_lines)
  ((${#lines[@]} >= 10))
  local -a files
  mapfile -t files < <(find "${RELEASE}" -path "${RELEASE}/.git" -prune -o -type f -print)
  ((${#files[@]} > 50))
  run -1 grep -xF -f <(printf '%s\n' "${lines[@]}") <(trimmed_lines "${files[@]}")
}

@test "release: make help lists what works for students and not make solutions" {
  run -0 make -C "${RELEASE}" --no-print-directory help
  assert_output --partial "make check"
  refute_output --partial solutions
  refute_output --partial "make test"
}

@test "release: make check, hints and analyze work from a fresh copy" {
  local copy="${BATS_TEST_TMPDIR}/copy"
  git clone -q "${RELEASE}" "${copy}"
  cp "${KIT_ROOT}/solutions/01-lost-update/database.c" "${copy}/exercises/01-lost-update/"
  # As a student runs it: nothing of the instructor's kit in the environment.
  unset KIT_ROOT CHECKER_ROOT
  run -0 make -C "${copy}" --no-print-directory check EX=01
  assert_output --partial "✓ 01-lost-update"
  run -0 "${copy}/checker/check" hint 01 1
  assert_output --partial "Hint 1 of"
  cat >"${copy}/mine.c" <<'EOF'
#include <pthread.h>
#include <stdio.h>
static long counter;
static void *work(void *arg) { (void)arg; for (int i = 0; i < 1000; i++) counter++; return NULL; }
int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work, NULL);
  pthread_create(&b, NULL, work, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("%ld\n", counter);
  return 0;
}
EOF
  run -1 "${copy}/checker/check" analyze "${copy}/mine.c"
  assert_output --partial "data race"
}

@test "release: a folder that is not empty is refused and left alone" {
  mkdir -p "${BATS_TEST_TMPDIR}/full"
  echo keep >"${BATS_TEST_TMPDIR}/full/mine.txt"
  run -2 make -C "${KIT_ROOT}" --no-print-directory student-release DIR="${BATS_TEST_TMPDIR}/full"
  assert_output --partial "is not empty"
  [[ "$(ls "${BATS_TEST_TMPDIR}/full")" == mine.txt ]]
}
