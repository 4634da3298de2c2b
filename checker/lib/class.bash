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

# Which layout a student folder has: prints exercises, kit or flat, or
# nothing when no exercise file is where any layout puts it.
submission_layout() { # <student dir>
  local dir="$1" name file
  for name in "${CLASS_EXERCISES[@]}"; do
    for file in ${CLASS_FILES["${name}"]}; do
      [[ -f "${dir}/exercises/${name}/${file}" ]] && echo kit && return 0
    done
  done
  for name in "${CLASS_EXERCISES[@]}"; do
    for file in ${CLASS_FILES["${name}"]}; do
      [[ -f "${dir}/${name}/${file}" ]] && echo exercises && return 0
    done
  done
  for name in "${CLASS_EXERCISES[@]}"; do
    for file in ${CLASS_FILES["${name}"]}; do
      [[ -f "${dir}/${file}" ]] && echo flat && return 0
    done
  done
  return 0
}

# Where a layout keeps one exercise's file.
layout_path() { # <student dir> <layout> <exercise> <file>
  case "$2" in
    kit) printf '%s\n' "$1/exercises/$3/$4" ;;
    exercises) printf '%s\n' "$1/$3/$4" ;;
    flat) printf '%s\n' "$1/$4" ;;
  esac
}

# Every file the student submitted, as records "<exercise>/<file><TAB><path>"
# ended by NUL (paths are the student's text: any character but NUL).  Files a flat folder cannot
# tell apart are left out (the grading reports them missing).
submitted_files() { # <student dir> <layout>
  local name file path
  for name in "${CLASS_EXERCISES[@]}"; do
    for file in ${CLASS_FILES["${name}"]}; do
      [[ "$2" == flat ]] && file_is_shared "${file}" && continue
      path="$(layout_path "$1" "$2" "${name}" "${file}")"
      [[ -f "${path}" ]] && printf '%s/%s\t%s\0' "${name}" "${file}" "${path}"
    done
  done
  return 0
}

# One hash for what a student submitted: each file's content under the name
# it is graded as, so moving the same files to another layout changes nothing.
submission_hash() { # <student dir> <layout>
  local -a lines=() names=() paths=()
  mapfile -d '' -t lines < <(submitted_files "$1" "$2")
  local line
  for line in "${lines[@]}"; do
    names+=("${line%%$'\t'*}")
    paths+=("${line#*$'\t'}")
  done
  if ((${#paths[@]} == 0)); then
    sha256sum </dev/null | cut -d' ' -f1
    return 0
  fi
  local -a sums
  mapfile -d '' -t sums < <(sha256sum -z -- "${paths[@]}")
  local i
  for i in "${!names[@]}"; do
    printf '%s %s\n' "${sums[i]:0:64}" "${names[i]}"
  done | sha256sum | cut -d' ' -f1
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
