# shellcheck shell=bash
# Running the student's program.  run_student_program is the ONE place where
# graded code is started: a sandbox (bubblewrap with CPU, memory, process and
# output limits) belongs here and nowhere else.
#
# Each run has its own directory $WORK/runs/<analyzer>-<n>/ holding
#   cwd/            the program's working directory (the oracle reads its files)
#   params.json     the parameter set, args the command line
#   report          the runner's key=value account (outcome, exit code, times)
#   result          the harness's key=value results (file descriptor 3)
#   stdout stderr   the program's output, cut at the runner's limit
#   stacks          every thread's stack when the runner saw a deadlock
#   logs/           TSan's reports (log_path), or helgrind.xml

readonly HANG_WINDOW_MS=500

# With stacks=yes, a deadlocked program's threads are shown with gdb before
# it is killed (not under Valgrind: gdb would see Valgrind, not the program).
run_student_program() { # <run dir> <timeout ms> <stacks: yes|no> [NAME=value...] -- <program> [args...]
  local dir="$1" timeout_ms="$2" stacks="$3"
  shift 3
  local -a stack_option=()
  [[ "${stacks}" == yes ]] &&
    stack_option=(--stacks "${dir}/stacks" --gdb-script "${CHECKER_ROOT}/lib/deadlock.gdb")
  local -a environment=(PATH=/usr/bin:/bin LC_ALL=C HOME="${dir}/cwd")
  while (($# > 0)) && [[ "$1" != -- ]]; do
    environment+=("$1")
    shift
  done
  shift
  mkdir -p "${dir}/cwd" "${dir}/logs"
  env -i "${environment[@]}" "${RACE_KIT_RUNNER}" \
    --timeout "${timeout_ms}" --hang-ms "${HANG_WINDOW_MS}" --cwd "${dir}/cwd" \
    --stdout "${dir}/stdout" --stderr "${dir}/stderr" --result "${dir}/result" \
    "${stack_option[@]}" --report "${dir}/report" -- "$@"
}

# Every option is set here so nothing compiled into the program or found in
# the caller's environment can change what TSan reports.
tsan_options() { # <log dir>
  local -a options=(
    "log_path=$1/tsan" exitcode=66 halt_on_error=0 abort_on_error=0
    report_bugs=1 report_thread_leaks=1 report_destroy_locked=1
    report_mutex_bugs=1 report_signal_unsafe=1 report_atomic_races=1
    detect_deadlocks=1 second_deadlock_stack=1 history_size=7
    suppressions= print_suppressions=0 ignore_noninstrumented_modules=0
    symbolize=1 "external_symbolizer_path=${RACE_KIT_SYMBOLIZER}"
    strip_path_prefix= verbosity=0
  )
  printf '%s' "${options[*]}"
}

run_under_tsan() { # <run dir> <timeout ms> <args...>
  local dir="$1" timeout_ms="$2"
  shift 2
  local -a prefix=()
  read -r -a prefix <<<"${RACE_KIT_TSAN_PREFIX}"
  run_student_program "${dir}" "${timeout_ms}" yes "TSAN_OPTIONS=$(tsan_options "${dir}/logs")" -- \
    "${prefix[@]}" "${WORK}/build/prog_tsan" "$@"
}

run_under_helgrind() { # <run dir> <timeout ms> <args...>
  local dir="$1" timeout_ms="$2"
  shift 2
  run_student_program "${dir}" "${timeout_ms}" no -- \
    valgrind --tool=helgrind --fair-sched=yes --xml=yes \
    --xml-file="${dir}/logs/helgrind.xml" --log-file="${dir}/logs/valgrind.log" \
    --error-exitcode=0 --child-silent-after-fork=yes --vgdb=no \
    "${WORK}/build/prog_plain" "$@"
}
