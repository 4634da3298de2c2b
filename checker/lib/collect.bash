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
helgrind_analysis() { # <run dir>
  local xml="$1/logs/helgrind.xml" parsed
  if [[ -s "${xml}" ]] &&
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

# True when the harness reached its end in a run that ended by itself.
run_finished() { # <run dir>
  grep -qx 'outcome=exited' "$1/report" 2>/dev/null && grep -qx 'finished=1' "$1/result" 2>/dev/null
}

summarize_run() { # <run dir> <analyzer> <params json>
  local dir="$1" document problems="" analysis
  document="$(run_document "${dir}" "$3")"
  run_finished "${dir}" && problems="$(oracle_problems "${dir}" "${document}")"
  analysis="$("$2_analysis" "${dir}")"
  jq -n --arg analyzer "$2" --argjson document "${document}" --arg problems "${problems}" \
    --argjson analysis "${analysis}" --arg stacks "$(deadlock_stacks "${dir}")" '
    $document.report + {analyzer: $analyzer, params: $document.params,
      finished: ($document.result.finished == 1), stacks: $stacks,
      problems: ($problems | split("\n") | map(select(length > 0) | fromjson | tostring)),
      analysis: ({readable: true} + $analysis)}' >"${dir}/summary.json"
}
