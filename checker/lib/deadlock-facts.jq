# deadlock-facts.jq - the facts deadlock.jq needs, read from gdb's output.
# $stacks: what the runner's gdb printed (thread headers, deadlock.gdb lines).
# $places: addr2line -a -f -i output for the sites, in $order's order.
# $order: "site offset" lines.  $srcdir: the student's files' directory.

include "sites";

# "Thread 3 (Thread 0x7f.. (LWP 31789) "worker 2"):" -> {"31789": "worker 2"}.
# A thread that never named itself carries the program's name: call it by
# gdb's number instead ("thread 3").
def thread_names:
  [lines[] | capture("^Thread (?<number>[0-9]+) \\(Thread 0x[0-9a-f]+ \\(LWP (?<tid>[0-9]+)\\) \"(?<name>[^\"]*)\"\\)")
   | {(.tid): (if .name | test("^prog_(tsan|plain)$") then "thread \(.number)" else .name end)}] | add // {};

# "Thread 3 (Thread 0x7f.. (LWP 31789) ...":" -> {"0x7f..": 31789}: a
# pthread_t (what a join waits for) to the thread's tid.
def thread_handles:
  [lines[] | capture("^Thread [0-9]+ \\(Thread (?<handle>0x[0-9a-f]+) \\(LWP (?<tid>[0-9]+)\\)")
   | {(.handle): (.tid | tonumber)}] | add // {};

# gdb prints a null pointer as "(nil)".
def address: if . == "(nil)" then "0x0" else . end;

def records($tag):
  [lines[] | select(startswith($tag + " ")) | fields
   | {tid: (.[1] | tonumber), mutex: (.[2] | address), site: (.[3] | address),
      kind: (.[4] // "1" | tonumber? // 1), also: (.[5] // "0x0" | address)}];

def symbols:
  [lines[] | select(startswith("KIT-SYMBOL ")) | capture("^KIT-SYMBOL (?<address>0x[0-9a-f]+) (?<what>.*)$")
   | {(.address): .what}] | add // {};

def labels:
  [lines[] | select(startswith("KIT-LABEL ")) | capture("^KIT-LABEL (?<start>0x[0-9a-f]+) (?<size>[0-9]+) (?<name>.*)$")
   | .size |= tonumber];

def places:
  site_chains($places; $order; $srcdir) | map_values(chain_text);

$stacks
| {names: thread_names, handles: thread_handles, waits: records("KIT-WAITS"), holds: records("KIT-HOLDS"),
   symbols: symbols, labels: labels, places: places}
