#!/usr/bin/env bats
# The same submission gets the same verdict whatever toolchain grades it:
# reports as each supported Valgrind writes them, warnings that newer
# compilers turn into errors, library calls that newer headers rename, and
# the order in which compilers print their errors.

load test_helper

LIB="${KIT_ROOT}/checker/lib"
REPORTS="${BATS_TEST_DIRNAME}/fixtures/reports"

# The Helgrind findings of a recorded report, as the checker parses them.
helgrind_findings() { # <xml fixture>
  xsltproc "${LIB}/helgrind.xsl" "${REPORTS}/$1" |
    jq -R -s --arg srcdir "/tmp/race kit/src" -f "${LIB}/helgrind.jq" | jq -c .findings
}

# The verdict on a clean TSan run and one Helgrind run with these findings.
helgrind_status() { # <findings json>
  jq -n --argjson findings "$1" '{
    name: "09-condition-variable", title: "t", seed: 7, time_limit_seconds: 10,
    primitives: [], build: {passed: true, message: "compiles", evidence: ""},
    runs: [
      {analyzer: "tsan", params: {}, outcome: "exited", exit_code: 0, wall_ms: 40,
       finished: true, problems: [], stacks: "",
       analysis: {readable: true, complete: true, findings: []}},
      {analyzer: "helgrind", params: {}, outcome: "exited", exit_code: 0, wall_ms: 400,
       finished: true, problems: [], stacks: "",
       analysis: {readable: true, complete: true, findings: $findings}}]}' |
    jq -r -f "${LIB}/verdict.jq" | jq -r '.criteria[] | select(.id == "helgrind") | .status'
}

@test "a signal after unlocking is set aside alike as Valgrind 3.19's Misc and 3.24's Dubious" {
  local recording kind findings
  for recording in "hg-dubious-signal.xml Misc" "hg-dubious-signal-3.24.xml Dubious"; do
    read -r recording kind <<<"${recording}"
    findings="$(helgrind_findings "${recording}")"
    assert_equal "$(jq -r '.[0].kind' <<<"${findings}")" "${kind}"
    run -0 helgrind_status "${findings}"
    assert_output pass
  done
}

@test "a Dubious report about anything but signalling stays a failure" {
  local findings
  findings="$(jq -nc '[{analyzer: "helgrind", kind: "Dubious", category: "misuse",
    message: "Thread #2: something dubious happened", location: null, variable: null,
    accesses: [], cycle: [], text: ""}]')"
  run -0 helgrind_status "${findings}"
  assert_output fail
}

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
