# shellcheck shell=bash
# The checker's JSON summary in each output format: --format for any
# grading and 'checker/check render'.  Text comes from render-text.jq, the
# others from formats.jq; the JSON is the source of all of them.

readonly OUTPUT_FORMATS="text json tap junit"

is_output_format() { # <word>
  [[ " ${OUTPUT_FORMATS} " == *" $1 "* ]]
}

render_summary() { # <format> <summary json file>
  case "$1" in
    json) cat "$2" ;;
    text)
      local color=false
      [[ -t 1 && -z "${NO_COLOR:-}" ]] && color=true
      jq -r --argjson color "${color}" -f "${CHECKER_ROOT}/lib/render-text.jq" "$2"
      ;;
    tap | junit) jq -r -L "${CHECKER_ROOT}/lib" "include \"formats\"; $1" "$2" ;;
  esac
}
