# shellcheck shell=bash
# compile_commands.json at the top of the kit: one entry per C file of every
# exercise (the student's files and the harness), with the include paths a
# grading uses, so clangd and other editors find database.h and kit.h.
# Sourced, never run; needs common.bash and exercises.bash.

# The entries for one exercise, one JSON object a line.
compile_entries() { # <exercise dir>
  local dir="$1" file
  for file in "${dir}"/*.c "${dir}"/harness/*.c; do
    [[ -f "${file}" ]] || continue
    jq -n -c --arg dir "${KIT_ROOT}" --arg file "${file}" --arg harness "${dir}/harness" \
      --arg kit "${CHECKER_ROOT}/harness" \
      '{directory: $dir, file: $file,
        arguments: ["clang", "-g", "-Wall", "-Wextra", "-pthread", "-I\($harness)", "-I\($kit)", "-c", $file]}'
  done
}

write_compile_commands() { # <exercise set dir> <output file>
  local name
  while read -r name; do
    compile_entries "$1/${name}"
  done < <(list_exercises "$1") | jq -s . >"$2.part"
  mv "$2.part" "$2"
}
