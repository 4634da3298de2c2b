#!/usr/bin/env bats
# The same submission gets the same verdict whatever toolchain grades it:
# reports as each supported Valgrind writes them, warnings that newer
# compilers turn into errors, library calls that newer headers rename, and
# the order in which compilers print their errors.

load test_helper

LIB="${KIT_ROOT}/checker/lib"

# A fix of 01 made of the reference solution's code with <text> appended.
solution_with() { # <text>
  local dir="${BATS_TEST_TMPDIR}/fix"
  mkdir -p "${dir}"
  {
    printf '#include "database.h"\n#include <pthread.h>\n#include <stdio.h>\n#include <stdlib.h>\n'
    printf 'static long value;\nstatic pthread_mutex_t value_lock = PTHREAD_MUTEX_INITIALIZER;\n'
    printf 'void database_update(void)\n{\n    pthread_mutex_lock(&value_lock);\n'
    printf '    long copy = value;\n    simulated_delay();\n    value = copy + 1;\n'
    printf '    pthread_mutex_unlock(&value_lock);\n}\n'
    printf 'long database_value(void)\n{\n    return value;\n}\n'
    printf '%s\n' "$1"
  } >"${dir}/database.c"
  printf '%s\n' "${dir}"
}

grade_01() { # <fix dir> ; the JSON verdict lands in $output
  local submission
  submission="$(make_submission 01-lost-update "$1")"
  run "${CHECK}" --json --submission "${submission}" 01
}

@test "a compile failure names the first error the compiler printed, not the first as text" {
  # 20 lines of code above: line 19's error comes first; sorted as text, line 108's would.
  local fix gap
  printf -v gap '%*s' 89 ''
  fix="$(solution_with "int first_error = undeclared_first;${gap// /$'\n'}int second_error = undeclared_second;")"
  grade_01 "${fix}"
  assert_criterion 01-lost-update build fail
  local message
  message="$(criterion_message "${output}" 01-lost-update build)"
  [[ "${message}" == "does not compile: database.c:19:"*undeclared_first* ]] || fail "${message}"
}

# --- what graded code may call, whatever the headers rename ----------------

# The checker's own symbol rules on one student file compiled with these
# flags (as if it were 01's database.c), one problem per line.
symbol_problems_of() { # <C file> [compiler flags...]
  WORK="${BATS_TEST_TMPDIR}/work" EXERCISE_DIR="${KIT_ROOT}/exercises/01-lost-update" bash -c '
    set -e
    source "${KIT_ROOT}/checker/lib/common.bash"
    source "${KIT_ROOT}/checker/lib/build.bash"
    mkdir -p "${WORK}/src" "${WORK}/build/student" "${WORK}/build/harness"
    cp "$1" "${WORK}/src/database.c"
    shift
    cd "${WORK}/src"
    gcc -g -pthread "$@" -I "${EXERCISE_DIR}/harness" -c database.c -o "${WORK}/build/student/database.o"
    symbol_problems' sh "$@"
}

write_program() { # <path> ; the C source on standard input
  cat >"$1"
}

# Timed waits with their deadline, and error reports, as the handouts allow.
write_timed_waits_and_errors() { # <path>
  write_program "$1" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static sem_t slots;

long wait_a_second(const char *text, char *copy)
{
    struct timespec deadline;
    if (clock_gettime(CLOCK_REALTIME, &deadline) != 0)
        perror("clock_gettime");
    deadline.tv_sec += 1;
    pthread_mutex_lock(&lock);
    int rc = pthread_cond_timedwait(&ready, &lock, &deadline);
    if (rc != 0 && rc != ETIMEDOUT)
        fprintf(stderr, "pthread_cond_timedwait: %s\n", strerror(rc));
    pthread_mutex_unlock(&lock);
    if (sem_timedwait(&slots, &deadline) != 0 && errno != ETIMEDOUT)
        perror("sem_timedwait");
    strcpy(copy, text);
    printf("%s\n", copy);
    return strtol(text, NULL, 10);
}
C
}

@test "timed waits, their clock_gettime deadline, perror and strerror are allowed, however built" {
  local program="${BATS_TEST_TMPDIR}/timed.c" flags
  write_timed_waits_and_errors "${program}"
  # As graded; with _FORTIFY_SOURCE's __*_chk calls; as C23, where glibc 2.38+ renames strtol.
  for flags in "-O0" "-O1 -D_FORTIFY_SOURCE=2" "-O0 -std=gnu2x"; do
    # shellcheck disable=SC2086 # one word per flag
    run -0 symbol_problems_of "${program}" ${flags}
    assert_output ""
  done
}

@test "calls renamed by newer headers are judged as the call written, allowed or not" {
  local program="${BATS_TEST_TMPDIR}/renamed.c"
  # What glibc 2.38+ (C23), _FORTIFY_SOURCE, large files and 64-bit time
  # put in place of strtol, sscanf, printf, nanosleep, fopen and read.
  write_program "${program}" <<'C'
struct timespec;
typedef struct file FILE;
long strtol(const char *, char **, int) __asm__("__isoc23_strtol");
int sscanf(const char *, const char *, ...) __asm__("__isoc99_sscanf");
int print(int, const char *, ...) __asm__("__printf_chk");
int nap(const struct timespec *, struct timespec *) __asm__("__nanosleep64");
long strerror_r(int, char *, unsigned long) __asm__("__xpg_strerror_r");
FILE *fopen(const char *, const char *) __asm__("fopen64");
long read_checked(int, void *, unsigned long, unsigned long) __asm__("__read_chk");

long renamed(const char *text, char *buffer)
{
    int n = 0;
    sscanf(text, "%d", &n);
    print(1, "%d\n", n);
    nap(0, 0);
    strerror_r(n, buffer, 8);
    if (fopen(text, "r") == 0)
        return strtol(text, 0, 10);
    return read_checked(0, buffer, 8, 8);
}
C
  run -0 symbol_problems_of "${program}"
  assert_output "database.c:18	calls fopen: graded code has no files of its own: print with printf or fprintf(stderr, ...), or the harness's trace()
database.c:20	calls read: graded code reads no files: work on the data the harness passes you"
}

@test "a fix with a timed wait and error reports passes build end to end" {
  local fix="${BATS_TEST_TMPDIR}/fix"
  mkdir -p "${fix}"
  write_timed_waits_and_errors "${BATS_TEST_TMPDIR}/timed.c"
  # 01's reference solution, plus the timed wait (never called by the harness).
  cat "${KIT_ROOT}/solutions/01-lost-update/database.c" >"${fix}/database.c"
  sed -n '/^static pthread_cond_t/,$p' "${BATS_TEST_TMPDIR}/timed.c" |
    sed 's/^long wait_a_second/static long __attribute__((unused)) wait_a_second/; s/&lock/\&value_lock/g' \
      >>"${fix}/database.c"
  sed -i '1i #include <errno.h>\n#include <semaphore.h>\n#include <string.h>\n#include <time.h>' "${fix}/database.c"
  grade_01 "${fix}"
  assert_criterion 01-lost-update build pass
}

@test "a refused call says what, where, and what to use instead" {
  local fix
  fix="$(solution_with 'int roll(void) { return rand() % 6; }')"
  grade_01 "${fix}"
  assert_criterion 01-lost-update build fail
  local message
  message="$(criterion_message "${output}" 01-lost-update build)"
  [[ "${message}" == "not allowed: database.c:19 calls rand: it shares one hidden state between threads: use rand_r(&seed)"* ]] ||
    fail "${message}"
  [[ "${message}" == *"checker/lib/allowed-calls.txt"* ]] || fail "${message}"
}

# --- warnings that newer compilers made errors are errors everywhere -------

# shellcheck disable=SC2030 # bats runs each test in a subshell of its own
@test "every flag of the error rule is accepted by both compilers at hand" {
  local flag compiler
  local -a flags
  read -r -a flags <"${LIB}/error-flags"
  for flag in "${flags[@]}"; do
    for compiler in gcc clang; do
      "${compiler}" "${flag}" -Werror -fsyntax-only -x c /dev/null 2>/dev/null ||
        fail "${compiler} $(${compiler} -dumpversion) does not accept ${flag}"
    done
  done
}

# Each mistake gcc 14 and clang 16 refuse, at line 19 of a fix of 01.
# shellcheck disable=SC2031 # grade_01's run sets $output
assert_build_error() { # <C line> <words of the compiler's message>
  local fix message
  fix="$(solution_with "$1")"
  grade_01 "${fix}"
  message="$(criterion_message "${output}" 01-lost-update build)"
  [[ "$(criterion_status "${output}" 01-lost-update build)" == fail &&
     "${message}" == "does not compile: database.c:19:"*"$2"* ]] ||
    fail "'$1' should fail build with '$2' on every compiler: ${message}"
}

@test "a call to an undeclared function fails build on every compiler (implicit declaration)" {
  assert_build_error 'unsigned long length(const char *s) { return strlen(s); }' "strlen"
}

@test "a thread function of the wrong type fails build on every compiler (incompatible pointers)" {
  assert_build_error 'static void worker(void *arg) { (void)arg; } int start(pthread_t *t) { return pthread_create(t, 0, worker, 0); }' \
    "pthread_create"
}

@test "an integer used as a pointer fails build on every compiler (int conversion)" {
  assert_build_error 'long *where(void) { long *p = value; return p; }' "int"
}

@test "a declaration without a type fails build on every compiler (implicit int)" {
  assert_build_error 'static counter = 0; int get(void) { return counter; }' "counter"
}

@test "a return that does not match its function fails build on every compiler" {
  assert_build_error 'void nothing(void) { return 1; }' "return"
}

@test "a parameter without a type fails build on every compiler" {
  assert_build_error 'void untyped(count);' "parameter"
}

# --- one list of what is allowed, which every handout points to ------------

# The function names a handout's "Your code may call" paragraph mentions,
# other than what the exercise's harness declares.
# shellcheck disable=SC2016 # backquotes of Markdown, not of the shell
handout_named_calls() { # <exercise dir>
  awk -v RS= '/allowed-calls\.txt/' "$1/README.md" |
    grep -oE '`[a-z_][a-z0-9_]*(\(\))?`' | tr -d '`()' | sort -u |
    while read -r name; do
      grep -qwE "${name}" "$1"/harness/*.h || printf '%s\n' "${name}"
    done
}

# True when the kit's list or the exercise's own additions allow <name>.
# shellcheck disable=SC2053 # the list's names are globs
allowed_in() { # <exercise dir> <name>
  local pattern
  while read -r pattern; do
    [[ "$2" == ${pattern} ]] && return 0
  done < <(awk '!/^(#|!)/ && NF { print $1 }' "${LIB}/allowed-calls.txt"; jq -r '.allowed_calls[]' "$1/exercise.json")
  return 1
}

@test "every handout points to the one list, and every call it names is allowed" {
  local exercise name found
  for exercise in "${KIT_ROOT}"/exercises/*/; do
    grep -q 'checker/lib/allowed-calls.txt' "${exercise}/README.md" ||
      fail "${exercise}README.md does not point to checker/lib/allowed-calls.txt"
    found=0
    while read -r name; do
      found=$((found + 1))
      allowed_in "${exercise}" "${name}" ||
        fail "$(basename "${exercise}") handout allows ${name}, which the checker refuses"
    done < <(handout_named_calls "${exercise}")
    ((found >= 5)) || fail "$(basename "${exercise}"): only ${found} calls named in its handout's paragraph"
  done
}

# --- the parsers on what this machine's analyzers write now -----------------

@test "the parser tests pass on reports recorded now, with this machine's analyzers" {
  local fresh="${BATS_TEST_TMPDIR}/reports"
  run -0 "${BATS_TEST_DIRNAME}/fixtures/reports/record.sh" --into "${fresh}"
  # A format change shows here as the parser tests that fail, by name.
  PARSER_REPORTS="${fresh}" run -0 bats "${BATS_TEST_DIRNAME}/parsers.bats"
  refute_output --partial "not ok"
}
