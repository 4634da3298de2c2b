# shellcheck shell=bash
# Turning a finished run's files into one JSON summary, runs/<name>/summary.json:
#   {analyzer, params, outcome, exit_code, signal_name, wall_ms, cpu_ms,
#    spinning, finished, problems, stacks, analysis: {readable, complete, findings}}
# Everything is read from files the checker controls; the program's stdout
# and stderr are never trusted for a verdict.

key_value_json() { # <file>: "k=v" lines as an object, numbers as numbers
  if [[ -f "$1" ]]; then
    jq -R -s 'split("\n") | map(capture("^(?<k>[A-Za-z0-9_]+)=(?<v>.*)$")?)
      | map({(.k): (.v | tonumber? // .)}) | add // {}' "$1"
  else
    echo '{}'
  fi
}

# The regular files a run left in its working directory, 4 KiB of each.
files_json() { # <dir>
  local file
  for file in "$1"/* "$1"/.[!.]*; do
    [[ -f "${file}" && ! -L "${file}" ]] || continue
    head -c 4096 "${file}" | jq -R -s --arg name "${file##*/}" '{($name): .}'
  done | jq -s 'add // {}'
}

tsan_analysis() { # <run dir>
  local -a logs
  mapfile -t logs < <(compgen -G "$1/logs/tsan.*")
  if ((${#logs[@]} == 0)); then
    echo '{"readable": true, "complete": true, "findings": []}'
  elif ! jq -R -s --arg srcdir "${WORK}/src" -f "${CHECKER_ROOT}/lib/tsan.jq" "${logs[@]}" |
    jq '. + {readable: true}' 2>/dev/null; then
    echo '{"readable": false, "complete": false, "findings": []}'
  fi
}

helgrind_analysis() { # <run dir>
  local xml="$1/logs/helgrind.xml" parsed
  if [[ -s "${xml}" ]] &&
    parsed="$(xsltproc "${CHECKER_ROOT}/lib/helgrind.xsl" "${xml}" 2>/dev/null |
      jq -R -s --arg srcdir "${WORK}/src" -f "${CHECKER_ROOT}/lib/helgrind.jq")"; then
    jq '. + {readable: true}' <<<"${parsed}"
  else
    echo '{"readable": false, "complete": false, "findings": []}'
  fi
}

# The oracle's problems with this run, as a JSON array of sentences.
oracle_problems() { # <run dir> <params json>
  local document problems
  document="$(jq -n --argjson params "$2" --argjson result "$(key_value_json "$1/result")" \
    --argjson files "$(files_json "$1/cwd")" --argjson report "$(key_value_json "$1/report")" \
    '{params: $params, result: $result, files: $files, exit_code: $report.exit_code}')"
  local oracle
  oracle="${EXERCISE_DIR}/$(jq -r '.oracle // "oracle.jq"' "${EXERCISE_DIR}/exercise.json")"
  if problems="$(jq -f "${oracle}" <<<"${document}" 2>"${1}/oracle.err")"; then
    jq -s 'map(tostring)' <<<"${problems}"
  else
    jq -n --arg why "$(head -n 1 "${1}/oracle.err")" \
      '["the results could not be judged (the harness reported something unexpected: \($why))"]'
  fi
}

# The student frames of a deadlock's stacks: "Thread N: fn (file:line)".
deadlock_stacks() { # <run dir>
  [[ -s "$1/stacks" ]] || return 0
  awk -v src="${WORK}/src/" '
    /^Thread [0-9]+/ { thread = $1 " " $2 }
    / at [^ ]+:[0-9]+$/ {
      file = $NF; sub(/:[0-9]+$/, "", file)
      if (index(file, src) == 1 || file !~ /\//) {
        fn = $0; sub(/^#[0-9]+ +(0x[0-9a-f]+ in )?/, "", fn); sub(/ \(.*/, "", fn)
        loc = $NF; sub(src, "", loc)
        if (!(thread in seen)) { print thread ": waiting in " fn " at " loc; seen[thread] = 1 }
      }
    }' "$1/stacks"
}

summarize_run() { # <run dir> <analyzer> <params json>
  local dir="$1" analyzer="$2" params="$3" report finished problems='[]' analysis
  report="$(key_value_json "${dir}/report")"
  finished="$(jq '.finished == 1' <<<"$(key_value_json "${dir}/result")")"
  if [[ "$(jq -r '.outcome' <<<"${report}")" == exited && "${finished}" == true ]]; then
    problems="$(oracle_problems "${dir}" "${params}")"
  fi
  if [[ "${analyzer}" == tsan ]]; then
    analysis="$(tsan_analysis "${dir}")"
  else
    analysis="$(helgrind_analysis "${dir}")"
  fi
  jq -n --arg analyzer "${analyzer}" --argjson params "${params}" --argjson report "${report}" \
    --argjson finished "${finished}" --argjson problems "${problems}" \
    --argjson analysis "${analysis}" --arg stacks "$(deadlock_stacks "${dir}")" \
    '$report + {analyzer: $analyzer, params: $params, finished: $finished,
      problems: $problems, stacks: $stacks, analysis: $analysis}' >"${dir}/summary.json"
}
