# oracle.jq - judges one run of 06-volatile-counter.
# Input: {"params": {"threads", "hits"}, "result": {"count"}, "files", "exit_code"}.
# Output: one sentence per problem; nothing when the run is right.
# The expected count comes from the parameters only: every one of
# threads x hits calls to record_hit() must add exactly one.

(.params.threads | tonumber) as $threads
| (.params.hits | tonumber) as $hits
| ($threads * $hits) as $expected
| .result.count as $count
| "\($threads) threads x \($hits) hits" as $run
| if ($count | type) != "number" then
    "the program reported no count (expected \($expected) after \($run))"
  elif $count < $expected then
    "counted \($count) hits, expected \($expected) (\($run)): \($expected - $count) hits were lost, because two threads read the same count and both wrote back that count plus one"
  elif $count > $expected then
    "counted \($count) hits, expected \($expected) (\($run)): \($count - $expected) more than the hits that were served"
  else
    empty
  end
