# shellcheck shell=bash
# A student's progress through the kit, kept in their own state directory
# (XDG_STATE_HOME, default ~/.local/state/race-kit), never in the kit:
#
#   <set>/verdicts/<key>    "pass" or "fail": the last grading of an
#                           exercise's files with that content
#   <set>/shipped/<NN-name>/<file>   the files as shipped, copied the first
#                           time the checker saw them (what reset restores)
#   <set>/backups/<NN-name>/<stamp>/<file>   a student's version, kept by reset
#
# <set> tells exercise sets apart (a checksum of the set's directory).
# Sourced, never run; needs common.bash and exercises.bash.

# shellcheck disable=SC2034 # read by the commands that source this file
readonly KIT_EXERCISES="${KIT_ROOT}/exercises"

progress_dir() { # <exercise set dir>
  local dir
  dir="${XDG_STATE_HOME:-${HOME:-/tmp}/.local/state}/race-kit/$(cksum <<<"$1" | cut -d' ' -f1)"
  mkdir -p "${dir}"
  printf '%s\n' "${dir}"
}

student_files() { # <exercise dir>
  jq -r '.student_files[]' "$1/exercise.json"
}

# What identifies one version of an exercise's files: their names and
# contents (a file missing counts as empty).
content_key() { # <exercise dir>
  local file
  {
    basename "$1"
    while read -r file; do
      printf '%s\n' "${file}"
      cat "$1/${file}" 2>/dev/null || true
    done < <(student_files "$1")
  } | sha256sum | cut -d' ' -f1
}

# Copy the shipped files of every exercise not copied yet, so that reset
# and diff work without git.  A file is copied the first time the checker
# runs on the kit: from git's last commit when the kit is a git checkout
# (so edits made before that first run are not taken for the shipped
# file), else as it is then.
remember_shipped() { # <exercise set dir>
  local set_dir="$1" state name file
  state="$(progress_dir "${set_dir}")/shipped"
  while read -r name; do
    while read -r file; do
      [[ -e "${state}/${name}/${file}" || ! -f "${set_dir}/${name}/${file}" ]] && continue
      mkdir -p "${state}/${name}"
      git -C "${set_dir}" show "HEAD:./${name}/${file}" >"${state}/${name}/${file}" 2>/dev/null ||
        cp "${set_dir}/${name}/${file}" "${state}/${name}/${file}"
    done < <(student_files "${set_dir}/${name}")
  done < <(list_exercises "${set_dir}")
}

shipped_copy() { # <exercise set dir> <exercise name> <file>
  printf '%s/shipped/%s/%s\n' "$(progress_dir "$1")" "$2" "$3"
}

# "NAME KEY" for each exercise, taken before a grading starts, so that a
# file saved while it runs is not credited with its verdict.
content_keys() { # <exercise set dir> <exercise names...>
  local set_dir="$1" name
  shift
  for name in "$@"; do
    printf '%s %s\n' "${name}" "$(content_key "${set_dir}/${name}")"
  done
}

# Keep each graded exercise's outcome under the key of its files' content.
record_verdicts() { # <exercise set dir> <summary json file> <keys file>
  local state name key passed
  state="$(progress_dir "$1")/verdicts"
  mkdir -p "${state}"
  while read -r name key; do
    passed="$(jq -r --arg name "${name}" '.exercises[] | select(.name == $name) | .passed' "$2")"
    case "${passed}" in
      true) echo pass >"${state}/${key}" ;;
      false) echo fail >"${state}/${key}" ;;
    esac
  done <"$3"
}

# passed, failing (the last grading of the file as it is now), changed
# (edited since it was last graded, or never graded), or not started (as
# shipped, never graded).
exercise_state() { # <exercise set dir> <exercise name>
  local set_dir="$1" name="$2" verdict file
  verdict="$(cat "$(progress_dir "${set_dir}")/verdicts/$(content_key "${set_dir}/${name}")" 2>/dev/null || true)"
  case "${verdict}" in
    pass) echo passed && return 0 ;;
    fail) echo failing && return 0 ;;
  esac
  while read -r file; do
    cmp -s "${set_dir}/${name}/${file}" "$(shipped_copy "${set_dir}" "${name}" "${file}")" ||
      { echo changed && return 0; }
  done < <(student_files "${set_dir}/${name}")
  echo "not started"
}

# The first exercise not passed, or nothing when all pass.
next_exercise() { # <exercise set dir>
  local name
  while read -r name; do
    [[ "$(exercise_state "$1" "${name}")" == passed ]] || { printf '%s\n' "${name}" && return 0; }
  done < <(list_exercises "$1")
  return 0
}
