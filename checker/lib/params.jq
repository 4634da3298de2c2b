# params.jq - the parameter sets of one grading.
# Input: an exercise.json.  $rand: whole numbers drawn from the grading's seed.
# Output: {"tsan": [params...], "helgrind": [params...]} where every "lo..hi"
# value of the spec has been replaced by a number drawn in that range, so a
# program cannot know in advance which counts it will be graded with.

def is_range: type == "string" and test("^[0-9]+\\.\\.[0-9]+$");

def draw($lo; $hi; $n): $lo + ($n % ($hi - $lo + 1));

def expand_ranges($rand):
  reduce paths(is_range) as $path ({doc: ., i: 0};
    .i as $i
    | (.doc | getpath($path) | split("..") | map(tonumber)) as [$lo, $hi]
    | .doc |= setpath($path; draw($lo; $hi; $rand[$i]))
    | .i += 1)
  | .doc;

{tsan: (.tsan_runs // []), helgrind: (.helgrind_runs // [])} | expand_ranges($rand)
