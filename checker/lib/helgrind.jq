# helgrind.jq - turn the lines of helgrind.xsl into findings.
#
# Usage: xsltproc checker/lib/helgrind.xsl FILE.xml \
#          | jq -R -s --arg srcdir DIR -f checker/lib/helgrind.jq
#
# Output is one object {"complete": bool, "findings": [...]}, with the same
# finding keys as tsan.jq.  "complete" is true only when the last <status>
# of the file said FINISHED; empty input (xsltproc refused the file) is
# therefore incomplete.  The caller must still check xsltproc's own exit
# status: a file that is not well-formed is a failed run.

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

# Valgrind splits a source path into <dir> and <file>; <dir> is missing
# when the debug info had only a bare name.
def frame_path:
  if .file == null then null
  elif .dir == null or .dir == "" then .file
  else "\(.dir)/\(.file)"
  end;

# The kit's runtime (kit.c and its __wrap_ lock wrappers) is never where a
# student should look.
def kit_runtime_frame:
  (frame_path // "" | test("/checker/harness/[^/]+$")) or (.fn // "" | startswith("__wrap_"));

# The frame a student should look at: the first one in their own sources,
# else the first one in the harness, else a libc or Valgrind frame with a
# file and line; never a frame without a line.
def student_frame:
  map(select(frame_path != null and .line != null and (kit_runtime_frame | not))) as $frames
  | ($frames | map(select(frame_path | under_srcdir)) | first)
    // ($frames | first);

def place:
  {file: (frame_path | if . == null then null else relative_path end),
   line: (.line | if . == null then null else tonumber end),
   function: .fn};

def student_place:
  student_frame | if . == null then null else place end;

# "prog.c:12 in worker", the way a message names a place.
def place_text:
  if . == null then null
  else [(if .file != null then "\(.file):\(.line)" else empty end),
        (if .function != null then "in \(.function)" else empty end)]
       | if length == 0 then null else join(" ") end
  end;

# ---------------------------------------------------------------- names

# See naming.jq: the harness's labels and the source files, passed in by
# the caller ($ARGS.named.labels, $ARGS.named.sources_list or sources).
def labels: $ARGS.named.labels // [];
def sources: $ARGS.named.sources_list[0] // $ARGS.named.sources // {};

# Helgrind numbers threads #1 (main), #2 ... in the order they were
# created; the name a thread gave itself comes with each error it made.
# A thread that made no error is named after the others when they agree:
# if "#2" is "worker 1" and "#4" is "worker 3", "#3" is "worker 2".
def numbered_like($threads):
  (ltrimstr("#") | tonumber) as $n
  | [$threads | to_entries[] | (.key | ltrimstr("#") | tonumber) as $m
     | .value | capture("^(?<prefix>.*) (?<k>[0-9]+)$") | {prefix, offset: ($m - (.k | tonumber))}]
  | unique
  | if length == 1 and ($n - .[0].offset) >= 1 then "\(.[0].prefix) \($n - .[0].offset)" else null end;

def thread_called($threads):
  $threads[.] // numbered_like($threads) // (ltrimstr("#") | tonumber - 1 | naming::thread_number_words);

# Helgrind's sentences in the kit's words: threads by name, no addresses.
def plain_words($threads):
  gsub("[Tt]hread (?<n>#[0-9]+)"; .n | thread_called($threads))
  | gsub(" (at|of) 0x[0-9A-Fa-f]+"; "")
  | gsub("\\(0x[0-9A-Fa-f]+\\)"; "");

# ---------------------------------------------------------------- lines to records

# "key=value" -> {key, value}; a bare marker ("stack", "frame") has no value.
def field:
  index("=") as $i
  | if $i == null then {key: ., value: null}
    else {key: .[:$i], value: .[$i + 1:]}
    end;

def update_last(f):
  if length == 0 then . else .[length - 1] |= f end;

# Fold the fields of one line into a record.  Text parts ("what",
# "auxwhat") and stacks are kept in one list, in the order Valgrind wrote
# them, because a stack belongs to the text just before it.
def record:
  split("\t") as $fields
  | reduce ($fields[1:][] | field) as $f ({type: $fields[0], parts: []};
      if $f.key == "stack" then .parts += [{stack: []}]
      elif $f.key == "frame" then .parts |= update_last(.stack += [{}])
      elif ($f.key | IN("ip", "obj", "fn", "dir", "file", "line")) then
        .parts |= update_last(.stack |= update_last(.[$f.key] = $f.value))
      elif ($f.key | IN("what", "auxwhat")) then
        .parts += [{($f.key): $f.value, threads: []}]
      elif $f.key == "hthreadid" then
        .parts |= update_last(.threads += ["#\($f.value)"])
      else .[$f.key] = $f.value
      end);

# Pair each text with the stack that follows it:
# [{text, what: bool, threads, frames}], in report order.
def sections:
  reduce .parts[] as $p ([];
    if $p.stack != null then
      if length == 0 then [{text: null, what: true, threads: [], frames: $p.stack}]
      else update_last(.frames = $p.stack)
      end
    else . + [{text: ($p.what // $p.auxwhat), what: ($p.what != null),
               threads: $p.threads, frames: []}]
    end);

# ---------------------------------------------------------------- report parts

# Valgrind 3.20+ files the "dubious" reports (a condition variable signalled
# while no thread holds its mutex) under their own kind, Dubious; 3.19 wrote
# them as Misc.  Both are misuse, set aside or not by verdict.jq.
def category_of_kind:
  if . == "Race" then "race"
  elif . == "LockOrder" then "lock-order"
  elif IN("UnlockUnlocked", "UnlockForeign", "UnlockBogus", "PthAPIerror", "Misc", "Dubious") then "misuse"
  else "other"
  end;

# "Possible data race during read of size 8 at 0x10C088 by thread #3"
# "This conflicts with a previous write of size 8 by thread #2"
def access_of($section):
  $section.text
  | capture("(?<op>read|write) of size (?<size>[0-9]+)(?: at \\S+)? by thread (?<thread>#[0-9]+)")
  | ($section.frames | student_place // {}) as $place
  | {thread: ($section.threads[0] // .thread), name: null,  # named in finding
     op: .op,
     size: (.size | tonumber),
     file: $place.file,
     line: $place.line,
     function: $place.function,
     # Helgrind's XML has no "Locks held" line (only its text output does).
     locks: []};

def accesses:
  map(select(.text // "" | test("^(Possible data race during|This conflicts with a previous) ")) as $s
      | access_of($s));

# The description of the raced-on memory, in TSan's words where they exist:
#   Address 0x10c088 is 0 bytes inside data symbol "total"   -> global 'total'
#   Location 0x10c088 is 0 bytes inside global var "total"   -> global 'total'
#   Location 0x1fff0005b8 is 0 bytes inside local var "n"     -> local 'n'
#   Address 0x4a4b040 is 0 bytes inside a block of size 8 alloc'd -> heap block of size 8
#   Address 0x1fff0005b8 is on thread #1's stack             -> stack of thread #1
def variable_of_text:
  if test("inside (data symbol|global var) \"") then
    capture("inside (data symbol|global var) \"(?<name>[^\"]*)\"") | "global '\(.name)'"
  elif test("inside local var \"") then
    capture("inside local var \"(?<name>[^\"]*)\"") | "local '\(.name)'"
  elif test("inside a block of size [0-9]+ alloc'd") then
    capture("block of size (?<size>[0-9]+)") | "heap block of size \(.size)"
  elif test("inside a block of size [0-9]+ free'd") then
    capture("block of size (?<size>[0-9]+)") | "freed heap block of size \(.size)"
  elif test("is on thread #[0-9]+'s stack") then
    capture("on thread (?<thread>#[0-9]+)'s stack") | "stack of thread \(.thread)"
  elif test("^(Address|Location) 0x[0-9a-fA-F]+ is ") then
    sub("^(Address|Location) 0x[0-9a-fA-F]+ is [0-9]+ bytes inside "; "") | sub(",$"; "")
  else null
  end;

def variable:
  map(.text // "" | select(test("^(Address|Location) 0x")) | variable_of_text)
  | first;

# One edge of a lock-order cycle, placed at the first student frame of the
# stack where the second lock was taken.
def cycle_edge($thread; $holding; $acquires):
  (student_place // {}) as $place
  | {thread: $thread, name: null, holding: $holding, acquires: $acquires,
     file: $place.file, line: $place.line, function: $place.function};

def section_starting($prefix):
  map(select(.text // "" | startswith($prefix))) | first;

# Helgrind 3.19 describes a lock-order violation as
#   what:    Thread #3: lock order "0xA before 0xB" violated   + stack (B held, A taken)
#   auxwhat: Required order was established by acquisition of lock at 0xA + stack
#   auxwhat: followed by a later acquisition of lock at 0xB  + stack (A held, B taken)
# which gives the two edges of the cycle: the violating one first, as
# reported, then the one that set the order (Helgrind does not name its
# thread).  Empty when the what line is not in that form.
def cycle($sections):
  $sections[0] as $what
  | ($what.text | capture("lock order \"(?<a>\\S+) before (?<b>\\S+)\" violated")) as $order
  | ($sections | map(.text // "" | startswith("Required order was established")) | index(true)) as $required
  | (if $required == null then null
     else $sections[$required + 1:] | section_starting("followed by a later acquisition")
     end) as $later
  | [($what.frames | cycle_edge($what.threads[0]; $order.b; $order.a)),
     ($later.frames // [] | cycle_edge(null; $order.a; $order.b))];

# The report in Valgrind's text layout, at most 40 lines, addresses kept.
def frame_text($first):
  (if $first then "   at " else "   by " end)
  + (.ip // "???") + ": " + (.fn // "???")
  + (if frame_path != null then " (\(place.file):\(.line))"
     elif .obj != null then " (in \(.obj))"
     else "" end);

def evidence:
  [.[] | (.text // empty), (.frames | to_entries[] | .key as $i | .value | frame_text($i == 0))]
  | if length <= 40 then join("\n")
    else (.[:39] + ["   ... (\(length - 39) more lines)"]) | join("\n")
    end;

# ---------------------------------------------------------------- messages

# Helgrind's own sentences, each followed by where it happened; the comma
# keeps "at <place>" apart from an "at 0x..." inside the sentence.
def comma_at_place:
  place_text | if . == null then "" else ", at \(.)" end;

def text_at:
  .text + (.frames | student_place | comma_at_place);

# In the words TSan's findings use: "data race on global 'value': write by
# worker 3 at database.c:30 in database_update, previous read by ...".
def race_message($accesses; $variable):
  def side: "\(.op) by \(.name)" + (place_text | if . == null then "" else " at \(.)" end);
  "data race"
  + (if $variable != null then " on \($variable)" else "" end)
  + ": " + ([$accesses[0] | side] + [$accesses[1:][] | "previous \(side)"] | join(", "));

def lock_order_message($cycle; $mutexes):
  def called: $mutexes[.] // "a mutex";
  "lock order violated: \($cycle[0].name) takes \($cycle[0].acquires | called) while holding \($cycle[0].holding | called)"
  + ($cycle[0] | place_text | if . == null then "" else " at \(.)" end)
  + (if $cycle[1].file != null or $cycle[1].function != null
     then "; the opposite order was set at \($cycle[1] | place_text)"
     else "" end);

# The lock-order cycle's mutexes by name: {"0x4A4B048": "account 0's lock"},
# from the harness's labels, else the line of the stack that took each.
def mutex_table($cycle; $sections):
  [$cycle[] | {address: .acquires, place: .}]
  | map({(.address): naming::mutex_name(labels; sources; .address; .place)}) | add // {}
  | naming::distinct_names;

# A "what" line (PthAPIerror adds "with error code 16 (EBUSY: ...)" in a
# second one) with the place of the first stack.
def plain_message($sections; $location; $threads):
  ($sections | map(select(.what and .text != null) | .text) | join(" ") | plain_words($threads))
  + ($location | comma_at_place);

# <tid> is Valgrind's thread number, which is reused when a thread ends,
# not Helgrind's "#N": the message does not name the thread.
def fatal_message($location):
  "The program was killed by \(.signame // "signal \(.signo)")"
  + (if .event != null then " (\(.event))" else "" end)
  + ($location | comma_at_place);

# ---------------------------------------------------------------- findings

def finding($threads):
  . as $record
  | sections as $sections
  | (.type == "fatal_signal") as $fatal
  # A <fatal_signal> has no <kind>: its signal name ("SIGSEGV") stands in.
  | (if $fatal then .signame // "signal \(.signo)" else .kind end) as $kind
  | ($kind | category_of_kind) as $category
  | ($sections | map(select((.frames | length) > 0)) | first | .frames // []) as $first_stack
  | ($first_stack | student_place) as $location
  | ($sections | variable) as $variable
  | (if $category == "race" then $sections | accesses | map(.name = (.thread | thread_called($threads)))
     else [] end) as $accesses
  | (if $kind == "LockOrder" then [cycle($sections)] | first // [] else [] end
     | map(.name = (.thread // null | if . == null then "a thread" else thread_called($threads) end))) as $cycle
  | ($cycle | mutex_table($cycle; $sections)) as $mutexes
  | {analyzer: "helgrind",
     kind: $kind,
     category: $category,
     message:
       (if $fatal then $record | fatal_message($location)
        elif $kind == "Race" and ($accesses | length) > 0 then race_message($accesses; $variable | if . == null then null else plain_words($threads) end)
        elif $kind == "LockOrder" and ($cycle | length) > 0 then lock_order_message($cycle; $mutexes)
        else plain_message($sections; $location; $threads)
        end),
     location: $location,
     variable: $variable,
     accesses: $accesses,
     cycle: $cycle,
     mutexes: $mutexes,
     text: ($sections
            | if $fatal
              then [{text: ($record | "Process terminating with default action of signal \(.signo) (\(.signame))"), frames: (.[0].frames // [])}]
              else . end
            | evidence)};

# {"#3": "worker 2"}: each error names the thread that made it.
def thread_names:
  [.[] | select(.threadname != null) | {((.parts[0].threads[0]) // "#?"): .threadname}] | add // {};

split("\n")
| map(select(length > 0) | record)
| thread_names as $threads
| {complete: (map(select(.type == "status")) | last | .state == "FINISHED"),
   findings: map(select(.type == "error" or .type == "fatal_signal") | finding($threads))}
