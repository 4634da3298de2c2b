#!/usr/bin/env bats
# 09-condition-variable: fixes other than the reference one.  Sound ways to
# wait pass; an `if` instead of a `while`, and spins that no longer race,
# fail for the right reason.

load test_helper

readonly EX=09-condition-variable

@test "09: a counting semaphore passes" {
  grade_fix "${EX}" semaphore
  assert_success
}

@test "09: a broadcast with the wait in a while loop passes" {
  grade_fix "${EX}" broadcast-while
  assert_success
}

@test "09: signalling after unlocking passes, with Helgrind's dubious finding set aside" {
  grade_fix "${EX}" signal-after-unlock
  assert_success
  [[ "$(criterion_message "${output}" "${EX}" helgrind)" == *"set aside"* ]]
}

@test "09: if instead of while fails result with takes from an empty queue" {
  grade_fix "${EX}" if-instead-of-while
  assert_failure 1
  assert_criterion "${EX}" result fail
  assert_criterion "${EX}" tsan pass
  [[ "$(criterion_message "${output}" "${EX}" result)" == *"empty queue"* ]]
}

@test "09: if instead of while with a broadcast fails result" {
  grade_fix "${EX}" if-with-broadcast
  assert_failure 1
  assert_criterion "${EX}" result fail
  assert_criterion "${EX}" tsan pass
  [[ "$(criterion_message "${output}" "${EX}" result)" == *"empty queue"* ]]
}

@test "09: a sched_yield spin under the lock is race-free but fails result" {
  grade_fix "${EX}" yield-under-lock
  assert_failure 1
  assert_criterion "${EX}" tsan pass
  assert_criterion "${EX}" result fail
  [[ "$(criterion_message "${output}" "${EX}" result)" == *"running instead of asleep"* ]]
}

@test "09: the shipped spin with a volatile counter still fails tsan and result" {
  grade_fix "${EX}" volatile-counter
  assert_failure 1
  assert_criterion "${EX}" tsan fail
  assert_criterion "${EX}" result fail
}

@test "09: waiting before looking at the queue hangs with one consumer and fails completes" {
  grade_fix "${EX}" wait-without-checking
  assert_failure 1
  assert_criterion "${EX}" completes fail
  [[ "$(criterion_message "${output}" "${EX}" completes)" == *"consumers=1 "* ]]
}
