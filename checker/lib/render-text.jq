# render-text.jq - the verdicts as people read them.
# Input: the checker's JSON summary (README.md, "JSON output").
# $color: true to colour the marks (a terminal without NO_COLOR).

def paint($code): if $color then "\u001b[\($code)m\(.)\u001b[0m" else . end;
def mark: if .passed then "✓" | paint("32") else "✗" | paint("31;1") end;
def indent($prefix): split("\n") | map(select(length > 0) | $prefix + .) | join("\n");

# At most 12 lines of evidence: enough to find the place, not a whole report.
def trimmed_evidence:
  split("\n") | map(select(length > 0)) as $lines
  | ($lines[0:12] | join("\n"))
    + (if ($lines | length) > 12 then "\n... (\(($lines | length) - 12) more lines; --json has them all)" else "" end);

# Findings are already one sentence each; raw reports stay in --json.
def details:
  if (.findings // []) | length > 1 then
    .findings[1:4][] | "              also: \(.message)" + (if .count > 1 then " (seen \(.count) times)" else "" end)
  elif (.findings // []) | length == 1 then empty
  elif .evidence != "" then .evidence | trimmed_evidence | indent("              | ") | paint("2")
  else empty end;

def criterion_lines:
  select(.status == "fail")
  | "    \(.id | . + "          " | .[0:10])\(.message | gsub("\n"; "\n              "))",
    details;

def hint_line:
  select((.passed | not) and (.hints // 0) > 0)
  | "    stuck?    'checker/check hint \(.name | sub("^[0-9]+-"; ""))' gives a hint" | paint("36");

def exercise_lines:
  "\(mark) \(.name)  \(.title // "")",
  (select(.passed | not) | .criteria[] | criterion_lines),
  hint_line;

(.exercises[] | exercise_lines),
"",
"\(.passed) of \(.total) exercises pass" + (if .passed == .total then "" else
  "   (seed \(.seed): 'checker/check --seed \(.seed)' draws the same parameters again)" end)
