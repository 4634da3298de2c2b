#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image
# (Ubuntu): install what the kit needs with the kit's own setup, then build
# the runner and the TSan canary so the first submission pays nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
apt-get -q update >/dev/null
checker/setup
RACE_KIT_CACHE=/opt/race-kit-cache checker/check --version >/dev/null
