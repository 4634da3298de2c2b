# oracle.jq - judges one run of 07-lazy-init.
# Input: {"params": {"threads", "requests"}, "result": {"created", "objects", "missing"},
#         "files", "exit_code"}.
# Output: one sentence per problem; nothing when the run is right.
# Whatever the parameters, lazy initialization means one build and one
# shared object: create_config() runs exactly once, every one of the
# threads x requests calls to get_config() returns that object.

def plural($n; $word): "\($n) \($word)\(if $n == 1 then "" else "s" end)";

(.params.threads | tonumber) as $threads
| (.params.requests | tonumber) as $requests
| "\(plural($threads; "thread")) x \(plural($requests; "request"))" as $run
| .result as $result
| if ([$result.created, $result.objects, $result.missing] | map(type) | unique) != ["number"] then
    "the program did not report how often create_config() ran and which configs the threads got (\($run))"
  else
    (if $result.created == 0 then
       "create_config() never ran (\($run)): get_config() must hand out the config that create_config() builds"
     elif $result.created > 1 then
       "create_config() ran \($result.created) times, expected once (\($run)): more than one call of get_config() found no config yet and built one of its own"
     else empty end),
    (if $result.objects > 1 then
       "the threads were handed \($result.objects) different config objects, expected 1 (\($run)): every thread must get the same config"
     else empty end),
    (if $result.missing > 0 then
       "\($result.missing) of \($threads * $requests) calls to get_config() returned NULL (\($run))"
     else empty end)
  end
