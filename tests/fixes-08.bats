#!/usr/bin/env bats
# 08-forgotten-unlock: fixes other than the reference one (a single way out
# of withdraw()).  Every way of unlocking exactly once passes; unlocking
# twice, or trylock that skips a busy account, fails.

load test_helper

@test "08: one way out through goto out passes" {
  grade_fix 08-forgotten-unlock goto-out
  assert_success
}

@test "08: unlocking before each early return passes" {
  grade_fix 08-forgotten-unlock unlock-before-each-return
  assert_success
}

@test "08: checking the amount before taking the lock passes" {
  grade_fix 08-forgotten-unlock validate-before-lock
  assert_success
}

@test "08: a cleanup handler that unlocks passes" {
  grade_fix 08-forgotten-unlock cleanup-handler
  assert_success
}

@test "08: unlocking a refused request twice completes but fails tsan and helgrind" {
  grade_fix 08-forgotten-unlock unlock-twice
  assert_failure 1
  assert_criterion 08-forgotten-unlock completes pass
  assert_criterion 08-forgotten-unlock tsan fail
  assert_criterion 08-forgotten-unlock helgrind fail
}

@test "08: trylock that refuses a busy account completes but fails result and helgrind" {
  grade_fix 08-forgotten-unlock trylock-skip-when-busy
  assert_failure 1
  assert_criterion 08-forgotten-unlock completes pass
  assert_criterion 08-forgotten-unlock result fail
  assert_criterion 08-forgotten-unlock helgrind fail
}
