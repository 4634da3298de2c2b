#!/usr/bin/env bats
# 04-thread-pool: fixes other than the reference one.  Every sound way of
# taking a task from the shared queue passes; plausible wrong fixes fail
# for the right reason.

load test_helper

@test "04: atomic_fetch_add on the queue's front passes" {
  grade_fix 04-thread-pool c11-atomic-fetch-add
  assert_success
}

@test "04: a compare-exchange that retries when another worker moved the front passes" {
  grade_fix 04-thread-pool compare-exchange-retry
  assert_success
}

@test "04: a one-permit semaphore around taking a task passes" {
  grade_fix 04-thread-pool semaphore-lock
  assert_success
}

@test "04: a lock around moving the front along, but not reading it, fails tsan and result" {
  grade_fix 04-thread-pool lock-increment-only
  assert_failure 1
  assert_criterion 04-thread-pool tsan fail
  assert_criterion 04-thread-pool result fail
}

@test "04: a separate mutex per worker fails tsan and result" {
  grade_fix 04-thread-pool mutex-per-worker
  assert_failure 1
  assert_criterion 04-thread-pool tsan fail
  assert_criterion 04-thread-pool result fail
}

@test "04: locking the read and the move separately still fails result" {
  grade_fix 04-thread-pool two-critical-sections
  assert_failure 1
  assert_criterion 04-thread-pool result fail
}

@test "04: a thread per task instead of a pool fails result" {
  grade_fix 04-thread-pool thread-per-task
  assert_failure 1
  assert_criterion 04-thread-pool result fail
}
