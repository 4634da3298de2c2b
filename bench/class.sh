#!/usr/bin/env bash
# Summary: time 'checker/check class' on a generated class
# Usage: bench/class.sh [--students N] [--jobs N] [EXERCISE...]
#
# Generates a class of N students (default 100): for each student and
# exercise, deterministically, the reference solution, the shipped file
# (untouched: not graded) or one of the known wrong fixes from the tests, in
# the three layouts in turn.  Grades it with 'checker/check class' and
# prints: wall time, core-seconds per exercise graded, the share of all
# cores kept busy (CPU time / (wall time x cores)), the share of the time
# GNU parallel kept every job slot filled, and the time of a second
# run with nothing changed (every student resumed).  Exercises 01 and 02 by
# default, to keep the run to minutes; name others to grade them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly SEED=20261201

parse() {
  STUDENTS=100 JOBS="" EXERCISES=()
  while (($# > 0)); do
    case "$1" in
      --students) STUDENTS="$2" && shift ;;
      --jobs) JOBS="$2" && shift ;;
      *) EXERCISES+=("$1") ;;
    esac
    shift
  done
  ((${#EXERCISES[@]} > 0)) || EXERCISES=(01-lost-update 02-shared-dest-file)
}

# Where student S keeps exercise E's file, in layout S mod 3.
place() { # <class> <student index> <exercise> <file>
  local dir
  printf -v dir '%s/student-%03d' "$1" "$2"
  case $(($2 % 3)) in
    0) echo "${dir}/$3/$4" ;;
    1) echo "${dir}/exercises/$3/$4" ;;
    2) echo "${dir}/$4" ;;
  esac
}

# Solution, shipped or wrong fix: a fixed mix (4 in 10, 3 in 10, 3 in 10).
choose_source() { # <student index> <exercise index> <exercise> <file>
  local pick=$((($1 * 7 + $2 * 3) % 10))
  local -a wrong
  mapfile -t wrong < <(find "tests/fixtures/fixes/$3" -name "$4" | sort)
  if ((pick < 4)); then
    echo "solutions/$3/$4"
  elif ((pick < 7 || ${#wrong[@]} == 0)); then
    echo "exercises/$3/$4"
  else
    echo "${wrong[$(($1 % ${#wrong[@]}))]}"
  fi
}

make_class() { # <class dir>
  local s e name file target
  for ((s = 0; s < STUDENTS; s++)); do
    for e in "${!EXERCISES[@]}"; do
      name="${EXERCISES[e]}"
      file="$(jq -r '.student_files[0]' "exercises/${name}/exercise.json")"
      target="$(place "$1" "${s}" "${name}" "${file}")"
      mkdir -p "$(dirname "${target}")"
      cp "$(choose_source "${s}" "${e}" "${name}" "${file}")" "${target}"
    done
  done
}

# Wall seconds, and user+sys seconds of everything the command ran.
measure() { # <command...>
  local start end self="${BASHPID}"
  start="$(date +%s%N)"
  local -a before after
  # This shell's own and its waited-for descendants' CPU ticks.
  read -r -a before < <(awk '{print $14 + $16, $15 + $17}' "/proc/${self}/stat")
  "$@" >/dev/null 2>&1 || true
  end="$(date +%s%N)"
  read -r -a after < <(awk '{print $14 + $16, $15 + $17}' "/proc/${self}/stat")
  local ticks
  ticks="$(getconf CLK_TCK)"
  echo "$(((end - start) / 1000000)) $(((after[0] + after[1] - before[0] - before[1]) * 1000 / ticks))"
}

main() {
  parse "$@"
  mapfile -t EXERCISES < <(for e in "${EXERCISES[@]}"; do checker/libexec/resolve-exercise "${e}"; done)
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/race-kit-bench-class.XXXXXX")"
  trap 'rm -rf "${WORK}"' EXIT
  local work="${WORK}"
  make_class "${work}/class"
  local -a options=(--out "${work}/out" --seed "${SEED}")
  [[ -z "${JOBS}" ]] || options+=(--jobs "${JOBS}")
  local cores first resumed
  cores="${JOBS:-$(nproc)}"
  first="$(measure checker/check class "${work}/class" "${options[@]}" -- "${EXERCISES[@]}")"
  cp "${work}/out/joblog" "${work}/out/joblog.first"
  resumed="$(measure checker/check class "${work}/class" "${options[@]}" -- "${EXERCISES[@]}")"
  local graded slots
  graded="$(jq -s 'map(.total) | add' "${work}"/out/students/*/verdict.json)"
  # Seconds the job slots were occupied, from parallel's log of the first run.
  slots="$(awk -F'\t' 'NR > 1 { sum += $4 } END { printf "%d", sum * 1000 }' "${work}/out/joblog.first")"
  read -r wall cpu <<<"${first}"
  read -r resumed_wall _ <<<"${resumed}"
  jq -n --argjson students "${STUDENTS}" --argjson graded "${graded}" --argjson wall "${wall}" \
    --argjson cpu "${cpu}" --argjson cores "${cores}" --argjson resumed "${resumed_wall}" --argjson slots "${slots}" \
    --arg exercises "${EXERCISES[*]}" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" '
    {students: $students, exercises: $exercises, exercises_graded: $graded,
     wall_s: ($wall / 1000), core_s: ($cpu / 1000),
     core_s_per_exercise: (if $graded > 0 then ($cpu / 1000 / $graded * 100 | round) / 100 else null end),
     cores_busy: (($cpu / ($wall * $cores)) * 100 | round / 100),
     slots_busy: (($slots / ($wall * $cores)) * 100 | round / 100),
     resumed_wall_s: ($resumed / 1000), load_average_after: $load}'
}

main "$@"
