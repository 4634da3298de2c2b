# oracle.jq - judges one run of 01-lost-update.
# Input: {"params": {"threads", "rounds"}, "result": {"value"}, "files", "exit_code"}.
# Output: one sentence per problem; nothing when the run is right.
# The expected value comes from the parameters only: every one of
# threads x rounds calls to database_update() must add exactly one.

(.params.threads | tonumber) as $threads
| (.params.rounds | tonumber) as $rounds
| ($threads * $rounds) as $expected
| .result.value as $value
| "\($threads) threads x \($rounds) rounds" as $run
| if ($value | type) != "number" then
    "the program reported no final value (expected \($expected) after \($run))"
  elif $value < $expected then
    "final value is \($value), expected \($expected) (\($run)): \($expected - $value) updates were lost"
  elif $value > $expected then
    "final value is \($value), expected \($expected) (\($run)): \($value - $expected) more than the updates that were made"
  else
    empty
  end
