# points-file.jq - check an instructor's points file and fill in its defaults.
#
# $file (jq --slurpfile): the points file (JSON, docs/instructors.md "Points"), or null for none:
#   {"default": {"points": 1},
#    "exercises": {"01-lost-update": {"points": 10, "partial": {"tsan": 4}}}}
# $names: the exercises graded, in order; $all: every exercise of the set.
# Output: {order: $names, exercises: {name: {points, partial}}}, or an error
# that says what is wrong.

def criteria: ["tsan", "helgrind", "result", "completes"];

def check_entry($where):
  if type != "object" then error("\($where) must be an object like {\"points\": 10}")
  elif (keys - ["points", "partial"]) != [] then
    error("\($where) has unknown keys \(keys - ["points", "partial"] | join(", ")); it takes points and partial")
  elif has("points") and ((.points | type) != "number" or .points < 0) then
    error("\($where): points must be a number of at least 0, not \(.points | tojson)")
  elif has("partial") and (.partial | type) != "object" then
    error("\($where): partial must map criteria to points, e.g. {\"tsan\": 4}")
  elif has("partial") and ((.partial | keys) - criteria) != [] then
    error("\($where): partial credit can be given for \(criteria | join(", ")) only (every shipped program builds), not \((.partial | keys) - criteria | join(", "))")
  elif has("partial") and any(.partial[]; type != "number" or . < 0) then
    error("\($where): each partial credit must be a number of at least 0")
  else . end;

($file[0] // {}) as $file
| if ($file | type) != "object" then error("the points file must hold one JSON object") else . end
| (($file | keys) - ["default", "exercises"]) as $extra
| if $extra != [] then error("unknown keys \($extra | join(", ")) (the file takes default and exercises)") else . end
| (($file.exercises // {}) | keys - $all) as $unknown
| if $unknown != [] then error("no exercise named \($unknown | join(", ")) (exercises: \($all | join(", ")))") else . end
| ({points: 1, partial: {}} + (($file.default // {}) | check_entry("default"))) as $default
| {order: $names,
   exercises: ($names | map(. as $name
     | ($default + (($file.exercises[$name] // {}) | check_entry("exercises.\($name)")))
     | if ((.partial | add) // 0) >= .points and .points > 0 then
         error("exercises.\($name): partial credit (\(.partial | add)) must stay below the exercise's points (\(.points)), or a failing fix would earn as much as a passing one")
       else . end
     | {key: $name, value: .}) | from_entries)}
