#!/usr/bin/env bats
# 10-dining-philosophers: fixes other than the reference one.  Ways of
# breaking the circle of waiting pass; fixes that keep the circle, or stop
# holding both forks, fail for the right reason.

load test_helper

readonly EX=10-dining-philosophers

@test "10: odd and even philosophers reaching in opposite orders pass" {
  grade_fix "${EX}" odd-even
  assert_success
}

@test "10: trying the second fork and backing off passes, with Helgrind's lock-order report set aside" {
  grade_fix "${EX}" trylock-backoff
  assert_success
  [[ "$(criterion_message "${output}" "${EX}" helgrind)" == *"set aside"* ]]
}

@test "10: every philosopher taking the right fork first still deadlocks" {
  grade_fix "${EX}" right-fork-first
  assert_failure 1
  assert_criterion "${EX}" completes fail
  [[ "$(criterion_message "${output}" "${EX}" completes)" == "deadlock in "* ]]
}

@test "10: taking only the left fork ends the deadlock but fails tsan and result" {
  grade_fix "${EX}" only-left-fork
  assert_failure 1
  assert_criterion "${EX}" completes pass
  assert_criterion "${EX}" tsan fail
  assert_criterion "${EX}" result fail
}

@test "10: a table lock taken after both forks still deadlocks" {
  grade_fix "${EX}" lock-around-eating
  assert_failure 1
  assert_criterion "${EX}" completes fail
}

# Gates and waiters, each beside the variant that does not prevent the deadlock.
@test "10: one lock around picking up both forks passes, the lock-order reports set aside" {
  grade_fix "${EX}" gate-around-pickup
  assert_success
  [[ "$(criterion_message "${output}" "${EX}" tsan)" == *"set aside"*"holding table_lock"* ]]
  [[ "$(criterion_message "${output}" "${EX}" helgrind)" == *"holding table_lock"* ]]
}

@test "10: the table lock taken by one philosopher only still deadlocks" {
  grade_fix "${EX}" gate-on-some-paths
  assert_failure 1
  assert_criterion "${EX}" completes fail
}

@test "10: a waiter seating N-1 philosophers passes, the cycle needing N set aside" {
  grade_fix "${EX}" waiter-seats-n-minus-1
  assert_success
  [[ "$(criterion_message "${output}" "${EX}" tsan)" == *"semaphore waiter"*"which admits"* ]]
}

@test "10: a waiter seating all N philosophers still deadlocks" {
  grade_fix "${EX}" waiter-seats-n
  assert_failure 1
  assert_criterion "${EX}" completes fail
}
