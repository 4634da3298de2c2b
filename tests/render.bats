#!/usr/bin/env bats
# How verdicts read: races as two threads side by side, deadlocks as a
# cycle of threads and locks, against recorded real verdicts (golden
# output) and on live runs.

load test_helper

RENDER="${KIT_ROOT}/checker/lib/render-text.jq"
GOLDEN="${BATS_TEST_DIRNAME}/fixtures/render"

render() { # <verdict json file>
  run -0 jq -r --argjson color false --argjson width 100 -f "${RENDER}" "$1"
}

@test "every recorded verdict renders, no line wider than 100 columns" {
  local json
  for json in "${GOLDEN}"/*.json; do
    render "${json}"
    refute_line --regexp '^.{101,}$'
  done
}

@test "mutexes are named by their variable, never by TSan's M0" {
  render "${GOLDEN}/analyze-lock-order.json"
  assert_line "              thread 1 -> holds 'lock_a', then takes 'lock_b' at tsan-lock-order.c:20 in a_then_b"
  assert_line --regexp "^    helgrind  lock order violated: thread 2 takes 'lock_a' while holding 'lock_b' at"
  refute_output --regexp '\bM[0-9]\b'
}

@test "a race too wide for two columns is told one step under the other" {
  render "${GOLDEN}/fixes-01-03.json"
  assert_line "              first worker 1 reads value (database.c:12) holding 'lock' (mutex 2)"
  assert_line "              then  worker 2 writes value (database.c:15) holding 'lock' (mutex 1)"
}

@test "a Helgrind finding set aside on a passing exercise is named in one line" {
  render "${GOLDEN}/fixes-01-03.json"
  assert_line --regexp '^    helgrind  set aside: LockOrder at bank\.c:12 in transfer \(Helgrind counts a trylock'
}

@test "a long message goes on under its own text" {
  render "${GOLDEN}/shipped-01-03.json"
  assert_line "    completes deadlock in the tsan run with threads=2 rounds=10 accounts=2: worker 1 and worker 2"
  assert_line "              each wait for a lock that another of them holds, so none can go on"
}

@test "a deadlock is told before the analyzers' echoes of it" {
  jq '.exercises[1].criteria |= [.[4]] + .[0:4]' "${GOLDEN}/shipped-01-03.json" >"${BATS_TEST_TMPDIR}/moved.json"
  jq '.exercises[1].criteria[1] |= (.status = "fail" | .passed = false | .message = "an echo")' \
    "${BATS_TEST_TMPDIR}/moved.json" >"${BATS_TEST_TMPDIR}/echo.json"
  render "${BATS_TEST_TMPDIR}/echo.json"
  assert_output --regexp $'    completes deadlock[^\n]*\n([^\n]*\n)*    build     an echo'
}

@test "a race is drawn as two threads side by side, the earlier access first" {
  render "${GOLDEN}/shipped-01-03.json"
  assert_output --regexp $'worker [12] +worker [12]\n +reads value \\(database\\.c:26\\)\n +writes value \\(database\\.c:30\\)'
  assert_output --partial "use value with no lock in common, and at least one of them"
}

@test "a race under two different locks says the locks are not the same" {
  render "${GOLDEN}/fixes-01-03.json"
  assert_output --partial "both hold a lock as they use value, but not the same one"
}

@test "Helgrind's report of the race TSan found is one line, not a second timeline" {
  render "${GOLDEN}/shipped-01-03.json"
  assert_output --partial "the same race TSan found, between database.c:26 and database.c:30"
}

@test "colour is used only when asked for" {
  run -0 jq -r --argjson color true -f "${RENDER}" "${GOLDEN}/shipped-01-03.json"
  assert_output --partial $'\033[31;1m✗\033[0m'
  render "${GOLDEN}/shipped-01-03.json"
  refute_output --partial $'\033['
}

@test "live: the shipped deadlock names each worker, the lock it holds and the one it wants" {
  run -1 "${CHECK}" 03
  assert_output --regexp 'worker 1 and worker 2 each wait for a lock that another of them holds'
  assert_output --regexp "worker 1 -> holds account [01]'s lock \\(locked at bank\\.c:[0-9]+ in lock_account, called from bank\\.c:[0-9]+ in transfer\\), wants account [01]'s lock"
  assert_output --partial "each waits for a lock the next one holds: worker 1 -> worker 2 -> worker 1"
}

@test "live: three workers paying around three accounts deadlock as one cycle of three" {
  # An exercise set of its own (--exercises): 03 with only a three-account run.
  local set="${BATS_TEST_TMPDIR}/set"
  mkdir -p "${set}"
  cp -R "${KIT_ROOT}/exercises/03-lock-order-deadlock" "${set}/"
  jq '.tsan_runs = [{threads: 3, rounds: 5, accounts: 3}] | .helgrind_runs = []' \
    "${KIT_ROOT}/exercises/03-lock-order-deadlock/exercise.json" >"${set}/03-lock-order-deadlock/exercise.json"
  run -1 "${CHECK}" --exercises "${set}" 03
  assert_output --partial "worker 1, worker 2 and worker 3 each wait for a lock that another of them holds"
  assert_output --partial "each waits for a lock the next one holds: worker 1 -> worker 2 -> worker 3 -> worker 1"
}

@test "a lock-order inversion that did not hang is drawn as a deadlock that can happen" {
  render "${GOLDEN}/analyze-lock-order.json"
  assert_output --partial "a deadlock that can happen (it did not, this time):"
  assert_output --regexp "thread [12] -> holds 'lock_[ab]', then takes 'lock_[ab]' at tsan-lock-order.c:[0-9]+ in (a_then_b|b_then_a)"
  assert_output --partial "the same lock-order problem TSan found"
}
