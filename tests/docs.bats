#!/usr/bin/env bats
# The docs cannot drift: every command README.md and docs/*.md show is in
# tests/fixtures/docs/commands.txt, and those marked "run" are run, in a
# copy of the kit, and must not be a usage error or an unknown command.

load test_helper

LIST="${BATS_TEST_DIRNAME}/fixtures/docs/commands.txt"

# Each command the docs show, one a line: the lines of ```sh blocks (their
# comments cut) and inline `checker/check ...` or `make ...`.
doc_commands() {
  local file
  for file in "${KIT_ROOT}/README.md" "${KIT_ROOT}"/docs/*.md; do
    awk '/^```sh$/ { on = 1; next } /^```/ { on = 0 } on && NF { sub(/ +#.*$/, ""); print }' "${file}"
    # shellcheck disable=SC2016 # backquotes of Markdown, not of the shell
    grep -o '`\(checker/check\|make\) [^`]*`' "${file}" | tr -d '`'
  done | sed 's/^ *//' | sort -u
}

listed() { # <run|skip>
  sed -n "s/^$1 \\(.*\\)\$/\\1/p" "${LIST}" | sed 's/  # .*$//'
}

@test "every command the docs show is in the doc-test list" {
  local command missing=""
  while read -r command; do
    grep -qxF -- "${command}" < <(listed run; listed skip) || missing+="${command}"$'\n'
  done < <(doc_commands)
  [[ -z "${missing}" ]] || fail "commands in the docs that tests/fixtures/docs/commands.txt does not list:
${missing}"
}

@test "every skipped command says why" {
  run grep -E '^skip ' "${LIST}"
  refute_line --regexp '^skip [^#]*$'
}

@test "every command marked run works as the docs show it" {
  local copy command status
  copy="$(copy_kit "${BATS_TEST_TMPDIR}/kit")"
  export KIT_ROOT="${copy}"
  cp "${BATS_TEST_DIRNAME}/fixtures/analyze/racy-counter.c" "${copy}/my_program.c"
  while read -r command; do
    status=0
    (cd "${copy}" && bash -c "${command}" >"${BATS_TEST_TMPDIR}/out" 2>&1 </dev/null 3>&-) || status=$?
    # make exits 2 for any failed recipe: what counts is the recipe's own status.
    if [[ "${command}" == make* && "${status}" == 2 ]]; then
      status="$(sed -n -E 's/^make(\[[0-9]+\])?: \*\*\* .* Error ([0-9]+)$/\2/p' "${BATS_TEST_TMPDIR}/out" | tail -n 1)"
      status="${status:-2}"
    fi
    case "${status}" in
      2 | 126 | 127) fail "'${command}' exited ${status}: $(tail -n 5 "${BATS_TEST_TMPDIR}/out")" ;;
    esac
  done < <(listed run)
}
