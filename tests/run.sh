#!/usr/bin/env bash
# Summary: run the Bats suite and end with one line "N passed, N failed"
# Usage: tests/run.sh [bats options...]
#
# The suite's output is TAP, as Bats prints it; the closing line lets any CI
# read the outcome at a glance.  Exits with Bats' own status.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

tap="$(mktemp "${TMPDIR:-/tmp}/race-kit-tests.XXXXXX")"
trap 'rm -f "${tap}"' EXIT

bats --timing "$@" tests/ | tee "${tap}"
status="${PIPESTATUS[0]}"
passed="$(grep -c '^ok ' "${tap}")"
failed="$(grep -c '^not ok ' "${tap}")"
skipped="$(grep -c '^ok .* # skip' "${tap}")"
echo "$((passed - skipped)) passed, ${failed} failed, ${skipped} skipped"
exit "${status}"
