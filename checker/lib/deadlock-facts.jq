# deadlock-facts.jq - the facts deadlock.jq needs, read from gdb's output.
# $stacks: what the runner's gdb printed (thread headers, deadlock.gdb lines).
# $places: addr2line -a -f -i output for the sites, in $order's order.
# $order: "site offset" lines.  $srcdir: the student's files' directory.

def lines: split("\n") | map(select(length > 0));
def fields: split(" ") | map(select(length > 0));
def short_path: ltrimstr($srcdir + "/") | sub("^.*/harness/"; "harness/") | sub("^.*/checker/harness/"; "");

# "Thread 3 (Thread 0x7f.. (LWP 31789) "worker 2"):" -> {"31789": "worker 2"}.
# A thread that never named itself carries the program's name: call it by
# gdb's number instead ("thread 3").
def thread_names:
  [lines[] | capture("^Thread (?<number>[0-9]+) \\(Thread 0x[0-9a-f]+ \\(LWP (?<tid>[0-9]+)\\) \"(?<name>[^\"]*)\"\\)")
   | {(.tid): (if .name | test("^prog_(tsan|plain)$") then "thread \(.number)" else .name end)}] | add // {};

# gdb prints a null pointer as "(nil)".
def address: if . == "(nil)" then "0x0" else . end;

def records($tag):
  [lines[] | select(startswith($tag + " ")) | fields
   | {tid: (.[1] | tonumber), mutex: (.[2] | address), site: (.[3] | address)}];

def symbols:
  [lines[] | select(startswith("KIT-SYMBOL ")) | capture("^KIT-SYMBOL (?<address>0x[0-9a-f]+) (?<what>.*)$")
   | {(.address): .what}] | add // {};

def labels:
  [lines[] | select(startswith("KIT-LABEL ")) | capture("^KIT-LABEL (?<start>0x[0-9a-f]+) (?<size>[0-9]+) (?<name>.*)$")
   | .size |= tonumber];

# addr2line -a -f -i: an address line, then function/file:line pairs from the
# innermost inlined call outwards.
def places_by_offset:
  reduce ($places | lines[]) as $line ({current: null, map: {}, fn: null};
    if $line | test("^0x[0-9a-f]+$") then .current = ($line | ltrimstr("0x") | sub("^0+"; "")) | .fn = null
    elif .fn == null then .fn = $line
    else .map[.current] += [("\($line | sub(" \\(discriminator [0-9]+\\)$"; "") | short_path) in \(.fn)")] | .fn = null
    end)
  | .map;

def places:
  places_by_offset as $by_offset
  | [$order | lines[] | fields | {(.[0]): (($by_offset[.[1] | ltrimstr("0x") | sub("^0+"; "")] // [])
      | if length == 0 then null else .[0] + (if length > 1 then ", called from " + (.[1:] | join(", called from ")) else "" end) end)}]
  | add // {};

$stacks
| {names: thread_names, waits: records("KIT-WAITS"), holds: records("KIT-HOLDS"),
   symbols: symbols, labels: labels, places: places}
