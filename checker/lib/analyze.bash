# shellcheck shell=bash
# shellcheck disable=SC2034 # sets the variables checker/check reads
# 'checker/check analyze FILE.c [options] [-- ARGS...]': any standalone C
# pthreads program, graded like an exercise without a harness, rules or
# oracle.  The program becomes a one-exercise set of its own under RUN_TMP,
# so the build, the runs, the verdict and the output are the checker's own.

analyze_usage() {
  die_usage "usage: checker/check analyze FILE.c [--json] [--timeout SECONDS] [-- ARGS...]"
}

parse_analyze_options() { # <args...>
  ANALYZE_FILE=""
  ANALYZE_TIMEOUT=10
  ANALYZE_ARGS=()
  while (($# > 0)); do
    case "$1" in
      --json) OUTPUT=json ;;
      --timeout)
        (($# >= 2)) || die_usage "--timeout needs a value"
        if [[ ! "$2" =~ ^[0-9]{1,4}$ ]] || (($2 == 0)); then
          die_usage "--timeout takes whole seconds (1 to 9999), not '$2'"
        fi
        ANALYZE_TIMEOUT="$2"
        shift
        ;;
      --) shift && ANALYZE_ARGS=("$@") && break ;;
      -h | --help) analyze_usage ;;
      -*) die_usage "unknown option '$1' for analyze. Valid options: --json --timeout SECONDS, then -- ARGS..." ;;
      *)
        [[ -z "${ANALYZE_FILE}" ]] || die_usage "analyze takes one C file, not '${ANALYZE_FILE}' and '$1'"
        ANALYZE_FILE="$1"
        ;;
    esac
    shift
  done
  [[ -n "${ANALYZE_FILE}" ]] || analyze_usage
  [[ -f "${ANALYZE_FILE}" ]] || die_usage "no file '${ANALYZE_FILE}'"
  [[ "${ANALYZE_FILE}" == *.c ]] || die_usage "'${ANALYZE_FILE}' is not a C file (FILE.c)"
}

# The one-exercise set: exercise.json with the program's own arguments, an
# empty harness and an oracle with nothing to say.
make_analysis_set() { # <dir for the set> <dir for the source>
  local name
  name="$(basename "${ANALYZE_FILE}")"
  mkdir -p "$1/00-analysis/harness" "$2/00-analysis"
  cp -- "${ANALYZE_FILE}" "$2/00-analysis/${name}"
  echo "empty" >"$1/00-analysis/oracle.jq"
  jq -n --arg name "${name}" --argjson timeout "${ANALYZE_TIMEOUT}" '
    {name: $name, title: "", student_files: [$name],
     args: $ARGS.positional, tsan_runs: [{}], helgrind_runs: [{}],
     time_limit_seconds: $timeout, oracle: "oracle.jq"}' \
    --args -- "${ANALYZE_ARGS[@]}" >"$1/00-analysis/exercise.json"
}

# Set the checker up to grade the program as exercise 00-analysis.
prepare_analysis() { # <args after 'analyze'>
  parse_analyze_options "$@"
  make_analysis_set "${RUN_TMP}/analysis" "${RUN_TMP}/analysis-source"
  EXERCISE_SET="${RUN_TMP}/analysis"
  SOURCE_ROOT="${RUN_TMP}/analysis-source"
  WORDS=(00-analysis)
  export RACE_KIT_MODE=analyze
}
