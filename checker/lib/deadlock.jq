# deadlock.jq - who waits for whom in a deadlocked run.
#
# Input, gathered by collect.bash from gdb's view of the stuck program:
#   {names: {"<tid>": "worker 1"}, handles: {"<pthread_t>": tid},
#    waits: [{tid, mutex, site, kind, also}],
#    holds: [{tid, mutex, site}], symbols: {"<mutex>": "forks + 40"},
#    labels: [{start, size, name}], places: {"<site>": "bank.c:39 in transfer"}}
# Output: {threads: [{thread, holds: [{lock, at}], waits_on, released, joining,
#                     wants: {lock, at, held_by}}],
#          cycle: ["worker 1", "worker 2"], self_locked: [{thread, lock, at}],
#          waits: "text" (the threads blocked on something else than a lock),
#          picture: "text"}
# waits_on: "mutex", "rwlock", "condition variable" (released: the mutex it
# gave up), "semaphore", "join" (joining: whom) or "barrier"; wants.lock is
# then the name of what it waits on.
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

# What a blocked thread waits on (kit.c enum kit_wait): only a lock has a
# holder that could let it go on.
def wait_kind:
  {"1": "mutex", "2": "condition variable", "3": "semaphore", "4": "join",
   "5": "rwlock", "6": "rwlock", "7": "barrier"}[tostring] // "mutex";

def is_lock_wait: .waits_on == "mutex" or .waits_on == "rwlock";

# One blocked thread's wait, in words: "waits on the condition variable
# not_empty (it released queue_lock), and no thread is left to signal it".
def wait_text:
  if .waits_on == "condition variable" then
    "waits on the condition variable \(.wants.lock)"
    + (if .released != null then " (it released \(.released))" else "" end)
    + ", and no thread is left to signal it"
  elif .waits_on == "semaphore" then "waits on the semaphore \(.wants.lock), and no thread is left to post it"
  elif .waits_on == "join" then "waits to join \(.joining // "a thread")"
  elif .waits_on == "barrier" then "waits at the barrier \(.wants.lock) for threads that never arrive"
  else "waits for \(.wants.lock)" + (if .wants.held_by != null then ", which \(.wants.held_by) holds" else "" end) end;

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
| ($waiting | map({(.tid | tostring): (if IN(.kind; 1, 5, 6) then $holder[.mutex] else null end)}) | add // {}) as $owner_of
| ([$waiting[].tid | find_cycle($owner_of)] | map(select(. != null)) | first // []
   | (index([min])) as $start | .[$start:] + .[:$start]) as $cycle
| [$waiting[] | . as $wait | {
    thread: (.tid | thread_name($input.names)),
    tid: .tid,
    holds: [$input.holds[] | select(.tid == $wait.tid)
            | {lock: (.mutex | lock_name($input)), at: (.site | place($input))}],
    waits_on: (.kind | wait_kind),
    released: (if .kind == 2 and .also != "0x0" and .also != "0" then .also | lock_name($input) else null end),
    joining: (if .kind == 4 then ($input.handles[.mutex] // null) | if . == null then null else thread_name($input.names) end
              else null end),
    wants: {lock: (.mutex | lock_name($input)), at: (.site | place($input)),
            held_at: (.mutex as $m | [$input.holds[] | select(.mutex == $m)][0].site // null
                      | if . == null then null else place($input) end),
            held_by: ($holder[.mutex] | if . == null then null
                      elif $input.names[tostring] == null then "a thread that has ended"
                      else thread_name($input.names) end)}
  }] as $blocked
# A thread waiting to join another is a consequence, not a cause: it is
# named in "waits" but drawn only when nothing else is blocked.
| ($blocked | map(select(.waits_on != "join")) | if length == 0 then $blocked else . end) as $threads
| ($threads | map(select(is_lock_wait and (.wants.lock as $wanted | any(.holds[]; .lock == $wanted))))) as $self_locked
| {threads: $threads,
   waits: (if any($blocked[]; (is_lock_wait | not) and .waits_on != "join") | not then null
           else $blocked | sort_by(is_lock_wait, .waits_on == "join") | map("\(.thread) \(wait_text)") | join("; ") end),
   cycle: [$cycle[] | thread_name($input.names)],
   self_locked: [$self_locked[] | {thread, lock: .wants.lock, at: (.holds[] | select(.lock == $self_locked[0].wants.lock) | .at)}],
   picture: ([$threads[]
     | "\(.thread) -> holds \(if (.holds | length) == 0 then "no lock" else
          (.holds | map("\(.lock) (locked at \(.at))") | join(", ")) end), "
       + (if is_lock_wait then "wants \(.wants.lock)" else wait_text end) + " (waiting at \(.wants.at))"]
     + [$self_locked[] | "\(.thread) waits for \(.wants.lock), which it holds itself: a lock taken and never released"]
     + [$threads[] | select(.wants.held_by == "a thread that has ended")
        | "\(.thread) waits for \(.wants.lock), which a thread that has ended still holds: it locked it at \(.wants.held_at) and returned without unlocking"]
     + (if ($cycle | length) > 1 then
         ["each waits for a lock the next one holds: \(($cycle + [$cycle[0]]) | map(thread_name($input.names)) | join(" -> "))"]
        else [] end)
     | join("\n"))}
