#!/usr/bin/env bats
# checker/check watch, driven as a student drives it: in a terminal (tmux),
# reading its screen, saving a file, pressing q or Ctrl-C.

load test_helper

setup() {
  COPY="$(copy_kit "${BATS_TEST_TMPDIR}/kit")"
  SOCKET="${BATS_TEST_TMPDIR}/tmux.sock"
}

teardown() {
  tmux -S "${SOCKET}" kill-server 2>/dev/null || true
}

# Start watch in a 110x45 terminal of its own; the pane stays after it ends.
start_watch() { # [args...]
  tmux -S "${SOCKET}" new-session -d -s watch -x 110 -y 45 \
    "env KIT_ROOT='${COPY}' XDG_STATE_HOME='${XDG_STATE_HOME}' RACE_KIT_CACHE='${RACE_KIT_CACHE}' RACE_KIT_WATCH='${RACE_KIT_WATCH:-}' '${COPY}/checker/check' watch $*; echo WATCH-EXIT=\$?; sleep 600"
}

screen() {
  tmux -S "${SOCKET}" capture-pane -p -t watch
}

# Wait until the screen shows a line matching the pattern.
wait_for_screen() { # <extended regexp> <seconds>
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    screen | grep -Eq -- "$1" && return 0
    sleep 0.5
  done
  fail "the screen never showed /$1/ within $2 s; it shows:
$(screen)"
}

@test "watch grades the first exercise, again on a save, and moves on when it passes" {
  start_watch
  wait_for_screen '^✗ 01-lost-update' 180
  run screen
  assert_line --index 0 "Watching 01-lost-update: save exercises/01-lost-update/database.c to grade it again, q to quit."
  cp "${KIT_ROOT}/solutions/01-lost-update/database.c" "${COPY}/exercises/01-lost-update/database.c"
  wait_for_screen '^✓ 01-lost-update' 180
  wait_for_screen '^Passed! On to 02-shared-dest-file' 30
  wait_for_screen '^✗ 02-shared-dest-file' 180
  # One screen per verdict: the old one is gone.
  run screen
  refute_output --partial "01-lost-update  Lost update"
  tmux -S "${SOCKET}" send-keys -t watch q
  wait_for_screen '^WATCH-EXIT=0$' 30
  assert_equal "$(screen | grep -c 'Stopped watching')" 1
}

@test "without inotify, watch notices a save by looking at the files" {
  RACE_KIT_WATCH=poll start_watch 06
  wait_for_screen '^✗ 06-volatile-counter' 180
  cp "${KIT_ROOT}/solutions/06-volatile-counter/counter.c" "${COPY}/exercises/06-volatile-counter/counter.c"
  wait_for_screen '^✓ 06-volatile-counter' 180
}

@test "Ctrl-C leaves watch cleanly, with one line" {
  start_watch 01
  wait_for_screen '^✗ 01-lost-update' 180
  tmux -S "${SOCKET}" send-keys -t watch C-c
  wait_for_screen '^WATCH-EXIT=0$' 30
  run screen
  assert_line "Stopped watching. Your files are as you saved them."
  refute_output --partial "Terminated"
  refute_output --partial "jq: error"
}

@test "watch of an unknown exercise is a usage error" {
  run -2 "${CHECK}" watch typo
  assert_output --partial "unknown exercise 'typo'"
}
