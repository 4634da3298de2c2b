# args.jq - a run's command line: the spec's "args" with each {name}
# replaced by that parameter's value.
# Input: {"args": [...], "params": {...}}; output: the arguments, in order.
def args:
  .params as $p
  | .args[]
  | gsub("\\{(?<name>[a-z_0-9]+)\\}"; "\($p[.name])");
