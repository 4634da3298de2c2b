# shellcheck shell=bash
# Preflight: before grading anything, prove that every tool works.  A broken
# environment ends the run with EXIT_ENV and the exact command that fixes it;
# it is never reported as the student's failure.
#
# On success it sets, for the grading scripts:
#   RACE_KIT_RUNNER        the compiled runner (checker/runner/*.c)
#   RACE_KIT_SYMBOLIZER    llvm-symbolizer, so TSan reports carry file:line
#   RACE_KIT_TSAN_PREFIX   a command prefix for TSan programs ("" or setarch -R)

# shellcheck source=sandbox.bash
source "${CHECKER_ROOT}/lib/sandbox.bash"

# "tool package" for each tool that grading cannot do without.
missing_tools() {
  local tool package
  requirements grading | while read -r tool package; do
    command -v "${tool}" >/dev/null 2>&1 || printf '%s %s\n' "${tool}" "${package}"
  done
}

require_tools() {
  local -a missing
  mapfile -t missing < <(missing_tools)
  ((${#missing[@]} == 0)) && return 0
  die_env "missing tools: $(printf '%s\n' "${missing[@]}" | cut -d' ' -f1 | paste -sd' ').
  Install them with:  sudo apt-get install -y $(printf '%s\n' "${missing[@]}" | cut -d' ' -f2 | paste -sd' ')
  (or run 'make setup' from the kit's top directory)"
}

# Compile a helper once per source version; concurrent checkers may race to
# build it, so each writes a private file and renames it into place.  The
# source is one C file or a directory of them (the runner).  A cached file
# is used only when it is ours and nobody else may write to it or to the
# cache; otherwise it is built again.
build_cached() { # <source.c or dir> <name> <compiler and flags...>
  local source="$1" name="$2"
  shift 2
  local cache stamp target
  local -a sources=("${source}")
  [[ -d "${source}" ]] && sources=("${source}"/*.c)
  cache="$(cache_dir)"
  stamp="$(cat "${sources[@]}" "${source%/}"/*.h 2>/dev/null | cksum | cut -d' ' -f1)"
  target="${cache}/${name}-${stamp}"
  if ! cached_file_trusted "${target}"; then
    rm -f "${target}"
    TMPDIR="${cache}" "$@" -o "${target}.$$" "${sources[@]}" 2>"${cache}/${name}.log" ||
      die_env "could not compile ${source} (see ${cache}/${name}.log)"
    mv -f "${target}.$$" "${target}"
    # Builds of other versions unused for a week are of no more use (not at
    # once: checkers of two kit versions may share the cache).
    find "${cache}" -maxdepth 1 -name "${name}-*" ! -name "${target##*/}" ! -name '*.*' \
      -atime +7 -delete 2>/dev/null || true
  fi
  printf '%s\n' "${target}"
}

# True when FILE is an executable owned by us that only we may change, in a
# directory only we may change.
cached_file_trusted() { # <file>
  [[ -x "$1" && ! -L "$1" && -O "$1" && -O "${1%/*}" ]] || return 1
  [[ -z "$(find "$1" "${1%/*}" -maxdepth 0 -perm /022 2>/dev/null)" ]]
}

# Run the canary; succeed when TSan reported its race to the log directory.
canary_reports_race() { # <canary binary> <log dir> [prefix command...]
  local canary="$1" logs="$2"
  shift 2
  rm -f "${logs}"/tsan.*
  env -i PATH=/usr/bin:/bin \
    TSAN_OPTIONS="log_path=${logs}/tsan exitcode=66 external_symbolizer_path=${RACE_KIT_SYMBOLIZER}" \
    "$@" "${canary}" >/dev/null 2>"${logs}/stderr"
  local status=$?
  ((status == 66)) && grep -qs 'WARNING: ThreadSanitizer: data race' "${logs}"/tsan.*
}

# The canary's verdict holds until the machine reboots or its address-space
# randomisation changes, so it is kept per boot: it costs a grading nothing.
canary_stamp() { # <canary binary>
  local boot bits
  boot="$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)"
  bits="$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo unknown)"
  printf '%s/canary-passed-%s-%s-%s\n' "$(cache_dir)" "${1##*/}" "${boot}" "${bits}"
}

check_tsan_works() {
  local canary logs stamp
  canary="$(build_cached "${CHECKER_ROOT}/lib/tsan-canary.c" tsan-canary \
    clang -fsanitize=thread -g -O1 -pthread)"
  stamp="$(canary_stamp "${canary}")"
  if [[ -f "${stamp}" ]]; then
    RACE_KIT_TSAN_PREFIX="$(cat "${stamp}")"
    return 0
  fi
  logs="$(mktemp -d "${TMPDIR:-/tmp}/race-kit-canary.XXXXXX")"
  RACE_KIT_TSAN_PREFIX=""
  if ! canary_reports_race "${canary}" "${logs}"; then
    if grep -qs 'unexpected memory mapping' "${logs}/stderr" &&
      canary_reports_race "${canary}" "${logs}" setarch "$(uname -m)" -R; then
      # clang 14's TSan cannot cope with this kernel's address-space
      # randomisation; running without it is the documented workaround.
      RACE_KIT_TSAN_PREFIX="setarch $(uname -m) -R"
    else
      local why
      why="$(head -n 5 "${logs}/stderr")"
      rm -rf "${logs}"
      die_env "ThreadSanitizer does not work on this machine: the canary race was not reported.
${why}
  If it says 'unexpected memory mapping', run:  sudo sysctl vm.mmap_rnd_bits=28
  If the TSan runtime is missing, run:  sudo apt-get install -y clang libclang-rt-dev"
    fi
  fi
  rm -rf "${logs}"
  printf '%s' "${RACE_KIT_TSAN_PREFIX}" >"${stamp}"
}

check_valgrind_works() {
  valgrind --tool=helgrind --version >/dev/null 2>&1 ||
    die_env "valgrind is installed but does not run ('valgrind --version' failed).
  Reinstall it with:  sudo apt-get install --reinstall -y valgrind"
}

preflight() {
  require_tools
  choose_isolation
  RACE_KIT_SYMBOLIZER="$(command -v llvm-symbolizer)"
  RACE_KIT_RUNNER="$(build_cached "${CHECKER_ROOT}/runner" run-program \
    gcc -O2 -Wall -Wextra)"
  check_valgrind_works
  check_tsan_works
  export RACE_KIT_RUNNER RACE_KIT_SYMBOLIZER RACE_KIT_TSAN_PREFIX
  if [[ -n "${REQUIRE_SANDBOX:-}" && "${RACE_KIT_ISOLATION}" != sandbox ]]; then
    die_env "the sandbox is required (${REQUIRE_SANDBOX}) but cannot be used: ${RACE_KIT_ISOLATION_REASON}.
  Install bubblewrap ('make setup') on a machine that allows user namespaces, or grade without --require-sandbox."
  fi
}
