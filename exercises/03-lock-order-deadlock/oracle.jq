# oracle.jq - judges one run of 03-lock-order-deadlock.
# Input: {"params": {"threads", "rounds", "accounts"},
#         "result": {"balance_0", "balance_1", ..., "total",
#                    "audits", "wrong_audits", "worst_audit_total"}, "files", "exit_code"}.
# Output: one sentence per problem; nothing when the run is right.
# The expected balances come from the parameters and the schedule of
# harness/bank.h: every account opens with 1000, and thread k (k = 1..threads)
# moves k from account (k - 1) mod accounts to account k mod accounts, once
# per round.
# The auditor (harness/main.c) takes every account's lock during the run and
# adds up the balances: with the money only ever moved, every sum it sees
# must be the opening total.  (Under Valgrind there is no auditor: its
# counts are 0.)

def opening_balance: 1000;

def paid_into($id; $threads; $accounts):
  [range(1; $threads + 1) | select(. % $accounts == $id)] | add // 0;

def paid_out_of($id; $threads; $accounts):
  [range(1; $threads + 1) | select((. - 1) % $accounts == $id)] | add // 0;

def expected_balance($id; $threads; $rounds; $accounts):
  opening_balance
  + $rounds * (paid_into($id; $threads; $accounts) - paid_out_of($id; $threads; $accounts));

def judge_account($id; $threads; $rounds; $accounts; $result):
  expected_balance($id; $threads; $rounds; $accounts) as $want
  | $result["balance_\($id)"] as $got
  | if ($got | type) != "number" then
      "the program reported no balance for account \($id) (expected \($want))"
    elif $got != $want then
      "account \($id) ends with \($got), expected \($want) (\(if $got > $want then "\($got - $want) too much" else "\($want - $got) too little" end)): a transfer's change to this balance was lost"
    else
      empty
    end;

(.params.threads | tonumber) as $threads
| (.params.rounds | tonumber) as $rounds
| ((.params.accounts // 2) | tonumber) as $accounts
| .result as $result
| (opening_balance * $accounts) as $total
| (range(0; $accounts) | judge_account(.; $threads; $rounds; $accounts; $result)),
  (if ($result.total | type) != "number" then
     "the program reported no total (expected \($total))"
   elif $result.total != $total then
     "the bank holds \($result.total) in total, expected \($total): transfers must move money, never create or destroy it"
   else
     empty
   end),
  (if ($result.wrong_audits | type) == "number" and $result.wrong_audits > 0 then
     "the auditor, holding every account's lock, found \($result.worst_audit_total) in the bank instead of \($total) in \($result.wrong_audits) of \($result.audits) audits during the run: \(if $result.worst_audit_total < $total then "money had left one account and not yet reached the other" else "money had reached one account before it left the other" end), which anyone looking at the bank then sees; hold both accounts' locks from before the withdrawal until after the deposit"
   else
     empty
   end)
