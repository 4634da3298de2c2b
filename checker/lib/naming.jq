# naming.jq - how the parsers name what a report points at, in the words of
# the student's code and of the harness, never the analyzers' own numbers.
# Imported by tsan.jq and helgrind.jq (jq -L checker/lib):  import "naming" as naming;
#
# $labels: [{start, size, name}], the names the harness gave objects in one
#          run (kit_label, read from the run's results);
# $sources: {"database.c": text, "harness/main.c": text}, the files the
#          findings' places point into.

def hex_value:
  ascii_downcase | ltrimstr("0x") | explode
  | reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));

# The label of the object an address lies in, or null.
def label_at($labels; $address):
  if $address == null then null
  else ($address | hex_value) as $a
  | [$labels[] | select(($a >= (.start | hex_value)) and ($a < (.start | hex_value) + .size)) | .name][0]
  end;

# The text of a place's line ({file, line}), when its file is one of $sources.
def line_at($sources):
  . as $place
  | if $place == null or $place.file == null or $place.line == null then null
    else ($sources[$place.file] // null) | if . == null then null else split("\n")[$place.line - 1] end
    end;

def expression_pattern:
  "&?\\s*(?<e>[A-Za-z_][A-Za-z0-9_]*(?:\\s*(?:\\.|->)\\s*[A-Za-z_][A-Za-z0-9_]*|\\[[^\\]]*\\])*)\\s*[,)]";

# The mutex a line's pthread call is given, as the code spells it:
#   "    pthread_mutex_lock(&accounts[i].lock);" -> "accounts[i].lock"
#   "    pthread_cond_wait(&ready, &lock);"      -> "lock"
def mutex_expression:
  if . == null then null
  else [(capture("pthread_cond_(?:timed)?wait\\s*\\([^,]*,\\s*" + expression_pattern)
         // capture("pthread_mutex_[a-z]+\\s*\\(\\s*" + expression_pattern)) | .e | gsub("\\s"; "")][0]
  end;

# The variable a line assigns to:
#   "    struct account *accounts = calloc(count, sizeof *accounts);" -> "accounts"
def assigned_variable:
  if . == null then null
  else [capture("(?<v>[A-Za-z_][A-Za-z0-9_]*(?:\\s*(?:\\.|->)\\s*[A-Za-z_][A-Za-z0-9_]*|\\[[^\\]]*\\])*)\\s*=[^=]")
        | .v | gsub("\\s"; "")][0]
  end;

# A mutex as people read it: the harness's label for it, else the variable
# the line that used it names, else where it was locked.
def mutex_name($labels; $sources; $address; $place):
  label_at($labels; $address)
  // ($place | line_at($sources) | mutex_expression | if . == null then null else "'\(.)'" end)
  // (if $place.file != null then "the mutex locked at \($place.file):\($place.line)" else "a mutex" end);

# Names that came out alike (a helper's 'fork->lock' for every fork) are
# told apart by number, in the order the analyzer numbered them.
def distinct_names:
  . as $names
  | to_entries | sort_by(.key) as $entries
  | reduce range(0; $entries | length) as $i ({};
      $entries[$i] as $e
      | if ([$names[] | select(. == $e.value)] | length) > 1
        then .[$e.key] = "\($e.value) (mutex \([$entries[:$i + 1][] | select(.value == $e.value)] | length))"
        else .[$e.key] = $e.value end);

# A thread that gave itself no name, numbered in the order threads were
# created, as TSan numbers them: TSan's T2 and Helgrind's #3 are both
# "thread 2"; the first thread is "main thread".
def thread_number_words:
  if . == 0 then "main thread" else "thread \(.)" end;
