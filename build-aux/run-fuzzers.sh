#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the libFuzzer targets with clang in BUILDDIR and runs each one for
# a short, fixed time, seeded from the shared corpus folder its
# tests/fuzz/meson.build entry names (../shared/corpus/<dir>, or
# $PW_CORPUS_DIR/<dir>), else from tests/data. Exits non-zero when a target
# crashes, leaks, hits a sanitizer or times out; the crashing input is left
# in BUILDDIR/fuzz-artifacts/.
#
#   build-aux/run-fuzzers.sh [BUILDDIR] [SECONDS]
set -u
cd "$(dirname "$0")/.."

builddir="${1:-_build-fuzz}"
seconds="${2:-20}"
corpus_root="${PW_CORPUS_DIR:-../shared/corpus}"

if ! command -v clang >/dev/null 2>&1; then
  echo "run-fuzzers: clang is not installed" >&2
  exit 1
fi

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" -Dfuzzing=true -Dapp=disabled >"$builddir.setup.log" 2>&1 ||
    { cat "$builddir.setup.log"; exit 1; }
fi
ninja -C "$builddir" >"$builddir.build.log" 2>&1 || { tail -50 "$builddir.build.log"; exit 1; }

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$(pwd)/build-aux/lsan.supp:print_suppressions=0"
export G_DEBUG=""

rm -f "$builddir/fuzz-ran" "$builddir/fuzz-failed"
artifacts="$builddir/fuzz-artifacts"
mkdir -p "$artifacts"
failed=0
ran=0

# "  'chrome': 'chrome-trace'," -> "chrome chrome-trace"
targets=$(sed -n "s/^ *'\([a-z0-9-]*\)': *'\([a-z0-9-]*\)',.*/\1 \2/p" tests/fuzz/meson.build)

echo "$targets" | while read -r id dir; do
  [ -n "$id" ] || continue
  exe="$builddir/tests/fuzz/fuzz-$id"
  [ -x "$exe" ] || continue

  seeds="$builddir/fuzz-seeds/$id"
  rm -rf "$seeds"
  mkdir -p "$seeds"
  if [ -n "$dir" ] && [ -d "$corpus_root/$dir" ]; then
    # large seeds make slow runs: keep the ones under 1 MB, gunzipped
    for f in "$corpus_root/$dir"/*; do
      [ -f "$f" ] || continue
      name=$(basename "$f")
      case "$name" in
        *.gz) gzip -dc "$f" > "$seeds/${name%.gz}" 2>/dev/null || true ;;
        *) cp "$f" "$seeds/" ;;
      esac
    done
    find "$seeds" -type f -size +1024k -delete
  else
    cp tests/data/* "$seeds/" 2>/dev/null || true
  fi
  if [ "$id" = chrome ] && [ -d tests/data/fuzz-regress ]; then
    cp tests/data/fuzz-regress/chrome-* "$seeds/" 2>/dev/null || true
  fi

  work="$builddir/fuzz-work/$id"
  mkdir -p "$work"
  echo "fuzz-$id: ${seconds}s from $(ls "$seeds" | wc -l) seeds"
  if ! "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
       -artifact_prefix="$artifacts/$id-" -print_final_stats=0 "$work" "$seeds" \
       >"$builddir/fuzz-$id.log" 2>&1; then
    echo "fuzz-$id FAILED: see $builddir/fuzz-$id.log and $artifacts/" >&2
    tail -30 "$builddir/fuzz-$id.log" >&2
    echo "$id" >>"$builddir/fuzz-failed"
  fi
  echo "$id" >>"$builddir/fuzz-ran"
done

[ -f "$builddir/fuzz-ran" ] && ran=$(wc -l <"$builddir/fuzz-ran")
[ -f "$builddir/fuzz-failed" ] && failed=$(wc -l <"$builddir/fuzz-failed")
rm -f "$builddir/fuzz-ran" "$builddir/fuzz-failed"

echo "run-fuzzers: $ran targets, $failed failed"
[ "$ran" -gt 0 ] && [ "$failed" -eq 0 ]
