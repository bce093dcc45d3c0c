#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The import benchmark: generates Chrome traces of 1 M events (~146 MB) and
# 8 M events (~1.2 GB) into a temporary folder (deleted afterwards), then
# times bench-import on them and on every file of the shared corpus, all
# formats, and prints one table.
#
#   bench/run-import-bench.sh [BUILDDIR] [RUNS]
#
# PW_CORPUS_DIR overrides where the corpus is (default ../shared/corpus);
# PW_BENCH_KEEP=DIR keeps the generated traces in DIR and reuses them.
set -eu
cd "$(dirname "$0")/.."

builddir="${1:-build}"
runs="${2:-3}"
corpus="${PW_CORPUS_DIR:-../shared/corpus}"
bench="$builddir/bench/bench-import"

if [ ! -x "$bench" ]; then
  ninja -C "$builddir" bench/bench-import
fi

if [ -n "${PW_BENCH_KEEP:-}" ]; then
  tmp="$PW_BENCH_KEEP"
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT INT TERM
fi

for n in 1000000 8000000; do
  f="$tmp/generated-$n.json"
  if [ ! -s "$f" ]; then
    echo "generating $n events into $f" >&2
    python3 bench/gen-chrome-trace.py --events "$n" -o "$f"
  fi
done

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# wall s: best of $runs; cpu s: user + system of all threads; RSS: peak of the import's process;"
echo "# x read: wall / (reading the file); x py: wall / (python3 json.load)"
"$bench" --header

echo "## generated Chrome traces"
"$bench" --runs "$runs" --cancel-latency "$tmp/generated-1000000.json" | tail -n +2
# json.load of 1.2 GB needs ~10 GB of memory and minutes: skipped
"$bench" --runs 1 --no-python "$tmp/generated-8000000.json" | tail -n +2
echo "## the same, read sequentially (the streaming parser only)"
"$bench" --runs 1 --no-python --chrome-mode sequential "$tmp/generated-1000000.json" "$tmp/generated-8000000.json" | tail -n +2

if [ -d "$corpus" ]; then
  for dir in "$corpus"/*/; do
    echo "## corpus: $(basename "$dir")"
    # every file, compressed or not, as a user would open it
    find "$dir" -maxdepth 1 -type f | sort | while read -r f; do
      "$bench" --runs "$runs" "$f" | tail -n +2
    done
  done
else
  echo "## corpus not found at $corpus: skipped" >&2
fi
