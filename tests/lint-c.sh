#!/usr/bin/env bash
# Every C file of the kit builds warning-free with -Wall -Wextra (gcc and
# clang): exercises and solutions with their harness, test fixtures on their
# own.  Files named *broken* are broken on purpose and skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly FLAGS=(-Wall -Wextra -Werror -pthread -fsyntax-only)
failures=0

compile() { # <include dir> <file>
  local compiler
  for compiler in gcc clang; do
    if ! "${compiler}" "${FLAGS[@]}" -I "$1" -I checker/harness "$2"; then
      echo "lint-c: ${compiler} rejects $2" >&2
      failures=$((failures + 1))
    fi
  done
}

exercise_of() { # <path>: the exercise a solution or fix fixture belongs to
  local path="$1" name
  for name in exercises/*/; do
    name="$(basename "${name}")"
    [[ "${path}" == */"${name}"/* ]] && printf '%s\n' "${name}" && return
  done
}

# The kit's C files: git's list in a checkout, every one but build/'s in a
# copy without git (a release, the Debian 13 root of make test-trixie).
c_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard -- '*.c'
  else
    find . -path ./build -prune -o -name '*.c' -type f -print | sed 's|^\./||' | sort
  fi
}

while IFS= read -r file; do
  case "${file}" in
    *broken* | tests/attacks/*) continue ;; # broken, or hostile, on purpose
    exercises/* | solutions/* | tests/fixtures/fixes/* | tests/fixtures/attacks/*)
      compile "exercises/$(exercise_of "${file}")/harness" "${file}"
      ;;
    *) compile checker/harness "${file}" ;;
  esac
done < <(c_files)

((failures == 0)) || { echo "lint-c: ${failures} problem(s)" >&2; exit 1; }
echo "lint-c: every C file builds warning-free"
