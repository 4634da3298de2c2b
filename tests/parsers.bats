#!/usr/bin/env bats
# Tests of the report parsers: checker/lib/tsan.jq, and checker/lib/helgrind.xsl
# with checker/lib/helgrind.jq.
#
# Most tests read real reports recorded by tests/fixtures/reports/record.sh,
# which builds the programs in RECORDED_SRCDIR (a path with a space, on
# purpose).  Only stable fields are checked: kinds, categories, files, lines,
# functions, variables, thread ids and ops; never addresses or pids.  The
# "live" tests build and run a fresh program and parse its real report.

bats_require_minimum_version 1.5.0

# PARSER_REPORTS=DIR reads the reports record.sh --into DIR made with this
# machine's tools instead of the shipped ones (tests/toolchains.bats does).
if [[ -n "${PARSER_REPORTS:-}" ]]; then
  readonly RECORDED_SRCDIR="${PARSER_REPORTS}/race kit/src"
else
  readonly RECORDED_SRCDIR="/tmp/race kit/src"
fi

setup() {
  bats_load_library bats-support
  bats_load_library bats-assert
  LIB="$(cd "${BATS_TEST_DIRNAME}/../checker/lib" && pwd)"
  SHIPPED="${BATS_TEST_DIRNAME}/fixtures/reports"
  FIXTURES="${PARSER_REPORTS:-${SHIPPED}}"
}

# ---------------------------------------------------------------- helpers

# The live tests record for themselves: once per suite is enough.
live_only() {
  [[ -z "${PARSER_REPORTS:-}" ]] || skip "ran with the shipped recordings"
}

parse_tsan() { # <srcdir> <log>... ; the JSON lands in $output
  run -0 jq -R -s -L "${LIB}" --arg srcdir "$1" -f "${LIB}/tsan.jq" "${@:2}"
}

# The caller's pipeline: xsltproc must succeed before its lines count.
helgrind_pipeline() { # <srcdir> <xml file>
  set -o pipefail
  xsltproc "${LIB}/helgrind.xsl" "$2" | jq -R -s -L "${LIB}" --arg srcdir "$1" -f "${LIB}/helgrind.jq"
}

parse_helgrind() { # <srcdir> <xml file> ; the JSON lands in $output
  run -0 --separate-stderr helgrind_pipeline "$1" "$2"
}

tsan_fixture() { # <fixture name without .log>
  parse_tsan "${RECORDED_SRCDIR}" "${FIXTURES}/$1.log"
}

helgrind_fixture() { # <fixture name without .xml>
  parse_helgrind "${RECORDED_SRCDIR}" "${FIXTURES}/$1.xml"
}

# Passes when the jq filter is true of $output; shows both when it is not.
expect() { # <jq filter>
  if ! jq -e "$1" <<<"${output}" >/dev/null; then
    printf 'expected: %s\nin:\n' "$1"
    jq . <<<"${output}"
    return 1
  fi
}

# Every finding has exactly the schema's keys, with values of the right shape.
expect_schema() { # <analyzer>
  expect "(.complete | type == \"boolean\") and (.findings | type == \"array\")"
  expect "all(.findings[];
    (keys == [\"accesses\",\"analyzer\",\"category\",\"cycle\",\"kind\",\"location\",\"message\",\"mutexes\",\"text\",\"variable\"])
    and .analyzer == \"$1\"
    and (.category | IN(\"race\", \"lock-order\", \"misuse\", \"leak\", \"other\"))
    and (.message | type == \"string\" and length > 0)
    and (.location == null or (.location | keys == [\"file\",\"function\",\"line\"]))
    and (.variable == null or (.variable | type == \"string\"))
    and all(.accesses[]; keys == [\"file\",\"function\",\"line\",\"locks\",\"name\",\"op\",\"size\",\"thread\"])
    and all(.cycle[]; keys - [\"acquires_address\",\"holding_address\"] == [\"acquires\",\"file\",\"function\",\"holding\",\"line\",\"name\",\"thread\"])
    and (.text | split(\"\n\") | length <= 40))"
}

# TSan aborts on kernels with 30+ bits of mmap randomness; running without
# address randomisation avoids that (see shared notes on the analyzers).
run_under_tsan() { # <log path prefix> <program>
  TSAN_OPTIONS="log_path=$1" setarch "$(uname -m)" -R "$2"
}

require() { # <command>...
  local tool
  for tool in "$@"; do
    command -v "${tool}" >/dev/null || skip "${tool} is not installed"
  done
}

# A small program with one race on a global at a known line (13).
write_racy_program() { # <path of the .c file>
  cat >"$1" <<'EOF'
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static long balance;

static void *deposit(void *arg)
{
    long amount = (long)arg;

    usleep(10 * 1000);
    long seen = balance;
    balance = seen + amount;
    return NULL;
}

int main(void)
{
    pthread_t a;
    pthread_t b;

    if (pthread_create(&a, NULL, deposit, (void *)1L) != 0 ||
        pthread_create(&b, NULL, deposit, (void *)2L) != 0)
        return 1;
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("balance=%ld\n", balance);
    return 0;
}
EOF
}

# ---------------------------------------------------------------- TSan

@test "tsan: a race on a global names the variable, both threads and the line in each" {
  tsan_fixture tsan-global-race
  expect '.complete == true and (.findings | length) == 1'
  expect '.findings[0] | .kind == "data race" and .category == "race"'
  expect '.findings[0].variable == "global '\''counter'\''"'
  expect '.findings[0].location == {file: "tsan-global-race.c", line: 15, function: "bump"}'
  # Either thread may run first, so the order of the two sides is not fixed.
  expect '[.findings[0].accesses[] | .thread] | sort == ["T1", "T2"]'
  expect 'all(.findings[0].accesses[];
              [.op, .size, .file, .line, .function, .locks] == ["write", 4, "tsan-global-race.c", 15, "bump", []])'
  expect '.findings[0].message
          | test("^data race on global '\''counter'\'': write by thread [12] at tsan-global-race.c:15 in bump, previous write by thread [12] at tsan-global-race.c:15 in bump$")'
  expect '.findings[0].cycle == []'
}

@test "tsan: a race on a heap block names its size and where it was allocated, and calls the main thread T0" {
  tsan_fixture tsan-heap-race
  expect '.findings[0].variable == "heap block of size 8 allocated at tsan-heap-race.c:22 in main"'
  expect '[.findings[0].accesses[] | [.thread, .op, .line, .function]] | sort
          == [["T0", "write", 29, "main"], ["T1", "write", 15, "fill"]]'
  expect '.findings[0].message | contains("write by main thread at tsan-heap-race.c:29 in main")'
}

@test "tsan: a race where one side holds a mutex lists the mutex for that side only" {
  tsan_fixture tsan-one-side-locked
  expect '.findings[0].variable == "global '\''total'\''"'
  expect '[.findings[0].accesses[] | [.thread, .function, .locks]]
          == [["T2", "careless", []], ["T1", "careful", ["M0"]]]'
  expect '.findings[0].message | contains("previous write by thread 1 holding the mutex locked at tsan-one-side-locked.c:37 at tsan-one-side-locked.c:19 in careful")'
}

@test "tsan: a separate Mutexes line adds its mutexes to the access above it" {
  sed -e 's/ by thread T1 (mutexes: write M0):$/ by thread T1:/' \
      -e '/^  Previous write/i\  Mutexes: write M3 (0x7b0c00000000)' \
    "${FIXTURES}/tsan-one-side-locked.log" >"${BATS_TEST_TMPDIR}/mutexes-line.log"
  parse_tsan "${RECORDED_SRCDIR}" "${BATS_TEST_TMPDIR}/mutexes-line.log"
  expect '[.findings[0].accesses[] | .locks] == [["M3"], []]'
}

@test "tsan: an atomic write racing with a plain read keeps the atomic op and the stack location" {
  tsan_fixture tsan-atomic-race
  expect '[.findings[0].accesses[] | .op] == ["read", "atomic write"]'
  expect '.findings[0].variable == "stack of main thread"'
}

@test "tsan: a lock-order inversion gives one cycle edge per thread at the student's lock call" {
  tsan_fixture tsan-lock-order
  expect '(.findings | length) == 1'
  expect '.findings[0] | .kind == "lock-order-inversion (potential deadlock)" and .category == "lock-order"'
  expect '[.findings[0].cycle[] | del(.holding_address, .acquires_address)]
          == [{thread: "T1", name: null, holding: "M0", acquires: "M1", file: "tsan-lock-order.c", line: 20, function: "a_then_b"},
              {thread: "T2", name: null, holding: "M1", acquires: "M0", file: "tsan-lock-order.c", line: 31, function: "b_then_a"}]'
  # Addresses change with every recording: only how the two edges share them is stable.
  # shellcheck disable=SC2016 # jq variables
  expect '.findings[0].cycle as [$first, $second]
          | ($first.holding_address | test("^0x[0-9a-f]+$")) and ($first.acquires_address | test("^0x[0-9a-f]+$"))
            and $first.holding_address != $first.acquires_address
            and $second.holding_address == $first.acquires_address and $second.acquires_address == $first.holding_address'
  expect '.findings[0].location == {file: "tsan-lock-order.c", line: 20, function: "a_then_b"}'
  expect '.findings[0].accesses == [] and (.findings[0].message | contains("thread 1 takes the mutex locked at tsan-lock-order.c:20 while holding the mutex locked at tsan-lock-order.c:31"))'
}

@test "tsan: the extra stacks of second_deadlock_stack=1 do not change the cycle" {
  tsan_fixture tsan-lock-order-second-stack
  expect '[.findings[0].cycle[] | [.thread, .holding, .acquires, .line]]
          == [["T1", "M0", "M1", 20], ["T2", "M1", "M0", 31]]'
}

@test "tsan: a thread leak points at the pthread_create call in main" {
  tsan_fixture tsan-thread-leak
  expect '.findings[0] | .kind == "thread leak" and .category == "leak"'
  expect '.findings[0].location == {file: "tsan-thread-leak.c", line: 20, function: "main"}'
  expect '.findings[0].message | contains("thread 1 created by main thread at tsan-thread-leak.c:20 in main")'
}

@test "tsan: unlocking an unlocked mutex is misuse at the unlock call in main" {
  tsan_fixture tsan-unlock-unlocked
  expect '.findings[0].kind == "unlock of an unlocked mutex (or by a wrong thread)"'
  expect '.findings[0].category == "misuse" and .findings[0].variable == "global '\''door'\''"'
  expect '.findings[0].location == {file: "tsan-unlock-unlocked.c", line: 14, function: "main"}'
}

@test "tsan: destroying a locked mutex is misuse that names the mutex" {
  tsan_fixture tsan-destroy-locked
  expect '.findings[0] | .kind == "destroy of a locked mutex" and .category == "misuse"'
  expect '.findings[0].location == {file: "tsan-destroy-locked.c", line: 15, function: "main"}'
  expect '.findings[0].message == "destroy of a locked mutex: global '\''door'\'' at tsan-destroy-locked.c:15 in main"'
}

@test "tsan: a heap-use-after-free is a race against the free in main" {
  tsan_fixture tsan-use-after-free
  expect '.findings[0] | .kind == "heap-use-after-free" and .category == "race"'
  expect '[.findings[0].accesses[] | [.thread, .op, .line, .function]]
          == [["T1", "write", 18, "late_writer"], ["T0", "write", 31, "main"]]'
  expect '.findings[0].message | contains("after free by main thread at tsan-use-after-free.c:31 in main")'
}

@test "tsan: a deadly signal is a finding of category other at the faulting line" {
  tsan_fixture tsan-segv
  expect '.complete and (.findings | length) == 1'
  expect '.findings[0] | .kind == "SEGV on unknown address" and .category == "other"'
  expect '.findings[0].location == {file: "tsan-segv.c", line: 14, function: "worker"}'
}

@test "tsan: two reports in one log come out as two findings" {
  tsan_fixture tsan-two-races
  expect '.complete and (.findings | length) == 2'
  expect '[.findings[] | [.variable, (.accesses | map(.thread) | sort)]] | sort
          == [["global '\''hits'\''", ["T1", "T2"]], ["global '\''misses'\''", ["T3", "T4"]]]'
}

@test "tsan: logs of several processes read together keep their reports apart" {
  # Each log ends without a newline, so the files run into each other.
  parse_tsan "${RECORDED_SRCDIR}" "${FIXTURES}/tsan-global-race.log" \
    "${FIXTURES}/tsan-segv.log" "${FIXTURES}/tsan-thread-leak.log"
  expect '.complete'
  expect '[.findings[].kind] == ["data race", "SEGV on unknown address", "thread leak"]'
}

@test "tsan: an empty log is complete and has no findings" {
  parse_tsan "${RECORDED_SRCDIR}" /dev/null
  expect '. == {complete: true, findings: []}'
}

@test "tsan: a log cut off inside a report is incomplete but keeps what was read" {
  tsan_fixture tsan-global-race-truncated
  expect '.complete == false'
  expect '.findings[0].kind == "data race" and .findings[0].location.line == 15'
}

@test "tsan: a cut-off log followed by a whole one is still incomplete" {
  parse_tsan "${RECORDED_SRCDIR}" "${FIXTURES}/tsan-global-race-truncated.log" "${FIXTURES}/tsan-thread-leak.log"
  expect '.complete == false and [.findings[].kind] == ["data race", "thread leak"]'
}

@test "tsan: a report whose closing rule is missing after SUMMARY is incomplete" {
  head -n -2 "${FIXTURES}/tsan-global-race.log" >"${BATS_TEST_TMPDIR}/cut.log"
  run -0 tail -n 1 "${BATS_TEST_TMPDIR}/cut.log"
  assert_output --partial 'SUMMARY: ThreadSanitizer: data race'
  parse_tsan "${RECORDED_SRCDIR}" "${BATS_TEST_TMPDIR}/cut.log"
  expect '.complete == false'
}

@test "tsan: srcdir with or without a trailing slash gives the same findings" {
  parse_tsan "${RECORDED_SRCDIR}" "${FIXTURES}/tsan-two-races.log"
  local plain="${output}"
  parse_tsan "${RECORDED_SRCDIR}//" "${FIXTURES}/tsan-two-races.log"
  assert_equal "${output}" "${plain}"
}

@test "tsan: files outside srcdir, or under a mere prefix of it, are shown as printed" {
  parse_tsan "${RECORDED_SRCDIR%/src}/sr" "${FIXTURES}/tsan-global-race.log"
  expect ".findings[0].location.file == \"${RECORDED_SRCDIR}/tsan-global-race.c\""
  expect ".findings[0].accesses[0].file == \"${RECORDED_SRCDIR}/tsan-global-race.c\""
}

@test "tsan: evidence text keeps addresses and stops at 40 lines" {
  tsan_fixture tsan-global-race
  expect '.findings[0].text | startswith("WARNING: ThreadSanitizer: data race (pid=")'
  expect '.findings[0].text | test("Write of size 4 at 0x[0-9a-f]+ by thread T[12]")'
  # The same report with 60 extra frames in its first stack.
  awk '{ print } /^    #0 bump/ && !done { for (i = 1; i <= 60; i++) print "    #" i " caller /elsewhere/lib.c:" i ":1 (lib+0x1)"; done = 1 }' \
    "${FIXTURES}/tsan-global-race.log" >"${BATS_TEST_TMPDIR}/long.log"
  parse_tsan "${RECORDED_SRCDIR}" "${BATS_TEST_TMPDIR}/long.log"
  expect '.findings[0].text | split("\n") | length == 40 and (last | test("more lines"))'
  expect '.findings[0].location.file == "tsan-global-race.c"'
}

@test "tsan: every recorded log gives findings with exactly the schema keys" {
  local log
  for log in "${FIXTURES}"/tsan-*.log; do
    parse_tsan "${RECORDED_SRCDIR}" "${log}"
    expect_schema tsan
  done
}

# ---------------------------------------------------------------- Helgrind

@test "helgrind: a race gives one finding per racing access with both threads and the global" {
  helgrind_fixture hg-race
  expect '.complete == true and (.findings | length) == 2'
  expect 'all(.findings[]; .kind == "Race" and .category == "race" and .variable == "global '\''total'\''")'
  expect '[.findings[].accesses | map([.thread, .op, .size, .file, .line, .function])]
          == [[["#3", "read", 8, "hg-race.c", 28, "careless"], ["#2", "write", 8, "hg-race.c", 19, "careful"]],
              [["#3", "write", 8, "hg-race.c", 28, "careless"], ["#2", "write", 8, "hg-race.c", 19, "careful"]]]'
  expect '.findings[0].location == {file: "hg-race.c", line: 28, function: "careless"}'
  expect '.findings[0].message == "data race on global '\''total'\'': read by thread 2 at hg-race.c:28 in careless, previous write by thread 1 at hg-race.c:19 in careful"'
}

@test "helgrind: a lock-order violation gives the violating edge and the one that set the order" {
  helgrind_fixture hg-lock-order
  expect '.findings[0] | .kind == "LockOrder" and .category == "lock-order"'
  expect '.findings[0].location == {file: "hg-lock-order.c", line: 30, function: "b_then_a"}'
  expect '[.findings[0].cycle[] | [.thread, .line, .function]] == [["#3", 30, "b_then_a"], [null, 19, "a_then_b"]]'
  expect '.findings[0].cycle | .[0].holding == .[1].acquires and .[0].acquires == .[1].holding'
  expect '.findings[0].message | startswith("lock order violated: thread 2 takes the mutex locked at hg-lock-order.c:30 while holding the mutex locked at hg-lock-order.c:19")'
}

@test "helgrind: unlocking a mutex twice is UnlockUnlocked misuse in main" {
  helgrind_fixture hg-unlock-unlocked
  expect '[.findings[] | [.kind, .category, .location.file, .location.line, .location.function]]
          == [["UnlockUnlocked", "misuse", "hg-unlock-unlocked.c", 16, "main"]]'
}

@test "helgrind: unlocking a mutex it never saw is UnlockBogus misuse" {
  helgrind_fixture hg-unlock-bogus
  expect '[.findings[] | [.kind, .category, .location.line]] == [["UnlockBogus", "misuse", 14]]'
}

@test "helgrind: unlocking another thread's mutex is UnlockForeign, and its holder exiting is Misc" {
  helgrind_fixture hg-unlock-foreign
  expect '[.findings[] | [.kind, .category]] == [["UnlockForeign", "misuse"], ["Misc", "misuse"]]'
  expect '.findings[0].location == {file: "hg-unlock-foreign.c", line: 33, function: "main"}'
  expect '.findings[0].message | contains("currently held by thread 1")'
}

@test "helgrind: destroying a locked mutex gives Misc and a PthAPIerror with the error code" {
  helgrind_fixture hg-destroy-locked
  expect '[.findings[] | [.kind, .category, .location.line]] == [["Misc", "misuse", 16], ["PthAPIerror", "misuse", 16]]'
  expect '.findings[1].message | contains("pthread_mutex_destroy failed with error code 16 (EBUSY")'
}

@test "helgrind: a thread that exits holding a lock keeps Helgrind's words in the message" {
  helgrind_fixture hg-exit-holding
  expect '.findings[0] | .kind == "Misc" and (.message | contains("Exiting thread still holds 1 lock"))'
  # No frame of the student's file is on that stack: the first frame with a file is used.
  expect '.findings[0].location.function == "start_thread"'
}

@test "helgrind: a signal after unlocking keeps the word dubious in the message" {
  helgrind_fixture hg-dubious-signal
  # Misc up to Valgrind 3.19, Dubious from 3.20 on.
  expect '.findings[0] | (.kind | IN("Misc", "Dubious")) and (.message | contains("dubious"))'
  expect '.findings[0].location == {file: "hg-dubious-signal.c", line: 35, function: "main"}'
}

@test "helgrind: Valgrind 3.24's Dubious kind for the same signal is misuse with the same message" {
  # Recorded with Valgrind 3.24 (Debian 13), which names the kind Dubious where 3.19 wrote Misc.
  parse_helgrind "/tmp/race kit/src" "${SHIPPED}/hg-dubious-signal-3.24.xml"
  expect '.findings[0] | .kind == "Dubious" and .category == "misuse" and (.message | contains("dubious"))'
  expect '.findings[0].location == {file: "hg-dubious-signal.c", line: 35, function: "main"}'
}

@test "helgrind: a program killed by a signal gives a finding of category other" {
  helgrind_fixture hg-segv
  expect '[.findings[] | [.kind, .category, .location.line, .location.function]] == [["SIGSEGV", "other", 14, "worker"]]'
  expect '.findings[0].message | contains("SIGSEGV")'
}

@test "helgrind: a clean run is complete and has no findings" {
  helgrind_fixture hg-clean
  expect '. == {complete: true, findings: []}'
}

@test "helgrind: a truncated XML file makes xsltproc fail and the parser say incomplete" {
  run -6 --separate-stderr xsltproc "${LIB}/helgrind.xsl" "${FIXTURES}/hg-race-truncated.xml"
  # shellcheck disable=SC2154 # stderr_lines is set by run --separate-stderr
  assert_equal "${stderr_lines[-1]}" "unable to parse ${FIXTURES}/hg-race-truncated.xml"
  run -6 --separate-stderr helgrind_pipeline "${RECORDED_SRCDIR}" "${FIXTURES}/hg-race-truncated.xml"
  expect '. == {complete: false, findings: []}'
}

@test "helgrind: an empty XML file makes xsltproc fail" {
  : >"${BATS_TEST_TMPDIR}/empty.xml"
  run -6 --separate-stderr xsltproc "${LIB}/helgrind.xsl" "${BATS_TEST_TMPDIR}/empty.xml"
}

@test "helgrind: a well-formed file that never reached FINISHED is incomplete" {
  sed -e 's|<state>FINISHED</state>|<state>RUNNING</state>|' "${FIXTURES}/hg-race.xml" >"${BATS_TEST_TMPDIR}/running.xml"
  parse_helgrind "${RECORDED_SRCDIR}" "${BATS_TEST_TMPDIR}/running.xml"
  expect '.complete == false and (.findings | length) == 2'
}

@test "helgrind: tabs and newlines inside XML text never split a line" {
  cat >"${BATS_TEST_TMPDIR}/odd.xml" <<'EOF'
<?xml version="1.0"?>
<valgrindoutput>
<status><state>RUNNING</state></status>
<error>
  <unique>0x0</unique><tid>1</tid><kind>Misc</kind>
  <xwhat><text>Thread #1:	odd
     text</text><hthreadid>1</hthreadid></xwhat>
  <stack><frame><ip>0x1</ip><fn>main</fn><dir>/tmp/race kit/src/sub	dir</dir><file>odd
.c</file><line>7</line></frame></stack>
</error>
<status><state>FINISHED</state></status>
</valgrindoutput>
EOF
  run -0 xsltproc "${LIB}/helgrind.xsl" "${BATS_TEST_TMPDIR}/odd.xml"
  assert_equal "${#lines[@]}" 2
  parse_helgrind "/tmp/race kit/src" "${BATS_TEST_TMPDIR}/odd.xml"
  expect '.complete and .findings[0].message == "main thread: odd text, at sub dir/odd .c:7 in main"'
}

@test "helgrind: srcdir with or without a trailing slash gives the same findings" {
  helgrind_fixture hg-race
  local plain="${output}"
  parse_helgrind "${RECORDED_SRCDIR}/" "${FIXTURES}/hg-race.xml"
  assert_equal "${output}" "${plain}"
}

@test "helgrind: files outside srcdir are shown as dir/file, as Valgrind printed them" {
  parse_helgrind /nowhere "${FIXTURES}/hg-race.xml"
  expect ".findings[0].location.file == \"${RECORDED_SRCDIR}/hg-race.c\""
}

@test "helgrind: evidence text keeps addresses in Valgrind's at/by layout" {
  helgrind_fixture hg-race
  expect '.findings[0].text | split("\n") | .[0] | startswith("Possible data race during read")'
  expect '.findings[0].text | split("\n") | .[1] | test("^   at 0x[0-9A-F]+: careless \\(hg-race.c:28\\)$")'
}

@test "helgrind: every recorded file gives findings with exactly the schema keys" {
  local xml
  for xml in "${FIXTURES}"/hg-*.xml; do
    [[ "${xml}" == *-truncated.xml ]] && continue
    parse_helgrind "${RECORDED_SRCDIR}" "${xml}"
    expect_schema helgrind
  done
}

# ---------------------------------------------------------------- live runs

@test "live: a fresh racy program under TSan is found at its line end to end" {
  live_only
  require clang setarch
  local src="${BATS_TEST_TMPDIR}/student dir"
  mkdir -p "${src}" "${BATS_TEST_TMPDIR}/logs"
  write_racy_program "${src}/bank.c"
  clang -fsanitize=thread -g -O1 -Wall -Wextra -Werror -pthread "${src}/bank.c" -o "${src}/bank"
  run -66 run_under_tsan "${BATS_TEST_TMPDIR}/logs/tsan" "${src}/bank"
  parse_tsan "${src}" "${BATS_TEST_TMPDIR}"/logs/tsan.*
  expect '.complete and [.findings[].kind] == ["data race"]'
  expect '.findings[0].variable == "global '\''balance'\''"'
  expect '.findings[0].location == {file: "bank.c", line: 13, function: "deposit"}'
  expect '(.findings[0].accesses | length) == 2'
  expect 'all(.findings[0].accesses[]; .file == "bank.c" and .function == "deposit" and (.op | IN("read", "write")))'
}

@test "live: a fresh racy program under Helgrind is found at its line end to end" {
  live_only
  require gcc valgrind xsltproc
  local src="${BATS_TEST_TMPDIR}/student dir"
  mkdir -p "${src}"
  write_racy_program "${src}/bank.c"
  (cd "${src}" && gcc -g -O0 -Wall -Wextra -Werror -pthread bank.c -o bank)
  run -0 valgrind --tool=helgrind --fair-sched=yes --xml=yes \
    --xml-file="${BATS_TEST_TMPDIR}/out.xml" "${src}/bank"
  parse_helgrind "${src}/" "${BATS_TEST_TMPDIR}/out.xml"
  expect '.complete and (.findings | length) > 0'
  expect 'all(.findings[]; .kind == "Race" and .variable == "global '\''balance'\''")'
  expect 'all(.findings[]; .location.file == "bank.c" and .location.function == "deposit"
                           and (.location.line | IN(12, 13)))'
  expect 'all(.findings[].accesses[]; .thread | test("^#[0-9]+$"))'
}

@test "live: a fresh lock-order inversion is found by both analyzers" {
  live_only
  require clang setarch gcc valgrind xsltproc
  local src="${BATS_TEST_TMPDIR}/src"
  mkdir -p "${src}" "${BATS_TEST_TMPDIR}/logs"
  cp "${FIXTURES}/tsan-lock-order.c" "${src}/order.c"
  clang -fsanitize=thread -g -O1 -Wall -Wextra -Werror -pthread "${src}/order.c" -o "${src}/order-tsan"
  run -66 run_under_tsan "${BATS_TEST_TMPDIR}/logs/tsan" "${src}/order-tsan"
  parse_tsan "${src}" "${BATS_TEST_TMPDIR}"/logs/tsan.*
  expect '[.findings[] | .category] == ["lock-order"]'
  expect '[.findings[0].cycle[] | [.file, .line]] == [["order.c", 20], ["order.c", 31]]'
  gcc -g -O0 -Wall -Wextra -Werror -pthread "${src}/order.c" -o "${src}/order"
  run -0 valgrind --tool=helgrind --fair-sched=yes --xml=yes \
    --xml-file="${BATS_TEST_TMPDIR}/out.xml" "${src}/order"
  parse_helgrind "${src}" "${BATS_TEST_TMPDIR}/out.xml"
  expect '[.findings[] | .category] == ["lock-order"] and .findings[0].location.file == "order.c"'
}

@test "tsan: threads that named themselves are called by their names" {
  tsan_fixture tsan-named-threads
  expect '[.findings[0].accesses[].name] | sort == ["worker 1", "worker 2"]'
  expect '.findings[0].accesses | map(.thread) | sort == ["T1", "T2"]'
  expect '.findings[0].message | test("by worker [12] at tsan-named-threads.c:[0-9]+ in worker, previous (read|write) by worker [12] at")'
}
