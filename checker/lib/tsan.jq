# tsan.jq - turn ThreadSanitizer logs into findings.
#
# Usage: jq -R -s --arg srcdir DIR -f checker/lib/tsan.jq LOGFILE...
#
# Input is the raw text of one or more TSan logs (TSAN_OPTIONS=log_path=...).
# Output is one object {"complete": bool, "findings": [...]}; the finding
# keys are shared with helgrind.jq.  "complete" is false when a report was
# cut off (no SUMMARY line, or a WARNING block without its closing rule),
# which is what a killed or timed-out run leaves behind.
#
# TSan writes no log at all when it reported nothing: pass /dev/null then,
# because jq given no file reads its standard input instead.
#
# Only the lines TSan has printed the same way for years are relied on: the
# WARNING/SUMMARY frame, "#N fn file:line:col (module+0x...)" stack frames,
# and the section headers ("Write of size 4 at ... by thread T2:", "Location
# is ...", "Mutex M1 acquired here while holding mutex M0 in thread T1:").

import "naming" as naming;

# ---------------------------------------------------------------- paths

# $srcdir with exactly one trailing slash, so "/src" does not claim "/src2".
def src_prefix:
  $srcdir | sub("/+$"; "") + "/";

def under_srcdir:
  $srcdir != "" and startswith(src_prefix);

# File names under $srcdir are shown relative to it, the kit's own files
# as "harness/main.c" or "kit.c", others as printed.
def relative_path:
  if under_srcdir then .[(src_prefix | length):]
  elif test("/exercises/[0-9][0-9]-[^/]+/harness/") then sub("^.*/exercises/[0-9][0-9]-[^/]+/"; "")
  elif test("/checker/harness/[^/]+$") then sub("^.*/checker/harness/"; "")
  else . end;

# ---------------------------------------------------------------- frames

# "    #1 main /dir/prog.c:14:5 (prog+0xd00f6) (BuildId: ...)"
# "    #0 pthread_create <null> (prog+0x513ad) (BuildId: ...)"
# The file may contain spaces, so it is everything up to the last
# ":line[:col]" that is followed by the module in parentheses.
def parse_frame:
  capture("^\\s*#(?<n>[0-9]+) (?<fn>\\S+) (?<rest>.*)$") as $f
  | ($f.rest
     | capture("^(?<file>.+?):(?<line>[0-9]+)(?::[0-9]+)?(?: \\([^()]*\\))?(?: \\(BuildId: [0-9a-f]+\\))?$")
     // {file: null, line: null}) as $where
  | {function: (if $f.fn == "<null>" then null else $f.fn end),
     path: $where.file,
     line: ($where.line | if . == null then null else tonumber end)};

def is_frame_line:
  test("^\\s+#[0-9]+ ");

# A frame as the finding schema shows it.
def place:
  {file: (.path | if . == null then null else relative_path end),
   line: .line,
   function: .function};

# The kit's runtime (kit.c and its __wrap_ lock wrappers) is never where a
# student should look.
def kit_runtime_frame:
  (.path // "" | test("/checker/harness/[^/]+$")) or (.function // "" | startswith("__wrap_"));

# The frame a student should look at: the first one in their own sources,
# else the first one in the harness, else none (a libc or runtime frame
# with a file is still a place; a frame without a line is not).
def student_frame:
  map(select(.path != null and .line != null and (kit_runtime_frame | not))) as $frames
  | ($frames | map(select(.path | under_srcdir)) | first)
    // ($frames | first);

def student_place:
  student_frame | if . == null then null else place end;

# "prog.c:12 in worker", the way a message names a place.
def place_text:
  if . == null then null
  else [(if .file != null then "\(.file):\(.line)" else empty end),
        (if .function != null then "in \(.function)" else empty end)]
       | if length == 0 then null else join(" ") end
  end;

def at_place:
  place_text | if . == null then "" else " at \(.)" end;

# ---------------------------------------------------------------- names

# What the harness and the student's code call things, so that a report
# never says M0: the labels the harness gave objects (kit_label, passed in
# by the caller as $ARGS.named.labels: [{start, size, name}]) and the
# source files ($ARGS.named.sources: {"database.c": text}), whose lines
# name the variable a mutex call was given.
def labels: $ARGS.named.labels // [];
def sources: $ARGS.named.sources_list[0] // $ARGS.named.sources // {};

def line_of_place: naming::line_at(sources);

# {"M0": "account 0's lock", ...} for the mutexes of one report, from the
# addresses its headings give ("Mutex M0 (0x...) created at:", "Cycle in
# lock order graph: M0 (0x...) => ...") and the stacks that took them.
def mutex_table:
  ([.[] | .head // "" | scan("(M[0-9]+) \\((0x[0-9a-fA-F]+)\\)") | {(.[0]): .[1]}] | add // {}) as $addresses
  | ([.[] | . as $s | $s.head // ""
      | capture("^Mutex (?<id>M[0-9]+) (?:\\(0x[0-9a-fA-F]+\\) created at|acquired here|previously acquired)")
      | {(.id): ($s.frames | student_place)}] | reverse | add // {}) as $places
  | ([$addresses, $places] | map(keys[]) | unique) as $ids
  | [$ids[] | {(.): naming::mutex_name(labels; sources; $addresses[.]; $places[.])}] | add // {}
  | naming::distinct_names;

def mutex_words($table):
  map($table[.] // "a mutex");

# ---------------------------------------------------------------- threads

# TSan names the main thread in words; its thread id is 0.
def thread_id:
  if . == "main thread" then "T0" else sub("^thread "; "") end;

# A thread that gave itself no name is numbered as TSan numbers it, in the
# order threads were created ("thread 2" for T2), never "T2".
def thread_words:
  ltrimstr("T") | tonumber | naming::thread_number_words;

# The names threads gave themselves (pthread_setname_np), from the lines
# "Thread T1 'worker 1' (tid=42, running) created by main thread at:".
def thread_names:
  [.[].head // "" | capture("^Thread (?<id>T[0-9]+) '(?<name>[^']*)'")? | {(.id): .name}]
  | add // {};

# A thread as people read it: its own name when it has one.
def who:
  if .name != null then .name else .thread | thread_words end;

# ---------------------------------------------------------------- log to blocks

# A TSan log does not end with a newline, so when several logs are read at
# once a log's first line is glued to the previous log's last line.  Put the
# lines that open a report back at the start of a line.
def split_glued_lines:
  gsub("(?<c>[^\n])(?<o>={18}|==[0-9]+==ERROR: ThreadSanitizer: |WARNING: ThreadSanitizer: |FATAL: ThreadSanitizer: )";
       "\(.c)\n\(.o)");

def opens_report:
  test("^WARNING: ThreadSanitizer: |^==[0-9]+==ERROR: ThreadSanitizer: |^FATAL: ThreadSanitizer: ");

def new_block:
  {lines: [.],
   # An ERROR block (deadly signal) ends at SUMMARY and has no closing rule;
   # a FATAL line is a whole report by itself.
   rule_needed: test("^WARNING"),
   summary: test("^FATAL"),
   closed: test("^FATAL")};

def finish_block:
  if .cur != null then .done += [.cur] | .cur = null else . end;

# Group the lines of the log into report blocks; text outside any report
# ("ThreadSanitizer: reported 2 warnings", the opening rule) is dropped.
def blocks:
  reduce (split_glued_lines | split("\n")[]) as $line ({done: [], cur: null};
    if ($line | opens_report) then finish_block | .cur = ($line | new_block)
    elif .cur == null then .
    elif .cur.summary then
      if $line == "==================" then .cur.closed = true | finish_block else . end
    elif ($line | startswith("SUMMARY: ThreadSanitizer: ")) then
      .cur.lines += [$line] | .cur.summary = true
    else .cur.lines += [$line]
    end)
  | finish_block
  | .done
  | map(.complete = (.summary and (.closed or (.rule_needed | not))));

# ---------------------------------------------------------------- block to sections

# A report is a header line, then sections: a two-space indented heading
# ("  Previous read of size 4 at ... by thread T1:") and the stack below it.
# Reports about one call (mutex misuse) start with a stack and no heading.
def sections:
  reduce (.lines[1:][]) as $line ([];
    if ($line | is_frame_line) then
      (if length == 0 then [{head: null, frames: []}] else . end)
      | .[length - 1].frames += [$line | parse_frame]
    elif ($line | test("^  \\S")) then
      . + [{head: ($line | sub("^\\s+"; "") | sub("\\s+$"; "")), frames: []}]
    else .
    end);

# ---------------------------------------------------------------- report parts

# "WARNING: ThreadSanitizer: data race (pid=12)" -> "data race";
# "==12==ERROR: ThreadSanitizer: SEGV on unknown address 0x0 (pc ...)"
#   -> "SEGV on unknown address".
def report_kind:
  .lines[0]
  | sub("^(WARNING|==[0-9]+==ERROR|FATAL): ThreadSanitizer: "; "")
  | sub(" \\(pid=[0-9]+\\)$"; "")
  | sub(" 0x[0-9a-fA-F]+.*$"; "")
  | sub("\\s+$"; "");

def category_of_kind:
  if test("^(data race|heap-use-after-free)") then "race"
  elif test("^lock-order-inversion") then "lock-order"
  elif test("^thread leak") then "leak"
  elif test("mutex|lock|signal") then "misuse"
  else "other"
  end;

# "Previous atomic write of size 4 at 0x... by thread T1 (mutexes: write M0):"
def access_head:
  capture("^(?:Previous )?(?<op>(?:[Aa]tomic )?(?:[Rr]ead|[Ww]rite)) of size (?<size>[0-9]+) at \\S+ by (?<who>main thread|thread T[0-9]+)(?: '[^']*')?(?: \\(mutexes: (?<mutexes>[^)]*)\\))?:$");

def mutex_ids:
  if . == null then [] else [scan("M[0-9]+")] end;

# The racing accesses in report order.  clang 14 puts the mutexes held in
# the heading; a separate "Mutexes: write M1 (0x...)" line, which other
# TSan builds print, belongs to the access just above it.
def accesses:
  thread_names as $names
  | reduce .[] as $s ([];
    ($s.head // "") as $head
    | ($head | [access_head] | first) as $a
    | if $a != null then
        ($s.frames | student_place // {}) as $place
        | ($a.who | thread_id) as $thread
        | . + [{thread: $thread,
                name: $names[$thread],
                op: ($a.op | ascii_downcase),
                size: ($a.size | tonumber),
                file: $place.file,
                line: $place.line,
                function: $place.function,
                locks: ($a.mutexes | mutex_ids)}]
      elif ($head | startswith("Mutexes: ")) and length > 0 then
        .[length - 1].locks += ($head | mutex_ids)
      else .
      end);

# "Location is global 'counter' of size 4 at 0x... (prog+0x...)" -> "global 'counter'"
# "Location is heap block of size 8 at 0x... allocated by main thread:" -> "heap block of size 8"
# "Location is stack of main thread." -> "stack of main thread"
# Only the first Location line counts: clang 14 follows a stack location
# with a bogus "Location is global '??' ..." line.
def variable:
  map(select((.head // "") | startswith("Location is ")))
  | first
  | if . == null then null
    else . as $section
         | .head
         | sub("^Location is "; "")
         | sub(" at 0x[0-9a-fA-F]+.*$"; "")
         | sub(" (created|allocated) by .*$"; "")
         | sub("[.:]$"; "")
         | if startswith("global ") then sub(" of size [0-9]+$"; "")
           # A heap block is named by where it was allocated.
           # A heap block is named by the variable its allocation was assigned
           # to, else by where it was allocated.
           elif startswith("heap block") then
             ($section.frames | student_place) as $place
             | ($place | line_of_place | naming::assigned_variable) as $pointer
             | if $pointer != null then "heap block '\($pointer)'"
               else . + ($place | if . == null then "" else " allocated\(at_place)" end) end
           else . end
    end;

# "Mutex M1 acquired here while holding mutex M0 in thread T1:" and the
# stack under it; one edge of the lock-order cycle.
def cycle:
  thread_names as $names
  | map(. as $s
      | ($s.head // "")
      | capture("^Mutex (?<acquires>M[0-9]+) acquired here while holding mutex (?<holding>M[0-9]+) in (?<who>main thread|thread T[0-9]+)")
      | ($s.frames | student_place // {}) as $place
      | (.who | thread_id) as $thread
      | {thread: $thread,
         name: $names[$thread],
         holding: .holding,
         acquires: .acquires,
         file: $place.file,
         line: $place.line,
         function: $place.function});

# The address of each mutex a lock-order report names, from its cycle line
# "Cycle in lock order graph: M0 (0x7b0c00000010) => M1 (0x...) => M0":
# {"M0": "0x7b0c00000010", ...}, for checking it against the kit's record.
def mutex_addresses:
  [.[].head // "" | select(startswith("Cycle in lock order graph: "))
   | scan("(M[0-9]+) \\((0x[0-9a-fA-F]+)\\)") | {(.[0]): (.[1] | ascii_downcase)}]
  | add // {};

# "Thread T1 (tid=42, finished) created by main thread at:" of a thread leak.
def leaked_thread:
  map(.head // "" | capture("^Thread (?<id>T[0-9]+)(?: '[^']*')? \\(tid=[0-9]+, \\w+\\) created by (?<parent>main thread|thread T[0-9]+)"))
  | first;

def mutexes_named:
  map(.head // "" | capture("^Mutex (?<id>M[0-9]+)(?: \\(0x[0-9a-fA-F]+\\))? created at") | .id);

# At most 40 lines of the report, addresses kept, for people to read.
def evidence:
  if length <= 40 then join("\n")
  else (.[:39] + ["    ... (\(length - 39) more lines)"]) | join("\n")
  end;

# ---------------------------------------------------------------- messages

def access_text($mutexes):
  "\(.op) by \(who)"
  + (if (.locks | length) > 0 then " holding \(.locks | mutex_words($mutexes) | join(", "))" else "" end)
  + at_place;

# In a heap-use-after-free report the previous access is the free() itself.
def race_message($kind; $variable; $accesses; $mutexes):
  (if ($kind | startswith("heap-use-after-free")) then "after free by" else "previous" end) as $before
  | $kind
    + (if $variable != null then " on \($variable)" else "" end)
    + ": "
    + ([$accesses[0] | access_text($mutexes)]
       + [$accesses[1:][] | if $before == "previous" then "previous \(access_text($mutexes))"
                            else "\($before) \(who)\(at_place)" end]
       | join(", "));

def lock_order_message($kind; $cycle; $mutexes):
  $kind
  + ": "
  + ($cycle
     | map("\(who) takes \($mutexes[.acquires] // "a mutex") while holding \($mutexes[.holding] // "a mutex")\(at_place)")
     | join("; "));

def leak_message($thread; $location):
  if $thread == null then "thread leak\($location | at_place)"
  else "thread leak: \($thread.id | thread_words) created by \($thread.parent | thread_id | thread_words)\($location | at_place) was never joined"
  end;

def misuse_message($kind; $ids; $mutexes; $variable; $location):
  $kind
  + (if $variable != null then ": \($variable)"
     elif ($ids | length) > 0 then ": \($ids | mutex_words($mutexes) | join(", "))"
     else "" end)
  + ($location | at_place);

# ---------------------------------------------------------------- findings

def finding:
  . as $block
  | report_kind as $kind
  | ($kind | category_of_kind) as $category
  | sections as $sections
  | ($sections | map(select((.frames | length) > 0)) | first | .frames // []) as $first_stack
  | ($first_stack | student_place) as $location
  | ($sections | variable) as $variable
  | (if $category == "race" then $sections | accesses else [] end) as $accesses
  | ($sections | mutex_addresses) as $addresses
  | (if $category == "lock-order" then $sections | cycle
       | map(. + {holding_address: $addresses[.holding], acquires_address: $addresses[.acquires]})
     else [] end) as $cycle
  | ($sections | mutex_table) as $mutexes
  | {analyzer: "tsan",
     kind: $kind,
     category: $category,
     message:
       (if $category == "race" and ($accesses | length) > 0 then race_message($kind; $variable; $accesses; $mutexes)
        elif $category == "lock-order" then lock_order_message($kind; $cycle; $mutexes)
        elif $category == "leak" then leak_message($sections | leaked_thread; $location)
        elif $category == "misuse" then misuse_message($kind; $sections | mutexes_named; $mutexes; $variable; $location)
        else $kind + ($location | at_place)
        end),
     location: $location,
     variable: $variable,
     accesses: $accesses,
     cycle: $cycle,
     mutexes: $mutexes,
     text: ($block.lines | evidence)};

blocks
| {complete: all(.[]; .complete),
   findings: map(finding)}
