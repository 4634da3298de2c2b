# sites.jq - where the kit's lock wrappers were called from, for
# deadlock-facts.jq and lockgraph.jq.  A site is a return address the kit
# recorded inside the running program; collect.bash moves each into the
# call instruction, makes it relative to the file and asks addr2line.

def lines: split("\n") | map(select(length > 0));
def fields: split(" ") | map(select(length > 0));
def short_path($srcdir): ltrimstr($srcdir + "/") | sub("^.*/harness/"; "harness/") | sub("^.*/checker/harness/"; "");

# $places: addr2line -a -f -i output, an address line, then function and
# file:line pairs from the innermost inlined call outwards.
# Output: {"<offset without 0x and leading zeros>": ["file:line in fn", ...]}.
def places_by_offset($places; $srcdir):
  reduce ($places | lines[]) as $line ({current: null, map: {}, fn: null};
    if $line | test("^0x[0-9a-f]+$") then .current = ($line | ltrimstr("0x") | sub("^0+"; "")) | .fn = null
    elif .fn == null then .fn = $line
    else .map[.current] += [("\($line | sub(" \\(discriminator [0-9]+\\)$"; "") | short_path($srcdir)) in \(.fn)")] | .fn = null
    end)
  | .map;

# $order: "site offset" lines.  Output: {"<site>": ["file:line in fn", ...]},
# innermost first; a site addr2line could not place is left out.
def site_chains($places; $order; $srcdir):
  places_by_offset($places; $srcdir) as $by_offset
  | [$order | lines[] | fields
     | {(.[0]): ($by_offset[.[1] | ltrimstr("0x") | sub("^0+"; "")] // [])}
     | select(.[] | length > 0)]
  | add // {};

# A chain as one phrase: "bank.c:39 in lock_account, called from bank.c:52 in transfer".
def chain_text:
  if length == 0 then null
  else .[0] + (if length > 1 then ", called from " + (.[1:] | join(", called from ")) else "" end)
  end;
