#!/usr/bin/env bats
# Fixes other than the reference ones: every sound primitive passes, and
# plausible wrong fixes fail for the right reason.

load test_helper

@test "01: a mutex around the whole update passes" {
  grade_fix 01-lost-update mutex
  assert_success
}

@test "01: C11 atomics pass, with Helgrind's false positive set aside" {
  grade_fix 01-lost-update c11-atomics
  assert_success
}

@test "01: __atomic builtins pass" {
  grade_fix 01-lost-update gcc-atomic-builtins
  assert_success
}

@test "01: a lock around the write only fails tsan and result" {
  grade_fix 01-lost-update lock-around-write-only
  assert_failure 1
  assert_criterion 01-lost-update tsan fail
  assert_criterion 01-lost-update result fail
}

@test "01: a separate mutex per thread fails tsan" {
  grade_fix 01-lost-update mutex-per-thread
  assert_failure 1
  assert_criterion 01-lost-update tsan fail
}

@test "01: a hard-coded final value fails result under the random parameters" {
  grade_fix 01-lost-update hard-coded-result
  assert_failure 1
  assert_criterion 01-lost-update result fail
}

@test "02: a mutex around the critical section passes" {
  grade_fix 02-shared-dest-file mutex
  assert_success
}

@test "02: a local copy of the file name passes" {
  grade_fix 02-shared-dest-file local-copy
  assert_success
}

@test "02: a lock around the write only fails tsan and result" {
  grade_fix 02-shared-dest-file lock-around-write-only
  assert_failure 1
  assert_criterion 02-shared-dest-file tsan fail
  assert_criterion 02-shared-dest-file result fail
}

@test "03: one global lock order passes" {
  grade_fix 03-lock-order-deadlock lock-ordering
  assert_success
}

@test "03: trylock with back-off passes" {
  grade_fix 03-lock-order-deadlock trylock-backoff
  assert_success
}

@test "03: dropping one of the two locks ends the deadlock but fails tsan and result" {
  grade_fix 03-lock-order-deadlock drop-one-lock
  assert_failure 1
  assert_criterion 03-lock-order-deadlock completes pass
  assert_criterion 03-lock-order-deadlock tsan fail
  assert_criterion 03-lock-order-deadlock result fail
}

# A gate: sound on every path, a deadlock when some transfers skip it.
@test "03: one global lock order, higher id first, passes beside the auditor's lower-first order" {
  grade_fix 03-lock-order-deadlock lock-ordering-descending
  assert_success
}

@test "03: unlocking the paying account before locking the receiving one fails result by the auditor" {
  grade_fix 03-lock-order-deadlock unlock-before-deposit
  assert_failure 1
  assert_criterion 03-lock-order-deadlock completes pass
  assert_criterion 03-lock-order-deadlock tsan pass
  assert_criterion 03-lock-order-deadlock result fail
  [[ "$(criterion_message "${output}" 03-lock-order-deadlock result)" == "the auditor, holding every account's lock, found "*"money had left one account and not yet reached the other"* ]]
}

@test "03: depositing before withdrawing, one lock at a time, fails result by the auditor" {
  grade_fix 03-lock-order-deadlock deposit-before-withdrawal
  assert_failure 1
  assert_criterion 03-lock-order-deadlock result fail
  [[ "$(criterion_message "${output}" 03-lock-order-deadlock result)" == *"money had reached one account before it left the other"* ]]
}

@test "03: a bank-wide gate around taking both accounts passes, the lock-order reports set aside" {
  grade_fix 03-lock-order-deadlock bank-gate
  assert_success
  [[ "$(criterion_message "${output}" 03-lock-order-deadlock tsan)" == *"set aside"*"holding gate"* ]]
  [[ "$(criterion_message "${output}" 03-lock-order-deadlock helgrind)" == *"holding gate"* ]]
}

@test "03: a gate taken on some paths only still deadlocks" {
  grade_fix 03-lock-order-deadlock bank-gate-on-some-paths
  assert_failure 1
  assert_criterion 03-lock-order-deadlock completes fail
}
