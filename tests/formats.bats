#!/usr/bin/env bats
# --format text|json|tap|junit and 'checker/check render', each read by a
# real consumer: prove for TAP, xmllint with a JUnit schema for JUnit.

load test_helper

JUNIT_XSD="${BATS_TEST_DIRNAME}/fixtures/junit/junit.xsd"

# One grading for the file: 01 with a wrong fix, 02 solved.
setup_file() {
  local submission="${BATS_FILE_TMPDIR}/submission"
  mkdir -p "${submission}/01-lost-update" "${submission}/02-shared-dest-file"
  cp "${FIXES}/01-lost-update/lock-around-write-only/database.c" "${submission}/01-lost-update/"
  cp "${KIT_ROOT}/solutions/02-shared-dest-file/data_service.c" "${submission}/02-shared-dest-file/"
  "${CHECK}" --format json --submission "${submission}" 01 02 >"${BATS_FILE_TMPDIR}/verdict.json" || [[ $? == 1 ]]
  jq -e '.total == 2' "${BATS_FILE_TMPDIR}/verdict.json" >/dev/null
}

@test "render: a saved verdict prints as the grading printed it, without colour off a terminal" {
  run -0 "${CHECK}" render "${BATS_FILE_TMPDIR}/verdict.json"
  assert_output --partial "✗ 01-lost-update"
  assert_output --partial "✓ 02-shared-dest-file"
  assert_output --partial "1 of 2 exercises pass"
  refute_output --partial $'\e['
  run -0 "${CHECK}" render --format json "${BATS_FILE_TMPDIR}/verdict.json"
  [[ "${output}" == "$(cat "${BATS_FILE_TMPDIR}/verdict.json")" ]]
}

@test "render: TAP 13 is read by prove: one test per exercise, the failing criteria as the message" {
  "${CHECK}" render --format tap "${BATS_FILE_TMPDIR}/verdict.json" >"${BATS_TEST_TMPDIR}/out.tap"
  run -0 head -n 2 "${BATS_TEST_TMPDIR}/out.tap"
  assert_output $'TAP version 13\n1..2'
  run -1 prove --exec cat "${BATS_TEST_TMPDIR}/out.tap"
  assert_output --partial "Tests=2"
  assert_output --partial "Failed test:  1"
  run -0 grep -E '^  message: "tsan: data race .*; result: final value' "${BATS_TEST_TMPDIR}/out.tap"
  run -0 grep -F '  failing: ["tsan",' "${BATS_TEST_TMPDIR}/out.tap"
}

@test "render: JUnit XML validates against the JUnit schema, one testcase per exercise" {
  "${CHECK}" render --format junit "${BATS_FILE_TMPDIR}/verdict.json" >"${BATS_TEST_TMPDIR}/out.xml"
  run -0 xmllint --noout --schema "${JUNIT_XSD}" "${BATS_TEST_TMPDIR}/out.xml"
  run -0 xmllint --xpath 'count(//testcase)' "${BATS_TEST_TMPDIR}/out.xml"
  assert_output 2
  run -0 xmllint --xpath 'string(//testcase[@name="01-lost-update"]/failure/@message)' "${BATS_TEST_TMPDIR}/out.xml"
  assert_output --regexp '^tsan: data race .*result: final value'
  run -0 xmllint --xpath 'count(//testcase[@name="02-shared-dest-file"]/failure)' "${BATS_TEST_TMPDIR}/out.xml"
  assert_output 0
}

@test "render: text a student wrote cannot break the XML or the TAP" {
  jq '.exercises[0].criteria[1].message = "a <b>&\"c\" \u001b[31m # x\nnot ok 9" | .exercises[0].title = "t # SKIP\nok 3"' \
    "${BATS_FILE_TMPDIR}/verdict.json" >"${BATS_TEST_TMPDIR}/hostile.json"
  "${CHECK}" render --format junit "${BATS_TEST_TMPDIR}/hostile.json" >"${BATS_TEST_TMPDIR}/out.xml"
  run -0 xmllint --noout --schema "${JUNIT_XSD}" "${BATS_TEST_TMPDIR}/out.xml"
  "${CHECK}" render --format tap "${BATS_TEST_TMPDIR}/hostile.json" >"${BATS_TEST_TMPDIR}/out.tap"
  run -1 prove --exec cat "${BATS_TEST_TMPDIR}/out.tap"
  assert_output --partial "Tests=2"
  assert_output --partial "Failed test:  1"
}

@test "--format tap works on a grading itself; an unknown format is refused" {
  local submission="${BATS_TEST_TMPDIR}/s"
  mkdir -p "${submission}/02-shared-dest-file"
  cp "${KIT_ROOT}/solutions/02-shared-dest-file/data_service.c" "${submission}/02-shared-dest-file/"
  "${CHECK}" --format tap --submission "${submission}" 02 >"${BATS_TEST_TMPDIR}/pass.tap"
  run -0 prove --exec cat "${BATS_TEST_TMPDIR}/pass.tap"
  assert_output --partial "All tests successful"
  run -2 "${CHECK}" --format yaml 02
  assert_output --partial "--format takes one of text json tap junit, not 'yaml'"
}

@test "render: a file that is not a verdict is refused" {
  echo '{"hello": 1}' >"${BATS_TEST_TMPDIR}/x.json"
  run -2 "${CHECK}" render "${BATS_TEST_TMPDIR}/x.json"
  assert_output --partial "is not a verdict"
  run -2 "${CHECK}" render --format xml "${BATS_TEST_TMPDIR}/x.json"
  assert_output --partial "--format takes one of"
}
