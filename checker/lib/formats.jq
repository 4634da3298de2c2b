# formats.jq - the checker's JSON summary as test reports other tools read:
# TAP 13 (prove, CI log parsers) and JUnit XML (CI dashboards, LMS importers).
# One test per exercise; a failing one carries its failing criteria.
# Input: the checker's JSON summary (docs/json.md), or a class verdict.json.

# Every exercise of the report; in a class verdict also those not graded
# (missing or unchanged from the shipped file), each failing with the reason.
def reported_exercises:
  .exercises + [.not_graded[]? | {name, title: null, passed: false, seed: null,
    criteria: [{id: .status, status: "fail", message: .reason, evidence: ""}]}];

# "tsan: data race on ...; result: ..." for every criterion that failed.
def failing_criteria: [.criteria[] | select(.status == "fail")];
def failure_message: failing_criteria | map("\(.id): \(.message)") | join("; ");

# -- TAP 13 ------------------------------------------------------------------
# A test point's description must not hold "#" (a directive) or a newline.
def tap_text: gsub("[#\n\r]"; " ");

def tap_point($n):
  (if .passed then "ok" else "not ok" end) + " \($n) - \(.name): \(.title // "" | tap_text)"
  + (if .passed then "" else
      "\n  ---\n  message: \(failure_message | tojson)\n  failing: \(failing_criteria | map(.id) | tojson)\n  seed: \(.seed // null | tojson)\n  ..."
    end);

def tap:
  reported_exercises as $exercises
  | "TAP version 13\n1..\($exercises | length)\n"
    + ([range(0; $exercises | length) as $i | $exercises[$i] | tap_point($i + 1)] | join("\n"));

# -- JUnit XML -----------------------------------------------------------------
# XML 1.0 allows no control characters but tab and newlines.
def xml_text: explode | map(select(. == 9 or . == 10 or . == 13 or . >= 32)) | implode | @html;
def seconds: ([.runs[]?.wall_ms // 0] | add // 0) / 1000;

def testcase:
  "    <testcase classname=\"race-kit\" name=\"\(.name | xml_text)\" time=\"\(seconds)\">"
  + (if .passed then "" else
      "\n      <failure type=\"fail\" message=\"\(failure_message | xml_text)\">"
      + (failing_criteria | map("\(.id): \(.message)\n\(.evidence)") | join("\n") | xml_text)
      + "</failure>"
    end)
  + "</testcase>";

def junit:
  reported_exercises as $exercises
  | ($exercises | length) as $tests
  | ([$exercises[] | select(.passed | not)] | length) as $failures
  | (if .student != null then "race-kit: \(.student)" else "race-kit" end | xml_text) as $suite
  | "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    + "<testsuites name=\"\($suite)\" tests=\"\($tests)\" failures=\"\($failures)\">\n"
    + "  <testsuite name=\"\($suite)\" tests=\"\($tests)\" failures=\"\($failures)\" errors=\"0\" skipped=\"0\">\n"
    + ([$exercises[] | testcase] | join("\n"))
    + "\n  </testsuite>\n</testsuites>";
