# shellcheck shell=bash
# The versions of the tools a grading uses, for --version and for the
# "toolchain" object of every JSON verdict: an instructor comparing two
# verdicts must see whether the same tools gave them.  Sourced, never run.

# "name<TAB>version" for each tool, read from the tools themselves.
toolchain_versions() {
  local libxslt
  printf 'clang\t%s\n' "$(clang -dumpversion 2>/dev/null || echo unknown)"
  printf 'gcc\t%s\n' "$(gcc -dumpfullversion 2>/dev/null || echo unknown)"
  printf 'valgrind\t%s\n' "$(valgrind --version 2>/dev/null | sed 's/^valgrind-//' || echo unknown)"
  printf 'glibc\t%s\n' "$(getconf GNU_LIBC_VERSION 2>/dev/null | sed 's/^glibc //' || echo unknown)"
  printf 'jq\t%s\n' "$(jq --version 2>/dev/null | sed 's/^jq-//' || echo unknown)"
  # "Using libxml 20914, libxslt 10135 ..." means libxslt 1.1.35.
  libxslt="$(xsltproc --version 2>/dev/null | sed -n 's/.*libxslt \([0-9]*\).*/\1/p' | head -n 1)"
  if [[ "${libxslt}" =~ ^[0-9]{5}$ ]]; then
    printf 'libxslt\t%d.%d.%d\n' "${libxslt:0:1}" "$((10#${libxslt:1:2}))" "$((10#${libxslt:3:2}))"
  else
    printf 'libxslt\tunknown\n'
  fi
  printf 'kernel\t%s\n' "$(uname -r)"
  # Read, not sourced: os-release sets VERSION, which the checker has too.
  printf 'os\t%s\n' "$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null | grep . || echo unknown)"
}

# The same as one JSON object, kept in the cache until a tool changes (the
# tools take ~200 ms to ask, a grading should not pay that every time).
toolchain_json() {
  local key cache tool
  key="$(for tool in clang gcc valgrind jq xsltproc getconf; do
    stat -L -c '%n %s %Y' "$(command -v "${tool}" 2>/dev/null || echo /nonexistent)" 2>/dev/null
  done; uname -r; cksum </etc/os-release 2>/dev/null)"
  cache="$(cache_dir)/toolchain-$(cksum <<<"${key}" | cut -d' ' -f1).json"
  if [[ ! -s "${cache}" ]]; then
    toolchain_versions | jq -R -s 'split("\n") | map(select(length > 0) | split("\t") | {(.[0]): .[1]}) | add' \
      >"${cache}.$$" && mv -f "${cache}.$$" "${cache}"
  fi
  cat "${cache}"
}

# What --version prints: the checker's version, then the tools it grades with.
print_version() { # <checker version>
  printf 'race-kit checker %s\n' "$1"
  toolchain_versions | awk -F'\t' '{ printf "  %-9s %s\n", $1, $2 }'
}
