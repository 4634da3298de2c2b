#!/usr/bin/env bats
# 05-io-bound: fixes other than the reference one.  Every sound way of
# bounding the threads passes; fixes that stay slow, ignore the pool or
# share the queue unsafely fail for the right reason.

load test_helper

@test "05: a pool taking the next site with atomic_fetch_add passes" {
  grade_fix 05-io-bound atomic-index
  assert_success
}

@test "05: threads that each download every pool_size-th site pass" {
  grade_fix 05-io-bound stride-per-thread
  assert_success
}

@test "05: threads that each download one block of consecutive sites pass" {
  grade_fix 05-io-bound chunk-per-thread
  assert_success
}

@test "05: a pool that holds the queue's lock while downloading is too slow and fails result" {
  grade_fix 05-io-bound lock-across-download
  assert_failure 1
  assert_criterion 05-io-bound tsan pass
  assert_criterion 05-io-bound result fail
}

@test "05: a thread per site ignores the pool's size and fails result" {
  grade_fix 05-io-bound thread-per-site
  assert_failure 1
  assert_criterion 05-io-bound result fail
}

@test "05: joining each thread before starting the next is still sequential and fails result" {
  grade_fix 05-io-bound join-before-next-start
  assert_failure 1
  assert_criterion 05-io-bound result fail
}

@test "05: a pool taking the next site with an unlocked next_site++ fails tsan" {
  grade_fix 05-io-bound unlocked-next-site
  assert_failure 1
  assert_criterion 05-io-bound tsan fail
}

@test "05: a pool hard-coded to 12 threads fails result in the TSan runs, at both ends of the pool range" {
  grade_fix 05-io-bound hard-coded-pool
  assert_failure 1
  assert_criterion 05-io-bound result fail
  # pool=16: too few downloads at once; the TSan runs alone catch it.
  [[ "$(criterion_message "${output}" 05-io-bound result)" == *"at most 12 download(s) were in progress at once"*"tsan run with sites=64 pool=16"* ]]
}
