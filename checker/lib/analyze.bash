# shellcheck shell=bash
# shellcheck disable=SC2034 # sets the variables checker/check reads
# 'checker/check analyze FILE.c [options] [-- ARGS...]': any standalone C
# pthreads program, graded like an exercise without a harness, rules or
# oracle.  The program becomes a one-exercise set of its own under RUN_TMP,
# so the build, the runs, the verdict and the output are the checker's own.

analyze_usage() {
  die_usage "usage: checker/check analyze FILE.c [--json] [--timeout SECONDS] [-I DIR] [-D NAME[=VALUE]] [-- ARGS...]"
}

# -I DIR: an include directory, made absolute (the build runs elsewhere).
add_include_dir() { # <dir>
  [[ "$1" != *$'\n'* && -d "$1" ]] || die_usage "-I needs an existing directory, not '$1'"
  ANALYZE_CFLAGS+=(-I "$(cd -- "$1" && pwd)")
}

# -D NAME or -D NAME=VALUE: a macro definition, passed to both compilers.
add_definition() { # <NAME[=VALUE]>
  [[ "$1" =~ ^[A-Za-z_][A-Za-z0-9_]*(=.*)?$ && "$1" != *$'\n'* ]] ||
    die_usage "-D takes NAME or NAME=VALUE (a C identifier first), not '$1'"
  ANALYZE_CFLAGS+=(-D "$1")
}

parse_analyze_options() { # <args...>
  ANALYZE_FILE=""
  ANALYZE_TIMEOUT=10
  ANALYZE_ARGS=()
  ANALYZE_CFLAGS=()
  while (($# > 0)); do
    case "$1" in
      -I | -D)
        (($# >= 2)) || die_usage "$1 needs a value"
        if [[ "$1" == -I ]]; then add_include_dir "$2"; else add_definition "$2"; fi
        shift
        ;;
      -I?*) add_include_dir "${1#-I}" ;;
      -D?*) add_definition "${1#-D}" ;;
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
      -*) die_usage "unknown option '$1' for analyze. Valid options: --json --timeout SECONDS -I DIR -D NAME[=VALUE], then -- ARGS..." ;;
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

# The one-exercise set: exercise.json with the program's own arguments and
# compiler flags, an empty harness and an oracle with nothing to say.  The
# file's own directory comes first on the quoted include path, as for a
# compiler run in that directory: '#include "common_threads.h"' finds the
# header beside the file.
make_analysis_set() { # <dir for the set> <dir for the source>
  local name home
  name="$(basename "${ANALYZE_FILE}")"
  home="$(cd -- "$(dirname -- "${ANALYZE_FILE}")" && pwd)"
  [[ "${home}" != *$'\n'* ]] || die_usage "the directory of '${ANALYZE_FILE}' has a line break in its name"
  mkdir -p "$1/00-analysis/harness" "$2/00-analysis"
  cp -- "${ANALYZE_FILE}" "$2/00-analysis/${name}"
  echo "empty" >"$1/00-analysis/oracle.jq"
  jq -n --arg name "${name}" --argjson timeout "${ANALYZE_TIMEOUT}" \
    --argjson cflags "$(jq -n '$ARGS.positional' --args -- -iquote "${home}" "${ANALYZE_CFLAGS[@]}")" '
    {name: $name, title: "", student_files: [$name], cflags: $cflags,
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
