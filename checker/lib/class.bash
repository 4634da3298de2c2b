# shellcheck shell=bash
# Grading a class: how a student's folder maps onto the exercise set, what a
# submission's fingerprint is, and the kit's own.  Shared by
# libexec/commands/class (which decides who needs grading) and
# libexec/grade-student (which grades one student).  Needs exercises.bash.
#
# A student folder may be laid out three ways (README: docs/instructors.md):
#   exercises  STUDENT/NN-name/FILE           like the kit's exercises/
#   kit        STUDENT/exercises/NN-name/FILE  a clone of the student's kit
#   flat       STUDENT/FILE                    the files alone (Gradescope)

# The largest student file read, in bytes: a C source is far smaller.
readonly MAX_STUDENT_FILE_BYTES=1048576
export MAX_STUDENT_FILE_BYTES

# Reads the exercise set once: CLASS_EXERCISES (names) and, for each,
# CLASS_FILES[name] (its student files, space-separated; names have no spaces).
load_exercise_files() { # <exercise set dir> <exercise names...>
  local set_dir="$1" name
  shift
  CLASS_EXERCISES=("$@")
  declare -gA CLASS_FILES=()
  for name in "$@"; do
    CLASS_FILES["${name}"]="$(jq -r '.student_files | join(" ")' "${set_dir}/${name}/exercise.json")"
  done
}

# Is FILE the student file of more than one exercise (so flat is ambiguous)?
file_is_shared() { # <file name>
  local name count=0 file
  for name in "${CLASS_EXERCISES[@]}"; do
    for file in ${CLASS_FILES["${name}"]}; do
      [[ "${file}" == "$1" ]] && count=$((count + 1))
    done
  done
  ((count > 1))
}

# Which layout a student folder has: sets SUBMISSION_LAYOUT to kit,
# exercises or flat, or to "" when no exercise file is where any layout
# puts it.  (No subshells here or below: the resume check runs this for
# every student of the class.)
detect_layout() { # <student dir>
  local layout name file
  SUBMISSION_LAYOUT=""
  for layout in kit exercises flat; do
    for name in "${CLASS_EXERCISES[@]}"; do
      for file in ${CLASS_FILES["${name}"]}; do
        layout_path "$1" "${layout}" "${name}" "${file}"
        [[ -f "${LAYOUT_PATH}" ]] && SUBMISSION_LAYOUT="${layout}" && return 0
      done
    done
  done
  return 0
}

# Where a layout keeps one exercise's file: sets LAYOUT_PATH.
layout_path() { # <student dir> <layout> <exercise> <file>
  case "$2" in
    kit) LAYOUT_PATH="$1/exercises/$3/$4" ;;
    exercises) LAYOUT_PATH="$1/$3/$4" ;;
    flat) LAYOUT_PATH="$1/$4" ;;
  esac
}

# Every file the student submitted: SUBMITTED_NAMES ("<exercise>/<file>",
# as graded) and SUBMITTED_PATHS (where it is: the student's text, any
# character but NUL).  Files a flat folder cannot tell apart are left out
# (the grading reports them).
list_submitted() { # <student dir> <layout>
  local name file
  SUBMITTED_NAMES=() SUBMITTED_PATHS=()
  for name in "${CLASS_EXERCISES[@]}"; do
    for file in ${CLASS_FILES["${name}"]}; do
      [[ "$2" == flat ]] && file_is_shared "${file}" && continue
      layout_path "$1" "$2" "${name}" "${file}"
      if [[ -f "${LAYOUT_PATH}" ]]; then
        SUBMITTED_NAMES+=("${name}/${file}")
        SUBMITTED_PATHS+=("${LAYOUT_PATH}")
      fi
    done
  done
}

# What students submitted, one signature each: "<exercise>/<file>=<sha256>;"
# for every file, so the same files in another layout sign the same.  All
# the class's files are hashed by one sha256sum.  Sets SIGNATURES[i] for
# the i-th student dir given.
submission_signatures() { # <student dirs...>
  local -a dirs=("$@") owner=() names=() paths=() sums=()
  local i j
  for i in "${!dirs[@]}"; do
    detect_layout "${dirs[i]}"
    list_submitted "${dirs[i]}" "${SUBMISSION_LAYOUT:-flat}"
    for j in "${!SUBMITTED_NAMES[@]}"; do
      owner+=("${i}") names+=("${SUBMITTED_NAMES[j]}") paths+=("${SUBMITTED_PATHS[j]}")
    done
  done
  ((${#paths[@]} == 0)) || mapfile -d '' -t sums < <(sha256sum -z -- "${paths[@]}")
  SIGNATURES=()
  for i in "${!dirs[@]}"; do SIGNATURES[i]="none;"; done
  for j in "${!paths[@]}"; do
    [[ "${SIGNATURES[owner[j]]}" == "none;" ]] && SIGNATURES[owner[j]]=""
    SIGNATURES[owner[j]]+="${names[j]}=${sums[j]:0:64};"
  done
}

# One hash for the kit that grades: the checker and the exercise set (their
# harnesses, oracles and shipped files), whether or not it is a git checkout.
kit_fingerprint() { # <exercise set dir>
  (cd "${CHECKER_ROOT}" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) |
    cat - <(cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) |
    sha256sum | cut -d' ' -f1
}

kit_commit() {
  git -C "${KIT_ROOT}" rev-parse HEAD 2>/dev/null || echo unknown
}

# A student id as a terminal may show it: control characters escaped.
printable_id() { # <id>
  if [[ "$1" =~ [[:cntrl:]] ]]; then
    printf '%q' "$1"
  else
    printf '%s' "$1"
  fi
}
