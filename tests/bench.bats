#!/usr/bin/env bats
# The benchmark runs and reports every figure it promises; timings
# themselves are never asserted (the machines that run tests are shared).

load test_helper

@test "bench/run.sh --json writes both ratios per solution and the kit and deadlock figures" {
  run -0 "${KIT_ROOT}/bench/run.sh" --repeats 1 --json "${BATS_TEST_TMPDIR}/bench.json" 01
  assert_output --partial "01-lost-update"
  assert_output --partial "03 deadlock named"
  assert_output --regexp "targets: wall x <= 1.3 (met|MISSED)"
  run -0 jq -e '
    (.solutions | length) == 1
    and .solutions[0].name == "01-lost-update"
    and (.solutions[0] | [.wall_ratio, .cpu_ratio] | all(type == "number" and . > 0))
    and (.solutions[0].critical_path_ms.median > 0)
    and (.solutions[0].checker_cpu_ms | .min <= .median and .median <= .max)
    and (.kit_ratio | type == "number")
    and (.deadlock_named_ms > 0)
    and (.met | keys == ["cpu_ratio", "deadlock_named_ms", "kit_ratio", "wall_ratio"])' \
    "${BATS_TEST_TMPDIR}/bench.json"
}

@test "bench/run.sh refuses a bad --repeats and an unknown exercise" {
  run -2 "${KIT_ROOT}/bench/run.sh" --repeats 0
  assert_output --partial "--repeats takes a whole number from 1 to 99"
  run -2 "${KIT_ROOT}/bench/run.sh" no-such-exercise
  assert_output --partial "unknown exercise 'no-such-exercise'"
}
