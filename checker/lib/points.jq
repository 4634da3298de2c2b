# points.jq - a student's points, from their verdict and the points file.
#
# The rule (docs/instructors.md, "Points"):
#   - an exercise that passes earns its points;
#   - one not submitted, or unchanged from the shipped file (comments and
#     spacing aside), earns 0 and is not graded at all;
#   - one that fails earns partial credit only for criteria the points file
#     credits AND the shipped program fails: a criterion the bug never broke
#     (every shipped program builds; most finish) proves nothing about a fix,
#     so an untouched or cosmetically touched file can never out-score a
#     real attempt.  Partial credit is always below the exercise's points.
#
# $points:    {order: [names], exercises: {name: {points, partial: {criterion: n}}}}
# $reference: {name: [criteria the shipped program did not pass]}

def exercise_points($verdict; $config; $unpassed):
  if $verdict.passed then {score: $config.points, status: "pass", note: ""}
  else
    [$verdict.criteria[]
     | select(.status == "pass") | .id as $id
     | select(($config.partial[$id] // 0) > 0 and any($unpassed[]; . == $id)) | $id] as $credited
    | ([$credited[] | $config.partial[.]] | add // 0) as $score
    | {score: $score, status: (if $score > 0 then "partial" else "fail" end),
       note: (if $score > 0 then "partial credit for " + ($credited | join(", ")) else "" end)}
  end;

def student_points($points; $reference):
  . as $student
  | [$points.order[] as $name
     | $points.exercises[$name] as $config
     | ([$student.exercises[] | select(.name == $name)] | first) as $verdict
     | ([$student.not_graded[] | select(.name == $name)] | first) as $skipped
     | {name: $name, max: $config.points}
       + if $verdict != null then exercise_points($verdict; $config; $reference[$name] // [])
         elif $skipped != null then {score: 0, status: $skipped.status, note: $skipped.reason}
         else {score: 0, status: "missing", note: "not graded"} end]
  | {total: (map(.score) | add // 0), max: (map(.max) | add // 0),
     passed: (map(select(.status == "pass")) | length), count: length, exercises: .};
