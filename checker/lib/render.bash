# shellcheck shell=bash
# The checker's JSON summary in each output format: --format for any
# grading and 'checker/check render'.  Text comes from render-text.jq, the
# others from formats.jq; the JSON is the source of all of them.

readonly OUTPUT_FORMATS="text json tap junit"

is_output_format() { # <word>
  [[ " ${OUTPUT_FORMATS} " == *" $1 "* ]]
}

# How wide a text line may be: RACE_KIT_WIDTH when set (0: no limit), else
# 100 columns or the terminal's width if narrower; no limit when piped.
text_width() {
  local width="${RACE_KIT_WIDTH:-}" columns
  if [[ -z "${width}" ]]; then
    width=0
    if [[ -t 1 ]]; then
      columns="$(tput cols 2>/dev/null || echo 100)"
      width=$((columns < 100 ? columns : 100))
    fi
  fi
  [[ "${width}" =~ ^[0-9]{1,4}$ ]] || die_usage "RACE_KIT_WIDTH must be a whole number of columns, not '${width}'"
  echo "${width}"
}

# Text: the whole summary, or one exercise's verdict file ("exercise"), or
# only the closing lines of a summary ("closing").
render_text() { # <json file> [part]
  local color=false
  [[ -t 1 && -z "${NO_COLOR:-}" ]] && color=true
  jq -r --argjson color "${color}" --argjson width "$(text_width)" --arg part "${2:-}" \
    -f "${CHECKER_ROOT}/lib/render-text.jq" "$1"
}

render_summary() { # <format> <summary json file>
  case "$1" in
    json) cat "$2" ;;
    text) render_text "$2" ;;
    tap | junit) jq -r -L "${CHECKER_ROOT}/lib" "include \"formats\"; $1" "$2" ;;
  esac
}
