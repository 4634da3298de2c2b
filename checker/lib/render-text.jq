# render-text.jq - the verdicts as people read them.
# Input: the checker's JSON summary (docs/json.md).
# $color: true to colour the marks (a terminal without NO_COLOR).

def paint($code): if $color then "\u001b[\($code)m\(.)\u001b[0m" else . end;
def mark: if .passed then "✓" | paint("32") else "✗" | paint("31;1") end;
def indent($prefix): split("\n") | map(select(length > 0) | $prefix + .) | join("\n");

# At most 12 lines of evidence, each at most 220 characters: enough to find
# the place, not a whole report (--json has it all).
def trimmed_evidence:
  split("\n") | map(select(length > 0) | if length > 220 then .[0:217] + "..." else . end) as $lines
  | ($lines[0:12] | join("\n"))
    + (if ($lines | length) > 12 then "\n... (\(($lines | length) - 12) more lines; --json has them all)" else "" end);

def pad($width): . + (" " * ([$width - length, 1] | max));

# A thread as people read it: the name its harness gave it, else the
# analyzer's number (Helgrind does not say which thread set a lock order).
def thread_label:
  if .name != null then .name
  elif .thread == "T0" then "main thread"
  elif .thread == null then "a thread"
  else "thread \(.thread)" end;

def variable_name:
  if . == null then "the same memory"
  else sub("^global '(?<v>.*)'$"; "\(.v)") | sub("^heap block"; "a heap block") end;

def verb: if test("write") then "writes" else "reads" end;

def why_a_race($who; $steps; $what):
  (if $who[0] == $who[1] then "two \($who[0]) threads" else "\($who[0]) and \($who[1])" end) as $both
  | if ($steps | all(.locks | length > 0)) then
      "\($both) both hold a lock as they use \($what), but not the same one, so neither keeps the other out"
    else
      "\($both) use \($what) with no lock in common, and at least one of them writes it"
    end;

# A race as the lecture draws it: the two threads side by side over time,
# the earlier access first, then one sentence about why it is a race.
def race_timeline:
  . as $finding
  | (.variable | variable_name) as $what
  | (.accesses | reverse) as $steps
  | ($steps | map(thread_label)) as $who
  | ($steps | map("\(.op | verb) \($what) (\(.file // "?"):\(.line // "?"))"
      + (if (.locks | length) > 0 then " holding \(.locks | join(", "))" else "" end))) as $cells
  | (([$who[0], $cells[0]] | map(length) | max) + 4) as $width
  | "              \($who[0] | pad($width))\($who[1])",
    "              \($cells[0])",
    "              \("" | pad($width))\($cells[1])",
    "              " + why_a_race($who; $steps; $what);


# A lock-order inversion that did not hang this time: the same cycle picture
# as a deadlock that happened.
def lock_order_picture:
  "              a deadlock that can happen (it did not, this time):",
  (.cycle[] | "              \(thread_label) -> holds \(.holding), then takes \(.acquires) at \(.file // "?"):\(.line // "?") in \(.function // "?")"),
  (if (.cycle | length) > 1 then
     "              if each holds its first lock at once, each waits for the next: \(.cycle | map(thread_label) | . + [.[0]] | join(" -> "))"
   else empty end);

def finding_lines:
  if .same_as_tsan == true then
    ([(.accesses[]?, .cycle[]?) | "\(.file):\(.line)"] | unique) as $places
    | (if .category == "race" then "race" else "lock-order problem" end) as $what
    | "              the same \($what) TSan found, " + (if ($places | length) == 1 then "at \($places[0])" else "between \($places | join(" and "))" end)
  elif .category == "lock-order" and (.cycle | length) > 0 then lock_order_picture
  elif .category == "race" and (.accesses | length) == 2 then race_timeline
  else empty end;

# Findings are already one sentence each; raw reports stay in --json.
def details:
  ((.findings // [])[0] // null | select(. != null) | finding_lines | paint("2")),
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
  "\(mark) \(.name)" + (if (.title // "") != "" then "  \(.title)" else "" end),
  (select(.passed | not) | .criteria[] | criterion_lines),
  hint_line;

def closing_line:
  if .mode == "analyze" then
    if .passed == .total then "no data race, deadlock or lock misuse found in this run"
    else "the analyzers found problems: see above" end
  else
    "\(.passed) of \(.total) exercises pass" + (if .passed == .total then "" else
      "   (seed \(.seed): 'checker/check --seed \(.seed)' draws the same parameters again)" end)
  end;

(.exercises[] | exercise_lines),
"",
closing_line
