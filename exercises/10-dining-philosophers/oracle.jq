# oracle.jq - judges one run of 10-dining-philosophers.
# Input: {"params": {"philosophers", "meals"},
#         "result": {"ate_0", "ate_1", ..., "clashes"}, "files", "exit_code"}.
# Output: one sentence per problem; nothing when the run is right.
# Right means: every philosopher 0 .. philosophers-1 ate exactly `meals`
# times, and no fork was ever in two hands at once (the harness marks each
# fork with the philosopher eating with it, and counts a clash when it finds
# the mark of someone else).

(.params.philosophers | tonumber) as $philosophers
| (.params.meals | tonumber) as $meals
| .result as $r
| "\($philosophers) philosophers, \($meals) meals each" as $run
| (range(0; $philosophers)
   | $r["ate_\(.)"] as $ate
   | if ($ate | type) != "number" then
       "the program reported no meal count for philosopher \(.) (\($run))"
     elif $ate != $meals then
       "philosopher \(.) ate \($ate) times, expected \($meals) (\($run))"
     else empty end),
  (if ($r.clashes | type) != "number" then
     "the program reported no count of forks in two hands (\($run))"
   elif $r.clashes > 0 then
     "a fork was in two philosophers' hands at once \($r.clashes) times (\($run)): neighbours ate with the same fork at the same time, so a philosopher must hold the locks of both its forks while it eats"
   else empty end)
