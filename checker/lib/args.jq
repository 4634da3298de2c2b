# args.jq - a run's command line: the spec's "args" with each {name}
# replaced by that parameter's value, one argument per output line.
# Input: {"args": [...], "params": {...}}.
.params as $p
| .args[]
| gsub("\\{(?<name>[a-z_0-9]+)\\}"; "\($p[.name])")
