#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image
# (Ubuntu): install what the kit needs with the kit's own setup, then grade
# one shipped exercise, which builds the runner and the TSan canary into the
# cache run_autograder uses and proves the tools work before any student
# submits (the shipped file fails: exit 1 is the expected verdict).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
apt-get -q update >/dev/null
checker/setup
status=0
RACE_KIT_CACHE=/opt/race-kit-cache checker/check 01-lost-update >/dev/null || status=$?
((status <= 1)) || { echo "setup.sh: the checker cannot grade here (exit ${status})" >&2; exit 1; }
