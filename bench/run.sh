#!/usr/bin/env bash
# Summary: measure the checker against the bare steps it cannot avoid
# Usage: bench/run.sh
#
# For each reference solution: the checker's wall time, and in the same run
# the sum of the bare steps a grading needs (TSan compile, plain compile,
# every TSan run, every Helgrind run, with the same parameters), and their
# ratio.  Then the whole kit graded at once, and exercise 03 as shipped
# (a deadlock) from start to verdict.  Figures are for one run on this
# machine; compare ratios, not seconds, between machines.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly SEED=20261126

now_ms() { date +%s%3N; }

# Wall time of a command in milliseconds; its output is discarded.
time_ms() { # <command...>
  local start
  start="$(now_ms)"
  "$@" >/dev/null 2>&1 || true
  echo "$(($(now_ms) - start))"
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
run_lines() { # <exercise> <checker json>
  jq -r -L checker/lib --arg ex "$1" --slurpfile spec "exercises/$1/exercise.json" '
    include "args";
    .exercises[] | select(.name == $ex) | .runs[]
    | [.analyzer] + [{args: $spec[0].args, params: .params} | args]
    | join(" ")' <<<"$2"
}

bare_steps_ms() { # <exercise> <checker json>
  local dir total=0 analyzer line
  local -a flags args
  dir="$(mktemp -d)"
  mapfile -t flags < <(build_flags "$1")
  total=$((total + $(time_ms clang -fsanitize=thread -g -O1 "${flags[@]}" -o "${dir}/tsan")))
  total=$((total + $(time_ms gcc -g -O0 "${flags[@]}" -o "${dir}/plain")))
  while read -r analyzer line; do
    read -r -a args <<<"${line}"
    mkdir -p "${dir}/cwd" && rm -rf "${dir}/cwd"/*
    if [[ "${analyzer}" == tsan ]]; then
      total=$((total + $(cd "${dir}/cwd" && TSAN_OPTIONS="log_path=${dir}/log" time_ms ../tsan "${args[@]}")))
    else
      total=$((total + $(cd "${dir}/cwd" && time_ms valgrind --tool=helgrind --fair-sched=yes \
        --xml=yes --xml-file="${dir}/hg.xml" ../plain "${args[@]}")))
    fi
  done < <(run_lines "$1" "$2")
  rm -rf "${dir}"
  echo "${total}"
}

bench_solution() { # <exercise>
  local start checker_ms json bare
  start="$(now_ms)"
  json="$(checker/check --json --seed "${SEED}" --solutions "$1" || true)"
  checker_ms=$(($(now_ms) - start))
  bare="$(bare_steps_ms "$1" "${json}")"
  printf '%-24s %8d %8d %8s\n' "$1" "${checker_ms}" "${bare}" \
    "$(awk -v a="${checker_ms}" -v b="${bare}" 'BEGIN { printf "%.2f", a / b }')"
}

# From the deadlock forming to its explanation, for 03 as shipped: the runner
# reports how long every thread had been blocked when it called it a
# deadlock (blocked_ms, within one 50 ms poll of the forming) and how long
# gdb then took to read the stacks and the lock bookkeeping (stacks_ms).
deadlock_latency() {
  local keep report blocked stacks
  keep="$({ RACE_KIT_KEEP_WORK=1 checker/check --seed "${SEED}" 03 2>&1 >/dev/null || true; } |
    sed -n 's/^Keeping the work directories under //p')"
  report="$(compgen -G "${keep}/*/runs/tsan-1/report" | head -n 1)"
  blocked="$(sed -n 's/^blocked_ms=//p' "${report}")"
  stacks="$(sed -n 's/^stacks_ms=//p' "${report}")"
  rm -rf "${keep}"
  printf '03 deadlock: blocked %d ms when detected + %d ms to name the cycle = %d ms from forming to verdict\n' \
    "${blocked}" "${stacks}" "$((blocked + stacks))"
}

main() {
  checker/check --solutions 01 >/dev/null 2>&1 || true # compile the cached helpers once
  printf '%-24s %8s %8s %8s\n' solution checker bare ratio
  local dir
  for dir in solutions/*/; do
    bench_solution "$(basename "${dir}")"
  done
  echo
  printf 'whole kit, every solution: %d ms\n' "$(time_ms checker/check --seed "${SEED}" --solutions)"
  printf '03 as shipped (deadlock), whole check: %d ms\n' \
    "$(time_ms checker/check --seed "${SEED}" 03)"
  deadlock_latency
}

main "$@"
