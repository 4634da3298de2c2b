# oracle.jq - judges one run of 02-shared-dest-file.
# Input: {"params": {"threads"}, "result", "files": {name: content}, "exit_code"}.
# Output: one sentence per problem; nothing when the run is right.
# Only the files are judged: thread k (k = 1..threads) must leave
# output_k.txt holding the single line "Thread k was here", and no other
# file may appear.

# Where a run by hand (3>result.txt, --xml-file=hg.xml) puts files of its
# own beside the program's: they are not the program's output.
def not_the_programs: ["result.txt", "hg.xml"];

def expected_line($k): "Thread \($k) was here";

# The lines of a file's content; a last line may lack its newline.
def lines_of: rtrimstr("\n") | if . == "" then [] else split("\n") end;

def quoted_list: map("\"" + . + "\"") | join(", ");

def judge_file($k; $files):
  "output_\($k).txt" as $name
  | if ($files | has($name) | not) then
      "\($name) is missing: thread \($k)'s line never reached it"
    else
      ($files[$name] | lines_of) as $lines
      | if $lines == [expected_line($k)] then empty
        elif ($lines | length) == 0 then
          "\($name) is empty, expected the single line \"\(expected_line($k))\""
        else
          "\($name) holds \($lines | length) line(s) (\($lines | quoted_list)), expected only \"\(expected_line($k))\""
        end
    end;

(.params.threads | tonumber) as $threads
| .files as $files
| ([range(1; $threads + 1) | "output_\(.).txt"]) as $expected_names
| (if $threads == 1 then "output_1.txt" else "output_1.txt to output_\($threads).txt" end) as $allowed
| (range(1; $threads + 1) | judge_file(.; $files)),
  ($files | keys[]
   | select(. as $name | ($expected_names + not_the_programs) | index([$name]) | not)
   | "unexpected file \(.): with \($threads) thread(s) the only files should be \($allowed)")
