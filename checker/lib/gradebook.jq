# gradebook.jq - the class's gradebook from its students' verdicts.
#
# gradebook($students; $order; $max), on every student's verdict.json (jq -s)
# in gradebook order:
# $students: the ids in that order, with "" where a student has no verdict
#            (its grading could not run), as [{id, verdict: bool}].
# $order: the exercise names (columns); $max: the most points a student can earn.
# Output: {exercises, max, students: [{student, total, max, status, error,
#          scores: {name: {score, max, status, note}}, verdict}]}.

def row($verdict):
  {student: $verdict.student, total: $verdict.points.total, max: $verdict.points.max,
   status: (if $verdict.error != null then "error" else "graded" end),
   error: $verdict.error,
   scores: ($verdict.points.exercises | map({key: .name, value: del(.name)}) | from_entries),
   verdict: "students/\($verdict.student)/verdict.json"};

def missing_row($id; $max):
  {student: $id, total: 0, max: $max, status: "not graded",
   error: "the grading could not run; run the class again to retry", scores: {}, verdict: null};

def gradebook($students; $order; $max):
  . as $verdicts
  | {exercises: $order, max: $max,
     students: [foreach $students[] as $s (-1; if $s.verdict then . + 1 else . end;
       if $s.verdict then row($verdicts[.]) else missing_row($s.id; $max) end)]};

# A text cell that a spreadsheet would run as a formula (=, +, -, @, or a
# tab or carriage return first) is opened with a ' so it shows as text: a
# student id is the student's own choice of folder name.
def spreadsheet_text:
  if type == "string" and test("^[=+\\-@\t\r]") then "'" + . else . end;

# The same as CSV: student, one column per exercise, total, max, status.
def csv:
  (["student"] + .exercises + ["total", "max", "status"]),
  (.exercises as $names | .students[]
   | [.student] + [.scores[$names[]].score // 0] + [.total, .max, (.error // .status)])
  | map(spreadsheet_text) | @csv;
