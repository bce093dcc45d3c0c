#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up, builds and runs every test suite: once in a normal build and once
# with AddressSanitizer and UndefinedBehaviorSanitizer, then runs each fuzz
# target briefly. Prints "N passed, N failed[, N skipped]" last.
set -u
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
skipped=0

# meson's testlog.json has one object per test with its result.
count_results () {
  log="$1/meson-logs/testlog.json"
  [ -f "$log" ] || return 0
  eval "$(python3 - "$log" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    r = json.loads(line).get("result")
    if r in ("OK", "EXPECTEDFAIL"):
        p += 1
    elif r == "SKIP":
        s += 1
    else:
        f += 1
print(f"p={p} f={f} s={s}")
PY
)"
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
}

run_build () {
  dir="$1"; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; failed=$((failed + 1)); return; }
  fi
  if ! ninja -C "$dir" >"$dir.build.log" 2>&1; then
    tail -50 "$dir.build.log"
    failed=$((failed + 1))
    return
  fi
  meson test -C "$dir" --print-errorlogs --num-processes 2 2>&1 | tail -40 || true
  count_results "$dir"
}

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$(pwd)/build-aux/lsan.supp:print_suppressions=0"

run_build _build
run_build _build-sanitize -Db_sanitize=address,undefined -Db_lundef=false

if [ -x build-aux/run-fuzzers.sh ]; then
  if build-aux/run-fuzzers.sh _build-fuzz; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
