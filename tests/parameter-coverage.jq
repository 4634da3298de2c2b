# parameter-coverage.jq - what an exercise's runs leave out of the ranges
# its handout promises.
# Input: {name, spec: <exercise.json>, stated: [{option: "--threads", lo, hi}]}
# where `stated` is the handout's table of counts (README.md, "The counts it
# is graded with").  Output: one sentence per gap; nothing when the spec's
# "parameters" match the handout and its TSan runs cover both ends of every
# range and draw at random inside it.

# [lo, hi] of a spec value: "3..8" or a single number.
def bounds: if type == "string" then split("..") | map(tonumber) else [., .] end;

# The parameter an option sets, read from the spec's command line.
def parameter_of($option; $args):
  [range(0; ($args | length) - 1) | select($args[.] == $option) | $args[. + 1]]
  | first // "" | if test("^\\{[a-z_]+\\}$") then ltrimstr("{") | rtrimstr("}") else null end;

.name as $name
| .spec as $spec
| ($spec.parameters // {}) as $params
| [.stated[] | . + {param: parameter_of(.option; $spec.args)}] as $stated
| ($spec.tsan_runs // []) as $tsan
| (($spec.tsan_runs // []) + ($spec.helgrind_runs // [])) as $runs
| (if ($params | length) == 0 then "\($name): exercise.json states no \"parameters\"" else empty end),
  (if ($stated | length) == 0 then "\($name): the handout has no table of the counts it is graded with" else empty end),
  ($stated[] | select(.param == null)
   | "\($name): the handout's \(.option) is not an option of the spec's args"),
  ($stated[] | select(.param as $q | $q != null and ($params | has($q) | not))
   | "\($name): the handout states \(.option) (\(.lo) to \(.hi)), the spec's parameters do not"),
  ($params | keys[] | select(. as $p | $stated | map(.param) | index([$p]) | not)
   | "\($name): the spec's parameter \(.) is missing from the handout's table"),
  ($stated[] | select(.param as $q | $q != null and ($params | has($q)))
   | ($params[.param] | bounds) as [$lo, $hi]
   | select([.lo, .hi] != [$lo, $hi])
   | "\($name): the handout says \(.option) is \(.lo) to \(.hi), the spec \($lo)..\($hi)"),
  ($params | to_entries[]
   | .key as $p
   | (.value | bounds) as [$lo, $hi]
   | [$tsan[] | .[$p]] as $values
   | (if ($values | index([$lo])) == null then
        "\($name): no TSan run has \($p) = \($lo), the lower end of its range"
      else empty end),
     (if ($values | index([$hi])) == null then
        "\($name): no TSan run has \($p) = \($hi), the upper end of its range"
      else empty end),
     (if [$values[] | select(type == "string") | bounds | select(.[0] < .[1])] | length == 0 then
        "\($name): no TSan run draws \($p) at random inside \($lo)..\($hi)"
      else empty end),
     ($runs[] | select(has($p) | not) | "\($name): a run leaves \($p) unset: \(tojson)"),
     ($runs[] | select(has($p)) | (.[$p] | bounds) as [$a, $b]
      | select($a < $lo or $b > $hi or $a > $b)
      | "\($name): a run's \($p) \(.[$p]) lies outside \($lo)..\($hi)"))
