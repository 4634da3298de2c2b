# oracle.jq - judges one run of 08-forgotten-unlock.
# Input: {"params": {"threads", "requests"},
#         "result": {"paid", "invalid", "insufficient", "balance", "lock"}, "files", "exit_code"}.
# Output: one sentence per problem; nothing when the run is right.
# The expected counts come from the parameters and the schedule of
# harness/account.h: request j of every thread is invalid when j % 3 == 1,
# every other request asks for 20, and the account opens with 20 for half
# of the valid requests (rounded down).  However the threads interleave,
# exactly that half is paid out, the rest is refused for lack of money,
# and the balance ends at 0.

def plural($n; $word): "\($n) \($word)\(if $n == 1 then "" else "s" end)";

(.params.threads | tonumber) as $threads
| (.params.requests | tonumber) as $requests
| ($threads * ((($requests + 1) / 3) | floor)) as $invalid
| ($threads * $requests - $invalid) as $valid
| (($valid / 2) | floor) as $paid
| ($valid - $paid) as $insufficient
| "\(plural($threads; "thread")) x \(plural($requests; "request"))" as $run
| .result as $result
| def count_check($key; $want; $what):
    $result[$key] as $got
    | if ($got | type) != "number" then
        "the program reported no count of withdrawals \($what) (expected \($want), \($run))"
      elif $got != $want then
        "\(plural($got; "withdrawal")) \($what), expected \($want) (\($run))"
      else empty end;
  count_check("paid"; $paid; "paid out"),
  count_check("invalid"; $invalid; "refused as invalid"),
  count_check("insufficient"; $insufficient; "refused for lack of money"),
  (if ($result.balance | type) != "number" then
     "the program reported no final balance (expected 0, \($run))"
   elif $result.balance > 0 then
     "the account ends with \($result.balance), expected 0 (\($run)): withdrawals the balance covered were refused, or a payment's change to the balance was lost"
   elif $result.balance < 0 then
     "the account ends with \($result.balance), expected 0 (\($run)): more was paid out than the account held"
   else empty end),
  (if $result.lock == "held" then
     "the account's lock was still locked after every withdrawal had ended (\($run)): a path through withdraw() returns without unlocking"
   elif $result.lock != "free" then
     "the program did not report the state of the account's lock (\($run))"
   else empty end)
