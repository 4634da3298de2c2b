# deadlock.jq - who waits for whom in a deadlocked run.
#
# Input, gathered by collect.bash from gdb's view of the stuck program:
#   {names: {"<tid>": "worker 1"}, waits: [{tid, mutex, site}],
#    holds: [{tid, mutex, site}], symbols: {"<mutex>": "forks + 40"},
#    labels: [{start, size, name}], places: {"<site>": "bank.c:39 in transfer"}}
# Output: {threads: [{thread, holds: [{lock, at}], wants: {lock, at, held_by}}],
#          cycle: ["worker 1", "worker 2"], self_locked: [{thread, lock, at}],
#          picture: "text"}
# A thread is named by the role its harness gave it, a lock by the object the
# harness labelled (or the variable it lives in, or else its address).

def hex: ltrimstr("0x") | ascii_downcase | explode
  | reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));

def thread_name($names): $names[tostring] // "thread \(.)";

def lock_name($input):
  . as $mutex
  | ($mutex | hex) as $address
  | ([$input.labels[] | select(($address >= (.start | hex)) and ($address < (.start | hex) + .size))][0].name)
    // ($input.symbols[$mutex] | select(. != null and (test("^No symbol") | not))
        | sub(" in section .*$"; "") | sub(" \\+ 0$"; ""))
    // "the mutex at \($mutex)";

def place($input): $input.places[.] // "an unknown place";

# Follow "waits for a lock held by" from a thread until a thread repeats;
# the cycle is what lies from the first repeat on (null when the chain ends).
def find_cycle($owner_of):
  def next_of: $owner_of[tostring];
  {path: [.]}
  | until((.path[-1] | next_of) as $next | $next == null or (.path | index([$next])) != null;
      .path += [.path[-1] | next_of])
  | (.path[-1] | next_of) as $next
  | if $next == null then null else .path[(.path | index([$next])):] end;

. as $input
| ($input.holds | map({(.mutex): .tid}) | add // {}) as $holder
| ($input.waits | map(select(.mutex != "0x0")) | sort_by(.tid)) as $waiting
| ($waiting | map({(.tid | tostring): $holder[.mutex]}) | add // {}) as $owner_of
| ([$waiting[].tid | find_cycle($owner_of)] | map(select(. != null)) | first // []
   | (index([min])) as $start | .[$start:] + .[:$start]) as $cycle
| [$waiting[] | . as $wait | {
    thread: (.tid | thread_name($input.names)),
    tid: .tid,
    holds: [$input.holds[] | select(.tid == $wait.tid)
            | {lock: (.mutex | lock_name($input)), at: (.site | place($input))}],
    wants: {lock: (.mutex | lock_name($input)), at: (.site | place($input)),
            held_at: (.mutex as $m | [$input.holds[] | select(.mutex == $m)][0].site // null
                      | if . == null then null else place($input) end),
            held_by: ($holder[.mutex] | if . == null then null
                      elif $input.names[tostring] == null then "a thread that has ended"
                      else thread_name($input.names) end)}
  }] as $threads
| ($threads | map(select(.wants.lock as $wanted | any(.holds[]; .lock == $wanted)))) as $self_locked
| {threads: $threads,
   cycle: [$cycle[] | thread_name($input.names)],
   self_locked: [$self_locked[] | {thread, lock: .wants.lock, at: (.holds[] | select(.lock == $self_locked[0].wants.lock) | .at)}],
   picture: ([$threads[]
     | "\(.thread) -> holds \(if (.holds | length) == 0 then "no lock" else
          (.holds | map("\(.lock) (locked at \(.at))") | join(", ")) end), wants \(.wants.lock) (waiting at \(.wants.at))"]
     + [$self_locked[] | "\(.thread) waits for \(.wants.lock), which it holds itself: a lock taken and never released"]
     + [$threads[] | select(.wants.held_by == "a thread that has ended")
        | "\(.thread) waits for \(.wants.lock), which a thread that has ended still holds: it locked it at \(.wants.held_at) and returned without unlocking"]
     + (if ($cycle | length) > 1 then
         ["each waits for a lock the next one holds: \(($cycle + [$cycle[0]]) | map(thread_name($input.names)) | join(" -> "))"]
        else [] end)
     | join("\n"))}
