# shellcheck shell=bash
# Turning a finished run's files into its facts, runs/<name>/summary.json:
#   {analyzer, params, outcome, exit_code, signal_name, wall_ms, cpu_ms,
#    spinning, blocked_ms, finished, problems, stacks,
#    analysis: {readable, complete, findings}}
# Everything is read from files the checker controls; the program's stdout
# and stderr are never trusted for a verdict.

readonly FILE_EXCERPT_BYTES=4096

# What the oracle judges: {params, result, files, exit_code, report}, where
# result and report are the key=value files as objects (numbers as numbers)
# and files holds the regular files the run left in its directory.
run_document() { # <run dir> <params json>
  local -a files=()
  local file
  for file in "$1"/cwd/* "$1"/cwd/.[!.]*; do
    [[ -f "${file}" && ! -L "${file}" ]] && files+=(--rawfile "file:${file##*/}" "${file}")
  done
  touch "$1/report" "$1/result"
  jq -n --argjson params "$2" --rawfile report "$1/report" --rawfile result "$1/result" \
    --argjson excerpt "${FILE_EXCERPT_BYTES}" "${files[@]}" '
    def key_values: split("\n") | map(capture("^(?<k>[A-Za-z0-9_]+)=(?<v>.*)$")?)
      | map({(.k): (.v | tonumber? // .)}) | add // {};
    ($report | key_values) as $report
    | {params: $params, result: ($result | key_values), report: $report,
       exit_code: $report.exit_code,
       files: ($ARGS.named | with_entries(select(.key | startswith("file:"))
         | .key |= ltrimstr("file:") | .value |= .[0:$excerpt]))}'
}

# The oracle's problems with a run that finished: one JSON value a line.
oracle_problems() { # <run dir> <run document>
  local problems
  if problems="$(jq -c -f "${ORACLE}" <<<"$2" 2>"$1/oracle.err")"; then
    printf '%s\n' "${problems}"
  else
    printf '"the results could not be judged (the harness reported something unexpected: %s)"\n' \
      "$(head -n 1 "$1/oracle.err" | sed 's/["\\]//g')"
  fi
}

tsan_analysis() { # <run dir>
  local -a logs
  mapfile -t logs < <(compgen -G "$1/logs/tsan.*")
  if ((${#logs[@]} == 0)); then
    echo '{"readable": true, "complete": true, "findings": []}'
  elif ! jq -R -s --arg srcdir "${WORK}/src" -f "${CHECKER_ROOT}/lib/tsan.jq" "${logs[@]}" 2>/dev/null; then
    echo '{"readable": false, "complete": false, "findings": []}'
  fi
}

# xsltproc fails on malformed or truncated XML: that is never a clean run.
# Valgrind never writes a DOCTYPE; one in the file means the program rewrote
# it, and xsltproc would expand its entities (reading any file it names).
helgrind_analysis() { # <run dir>
  local xml="$1/logs/helgrind.xml" parsed
  if [[ -s "${xml}" ]] && ! grep -qs '<!DOCTYPE\|<!ENTITY' "${xml}" &&
    parsed="$(xsltproc "${CHECKER_ROOT}/lib/helgrind.xsl" "${xml}" 2>/dev/null |
      jq -R -s --arg srcdir "${WORK}/src" -f "${CHECKER_ROOT}/lib/helgrind.jq")"; then
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

# Who holds and wants which lock in a deadlocked run (deadlock.jq's output),
# from the lock bookkeeping gdb read out of the stuck program; {} without it.
deadlock_facts() { # <run dir> <binary>
  local stacks="$1/stacks" binary="$2" anchor_runtime anchor_file site
  anchor_runtime="$(awk '$1 == "KIT-ANCHOR" { print $2 }' "${stacks}" 2>/dev/null)"
  anchor_file="$(nm "${binary}" 2>/dev/null | awk '$3 == "kit_label" { print "0x" $1 }')"
  if [[ -z "${anchor_runtime}" || -z "${anchor_file}" ]]; then
    echo '{}'
    return 0
  fi
  # Each return address, moved back into the call instruction and made
  # relative to the file, for addr2line.
  awk '($1 == "KIT-WAITS" || $1 == "KIT-HOLDS") && $4 ~ /^0x/ && $4 != "0x0" { print $4 }' "${stacks}" | sort -u |
    while read -r site; do
      printf '%s 0x%x\n' "${site}" "$((site - 1 - anchor_runtime + anchor_file))"
    done >"$1/sites"
  cut -d' ' -f2 "$1/sites" | xargs -r addr2line -a -f -i -e "${binary}" >"$1/places" 2>/dev/null || true
  jq -n -r --rawfile stacks "${stacks}" --rawfile places "$1/places" --rawfile order "$1/sites" \
    --arg srcdir "${WORK}/src" -f "${CHECKER_ROOT}/lib/deadlock-facts.jq" |
    jq -c -f "${CHECKER_ROOT}/lib/deadlock.jq"
}

# True when the harness reached its end in a run that ended by itself.
run_finished() { # <run dir>
  grep -qx 'outcome=exited' "$1/report" 2>/dev/null && grep -qx 'finished=1' "$1/result" 2>/dev/null
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
  local dir="$1" document problems="" analysis
  stacks_in_runner_tids "${dir}/stacks"
  document="$(run_document "${dir}" "$3")"
  run_finished "${dir}" && problems="$(oracle_problems "${dir}" "${document}")"
  analysis="$("$2_analysis" "${dir}")"
  local deadlock='{}'
  grep -qs '^KIT-WAITS' "${dir}/stacks" && deadlock="$(deadlock_facts "${dir}" "${WORK}/build/prog_$2")"
  jq -n --arg analyzer "$2" --argjson document "${document}" --arg problems "${problems}" \
    --argjson analysis "${analysis}" --arg stacks "$(deadlock_stacks "${dir}")" \
    --argjson deadlock "${deadlock}" '
    $document.report + {analyzer: $analyzer, params: $document.params,
      finished: ($document.result.finished == 1), stacks: $stacks, deadlock: $deadlock,
      problems: ($problems | split("\n") | map(select(length > 0) | fromjson | tostring)),
      analysis: ({readable: true} + $analysis)}' >"${dir}/summary.json"
}
