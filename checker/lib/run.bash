# shellcheck shell=bash
# Running the student's program.  run_student_program is the ONE place where
# graded code is run: through start_untrusted (sandbox.bash), in the
# sandbox and under the limits that every step touching student text gets.
#
# Each run has its own directory $WORK/runs/<analyzer>-<n>/ holding
#   cwd/            the program's working directory (the oracle reads its files)
#   params.json     the parameter set, args the command line
#   report          the runner's key=value account (outcome, exit code, times)
#   result          the harness's key=value results (file descriptor 3)
#   stdout stderr   the program's output, cut at the runner's limit
#   stacks          every thread's stack when the runner saw a deadlock
#   logs/           TSan's reports (log_path), or helgrind.xml
# The program sees only cwd/, logs/ (TSan, which writes from inside the
# program) and its own binary; the rest of the run directory is out of its
# reach.

readonly HANG_WINDOW_MS=500
# Valgrind's XML reaches the runner on this descriptor (a socket the client
# program cannot name: Valgrind moves it out of the client's range).
readonly HELGRIND_XML_FD=4

# With stacks=yes, a deadlocked program's threads are shown with gdb before
# it is killed (not under Valgrind: gdb would see Valgrind, not the program).
run_student_program() { # <run dir> <timeout ms> <stacks: yes|no> [--channel N:FILE] [NAME=value...] -- <program> [args...]
  local dir="$1" timeout_ms="$2" stacks="$3"
  shift 3
  local -a runner_options=(--hang-ms "${HANG_WINDOW_MS}" --stdout "${dir}/stdout"
    --stderr "${dir}/stderr" --result "${dir}/result")
  [[ "${stacks}" == yes ]] &&
    runner_options+=(--stacks "${dir}/stacks" --gdb-script "${CHECKER_ROOT}/lib/deadlock.gdb")
  if [[ "${1:-}" == --channel ]]; then
    runner_options+=("$1" "$2")
    shift 2
  fi
  local -a SANDBOX_ENV=(PATH=/usr/bin:/bin LC_ALL=C HOME="${dir}/cwd")
  while (($# > 0)) && [[ "$1" != -- ]]; do
    SANDBOX_ENV+=("$1")
    shift
  done
  shift
  mkdir -p "${dir}/cwd" "${dir}/logs"
  bound_run_dirs "${dir}/cwd" "${dir}/logs"
  # shellcheck disable=SC2034 # read by start_untrusted
  local -a SANDBOX_READ=("${WORK}/build") SANDBOX_WRITE=("${dir}/cwd" "${dir}/logs")
  # shellcheck disable=SC2034
  local SANDBOX_CWD="${dir}/cwd"
  start_untrusted "${dir}/report" "${timeout_ms}" "${runner_options[@]}" -- "$@"
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
  run_student_program "${dir}" "${timeout_ms}" no \
    --channel "${HELGRIND_XML_FD}:${dir}/logs/helgrind.xml" -- \
    valgrind --tool=helgrind --fair-sched=yes --xml=yes \
    --xml-fd="${HELGRIND_XML_FD}" --log-file="${dir}/logs/valgrind.log" \
    --error-exitcode=0 --child-silent-after-fork=yes --vgdb=no \
    "${WORK}/build/prog_plain" "$@"
}
