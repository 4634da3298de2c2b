# figures.jq - the benchmark's samples turned into its figures.
# Input: an array of samples {"name", "kind", "wall", "cpu"} (milliseconds);
# $cores and $repeats from the command line.  Output: the document
# docs/benchmark.md describes.  Ratios are of medians.

def stats: sort as $s | {median: $s[(length - 1) / 2 | floor], min: $s[0], max: $s[-1]};
def of($name; $kind): map(select(.name == $name and .kind == $kind));
def ratio($a; $b): if $b > 0 then ($a / $b * 100 | round) / 100 else null end;

# The targets every run is judged by.
def targets: {wall_ratio: 1.3, cpu_ratio: 1.25, kit_ratio: 1.3, deadlock_named_ms: 1000};

. as $samples
| ([.[] | select(.kind == "bare") | .name] | unique) as $names
| [$names[] as $name
   | ($samples | of($name; "checker")) as $checker
   | ($samples | of($name; "bare")) as $bare
   | {name: $name,
      checker_wall_ms: ($checker | map(.wall) | stats),
      checker_cpu_ms: ($checker | map(.cpu) | stats),
      critical_path_ms: ($bare | map(.wall) | stats),
      bare_cpu_ms: ($bare | map(.cpu) | stats)}
   | .wall_ratio = ratio(.checker_wall_ms.median; .critical_path_ms.median)
   | .cpu_ratio = ratio(.checker_cpu_ms.median; .bare_cpu_ms.median)] as $solutions
| ($solutions | map(.bare_cpu_ms.median) | add // 0) as $kit_bare_cpu
| (of("kit"; "checker") | map(.wall) | stats) as $kit_wall
| (of("deadlock"; "named") | map(.wall) | stats) as $named
| {cores: $cores, repeats: $repeats, targets: targets,
   solutions: $solutions,
   kit: {checker_wall_ms: $kit_wall, checker_cpu_ms: (of("kit"; "checker") | map(.cpu) | stats),
         bare_cpu_ms: $kit_bare_cpu, lower_bound_ms: ($kit_bare_cpu / $cores | round)},
   kit_ratio: ratio($kit_wall.median; $kit_bare_cpu / $cores),
   deadlock_check_ms: (of("deadlock"; "check") | map(.wall) | stats),
   deadlock_named: $named,
   deadlock_named_ms: $named.median}
| .met = {
    wall_ratio: all(.solutions[]; .wall_ratio <= targets.wall_ratio),
    cpu_ratio: all(.solutions[]; .cpu_ratio <= targets.cpu_ratio),
    kit_ratio: (.kit_ratio <= targets.kit_ratio),
    deadlock_named_ms: (.deadlock_named_ms <= targets.deadlock_named_ms)}
