#!/usr/bin/env bats
# 07-lazy-init: fixes other than the reference one (pthread_once).  A mutex
# from the check to the assignment and double-checked locking with atomics
# pass; double-checked locking on a plain pointer and a lock around the
# assignment alone fail.

load test_helper

@test "07: a mutex held from the check to the assignment passes" {
  grade_fix 07-lazy-init mutex-check-and-create
  assert_success
}

@test "07: double-checked locking with an atomic pointer passes, with Helgrind's false positive set aside" {
  grade_fix 07-lazy-init double-checked-atomic
  assert_success
  assert_output --partial "set aside"
}

@test "07: double-checked locking on a plain pointer builds once but fails tsan" {
  grade_fix 07-lazy-init double-checked-plain-pointer
  assert_failure 1
  assert_criterion 07-lazy-init tsan fail
  assert_criterion 07-lazy-init result pass
}

@test "07: a lock around the assignment only still builds several configs and fails tsan and result" {
  grade_fix 07-lazy-init lock-around-assignment-only
  assert_failure 1
  assert_criterion 07-lazy-init tsan fail
  assert_criterion 07-lazy-init result fail
}
