# lockgraph.jq - the lock-order graph of one run, from the kit's lock record,
# and whether any of its cycles can form a deadlock.
#
# Usage: include "lockgraph"; lock_graph, with $record, $places, $order,
# $symbols and $srcdir bound (jq --rawfile/--arg):
# $record: the run's result lines (the kit writes "lockgraph_*" lines at the
# end of the run, kit.c report_lock_record); $places/$order: addr2line for
# the sites (sites.jq); $symbols: "nm -S --defined-only" of the binary, to
# name a lock by the variable it is.
#
# Output: {complete, why_incomplete, acquired: [{lock, mode, held: [lock],
#          at: ["file:line in fn", ...]}], cycles: [{locks: [name], feasible,
#          reasons: [...]}], proven: bool}.
# "proven" is true when the record is complete and no cycle can form.  An
# edge is one acquisition of a lock while another was held; its guards are
# the other locks held then.  A cycle of edges can deadlock only when its
# edges come from different threads that can run at the same time, could
# all be where they are at once (no lock held by two of them, no semaphore
# holding more of them than it admits), and every one of them would wait:
# the classic Goodlock conditions, with gate locks, plus semaphores,
# rwlock read holds, trylocks and thread start and join.

include "sites";

def hex: ltrimstr("0x") | ascii_downcase | explode
  | reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));

# ---------------------------------------------------------------- reading

def record_lines($tag):
  [$record | lines[] | select(startswith("lockgraph_\($tag)=")) | sub("^[a-z_]+="; "")];

def address_list:
  if . == "" then [] else split(",") end;

def held_item:
  capture("^(?<lock>0x[0-9a-f]+):(?<mode>[xrRw])$");

def threads:
  [record_lines("thread")[] | capture("^(?<slot>[0-9]+) (?<parent>-?[0-9]+) (?<parent_epoch>[0-9]+) (?<epoch>[0-9]+) (?<name>.+)$")
   | {(.slot): {parent: (.parent | tonumber), parent_epoch: (.parent_epoch | tonumber),
                epoch: (.epoch | tonumber), name: (if .name == "-" then null else .name end)}}]
  | add // {};

def joins:
  [record_lines("join")[] | capture("^(?<slot>[0-9]+) (?<epoch>[0-9]+) (?<child>[0-9]+)$") | .epoch |= tonumber];

def acquisitions:
  [record_lines("acquired")[]
   | capture("^(?<slot>[0-9]+) (?<epoch>[0-9]+) (?<lock>0x[0-9a-f]+) (?<mode>[xrRw])(?<tried>t?) (?<site>0x[0-9a-f]+) held=(?<held>\\S*) sems=(?<sems>\\S*)$")
   | {thread: .slot, epoch: (.epoch | tonumber), lock, mode, tried: (.tried == "t"), site,
      held: [.held | address_list[] | held_item], sems: (.sems | address_list)}];

# A semaphore bounds how many threads are inside it only when the program
# set it up once (sem_init, so its value is known) and every post let out
# a thread that had waited on it.
def semaphores:
  [record_lines("sem")[] | capture("^(?<sem>0x[0-9a-f]+) (?<initial>-?[0-9]+) (?<unpaired>[01])$")
   | {sem, initial: (.initial | tonumber), unpaired: (.unpaired == "1")}]
  | group_by(.sem)
  | map({(.[0].sem): {initial: (map(.initial) | if map(select(. >= 0)) | length == 1 and (map(select(. == -2)) | length == 0)
                                                then max else null end),
                      unpaired: any(.[]; .unpaired)}})
  | add // {};

def labels:
  [record_lines("label")[] | capture("^(?<start>0x[0-9a-f]+) (?<size>[0-9]+) (?<name>.+)$")
   | {start: (.start | hex), stop: ((.start | hex) + (.size | tonumber)), name}];

# "0000000000004040 0000000000000028 B lock_a" -> {start, end, name}
def data_symbols:
  [$symbols | lines[] | fields | select(length == 4 and (.[2] | test("^[bBdDgGsS]$")))
   | {start: (.[0] | hex), stop: ((.[0] | hex) + (.[1] | hex)), name: .[3]}];

# Where the record says it is complete: the closing line is there, counts
# the lines above it, every line reads, no thread was left out and nothing
# was lost.
def completeness($parsed):
  (record_lines("end") | last // null) as $closing
  | ([$record | lines[] | select(startswith("lockgraph_"))] | length) as $count
  | if (record_lines("begin") | length) != 1 then "the lock record is missing"
    elif $closing == null then "the lock record was cut off"
    elif ($closing | test("^[0-9]+ [0-9]+ [0-9]+$") | not) or (record_lines("end") | length) != 1 then "the lock record's last line is malformed"
    elif ($closing | fields | .[0] | tonumber) != $count - 1 or $parsed != $count - 2 then "the lock record does not add up (lines missing, added or malformed)"
    elif ($closing | fields | .[1]) != "0" then "threads that were never joined are missing from the lock record"
    elif ($closing | fields | .[2]) != "0" then "the program took more locks than the lock record keeps"
    else null end;

# ---------------------------------------------------------------- naming

def lock_name($labels; $symbols; $delta):
  hex as $address
  | ([$labels[] | select($address >= .start and $address < .stop)][0].name)
    // ([$symbols[] | select($address - $delta >= .start and $address - $delta < .stop)][0]
        | if . == null then null
          elif $address - $delta == .start then .name
          else "\(.name) + \($address - $delta - .start)" end)
    // "the lock at \(.)";

def thread_name($threads):
  . as $slot | $threads[$slot].name // (if $threads[$slot].parent == -1 then "main thread" else "thread \($slot)" end);

# ---------------------------------------------------------------- time

# The vector clock of thread T in its epoch E, from thread starts and joins
# only: {"<slot>": epoch}.  Edge A happened before edge B when B's clock
# has A's thread at A's epoch or later.
def max_merge($a; $b):
  reduce ($b | to_entries[]) as $e ($a; .[$e.key] = ([.[$e.key] // -1, $e.value] | max));

def clock($threads; $joins; $t; $e):
  def at($t; $e):
    ($threads[$t] // {parent: -1}) as $info
    | (if $info.parent >= 0 and $threads[$info.parent | tostring] != null
       then at($info.parent | tostring; $info.parent_epoch) else {} end) as $start
    | reduce ($joins[] | select(.slot == $t and .epoch < $e)) as $join ($start;
        max_merge(.; at($join.child; $threads[$join.child].epoch // 0)))
    | .[$t] = $e;
  at($t; $e);

def ordered($a; $b):
  ($b.clock[$a.thread] // -1) >= $a.epoch or ($a.clock[$b.thread] // -1) >= $b.epoch;

# ---------------------------------------------------------------- the graph

def exclusive: . == "x" or . == "w";

# Whether two threads could hold these two sets of locks at once.
def held_apart($a; $b):
  all($a[]; . as $x | all($b[]; .lock != $x.lock or ((.mode | exclusive) or ($x.mode | exclusive) | not)));

def edges($clocks):
  [.[] | . as $acq
   | .held[] | select(.lock != $acq.lock) | . as $from
   | {from: .lock, from_mode: .mode, to: $acq.lock, to_mode: $acq.mode, tried: $acq.tried,
      thread: $acq.thread, epoch: $acq.epoch, site: $acq.site, sems: $acq.sems,
      held: $acq.held, clock: $clocks["\($acq.thread)/\($acq.epoch)"]}]
  | unique;

# Simple cycles of locks, each once (it starts at its smallest lock).
def lock_cycles($limit):
  (reduce .[] as $e ({}; .[$e.from] += [$e.to]) | map_values(unique)) as $next
  | [($next | keys[]) as $start
     | def walk($path):
         ($path[-1]) as $here
         | ($next[$here] // [])[] as $to
         | if $to == $start and ($path | length) > 1 then $path
           elif $to > $start and ($path | index([$to]) == null) and ($path | length) < 24 then walk($path + [$to])
           else empty end;
       walk([$start])]
  | .[:$limit];

# Why edge B cannot be in the same deadlock as the edges already chosen.
def conflict($chosen; $b; $names; $threads):
  first(($chosen[] as $a
    | if $a.thread == $b.thread then "two of its edges are taken by \($a.thread | thread_name($threads)) itself, and a thread cannot deadlock with itself"
      elif ordered($a; $b) then "\($a.thread | thread_name($threads)) and \($b.thread | thread_name($threads)) never run at the same time (one starts only after the other has been joined)"
      elif held_apart($a.held; $b.held) | not then
        ([$a.held[] | .lock as $l | select(any($b.held[]; .lock == $l))][0].lock | lock_name($names.labels; $names.symbols; $names.delta)) as $gate
        | "two of its edges are taken while holding \($gate), so they never happen at once"
      else empty end), null);

def blocked_reason($b; $names; $threads):
  if $b.tried then "\($b.thread | thread_name($threads)) takes \($b.to | lock_name($names.labels; $names.symbols; $names.delta)) with a trylock or a timed lock, which does not wait forever"
  else null end;

# A reader does not wait for another reader on a readers-first rwlock.
def link_reason($waiting; $holding; $names):
  if $waiting.to_mode == "r" and ($holding.from_mode == "r" or $holding.from_mode == "R") then
    "\($waiting.to | lock_name($names.labels; $names.symbols; $names.delta)) is only read-locked there, and readers do not wait for readers"
  else null end;

def sem_reason($chosen; $sems; $names):
  first(($chosen | map(.sems[]) | group_by(.)[]
    | .[0] as $s | length as $inside
    | $sems[$s] as $info
    | select($info != null and ($info.unpaired | not) and $info.initial != null and $inside > $info.initial)
    | "it needs \($inside) threads inside the semaphore \($s | lock_name($names.labels; $names.symbols; $names.delta)) at once, which admits \($info.initial)"), null);

# Search, hop by hop, for edges that could deadlock together; the reasons
# every attempt failed on.  $budget bounds the work: a cycle that would need
# more is not proven safe.
def cycle_search($hops; $sems; $names; $threads):
  def go($i; $chosen):
    if $i == ($hops | length) then
      (link_reason($chosen[-1]; $chosen[0]; $names)) as $closing
      | if $closing != null then {reasons: [$closing]} else {feasible: $chosen} end
    else
      $hops[$i][] as $b
      | (blocked_reason($b; $names; $threads)
         // conflict($chosen; $b; $names; $threads)
         // (if $i > 0 then link_reason($chosen[-1]; $b; $names) else null end)
         // sem_reason($chosen + [$b]; $sems; $names)) as $why
      | if $why != null then {reasons: [$why]} else go($i + 1; $chosen + [$b]) end
    end;
  [limit(2000; go(0; []))]
  | if any(.[]; .feasible != null) then {feasible: true}
    elif length >= 2000 then {feasible: null, reasons: ["too many ways to check"]}
    else {feasible: false, reasons: (map(.reasons[]) | unique)} end;

# The graph of the run whose result lines are $record.
def lock_graph:
  threads as $threads
  | joins as $joins
  | acquisitions as $acquisitions
  | semaphores as $sems
  | {labels: labels, symbols: data_symbols,
     delta: ((record_lines("begin")[0] // "0x0" | hex)
             - ([$symbols | lines[] | fields | select(length >= 3 and .[-1] == "kit_label")][0][0] // "0" | hex))} as $names
  | ($acquisitions | map("\(.thread)/\(.epoch)") | unique
     | map({(.): (split("/") as [$t, $e] | clock($threads; $joins; $t; $e | tonumber))}) | add // {}) as $clocks
  | ($acquisitions | edges($clocks)) as $edges
  | ($edges | lock_cycles(50)) as $cycles
  | site_chains($places; $order; $srcdir) as $chains
  | ([($threads | length), ($joins | length), ($acquisitions | length),
      ([record_lines("sem")[] | select(test("^0x[0-9a-f]+ -?[0-9]+ [01]$"))] | length),
      (labels | length)] | add) as $parsed
  | completeness($parsed) as $why_incomplete
  | [$cycles[] as $locks
     | [range(0; $locks | length) as $i
        | [$edges[] | select(.from == $locks[$i] and .to == $locks[($i + 1) % ($locks | length)])]] as $hops
     | {locks: [$locks[] | lock_name($names.labels; $names.symbols; $names.delta)], addresses: $locks}
       + cycle_search($hops; $sems; $names; $threads)] as $judged
  | {complete: ($why_incomplete == null),
     why_incomplete: $why_incomplete,
     acquired: [$acquisitions[] | {lock, mode, held: [.held[].lock], at: ($chains[.site] // [])}] | unique,
     cycles: $judged,
     proven: ($why_incomplete == null and ($cycles | length) < 50 and all($judged[]; .feasible == false))};
