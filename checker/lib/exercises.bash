# shellcheck shell=bash
# Finding exercises: an exercise is a directory NN-name holding exercise.json.

list_exercises() { # <exercise set dir>
  local dir
  for dir in "$1"/[0-9][0-9]-*/; do
    [[ -f "${dir}exercise.json" ]] && basename "${dir}"
  done
}

# Print the exercise a user's word names: "01-lost-update", "lost-update",
# "01" and "1" all name the same one.
match_exercise() { # <word> <exercise names...>
  local word="$1" name
  shift
  for name in "$@"; do
    if [[ "${word}" == "${name}" || "${word}" == "${name#[0-9][0-9]-}" ||
      "${word}" == "${name%%-*}" || "0${word}" == "${name%%-*}" ]]; then
      printf '%s\n' "${name}"
      return 0
    fi
  done
  return 1
}

# Names that contain the word, to suggest after a typo.
similar_exercises() { # <word> <exercise names...>
  local word="$1" name stem
  shift
  for name in "$@"; do
    stem="${name#[0-9][0-9]-}"
    if [[ "${name}" == *"${word}"* || "${word}" == *"${stem}"* ||
      "${stem}" == "${word:0:4}"* ]]; then
      printf '%s\n' "${name}"
    fi
  done
}

# Resolve every word to an exercise name, or stop with the valid choices.
resolve_exercises() { # <exercise set dir> [words...]
  local set_dir="$1"
  shift
  local -a all
  mapfile -t all < <(list_exercises "${set_dir}")
  ((${#all[@]} > 0)) || die_usage "no exercises (NN-name/exercise.json) in ${set_dir}"
  if (($# == 0)); then
    printf '%s\n' "${all[@]}"
    return 0
  fi
  local word match suggestions
  for word in "$@"; do
    if ! match="$(match_exercise "${word}" "${all[@]}")"; then
      suggestions="$(similar_exercises "${word}" "${all[@]}" | head -n 1)"
      [[ -n "${suggestions}" ]] && suggestions=" Did you mean '${suggestions}'?"
      die_usage "unknown exercise '${word}'.${suggestions}
  Valid choices: ${all[*]}
  (a name may be given whole, without its number, or as the number alone)"
    fi
    printf '%s\n' "${match}"
  done
}
