# shellcheck shell=bash
# What students get of the kit: everything but the instructor's side, which
# holds solution text (solutions/, the tests and their fix fixtures, the
# benchmark that grades the solutions) or only serves grading a class.
# Used by 'make student-release', 'make classroom' and 'make gradescope'.

# Top-level paths that stay with the instructor.
readonly INSTRUCTOR_ONLY=(solutions tests bench platforms instructor.mk .ci build)

is_instructor_only() { # <path relative to the kit>
  local top="${1%%/*}" path
  for path in "${INSTRUCTOR_ONLY[@]}"; do
    [[ "${top}" == "${path}" ]] && return 0
  done
  return 1
}

# The kit's files (tracked or new, not ignored), NUL-separated, students' only.
student_kit_files() { # <kit root>
  local file
  git -C "$1" ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
    [[ -e "$1/${file}" ]] || continue
    is_instructor_only "${file}" || printf '%s\0' "${file}"
  done
}

# Copy the students' kit into DEST (created; must not hold a kit already).
copy_student_kit() { # <kit root> <dest>
  mkdir -p "$2"
  student_kit_files "$1" | (cd "$1" && xargs -0 cp --parents -t "$2" --)
}
