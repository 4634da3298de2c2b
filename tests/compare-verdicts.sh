#!/usr/bin/env bash
# Summary: compare two files of verdicts from tests/grade-corpus.sh
# Usage: tests/compare-verdicts.sh HERE.jsonl THERE.jsonl
#
# Prints "N verdicts agree" and exits 0, or prints every grading whose
# verdict differs (each criterion's status on either side) and exits 1.
set -euo pipefail

(($# == 2)) || { echo "Usage: tests/compare-verdicts.sh HERE.jsonl THERE.jsonl" >&2; exit 2; }

report="$(jq -n -r --slurpfile here "$1" --slurpfile there "$2" '
  def keyed: map({key: "\(.exercise) \(.submission)", value: .}) | from_entries;
  def statuses: if . == null then "not graded" else to_entries | map("\(.key)=\(.value)") | join(" ") end;
  ($here | keyed) as $a | ($there | keyed) as $b
  | ([$a, $b] | map(keys) | add | unique) as $all
  | [$all[] | select($a[.].criteria != $b[.].criteria)] as $differ
  | if ($all | length) == 0 then "none"
    elif ($differ | length) == 0 then "agree \($all | length)"
    else "differ", ($differ[] | "  \(.):\n    here:  \($a[.].criteria | statuses)\n    there: \($b[.].criteria | statuses)")
    end')"

case "${report}" in
  "agree "*) echo "${report#agree } verdicts agree" ;;
  none) echo "no verdicts to compare" >&2 && exit 1 ;;
  *) printf 'These verdicts differ:\n%s\n' "${report#differ$'\n'}" && exit 1 ;;
esac
