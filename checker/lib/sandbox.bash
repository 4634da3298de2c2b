# shellcheck shell=bash
# Isolation and limits for everything that touches a student's text: the
# source scan, both compiles and every run.  start_untrusted is the one way
# such a step is started; run_student_program (run.bash) and the build use it.
#
# The limits, per grading (an instructor may change them here, or for one
# run through the RACE_KIT_* variables named beside each):
readonly LIMIT_MEMORY_MB="${RACE_KIT_MEMORY_MB:-2048}"  # every process of the grading together (memory cgroup)
readonly LIMIT_TASKS="${RACE_KIT_MAX_TASKS:-256}"       # processes and threads together (pids cgroup)
readonly LIMIT_DISK_MB="${RACE_KIT_DISK_MB:-512}"       # the grading's own work directory (tmpfs)
readonly LIMIT_RUN_DISK_MB=64                           # what one run of the program may write (tmpfs)
readonly LIMIT_TMP_MB=64                                # each step's private /tmp (tmpfs)
readonly LIMIT_FILE_BYTES=8388608                       # any one file written, stdout and stderr included
# CPU time of a step: its wall-time limit on every core, as RLIMIT_CPU
# (SIGKILL a second later): a bound that holds even if the runner is gone.
#
# Isolation levels ("isolation" in the JSON verdict):
#   sandbox  bubblewrap: own user, pid, network, IPC, UTS and cgroup
#            namespaces, uid 65534 with no capabilities, a new session, a
#            clean environment, read-only /usr and only the step's own files
#   uid      no bubblewrap, run by root: the step runs as uid 65534 with the
#            same limits, but sees the machine's files as that user may
#   none     no bubblewrap, not root: limits only
readonly SANDBOX_UID=65534

# The bwrap options every step shares.
sandbox_base_options() {
  printf '%s\0' --unshare-user --unshare-ipc --unshare-pid --unshare-net \
    --unshare-uts --unshare-cgroup-try --uid "${SANDBOX_UID}" --gid "${SANDBOX_UID}" \
    --cap-drop ALL --die-with-parent --new-session --hostname sandbox \
    --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/sbin /sbin \
    --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
    --proc /proc --dev /dev --size "$((LIMIT_TMP_MB << 20))" --tmpfs /tmp --clearenv
}

# Whether bubblewrap can build a sandbox here; prints why not.  The probe's
# verdict is kept for the whole checker run.  RACE_KIT_NO_SANDBOX=1 acts as
# if it could not (to try the fallback, or on purpose).
sandbox_problem() {
  if [[ -n "${RACE_KIT_NO_SANDBOX:-}" ]]; then
    echo "RACE_KIT_NO_SANDBOX is set"
  elif ! command -v bwrap >/dev/null 2>&1; then
    echo "bubblewrap (bwrap) is not installed; run 'make setup'"
  else
    local why
    why="$(sandbox_base_options | env -i PATH=/usr/bin:/bin bwrap --args 9 -- /usr/bin/true 9<&0 2>&1)" ||
      echo "bwrap cannot build a sandbox here: ${why:-no reason given} (user namespaces may be turned off, e.g. by a container's seccomp profile)"
  fi
}

# Sets RACE_KIT_ISOLATION and RACE_KIT_ISOLATION_REASON (exported).
choose_isolation() {
  RACE_KIT_ISOLATION_REASON="$(sandbox_problem)"
  if [[ -z "${RACE_KIT_ISOLATION_REASON}" ]]; then
    RACE_KIT_ISOLATION=sandbox
  elif ((EUID == 0)); then
    RACE_KIT_ISOLATION=uid
  else
    RACE_KIT_ISOLATION=none
  fi
  # Whether gradings get a bounded work directory (see enter_private_mounts).
  RACE_KIT_DISK_BOUND=false
  ((EUID == 0)) && unshare --mount --propagation private true 2>/dev/null && RACE_KIT_DISK_BOUND=true
  # Whether gradings get cgroups: made and removed once to find out.
  RACE_KIT_CGROUP_LIMITS=false
  make_grading_cgroups
  [[ -n "${RACE_KIT_CGROUPS}" ]] && RACE_KIT_CGROUP_LIMITS=true
  remove_grading_cgroups
  unset RACE_KIT_CGROUPS
  export RACE_KIT_ISOLATION RACE_KIT_ISOLATION_REASON RACE_KIT_CGROUP_LIMITS RACE_KIT_DISK_BOUND
}

# Root bounds a grading's whole work directory (build, runs, every file a
# program writes) with a tmpfs of LIMIT_DISK_MB, mounted in a mount
# namespace of the grading's own, which the kernel takes down with the
# grading's last process.  The grading script calls this first: it runs
# itself again inside such a namespace.  Not with RACE_KIT_KEEP_WORK, whose
# files must outlive the grading.
enter_private_mounts() { # <script> [args...]
  [[ "${RACE_KIT_DISK_BOUND:-false}" == true && -z "${RACE_KIT_PRIVATE_MOUNTS:-}" &&
    -z "${RACE_KIT_KEEP_WORK:-}" ]] || return 0
  RACE_KIT_PRIVATE_MOUNTS=1 exec unshare --mount --propagation private -- "$@"
}

# Each run's own directories get a tmpfs of their own, so a program that
# fills its space cannot leave the grader without room for its reports.
bound_run_dirs() { # <dir>...
  [[ -n "${RACE_KIT_PRIVATE_MOUNTS:-}" ]] || return 0
  local dir
  for dir in "$@"; do
    mount -t tmpfs -o "size=${LIMIT_RUN_DISK_MB}m,mode=0700" race-kit-run "${dir}" ||
      die_env "cannot mount a tmpfs on ${dir}"
  done
}

remove_work_dir() { # <dir>
  if [[ -n "${RACE_KIT_PRIVATE_MOUNTS:-}" ]]; then
    # The runs' mounts first, then the work directory's own.
    awk -v top="$1" '$2 == top || index($2, top "/") == 1 { print $2 }' /proc/self/mounts |
      sort -r | xargs -r -n 1 umount -l 2>/dev/null || true
  fi
  rm -rf "$1"
}

bound_work_dir() { # <dir>
  [[ -n "${RACE_KIT_PRIVATE_MOUNTS:-}" ]] || return 0
  mount -t tmpfs -o "size=${LIMIT_DISK_MB}m,mode=0700" race-kit-work "$1" ||
    die_env "cannot mount a tmpfs on $1"
}

# The isolation a grading had, for the JSON verdict.
isolation_json() {
  jq -n --arg level "${RACE_KIT_ISOLATION:-none}" --arg reason "${RACE_KIT_ISOLATION_REASON:-}" \
    --argjson memory "${LIMIT_MEMORY_MB}" --argjson tasks "${LIMIT_TASKS}" \
    --argjson disk "${LIMIT_DISK_MB}" --argjson file "${LIMIT_FILE_BYTES}" \
    --argjson cgroups "${RACE_KIT_CGROUP_LIMITS:-false}" --argjson disk_bound "${RACE_KIT_DISK_BOUND:-false}" \
    '{level: $level, memory_mb: $memory, tasks: $tasks, disk_mb: $disk, file_bytes: $file,
      cgroups: $cgroups, disk_bound: $disk_bound} + (if $reason == "" then {} else {reason: $reason} end)'
}

# --- cgroups: one memory and one pids group per grading ---------------------

# The directory of this process's own group in one cgroup v1 controller, or
# in the v2 hierarchy; nested there, so the limits of whoever runs the
# checker still apply.
own_cgroup_dir() { # <controller>
  local line path
  if [[ -d "/sys/fs/cgroup/$1" ]]; then
    line="$(grep -E "^[0-9]+:([^:]*,)?$1(,[^:]*)?:" /proc/self/cgroup)" || return 1
    path="/sys/fs/cgroup/$1${line##*:}"
  else
    line="$(grep -E '^0::' /proc/self/cgroup)" || return 1
    path="/sys/fs/cgroup${line##*:}"
  fi
  printf '%s\n' "${path%/}"
}

make_cgroup() { # <controller> <limit file> <limit value>
  local parent dir
  parent="$(own_cgroup_dir "$1")" || return 1
  dir="${parent}/race-kit-$$"
  mkdir "${dir}" 2>/dev/null || return 1
  if ! printf '%s\n' "$3" >"${dir}/$2" 2>/dev/null; then
    rmdir "${dir}" 2>/dev/null
    return 1
  fi
  printf '%s\n' "${dir}"
}

# Creates the grading's cgroups where they are writable (root, or a
# delegated subtree); sets RACE_KIT_CGROUPS to the directories joined by
# ':' ("" when none).  remove_grading_cgroups undoes it.
make_grading_cgroups() {
  local -a dirs=()
  local dir
  if dir="$(make_cgroup memory memory.limit_in_bytes "$((LIMIT_MEMORY_MB << 20))")"; then
    # No swap here, but where there is, it counts too.
    [[ -f "${dir}/memory.memsw.limit_in_bytes" ]] &&
      printf '%s\n' "$((LIMIT_MEMORY_MB << 20))" >"${dir}/memory.memsw.limit_in_bytes" 2>/dev/null
    dirs+=("${dir}")
  elif dir="$(make_cgroup "" memory.max "$((LIMIT_MEMORY_MB << 20))")"; then
    printf '%s\n' "${LIMIT_TASKS}" >"${dir}/pids.max" 2>/dev/null || true
    dirs+=("${dir}")
  fi
  if dir="$(make_cgroup pids pids.max "${LIMIT_TASKS}")"; then
    dirs+=("${dir}")
  fi
  local IFS=:
  RACE_KIT_CGROUPS="${dirs[*]}"
  export RACE_KIT_CGROUPS
}

remove_grading_cgroups() {
  local dir tries
  local -a dirs
  IFS=: read -r -a dirs <<<"${RACE_KIT_CGROUPS:-}"
  for dir in "${dirs[@]}"; do
    # The runner has killed every process; the kernel may take a moment to
    # let the last ones go.
    for ((tries = 0; tries < 50; tries++)); do
      rmdir "${dir}" 2>/dev/null && break
      sleep 0.02
    done
  done
}

# --- starting a step ----------------------------------------------------------

# The sandbox of one step, as bwrap options (NUL-separated) in <file>: the
# caller's SANDBOX_READ paths read-only and SANDBOX_WRITE paths writable, at
# the same place as outside (so file names in compiler output and debug
# information are the grader's own), SANDBOX_ENV as the whole environment,
# starting in SANDBOX_CWD.
write_sandbox_options() { # <file>
  local path setting
  # shellcheck disable=SC2153 # set by start_untrusted's caller
  {
    sandbox_base_options
    for path in "${SANDBOX_READ[@]}"; do printf '%s\0' --ro-bind "${path}" "${path}"; done
    for path in "${SANDBOX_WRITE[@]}"; do printf '%s\0' --bind "${path}" "${path}"; done
    for setting in "${SANDBOX_ENV[@]}"; do printf '%s\0' --setenv "${setting%%=*}" "${setting#*=}"; done
    printf '%s\0' --chdir "${SANDBOX_CWD}"
  } >"$1"
}

# Without bwrap but as root: uid 65534 must be able to reach its files in
# the grading's work directory (the kit's own are readable by anyone).
open_view_to_sandbox_uid() {
  local path
  for path in "${SANDBOX_WRITE[@]}"; do chown -R "${SANDBOX_UID}:${SANDBOX_UID}" "${path}"; done
  for path in "${SANDBOX_READ[@]}" "${SANDBOX_WRITE[@]}"; do
    [[ "${path}" == "${WORK}/"* ]] || continue
    chmod -R o+rX "${path}"
    while path="${path%/*}" && [[ "${path}" == "${WORK}"* ]]; do chmod o+x "${path}"; done
  done
  # The grading's own temporary directories above it, and no others.
  path="${WORK}"
  while [[ -n "${path}" ]]; do
    [[ "${path##*/}" == race-kit.* ]] && chmod o+x "${path}"
    path="${path%/*}"
  done
}

# The one place where a step that touches student text starts: the runner,
# in the isolation chosen by the preflight, under the grading's cgroups and
# limits.  The caller sets (as locals) SANDBOX_READ, SANDBOX_WRITE (arrays
# of paths), SANDBOX_ENV (NAME=value settings) and SANDBOX_CWD.
start_untrusted() { # <report file> <timeout ms> <runner options...> -- <program> [args...]
  local report="$1" timeout_ms="$2" cores
  shift 2
  cores="$(nproc 2>/dev/null || echo 2)"
  local -a options=(--report "${report}" --timeout "${timeout_ms}" --max-output "${LIMIT_FILE_BYTES}"
    --cpu-seconds "$(((timeout_ms * cores + 999) / 1000 + 1))")
  while (($# > 0)) && [[ "$1" != -- ]]; do
    options+=("$1")
    shift
  done
  shift
  local dir
  local -a cgroups
  IFS=: read -r -a cgroups <<<"${RACE_KIT_CGROUPS:-}"
  for dir in "${cgroups[@]}"; do options+=(--cgroup "${dir}"); done
  case "${RACE_KIT_ISOLATION:-none}" in
    sandbox)
      write_sandbox_options "${report}.sandbox"
      options+=(--sandbox "${report}.sandbox")
      ;;
    uid)
      open_view_to_sandbox_uid
      options+=(--uid "${SANDBOX_UID}" --gid "${SANDBOX_UID}" --max-tasks "${LIMIT_TASKS}")
      ;;
  esac
  # shellcheck disable=SC2153 # set by the caller
  env -i "${SANDBOX_ENV[@]}" "${RACE_KIT_RUNNER}" "${options[@]}" --cwd "${SANDBOX_CWD}" -- "$@"
}
