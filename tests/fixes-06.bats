#!/usr/bin/env bats
# 06-volatile-counter: fixes other than the reference one.  Every atomic
# read-modify-write (or a mutex) passes; more volatile, yielding, or an
# atomic load followed by a separate atomic store fail.

load test_helper

@test "06: a mutex around hits++ passes" {
  grade_fix 06-volatile-counter mutex
  assert_success
}

@test "06: __atomic builtins pass" {
  grade_fix 06-volatile-counter gcc-atomic-builtins
  assert_success
}

@test "06: ++ on an _Atomic counter passes, since it is one atomic read-modify-write" {
  grade_fix 06-volatile-counter atomic-increment
  assert_success
}

@test "06: a compare-exchange loop passes" {
  grade_fix 06-volatile-counter compare-exchange-loop
  assert_success
}

@test "06: a volatile counter with sched_yield before each hit still fails tsan" {
  grade_fix 06-volatile-counter volatile-sched-yield
  assert_failure 1
  assert_criterion 06-volatile-counter tsan fail
}

@test "06: a volatile pointer to a volatile counter still fails tsan" {
  grade_fix 06-volatile-counter double-volatile
  assert_failure 1
  assert_criterion 06-volatile-counter tsan fail
}

@test "06: an atomic load then a separate atomic store is race-free for tsan but fails result" {
  grade_fix 06-volatile-counter atomic-load-then-store
  assert_failure 1
  assert_criterion 06-volatile-counter tsan pass
  assert_criterion 06-volatile-counter result fail
}
