# shellcheck shell=bash
# The build criterion: take the student's files, refuse what would blind the
# analyzers, and compile them with the kit's own harness twice: for TSan
# (clang) and for Helgrind (gcc).  Results land in $WORK/build:
#   verdict.json   {"passed", "message", "evidence"}
#   primitives     the synchronisation primitives the student's code uses
# The functions return non-zero when the build criterion failed.

# Warnings that gcc 14 and clang 16 turned into errors are errors on every
# compiler, so that a fix builds, or not, the same everywhere (lib/error-flags,
# read by the Makefile's run targets too).  clang 14 already refuses the
# others those releases made errors (return-mismatch, a parameter without a
# type), and every build goes through clang.
read -r -a ERROR_FLAGS <"${CHECKER_ROOT}/lib/error-flags"
readonly ERROR_FLAGS
readonly WARNING_FLAGS=(-Wall -Wextra "${ERROR_FLAGS[@]}")
readonly TSAN_CC=(clang -fsanitize=thread -g -O1 -pthread)
readonly PLAIN_CC=(gcc -g -O0 -pthread)
# How every build links the harness runtime: one list, read by the Makefile too.
read -r -a KIT_LINK_FLAGS <"${CHECKER_ROOT}/harness/link-flags"
readonly KIT_LINK_FLAGS
# 'checker/check analyze' builds someone's own program: no harness, no rules
# about what it may call, and fopen() left alone.
if analyzing; then
  readonly KIT_CFLAGS=(-DKIT_ANY_FOPEN)
else
  readonly KIT_CFLAGS=()
fi

build_verdict() { # <passed true|false> <message> [evidence file]
  local evidence=""
  [[ -n "${3:-}" && -s "$3" ]] && evidence="$(head -c 4000 "$3")"
  jq -n --argjson passed "$1" --arg message "$2" --arg evidence "${evidence}" \
    '{passed: $passed, message: $message, evidence: $evidence}' >"${WORK}/build/verdict.json"
  [[ "$1" == true ]]
}

readonly STUDENT_FILE_BYTES=1048576 # the most a student file may hold

# Copy the student's files into $WORK/src: regular files only, in a folder
# that is no symbolic link itself, found where they are (resolved, they stay
# inside that folder), and of a size a source file has.
stage_student_files() { # <source dir>
  local name dir
  if [[ -L "$1" ]]; then
    build_verdict false "${1##*/} is a symbolic link: the exercise is graded from a folder of its own, not a link to another"
    return 1
  fi
  dir="$(realpath -e -- "$1" 2>/dev/null)" || dir="$1"
  for name in "${STUDENT_FILES[@]}"; do
    if [[ -L "$1/${name}" || ! -f "$1/${name}" ]]; then
      build_verdict false "${name} not found in $1 (expected a regular file: the exercise is graded from it)"
      return 1
    fi
    if [[ "$(realpath -e -- "$1/${name}" 2>/dev/null)" != "${dir}/${name}" ]]; then
      build_verdict false "${name} is not a file of its own in $1 (a path through a link is not graded)"
      return 1
    fi
    if (($(stat -c %s -- "$1/${name}") > STUDENT_FILE_BYTES)); then
      build_verdict false "${name} is larger than $((STUDENT_FILE_BYTES >> 20)) MiB: that is no source file to grade"
      return 1
    fi
    cp -- "$1/${name}" "${WORK}/src/${name}"
  done
}

# The spec's own "cflags" ('checker/check analyze': the program's directory
# on the quoted include path, the user's -I and -D) come after the kit's.
include_flags() {
  printf '%s\n' -I "${EXERCISE_DIR}/harness" -I "${CHECKER_ROOT}/harness" "${SPEC_CFLAGS[@]}"
}

readonly COMPILE_LIMIT_MS=120000 # each compiler or preprocessor step, wall time

# The directories the spec's flags put on the include path (-I DIR, -iquote
# DIR, always spelt apart): 'analyze' builds a program beside its headers,
# so the sandbox must show them, read-only.
spec_include_dirs() {
  local i
  for ((i = 0; i + 1 < ${#SPEC_CFLAGS[@]}; i++)); do
    case "${SPEC_CFLAGS[i]}" in
      -I | -iquote) printf '%s\n' "${SPEC_CFLAGS[i + 1]}" ;;
    esac
  done
}

# One step of the build that reads student text (a preprocessor, compiler
# or linker call), through start_untrusted: in the sandbox it sees the
# student's copied files, the build directory (writable), the exercise's
# and the kit's harness (read-only), and nothing else.  Its output goes to
# this function's stdout and stderr; a compiler stopped by a limit fails
# with a line saying which.
untrusted_step() { # <cwd> <command...>
  local cwd="$1" step
  shift
  mkdir -p "${WORK}/steps"
  step="$(mktemp -d "${WORK}/steps/XXXXXX")"
  # shellcheck disable=SC2034 # read by start_untrusted
  local -a SANDBOX_READ=("${EXERCISE_DIR}/harness" "${CHECKER_ROOT}/harness") \
    SANDBOX_WRITE=("${WORK}/src" "${WORK}/build") \
    SANDBOX_ENV=(PATH=/usr/bin:/bin LC_ALL=C HOME=/tmp TMPDIR=/tmp)
  # shellcheck disable=SC2034
  local SANDBOX_CWD="${cwd}"
  mapfile -t -O "${#SANDBOX_READ[@]}" SANDBOX_READ < <(spec_include_dirs)
  start_untrusted "${step}/report" "${COMPILE_LIMIT_MS}" --hang-ms 0 \
    --stdout "${step}/stdout" --stderr "${step}/stderr" -- "$@" ||
    die_env "the runner failed on a build step of ${EXERCISE_NAME:-the program}: $(cat "${step}/report" 2>/dev/null)"
  cat "${step}/stdout"
  cat "${step}/stderr" >&2
  local outcome code
  outcome="$(sed -n 's/^outcome=//p' "${step}/report")"
  code="$(sed -n 's/^exit_code=//p' "${step}/report")"
  case "${outcome}" in
    exited) return "${code}" ;;
    timeout) echo "${1##*/}: the compiler did not finish within $((COMPILE_LIMIT_MS / 1000)) s" >&2 ;;
    signaled) echo "${1##*/}: the compiler was stopped by $(sed -n 's/^signal_name=//p' "${step}/report") (a limit of memory, file size or CPU time)" >&2 ;;
    *) echo "${1##*/}: the compiler could not run: $(sed -n 's/^error=//p' "${step}/report")" >&2 ;;
  esac
  return 1
}

# Each real build's own preprocessor, flags and predefined macros (clang's
# __clang__, -pthread's _REENTRANT...), so that code compiled only under one
# of them is scanned too.  (A script for the sandbox's sh: its variables are
# its own.)
# shellcheck disable=SC2016
readonly PREPROCESS_SCRIPT='for f; do
  printf "%s\n" "#KIT-FILE $f"
  gcc -fpreprocessed -dD -E "$f"
  printf "%s\n" "#KIT-FILE $f"
  '"${PLAIN_CC[*]} ${KIT_CFLAGS[*]}"' -E -I "$H1" -I "$H2" "$f"
  printf "%s\n" "#KIT-FILE $f"
  '"${TSAN_CC[*]} ${KIT_CFLAGS[*]}"' -E -I "$H1" -I "$H2" "$f"
done'

# The student's own lines as "file:line<TAB>text", comments removed: once as
# written, and once with every macro expanded by each build's preprocessor,
# so macros cannot hide what the code really does.
student_lines() {
  untrusted_step "${WORK}/src" /bin/sh -c "H1='${EXERCISE_DIR}/harness' H2='${CHECKER_ROOT}/harness'
${PREPROCESS_SCRIPT}" sh "${STUDENT_FILES[@]}" 2>/dev/null |
    awk -v src="${WORK}/src/" '
      /^#KIT-FILE / { label = substr($0, 11); want = label; in_student = 1; line = 1; next }
      /^# [0-9]+ "/ { line = $2; split($0, q, "\""); in_student = (q[2] == want || q[2] == src want); next }
      { if (in_student) print label ":" line "\t" $0; line++ }'
}

# Lines of the raw sources that include an analyzer's own header.
analyzer_includes() {
  local name
  for name in "${STUDENT_FILES[@]}"; do
    grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](valgrind|sanitizer)/' \
      "${WORK}/src/${name}" | cut -d: -f1 | sed "s|^|${name}:|" || true
  done
}

readonly -a FORBIDDEN_PATTERNS=(
  '\b(asm|__asm__|__asm)\b|inline assembly'
  '__(tsan|sanitizer|asan|lsan|msan|ubsan|hwasan|dfsan|memprof|scudo)|a sanitizer interface function'
  'no_sanitize|disable_sanitizer_instrumentation|no_instrument_function|an attribute that turns off analysis'
  '\b(VALGRIND|ANNOTATE)_[A-Z_]+|a Valgrind client request or annotation'
  '\bsyscall\b|a raw system call'
  '(__attribute__|__attribute\b|\[\[|__declspec\b).*\b_*(constructor|destructor|ifunc|alias|weakref|weak|section|visibility|used|retain|init_priority|symver|target_clones)_*\b|an attribute that changes how the program is linked or started'
  '\b(_Pragma|__pragma)\b|a _Pragma operator'
)

# The headers graded code may include with quotes: the exercise's own
# (its harness's and the student's), by plain name.
own_headers() {
  local name
  for name in "${EXERCISE_DIR}"/harness/*.h "${STUDENT_FILES[@]}"; do
    [[ "${name}" == *.h ]] && printf '%s\n' "${name##*/}"
  done
}

# Directives of the raw sources that hide code or reach outside the
# submission, as "file:line<TAB>why": line markers, includes of anything but
# the system's headers (<...>) and the exercise's own ("..."), computed
# includes, and pragmas.  Lines are spliced and comments removed first, so
# neither a backslash-newline nor a comment in front hides a directive.
directive_problems() {
  local name
  for name in "${STUDENT_FILES[@]}"; do
    awk -v label="${name}" -v own="$(own_headers | paste -sd' ' -)" '
      BEGIN { n = split(own, list, " "); for (i = 1; i <= n; i++) allowed[list[i]] = 1 }
      function problem(why) { print label ":" start "\t" why }
      {
        if (pending == "") start = NR
        text = $0
        if (text ~ /\\[ \t]*$/) { sub(/\\[ \t]*$/, "", text); pending = pending text; next }
        text = pending text; pending = ""
        if (in_comment) { if (!sub(/^.*\*\//, "", text)) next; in_comment = 0 }
        gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, " ", text)
        if (sub(/\/\*.*$/, "", text)) in_comment = 1
        sub(/\/\/.*$/, "", text)
        if (text !~ /^[ \t]*(#|%:|\?\?=)/) next
        sub(/^[ \t]*(#|%:|\?\?=)[ \t]*/, "", text)
        if (text ~ /^(line([^A-Za-z0-9_]|$)|[0-9])/) { problem("a line marker (#line or # N), which changes where the lines after it claim to come from"); next }
        if (text ~ /^(include_next|import)([^A-Za-z0-9_]|$)/) { problem("an #include_next or #import"); next }
        if (text ~ /^pragma([^A-Za-z0-9_]|$)/) { if (text !~ /^pragma[ \t]+once[ \t]*$/) problem("a #pragma, which can change how the code is compiled"); next }
        if (text !~ /^include([^A-Za-z0-9_]|$)/) next
        sub(/^include[ \t]*/, "", text); sub(/[ \t]*$/, "", text)
        if (text ~ /^<[^>]*>$/) {
          header = substr(text, 2, length(text) - 2)
          if (header !~ /^[A-Za-z0-9_][A-Za-z0-9_.+\/-]*$/ || header ~ /\.\./)
            problem("an include of <" header ">: only the system'"'"'s own headers may be named with <...>")
        } else if (text ~ /^"[^"]*"$/) {
          header = substr(text, 2, length(text) - 2)
          if (!(header in allowed) || header == label)
            problem("an include of \"" header "\": only the exercise'"'"'s own headers (" own ") may be named with quotes")
        } else problem("an include whose file is named by a macro")
      }' "${WORK}/src/${name}"
  done
}

# Fail the build when the code tries to silence or bypass the analyzers.
reject_forbidden_code() {
  local lines="${WORK}/build/student.i" found="${WORK}/build/forbidden.txt"
  # Directives first: a preprocessor told to include /dev/zero would only
  # stop at a limit.
  directive_problems >"${found}"
  local entry pattern what directives_refused=""
  [[ -s "${found}" ]] && directives_refused=yes
  analyzer_includes | sed 's/$/\tincludes an analyzer header/' >>"${found}" || true
  [[ -n "${directives_refused}" ]] || student_lines >"${lines}"
  [[ -n "${directives_refused}" ]] || for entry in "${FORBIDDEN_PATTERNS[@]}"; do
    pattern="${entry%|*}"
    what="${entry##*|}"
    grep -P "\t.*(${pattern})" "${lines}" | head -n 3 |
      awk -F'\t' -v what="${what}" '{ print $1 "\t" what }' >>"${found}" || true
  done
  [[ -s "${found}" ]] || return 0
  sort -u -t$'\t' -k1,1V -k2,2 -o "${found}" "${found}"
  local summary
  summary="$(awk -F'\t' '
    !($2 in where) { order[++n] = $2 }
    { where[$2] = where[$2] (where[$2] == "" ? "" : ", ") $1 }
    END { for (i = 1; i <= n; i++) printf "%s%s (%s)", (i > 1 ? "; " : ""), order[i], where[order[i]] }' "${found}")"
  source_lines_of "${found}" >"${WORK}/build/forbidden-lines.txt"
  build_verdict false "not allowed: ${summary}.
Graded code must let both analyzers see every memory access and lock: fix the bug with the primitives from the lecture instead." \
    "${WORK}/build/forbidden-lines.txt"
}

# The student's own source line for each "file:line<TAB>..." entry.
source_lines_of() { # <entries file>
  local location file line
  cut -f1 "$1" | sort -u -V | while IFS= read -r location; do
    file="${location%%:*}"
    line="${location##*:}"
    printf '%s: %s\n' "${location}" "$(sed -n "${line}{s/^[[:space:]]*//;p;q}" "${WORK}/src/${file}" | cut -c1-120)"
  done
}

# Record which primitives the code uses: some are known Helgrind blind spots.
detect_primitives() {
  local symbols="${WORK}/build/undefined.txt"
  {
    grep -qP '\t.*\b(__atomic_\w+|__sync_\w+|_Atomic|__c11_atomic_\w+)\b' "${WORK}/build/student.i" &&
      echo atomics
    grep -qx 'pthread_once' "${symbols}" && echo once
    grep -q '^pthread_spin_' "${symbols}" && echo spinlock
    grep -qx 'pthread_mutex_trylock' "${symbols}" && echo trylock
  } >"${WORK}/build/primitives" || true
}

compile_tsan() { # <harness sources...>
  local -a includes
  mapfile -t includes < <(include_flags)
  untrusted_step "${WORK}/src" \
    "${TSAN_CC[@]}" "${WARNING_FLAGS[@]}" "${includes[@]}" "${STUDENT_FILES[@]}" "$@" \
    "${KIT_CFLAGS[@]}" "${CHECKER_ROOT}/harness/kit.c" "${KIT_LINK_FLAGS[@]}" \
    -o "${WORK}/build/prog_tsan"
}

# The plain build keeps its objects (build/student, build/harness) so the
# symbol check can read them.  kit.c alone is the kit's own text, compiled
# outside the sandbox.
compile_plain() { # <harness sources...>
  local -a includes objects
  mapfile -t includes < <(include_flags)
  local build="${WORK}/build"
  untrusted_step "${WORK}/src" "${PLAIN_CC[@]}" "${WARNING_FLAGS[@]}" "${includes[@]}" -c "${STUDENT_FILES[@]}" || return
  mv "${WORK}"/src/*.o "${build}/student/" || return
  if (($# > 0)); then
    untrusted_step "${build}/harness" "${PLAIN_CC[@]}" "${WARNING_FLAGS[@]}" "${includes[@]}" -c "$@" || return
  fi
  "${PLAIN_CC[@]}" "${WARNING_FLAGS[@]}" "${KIT_CFLAGS[@]}" -c "${CHECKER_ROOT}/harness/kit.c" \
    -o "${build}/kit.o" || return
  mapfile -t objects < <(compgen -G "${build}/harness/*.o")
  untrusted_step "${build}" "${PLAIN_CC[@]}" "${build}"/student/*.o "${objects[@]}" "${build}/kit.o" \
    "${KIT_LINK_FLAGS[@]}" -o "${build}/prog_plain"
}

# The TSan build (clang, the slow one) in the background; finish_tsan_build
# waits for it.  Compiler output goes to build/<flavour>.log.
start_tsan_build() { # <harness sources...>
  (compile_tsan "$@") >"${WORK}/build/tsan.log" 2>&1 &
  TSAN_BUILD_JOB=$!
}

finish_tsan_build() {
  wait "${TSAN_BUILD_JOB}"
}

# "file:line:col: error: ..." lines of both compilers, each once, in the
# order the compilers printed them: the first error is the one to fix, and
# later ones are often only its consequences.
compiler_diagnostics() { # <severity regex>
  cat "${WORK}/build/plain.log" "${WORK}/build/tsan.log" |
    grep -E "^[^ ]+:[0-9]+:[0-9]+: (${1})" | awk '!seen[$0]++' || true
}

report_compile_failure() {
  local errors="${WORK}/build/errors.txt"
  compiler_diagnostics 'error|fatal error' >"${errors}"
  [[ -s "${errors}" ]] || cat "${WORK}/build/plain.log" "${WORK}/build/tsan.log" >"${errors}"
  build_verdict false "does not compile: $(head -n 1 "${errors}")" "${errors}"
}

libc_exports() {
  local list
  list="$(cache_dir)/libc-exports"
  if [[ ! -s "${list}" ]]; then
    nm -D --defined-only "$(gcc -print-file-name=libc.so.6)" | awk '{ print $3 }' |
      sed 's/@.*//' | sort -u >"${list}.$$" && mv -f "${list}.$$" "${list}"
  fi
  printf '%s\n' "${list}"
}

# What the student's objects may refer to: the kit's list (its "!" lines are
# refusals with advice, not names), the exercise's additions, and whatever the
# exercise's harness defines (but never main).
write_allowed_calls() { # <output file>
  {
    awk '!/^(#|!)/ && NF { print $1 }' "${CHECKER_ROOT}/lib/allowed-calls.txt"
    jq -r '.allowed_calls // [] | .[]' "${EXERCISE_DIR}/exercise.json"
    compgen -G "${WORK}/build/harness/*.o" | xargs -r nm --defined-only -g | awk 'NF == 3 && $3 != "main" { print $3 }'
  } >"$1"
}

# "name<TAB>file:line" for the symbols nm lists with these options, the place
# read from the debug information (for an undefined symbol, the first place
# that refers to it), relative to the student's folder.
symbols_with_places() { # <nm options...>
  local object
  for object in "${WORK}"/build/student/*.o; do
    nm -l "$@" "${object}"
  done | awk -F'\t' -v src="${WORK}/src/" '
    {
      n = split($1, part, " ")
      if (n < 2 || seen[part[n]]++) next
      where = $2
      sub(/ \(discriminator [0-9]+\)$/, "", where)
      if (index(where, src) == 1) where = substr(where, length(src) + 1)
      print part[n] "\t" (where == "" ? "your code" : where)
    }'
}

# The students' undefined symbols as "name<TAB>name as written<TAB>place".
# Newer headers replace some calls by others: C23 and _GNU_SOURCE turn
# strtol into __isoc23_strtol, _FORTIFY_SOURCE printf into __printf_chk,
# large-file and 64-bit-time builds fopen into fopen64 or nanosleep into
# __nanosleep64.  The name as written undoes that, so that every toolchain
# judges the same call.
undefined_symbols() {
  symbols_with_places --undefined-only | awk -F'\t' '
    function as_written(name) {
      if (name ~ /^__isoc(99|23)_/) sub(/^__isoc(99|23)_/, "", name)
      else if (name ~ /^__xpg_/) sub(/^__xpg_/, "", name)
      else if (name ~ /^__[a-z0-9_]+_chk$/ && name !~ /^__stack_chk_/) { sub(/^__/, "", name); sub(/_chk$/, "", name) }
      else if (name ~ /^(__)?[a-z_]*[a-z]64$/) { sub(/^__/, "", name); sub(/_?64$/, "", name) }
      return name
    }
    { print $1 "\t" as_written($1) "\t" $2 }' | sort -t$'\t' -k1,1
}

# Each problem with the symbols of the student's objects, as
# "place<TAB>what is wrong and what to use instead".  Allowed names and the
# "!" advice may be shell-style globs ("pthread_*").
symbol_problems() {
  local allowed="${WORK}/build/allowed.txt" symbols="${WORK}/build/undefined-places.txt"
  write_allowed_calls "${allowed}"
  undefined_symbols >"${symbols}"
  cut -f2 "${symbols}" | sort -u >"${WORK}/build/undefined.txt"
  symbols_with_places --defined-only -g | awk -F'\t' '$1 != "" { print }' >"${WORK}/build/defined.txt"
  awk -F'\t' -v allowed="${allowed}" -v libc="$(libc_exports)" \
      -v advice="${CHECKER_ROOT}/lib/allowed-calls.txt" '
    function glob_to_regex(glob) { gsub(/\*/, ".*", glob); return "^" glob "$" }
    function lookup(name, table,    p) { for (p in table) if (name ~ p) return table[p]; return "" }
    BEGIN {
      while ((getline line < allowed) > 0) if (line != "") patterns[glob_to_regex(line)] = "yes"
      while ((getline line < libc) > 0) library[line] = 1
      while ((getline line < advice) > 0) if (line ~ /^!/) {
        split(substr(line, 2), word, " ")
        text = substr(line, 2)
        sub(/^[^ ]+ +/, "", text)
        instead[glob_to_regex(word[1])] = text
      }
    }
    FILENAME ~ /undefined-places/ {
      if (lookup($1, patterns) != "" || lookup($2, patterns) != "") next
      hint = lookup($2, instead)
      print $3 "\tcalls " $2 (hint != "" ? ": " hint : ", which is not on the list of calls graded code may make")
    }
    FILENAME ~ /defined.txt$/ && ($1 ~ /^_/ || $1 == "main" || ($1 in library)) {
      print $2 "\tdefines " $1 ", a name that belongs to the C library, the harness or the analyzers: rename it, and keep your own helpers static"
    }' "${symbols}" "${WORK}/build/defined.txt" | sort -t$'\t' -k1,1V -s
}

# Fail the build when the objects reach for anything outside the lecture's
# toolbox (files, raw system calls, the harness's result channel...).
reject_forbidden_symbols() {
  local problems="${WORK}/build/symbols.txt"
  symbol_problems >"${problems}"
  [[ -s "${problems}" ]] || return 0
  build_verdict false "not allowed: $(awk -F'\t' '{ printf "%s%s %s", (NR > 1 ? "; " : ""), $1, $2 }' "${problems}").
What graded code may call is listed in checker/lib/allowed-calls.txt, with the exercise's own additions and what its harness offers." \
    "${problems}"
}

# Run every step of the build criterion; non-zero when it failed.
# The symbols of the plain objects: in grading, rules about what student code
# may call; in analysis, just the list the primitives are read from.
check_symbols() {
  if analyzing; then
    nm --undefined-only "${WORK}"/build/student/*.o | awk 'NF == 2 { print $2 }' >"${WORK}/build/undefined.txt"
  else
    reject_forbidden_symbols
  fi
}

# Run every step of the build criterion; non-zero when it failed.  Both
# builds start at once; as soon as the plain build (gcc, the quick one) has
# passed every rule, <when plain build is ready> is called, so the Helgrind
# runs need not wait for clang.  Its runs do not count if clang then fails.
build_student_program() { # <student source dir> <when plain build is ready>
  mkdir -p "${WORK}/src" "${WORK}/build/student" "${WORK}/build/harness"
  : >"${WORK}/build/primitives"
  stage_student_files "$1" || return 1
  if analyzing; then
    student_lines >"${WORK}/build/student.i"
  else
    reject_forbidden_code || return 1
  fi
  local -a harness
  mapfile -t harness < <(compgen -G "${EXERCISE_DIR}/harness/*.c")
  start_tsan_build "${harness[@]}"
  if ! compile_plain "${harness[@]}" >"${WORK}/build/plain.log" 2>&1; then
    finish_tsan_build || true
    report_compile_failure
    return 1
  fi
  if ! check_symbols; then
    finish_tsan_build || true
    return 1
  fi
  "$2"
  if ! finish_tsan_build; then
    report_compile_failure
    return 1
  fi
  detect_primitives
  compiler_diagnostics 'warning' >"${WORK}/build/warnings.txt"
  local count
  count="$(wc -l <"${WORK}/build/warnings.txt")"
  if ((count > 0)); then
    build_verdict true "compiles for both analyzers, with ${count} warning(s) worth reading" "${WORK}/build/warnings.txt"
  else
    build_verdict true "compiles cleanly with -Wall -Wextra for TSan (clang) and Helgrind (gcc)"
  fi
}
