#!/usr/bin/env bash
# Summary: measure the checker against the bare steps it cannot avoid
# Usage: bench/run.sh [--json FILE] [--repeats N] [EXERCISE...]
#
# For each reference solution (or the exercises named), in one run:
#   - the checker's wall time and CPU time (user+sys of its whole process tree);
#   - the bare steps a grading needs, with the same parameters, in the two
#     lanes the checker runs side by side: clang's TSan build then every TSan
#     run, and gcc's plain build then every Helgrind run.  Their critical path
#     is the longer lane's wall time; their CPU is the sum over both lanes;
#   - wall_ratio = checker wall / critical path, cpu_ratio = checker CPU /
#     bare CPU.
# Then the whole kit graded at once against the machine's lower bound for
# that work (the bare CPU of every grading divided by the cores), and
# exercise 03 as shipped: its whole check, and the deadlock's time from
# forming to being named.  Each figure is the median of N repeats (default
# 5), printed with its min and max.  Compare ratios, not seconds, between
# machines: both sides of a ratio are measured in the same run.
#
# --json FILE also writes the figures as JSON (schema in docs/benchmark.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly SEED=20261126
REPEATS=5
JSON_OUT=""
SAMPLES=""

# "wall_ms cpu_ms" of a command, its output discarded.  Bash's time keyword
# counts the CPU of every descendant that was waited for, which is the whole
# tree here: the checker's runner reaps everything the program starts.
measure() { # <command...>
  local TIMEFORMAT='%3R %3U %3S' times
  times="$({ time "$@" >/dev/null 2>&1; } 2>&1 || true)"
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"${times##*$'\n'}"
}

sample() { # <name> <kind> <wall ms> <cpu ms>
  printf '{"name":"%s","kind":"%s","wall":%d,"cpu":%d}\n' "$1" "$2" "$3" "$4" >>"${SAMPLES}"
}

build_flags() { # <exercise>
  local ex="exercises/$1"
  local -a link
  read -r -a link <checker/harness/link-flags
  printf '%s\n' -Wall -Wextra -pthread -I "${ex}/harness" -I checker/harness \
    "$(jq -r --arg d "solutions/$1/" '.student_files[] | $d + .' "${ex}/exercise.json")" \
    "${ex}"/harness/*.c checker/harness/kit.c "${link[@]}"
}

# The command line of each run the checker made, one per line: analyzer args...
# The same substitution the checker makes (checker/lib/args.jq).
run_lines() { # <exercise> <checker json file>
  jq -r -L checker/lib --arg ex "$1" --slurpfile spec "exercises/$1/exercise.json" '
    include "args";
    .exercises[] | select(.name == $ex) | .runs[]
    | [.analyzer] + [{args: $spec[0].args, params: .params} | args]
    | join(" ")' "$2"
}

# One lane of bare steps: a build, then that analyzer's runs, each in a
# fresh working directory, with the harness's results on descriptor 3 as in
# the checker.  Prints "wall_ms cpu_ms" summed over the lane.
bare_lane() { # <analyzer> <dir> <run lines file> <build command...>
  local analyzer="$1" dir="$2" lines="$3" wall cpu total_wall total_cpu
  shift 3
  read -r total_wall total_cpu < <(measure "$@")
  local run_analyzer line
  local -a args
  while read -r run_analyzer line; do
    [[ "${run_analyzer}" == "${analyzer}" ]] || continue
    read -r -a args <<<"${line}"
    rm -rf "${dir}/cwd" && mkdir -p "${dir}/cwd"
    if [[ "${analyzer}" == tsan ]]; then
      read -r wall cpu < <(cd "${dir}/cwd" && TSAN_OPTIONS="log_path=${dir}/log" \
        measure ../tsan "${args[@]}" 3>"${dir}/result")
    else
      read -r wall cpu < <(cd "${dir}/cwd" && measure valgrind --tool=helgrind --fair-sched=yes \
        --xml=yes --xml-file="${dir}/hg.xml" ../plain "${args[@]}" 3>"${dir}/result")
    fi
    total_wall=$((total_wall + wall)) total_cpu=$((total_cpu + cpu))
  done <"${lines}"
  echo "${total_wall} ${total_cpu}"
}

# The bare steps of one grading: the critical path is the longer lane.
bare_steps() { # <exercise> <run lines file>
  local dir tsan_wall tsan_cpu plain_wall plain_cpu
  dir="$(mktemp -d)"
  local -a flags
  mapfile -t flags < <(build_flags "$1")
  read -r tsan_wall tsan_cpu < <(bare_lane tsan "${dir}" "$2" \
    clang -fsanitize=thread -g -O1 "${flags[@]}" -o "${dir}/tsan")
  read -r plain_wall plain_cpu < <(bare_lane helgrind "${dir}" "$2" \
    gcc -g -O0 "${flags[@]}" -o "${dir}/plain")
  rm -rf "${dir}"
  echo "$((tsan_wall > plain_wall ? tsan_wall : plain_wall)) $((tsan_cpu + plain_cpu))"
}

bench_solution() { # <exercise>
  local lines="${WORK}/$1.runs" n wall cpu
  checker/check --json --seed "${SEED}" --solutions "$1" >"${WORK}/$1.json" || true
  run_lines "$1" "${WORK}/$1.json" >"${lines}"
  for ((n = 0; n < REPEATS; n++)); do
    read -r wall cpu < <(measure checker/check --json --seed "${SEED}" --solutions "$1")
    sample "$1" checker "${wall}" "${cpu}"
    read -r wall cpu < <(bare_steps "$1" "${lines}")
    sample "$1" bare "${wall}" "${cpu}"
  done
  printf '.' >&2
}

# From the deadlock forming to its explanation, for 03 as shipped: the runner
# reports how long every thread had been blocked when it called it a
# deadlock (blocked_ms, within one poll of the forming) and how long gdb then
# took to read the stacks and the lock bookkeeping (stacks_ms).
deadlock_named() {
  local keep report blocked stacks wall cpu
  keep="$({ RACE_KIT_KEEP_WORK=1 checker/check --seed "${SEED}" 03 2>&1 >/dev/null || true; } |
    sed -n 's/^Keeping the work directories under //p')"
  report="$(compgen -G "${keep}/*/runs/tsan-1/report" | head -n 1)"
  blocked="$(sed -n 's/^blocked_ms=//p' "${report}")"
  stacks="$(sed -n 's/^stacks_ms=//p' "${report}")"
  rm -rf "${keep}"
  sample deadlock named "$((blocked + stacks))" 0
  read -r wall cpu < <(measure checker/check --seed "${SEED}" 03)
  sample deadlock check "${wall}" "${cpu}"
}

bench_kit() {
  local wall cpu
  read -r wall cpu < <(measure checker/check --seed "${SEED}" --solutions "${EXERCISES[@]}")
  sample kit checker "${wall}" "${cpu}"
}

parse_options() { # <args...>
  EXERCISES=()
  while (($# > 0)); do
    case "$1" in
      --json) JSON_OUT="${2:?--json needs a file}" && shift ;;
      --repeats)
        [[ "${2:-}" =~ ^[1-9][0-9]?$ ]] || { echo "Error: --repeats takes a whole number from 1 to 99" >&2; exit 2; }
        REPEATS="$2" && shift
        ;;
      -h | --help) sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "${BASH_SOURCE[0]}" && exit 0 ;;
      -*) echo "Error: unknown option '$1' (valid: --json FILE, --repeats N)" >&2 && exit 2 ;;
      *) EXERCISES+=("$(checker/libexec/resolve-exercise "$1")") || exit 2 ;;
    esac
    shift
  done
  if ((${#EXERCISES[@]} == 0)); then
    local dir
    for dir in solutions/*/; do
      EXERCISES+=("$(basename "${dir}")")
    done
  fi
}

main() {
  parse_options "$@"
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/race-kit-bench.XXXXXX")"
  trap 'rm -rf "${WORK}"' EXIT
  SAMPLES="${WORK}/samples.jsonl"
  : >"${SAMPLES}"
  checker/check --solutions 01 >/dev/null 2>&1 || true # compile the cached helpers once
  local name n
  for name in "${EXERCISES[@]}"; do
    bench_solution "${name}"
  done
  for ((n = 0; n < REPEATS; n++)); do
    bench_kit
    deadlock_named
  done
  echo >&2
  jq -s --argjson cores "$(nproc)" --argjson repeats "${REPEATS}" -f bench/figures.jq "${SAMPLES}" \
    >"${WORK}/figures.json"
  jq -r -f bench/table.jq "${WORK}/figures.json"
  [[ -z "${JSON_OUT}" ]] || cp "${WORK}/figures.json" "${JSON_OUT}"
}

main "$@"
