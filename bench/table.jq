# table.jq - the benchmark's figures as the table bench/run.sh prints.
def range3: "\(.median) [\(.min)-\(.max)]";
def pad($n): tostring | (" " * ([$n - length, 0] | max)) + .;
def left($n): tostring | . + (" " * ([$n - length, 0] | max));
def met($ok): if $ok then "met" else "MISSED" end;

"medians of \(.repeats) repeats on \(.cores) cores, milliseconds [min-max]",
"",
(("solution" | left(24)) + ("checker wall" | pad(20)) + ("critical path" | pad(20)) + ("wall x" | pad(8))
  + ("checker cpu" | pad(20)) + ("bare cpu" | pad(20)) + ("cpu x" | pad(8))),
(.solutions[]
  | (.name | left(24))
    + (.checker_wall_ms | range3 | pad(20)) + (.critical_path_ms | range3 | pad(20))
    + (.wall_ratio | pad(8)) + (.checker_cpu_ms | range3 | pad(20))
    + (.bare_cpu_ms | range3 | pad(20)) + (.cpu_ratio | pad(8))),
"",
"whole kit, every solution at once: \(.kit.checker_wall_ms | range3) ms; bare CPU \(.kit.bare_cpu_ms) ms / \(.cores) cores = \(.kit.lower_bound_ms) ms; ratio \(.kit_ratio)",
"03 as shipped (deadlock), whole check: \(.deadlock_check_ms | range3) ms",
"03 deadlock named \(.deadlock_named | range3) ms after it formed",
"",
"targets: wall x <= \(.targets.wall_ratio) \(met(.met.wall_ratio)); cpu x <= \(.targets.cpu_ratio) \(met(.met.cpu_ratio)); kit <= \(.targets.kit_ratio) \(met(.met.kit_ratio)); deadlock named <= \(.targets.deadlock_named_ms) ms \(met(.met.deadlock_named_ms))"
