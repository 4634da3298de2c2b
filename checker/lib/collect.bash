# shellcheck shell=bash
# Turning a finished run's files into its facts, runs/<name>/summary.json:
#   {analyzer, params, outcome, exit_code, signal_name, wall_ms, cpu_ms,
#    spinning, blocked_ms, finished, problems, stacks,
#    analysis: {readable, complete, findings}}
# Everything is read from files the checker controls; the program's stdout
# and stderr are never trusted for a verdict.

readonly FILE_EXCERPT_BYTES=4096
readonly RUN_FILES_SHOWN=64 # the most files of one run the oracle is shown, first by name

# What the oracle judges: {params, result, files, exit_code, report}, where
# result and report are the key=value files as objects (numbers as numbers)
# and files holds the regular files the run left in its directory.
run_document() { # <run dir> <params json>
  local -a files=()
  local file n=0
  mkdir -p "$1/excerpts"
  # Each file's excerpt is copied first and the number of files is capped, so
  # a run that leaves thousands of files, or large ones, neither overflows
  # jq's command line nor its memory.
  for file in "$1"/cwd/* "$1"/cwd/.[!.]*; do
    ((n < RUN_FILES_SHOWN)) || break
    [[ -f "${file}" && ! -L "${file}" ]] || continue
    head -c "${FILE_EXCERPT_BYTES}" -- "${file}" >"$1/excerpts/${n}"
    files+=(--rawfile "file:${file##*/}" "$1/excerpts/${n}")
    n=$((n + 1))
  done
  touch "$1/report" "$1/result"
  jq -n --argjson params "$2" --rawfile report "$1/report" --rawfile result "$1/result" \
    --argjson excerpt "${FILE_EXCERPT_BYTES}" "${files[@]}" '
    def key_values: split("\n") | map(capture("^(?<k>[A-Za-z0-9_]+)=(?<v>.*)$")?)
      | map(select(.k | startswith("lockgraph_") | not))
      | map({(.k): (.v | tonumber? // .)}) | add // {};
    ($report | key_values) as $report
    | {params: $params, result: ($result | key_values | del(.kit_label)), report: $report,
       exit_code: $report.exit_code,
       files: ($ARGS.named | with_entries(select(.key | startswith("file:"))
         | .key |= ltrimstr("file:") | .value |= .[0:$excerpt]))}'
}

# The oracle's problems with a run that finished: one JSON value a line.
oracle_problems() { # <run dir>
  local problems
  if problems="$(jq -c -f "${ORACLE}" "$1/document.json" 2>"$1/oracle.err")"; then
    printf '%s\n' "${problems}"
  else
    printf '"the results could not be judged (the harness reported something unexpected: %s)"\n' \
      "$(head -n 1 "$1/oracle.err" | sed 's/["\\]//g')"
  fi
}

# What the parsers name things by: the source files the reports point into
# (the student's and the harness's, as findings show them) and the labels
# the harness gave objects in this run (kit_label lines of its results).
naming_args() { # <run dir>
  [[ -s "${WORK}/sources.json" ]] || source_texts >"${WORK}/sources.json"
  printf '%s\n' --slurpfile sources_list "${WORK}/sources.json" --argjson labels
  { grep -s '^kit_label=' "$1/result" || true; } | jq -R -s -c '[split("\n")[] | capture("^kit_label=(?<start>0x[0-9a-fA-F]+) (?<size>[0-9]+) (?<name>.*)$")
    | .size |= tonumber]'
}

source_texts() {
  local -a args=()
  local file
  for file in "${WORK}/src/"*.[ch] "${EXERCISE_DIR:-/nonexistent}/harness/"*.[ch]; do
    [[ -f "${file}" ]] || continue
    case "${file}" in
      "${WORK}/src/"*) args+=(--rawfile "${file#"${WORK}/src/"}" "${file}") ;;
      *) args+=(--rawfile "harness/${file##*/}" "${file}") ;;
    esac
  done
  jq -n -c '$ARGS.named' "${args[@]}"
}

readonly TSAN_LOG_BYTES=$((4 << 20)) # of each log read; at most TSAN_LOGS logs
readonly TSAN_LOGS=8
# The harness's own race (kit_finish's tamper canary), told apart from the
# student's by its two accesses, both in the kit's own kit.c (by full path,
# which no student file has): it is set aside, and "canary" says whether it
# was there.
# shellcheck disable=SC2016 # jq's own $canary_frame
readonly TSAN_CANARY_FILTER='
  def is_canary: .category == "race" and .variable == "global '"'"'kit_canary_cell'"'"'"
    and (.text | tostring | indices($canary_frame) | length) == 2;
  . + {canary: any(.findings[]; is_canary), findings: [.findings[] | select(is_canary | not)]}'

tsan_analysis() { # <run dir>
  local -a logs naming
  mapfile -t logs < <(compgen -G "$1/logs/tsan.*" | head -n "${TSAN_LOGS}")
  mapfile -t naming < <(naming_args "$1")
  if ((${#logs[@]} == 0)); then
    echo '{"readable": true, "complete": true, "canary": false, "findings": []}'
  elif ! for log in "${logs[@]}"; do head -c "${TSAN_LOG_BYTES}" -- "${log}"; done |
    jq -R -s -L "${CHECKER_ROOT}/lib" --arg srcdir "${WORK}/src" "${naming[@]}" \
      --arg canary_frame "#0 kit_tamper_canary ${CHECKER_ROOT}/harness/kit.c:" \
      "$(cat "${CHECKER_ROOT}/lib/tsan.jq")
      | ${TSAN_CANARY_FILTER}" 2>/dev/null; then
    echo '{"readable": false, "complete": false, "canary": false, "findings": []}'
  fi
}

# xsltproc fails on malformed or truncated XML: that is never a clean run.
# Valgrind never writes a DOCTYPE; one in the file means someone else wrote
# it, and xsltproc would expand its entities (reading any file it names).
# The file must also start with Valgrind's own ASCII declaration and hold no
# NUL byte: a document in another encoding (UTF-16...) would hide a DOCTYPE
# from the byte check.  (The XML arrives through a socket the program cannot
# reach; this is a second line of defence.)
helgrind_xml_plain() { # <xml file>
  [[ -s "$1" && "$(head -c 22 "$1" | tr -d '\0')" == '<?xml version="1.0"?>'* ]] &&
    ! grep -qsaP '\x00' "$1" && ! grep -qsa '<!DOCTYPE\|<!ENTITY' "$1"
}

helgrind_analysis() { # <run dir>
  local xml="$1/logs/helgrind.xml" parsed
  local -a naming
  mapfile -t naming < <(naming_args "$1")
  if helgrind_xml_plain "${xml}" &&
    parsed="$(xsltproc --nonet "${CHECKER_ROOT}/lib/helgrind.xsl" "${xml}" 2>/dev/null |
      jq -R -s -L "${CHECKER_ROOT}/lib" --arg srcdir "${WORK}/src" "${naming[@]}" -f "${CHECKER_ROOT}/lib/helgrind.jq")"; then
    printf '%s\n' "${parsed}"
  else
    echo '{"readable": false, "complete": false, "findings": []}'
  fi
}

# Where each thread of a deadlocked run waits, from gdb's stacks: one line
# per thread that is inside the student's code, e.g.
#   Thread 3: blocked locking mutex 0x7b1c00000048 in lock_account (bank.c:39) <- transfer (bank.c:52)
deadlock_stacks() { # <run dir>
  [[ -s "$1/stacks" ]] || return 0
  awk -v src="${WORK}/src/" '
    function flush() {
      if (chain != "") print thread ": blocked " (mutex != "" ? "locking mutex " mutex " " : "") "in " chain
      chain = ""; mutex = ""
    }
    /^Thread [0-9]+ / { flush(); thread = $1 " " $2; next }
    /^#[0-9]+ / {
      if (mutex == "" && match($0, /mutex=0x[0-9a-f]+/)) mutex = substr($0, RSTART + 6, RLENGTH - 6)
      if ($NF !~ /:[0-9]+$/ || $(NF - 1) != "at") next
      file = $NF; sub(/:[0-9]+$/, "", file)
      if (index(file, src) != 1 && file ~ /\//) next
      fn = $0; sub(/^#[0-9]+ +(0x[0-9a-f]+ in )?/, "", fn); sub(/ .*/, "", fn)
      where = $NF; sub(src, "", where)
      chain = chain (chain == "" ? "" : " <- ") fn " (" where ")"
    }
    END { flush() }' "$1/stacks"
}

# Where the kit's wrappers were called from: each site (a return address
# in the running program, on standard input) moved back into the call
# instruction and made relative to the file, then placed by addr2line.
# Writes <prefix>.sites ("site offset" lines) and <prefix>.places.
place_sites() { # <binary> <runtime address of kit_label> <output prefix>
  local binary="$1" anchor_runtime="$2" anchor_file site
  anchor_file="$(nm "${binary}" 2>/dev/null | awk '$3 == "kit_label" { print "0x" $1 }')"
  : >"$3.sites"
  : >"$3.places"
  [[ -n "${anchor_file}" && "${anchor_runtime}" =~ ^0x[0-9a-f]{1,16}$ ]] || return 0
  grep -E '^0x[0-9a-f]{1,16}$' | grep -vx '0x0' | sort -u |
    while read -r site; do
      printf '%s 0x%x\n' "${site}" "$((site - 1 - anchor_runtime + anchor_file))"
    done >"$3.sites"
  cut -d' ' -f2 "$3.sites" | xargs -r addr2line -a -f -i -e "${binary}" >"$3.places" 2>/dev/null || true
}

# Who holds and wants which lock in a deadlocked run (deadlock.jq's output),
# from the lock bookkeeping gdb read out of the stuck program; {} without it.
deadlock_facts() { # <run dir> <binary>
  local stacks="$1/stacks" anchor_runtime
  anchor_runtime="$(awk '$1 == "KIT-ANCHOR" { print $2 }' "${stacks}" 2>/dev/null)"
  if [[ -z "${anchor_runtime}" ]]; then
    echo '{}'
    return 0
  fi
  awk '($1 == "KIT-WAITS" || $1 == "KIT-HOLDS") { print $4 }' "${stacks}" |
    place_sites "$2" "${anchor_runtime}" "$1/deadlock"
  jq -n -r -L "${CHECKER_ROOT}/lib" --rawfile stacks "${stacks}" --rawfile places "$1/deadlock.places" \
    --rawfile order "$1/deadlock.sites" --arg srcdir "${WORK}/src" -f "${CHECKER_ROOT}/lib/deadlock-facts.jq" |
    jq -c -f "${CHECKER_ROOT}/lib/deadlock.jq"
}

# What lockgraph.jq needs besides the record the kit wrote at the end of the
# run: where its sites are in the source (<run dir>/lockgraph.sites and
# .places) and the binary's data symbols, to name locks (lockgraph.symbols).
# Only a lock taken while another is held makes an edge: without one there
# is nothing to place.
lock_record_places() { # <run dir> <binary>
  local dir="$1" anchor
  : >"${dir}/lockgraph.sites"
  : >"${dir}/lockgraph.places"
  : >"${dir}/lockgraph.symbols"
  grep -q '^lockgraph_acquired=.* held=0x' "${dir}/result" 2>/dev/null || return 0
  anchor="$(sed -n 's/^lockgraph_begin=//p' "${dir}/result" | head -n 1)"
  sed -n 's/^lockgraph_acquired=[0-9]* [0-9]* 0x[0-9a-f]* [xrRwt]* \(0x[0-9a-f]*\) .*/\1/p' "${dir}/result" |
    place_sites "$2" "${anchor}" "${dir}/lockgraph"
  nm -S --defined-only "$2" 2>/dev/null |
    awk 'NF == 4 && (($3 ~ /^[bBdD]$/ && $4 !~ /^_/) || $4 == "kit_label")' >"${dir}/lockgraph.symbols" || true
}

# True when the harness reached its end in a run that ended by itself.
run_finished() { # <run dir>
  grep -qx 'outcome=exited' "$1/report" 2>/dev/null && grep -qx 'finished=1' "$1/result" 2>/dev/null
}

# True when every line on the result channel came from the harness's own
# writer: kit_finish's last line "channel_end=N" counts the lines above it.
result_channel_intact() { # <run dir>
  awk 'END { exit !(ended && count == NR - 1) }
    ended { ended = 0; exit }
    /^channel_end=[0-9]+$/ { ended = 1; count = substr($0, 13) + 0; next }
    !/^[A-Za-z0-9_]+=/ { exit 1 }' "$1/result" 2>/dev/null
}

# A sandboxed program records its threads by the ids of its own pid
# namespace; the runner's KIT-NSPID lines give gdb's id for each, which the
# lock bookkeeping's lines are rewritten to.
stacks_in_runner_tids() { # <stacks file>
  grep -qs '^KIT-NSPID ' "$1" || return 0
  awk '$1 == "KIT-NSPID" { outer[$3] = $2; next }
    ($1 == "KIT-WAITS" || $1 == "KIT-HOLDS") && ($2 in outer) { $2 = outer[$2] }
    { print }' "$1" >"$1.tids" && mv -f "$1.tids" "$1"
}

summarize_run() { # <run dir> <analyzer> <params json>
  local dir="$1" problems="" analysis
  stacks_in_runner_tids "${dir}/stacks"
  # A file, not an argument: with the run's files in it, it can outgrow what
  # one command-line argument may hold.
  run_document "${dir}" "$3" >"${dir}/document.json"
  local intact=true
  if run_finished "${dir}"; then
    if result_channel_intact "${dir}"; then
      problems="$(oracle_problems "${dir}")"
    else
      intact=false
    fi
  fi
  analysis="$("$2_analysis" "${dir}")"
  local deadlock='{}'
  grep -qs '^KIT-WAITS' "${dir}/stacks" && deadlock="$(deadlock_facts "${dir}" "${WORK}/build/prog_$2")"
  local binary="${WORK}/build/prog_tsan"
  [[ "$2" == tsan ]] || binary="${WORK}/build/prog_plain"
  lock_record_places "${dir}" "${binary}"
  jq -n -L "${CHECKER_ROOT}/lib" --arg analyzer "$2" --slurpfile document "${dir}/document.json" --arg problems "${problems}" \
    --argjson analysis "${analysis}" --arg stacks "$(deadlock_stacks "${dir}")" \
    --argjson deadlock "${deadlock}" --argjson intact "${intact}" --rawfile record "${dir}/result" --rawfile places "${dir}/lockgraph.places" \
    --rawfile order "${dir}/lockgraph.sites" --rawfile symbols "${dir}/lockgraph.symbols" --arg srcdir "${WORK}/src" '
    include "lockgraph";
    $document[0] as $document
    | $document.report + {analyzer: $analyzer, params: $document.params,
      finished: ($document.result.finished == 1), result_channel_intact: $intact,
      stacks: $stacks, deadlock: $deadlock,
      lock_graph: (if $record | test("(^|\n)lockgraph_begin=") then (try lock_graph catch {complete: false, why_incomplete: "the lock record could not be read", proven: false}) else null end),
      problems: ($problems | split("\n") | map(select(length > 0) | fromjson | tostring)),
      analysis: ({readable: true} + $analysis)}' >"${dir}/summary.json"
}
