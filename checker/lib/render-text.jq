# render-text.jq - the verdicts as people read them.
# Input: the checker's JSON summary (docs/json.md).
# $color: true to colour the marks (a terminal without NO_COLOR).
# $width (optional): the widest a line may be, 0 for no limit.

def width: $ARGS.named.width // 0;

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

# A thread as people read it: the name its harness gave it, else its
# number in the order threads were created (TSan's T2 and Helgrind's #3 are
# both "thread 2"); Helgrind does not say which thread set a lock order.
def thread_label:
  if .name != null then .name
  elif .thread == null then "a thread"
  elif .thread == "T0" or .thread == "#1" then "main thread"
  elif .thread | test("^T[0-9]+$") then "thread \(.thread | ltrimstr("T"))"
  elif .thread | test("^#[0-9]+$") then "thread \(.thread | ltrimstr("#") | tonumber - 1)"
  else "a thread" end;

def variable_name:
  if . == null then "the same memory"
  else sub("^global '(?<v>.*)'$"; "\(.v)")
    | sub("^heap block '(?<v>.*)'$"; "the heap block '\(.v)'")
    | sub("^heap block of size [0-9]+ allocated at (?<p>\\S+).*$"; "the heap block allocated at \(.p)")
    | sub("^heap block"; "a heap block") end;

# "bank.c:11", or only the file, or nothing: never "bank.c:?".
def where:
  if .file == null then null elif .line == null then .file else "\(.file):\(.line)" end;
def where_in:
  where as $w | if $w == null then "" elif .function != null then " at \($w) in \(.function)" else " at \($w)" end;

# A mutex by the name the parser found for it, never TSan's M0.
def mutex_called($finding): $finding.mutexes[.] // "a mutex";

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
  | ($steps | map("\(.op | verb) \($what)" + (where | if . == null then "" else " (\(.))" end)
      + (if (.locks | length) > 0 then " holding \(.locks | map(mutex_called($finding)) | join(", "))" else "" end))) as $cells
  | (([$who[0], $cells[0]] | map(length) | max) + 4) as $width
  | if 14 + $width + ([$who[1], $cells[1]] | map(length) | max) <= ([width, 100] | map(select(. > 0)) | min) then
      "              \($who[0] | pad($width))\($who[1])",
      "              \($cells[0])",
      "              \("" | pad($width))\($cells[1])"
    else
      # Too wide for two columns: one step under the other, in time order.
      "              first \($who[0]) \($cells[0])",
      "              then  \($who[1]) \($cells[1])"
    end,
    "              " + why_a_race($who; $steps; $what);


# A lock-order inversion that did not hang this time: the same cycle picture
# as a deadlock that happened.
def lock_order_picture:
  . as $finding
  | "              a deadlock that can happen (it did not, this time):",
  (.cycle[] | "              \(thread_label) -> holds \(.holding | mutex_called($finding)), then takes \(.acquires | mutex_called($finding))\(where_in)"),
  (if (.cycle | length) > 1 then
     "              if each holds its first lock at once, each waits for the next: \(.cycle | map(thread_label) | . + [.[0]] | join(" -> "))"
   else empty end);

def finding_lines:
  if .same_as_tsan == true then
    ([(.accesses[]?, .cycle[]?) | where // empty] | unique) as $places
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

def column($id): "    \($id | . + "          " | .[0:10])";

# Compiler warnings, each once (clang and gcc often report the same line).
def warning_lines:
  .evidence | split("\n") | map(select(length > 0) | gsub("[‘’]"; "'"))
  | unique_by(capture("^(?<at>[^ ]+:[0-9]+:[0-9]+:)").at // .) as $warnings
  | ($warnings[0:5][] | "              | \(.)"),
    (if ($warnings | length) > 5 then "              | ... (\(($warnings | length) - 5) more)" else empty end);

# What a passing criterion still has to say: the warnings of a build, a
# Helgrind finding set aside (one line each).
def note_lines:
  if .id == "build" and (.evidence // "") != "" then
    "\(column("build"))\(.message)", (warning_lines | paint("2"))
  elif .id == "helgrind" and ((.findings // []) | length) > 0 then
    (.findings[] | "\(column("helgrind"))set aside: \(.kind)\(.location | where_in) (\(.set_aside))" | paint("2"))
  else empty end;

def criterion_lines:
  if .status == "fail" then
    "\(column(.id))\(.message | gsub("\n"; "\n              "))",
    details
  elif .status == "pass" then note_lines
  else empty end;

def hint_line:
  select((.passed | not) and (.hints // 0) > 0)
  | "    stuck?    'checker/check hint \(.name | sub("^[0-9]+-"; ""))' gives a hint" | paint("36");

# Cause before consequence: a deadlock comes before the analyzers' echoes
# of it, then the criteria in their usual order.
def ordered_criteria:
  (map(select(.id == "completes" and .status == "fail" and .deadlock != null))) as $deadlock
  | $deadlock + map(select(IN($deadlock[]) | not));

def exercise_lines:
  "\(mark) \(.name)" + (if (.title // "") != "" then "  \(.title)" else "" end),
  (.criteria | ordered_criteria[] | criterion_lines),
  hint_line;

def closing_line:
  if .mode == "analyze" then
    if .passed == .total then "no data race, deadlock or lock misuse found in this run"
    elif any(.exercises[0].criteria[]; .id == "build" and .status == "fail") then
      "the program did not compile, so nothing was analyzed: fix the error above (a header elsewhere: -I DIR; a macro: -D NAME=VALUE)"
    else "the analyzers found problems: see above" end
  else
    "\(.passed) of \(.total) exercises pass" + (if .passed == .total then "" else
      (if .total == 1 then " \(.exercises[0].name | sub("^[0-9]+-"; ""))" else "" end) as $which
      | "   (seed \(.seed): 'checker/check --seed \(.seed)\($which)' repeats these runs)" end)
  end;

# No line wider than $width columns ($ARGS.named.width; 0 or none: no
# limit): a long line goes on under its own text (colour codes take no room
# on the screen).
def visible_length: gsub("\u001b\\[[0-9;]*m"; "") | length;

def continuation:
  (if test("^(\u001b\\[[0-9;]*m)?    [a-z?]+ +") and (test("^(\u001b\\[[0-9;]*m)? +\\|") | not) then "              "
  else (capture("^(\u001b\\[[0-9;]*m)?(?<p> *(\\| )?)").p) + "  " end)
  | if length > 40 then "                " else . end;

def wrap_line:
  if width == 0 or visible_length <= width then .
  else continuation as $indent
    | capture("^(?<lead>(\u001b\\[[0-9;]*m)? *(\\| )?)(?<rest>.*)$") as $m
    | reduce ($m.rest | split(" ")[]) as $word ({lines: [], current: $m.lead, fresh: true};
        if .fresh then .current += $word | .fresh = false
        elif (.current | visible_length) + 1 + ($word | visible_length) <= width then .current += " " + $word
        else .lines += [.current] | .current = $indent + $word end)
    | .lines + [.current] | join("\n")
  end;

# $part (optional): "exercise" for one exercise's verdict (as grade-exercise
# writes it), "closing" for the summary's last lines only, else everything.
($ARGS.named.part // "") as $part
| if $part == "exercise" then exercise_lines
  elif $part == "closing" then "", closing_line
  else (.exercises[] | exercise_lines), "", closing_line end
| split("\n") | map(wrap_line) | join("\n")
