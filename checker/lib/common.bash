# shellcheck shell=bash
# Shared by every checker script: the exit-code table, messages, and where
# the kit lives.  Sourced, never run.

# The checker's exit codes: this table is the only place they are defined,
# and docs/instructors.md repeats it.
readonly EXIT_PASS=0   # every graded exercise passes
readonly EXIT_FAIL=1   # at least one graded exercise fails
readonly EXIT_USAGE=2  # unknown exercise or option; the message lists the choices
readonly EXIT_ENV=3    # a tool is missing or broken: never the student's fault
readonly EXIT_BUILD=4  # 'analyze': the program did not compile, so nothing was analyzed
readonly EXIT_INTERRUPTED=130 # stopped by Ctrl-C or a signal: no verdict
export EXIT_PASS EXIT_FAIL EXIT_USAGE EXIT_ENV EXIT_BUILD EXIT_INTERRUPTED

CHECKER_ROOT="${CHECKER_ROOT:-$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)}"
KIT_ROOT="${KIT_ROOT:-$(cd "${CHECKER_ROOT}/.." && pwd)}"
export CHECKER_ROOT KIT_ROOT

[[ -n "${RACE_KIT_DEBUG:-}" ]] && set -x

error() { # <message...>
  printf 'Error: %s\n' "$*" >&2
}

die_usage() { # <message...>
  error "$@"
  printf "Run 'checker/check --help' for usage.\n" >&2
  exit "${EXIT_USAGE}"
}

die_env() { # <message...>
  error "$@"
  exit "${EXIT_ENV}"
}

# Where compiled helpers (the runner, the TSan canary) are kept between runs.
cache_dir() {
  local dir="${RACE_KIT_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/race-kit}"
  mkdir -p "${dir}" || die_env "cannot create the cache directory ${dir}; set RACE_KIT_CACHE to a writable one"
  printf '%s\n' "${dir}"
}

# "thing package" for each requirement needed for any of the given purposes
# (grading, kit, tests), from lib/requirements.txt.
requirements() { # <purpose...>
  local purposes=" $* "
  awk -v purposes="${purposes}" '!/^#/ && NF == 3 && index(purposes, " " $3 " ") { print $1, $2 }' \
    "${CHECKER_ROOT}/lib/requirements.txt"
}

# True in 'checker/check analyze': someone's own program, not a graded one.
analyzing() {
  [[ "${RACE_KIT_MODE:-grade}" == analyze ]]
}
