#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks `phasewise-cli phases --json` against figures computed here.

The figures are computed independently from the raw Chrome trace, with
Python's json module and plain interval arithmetic, following the
definitions of docs/phases.md:

* phases: the root spans of the main lane (the thread whose root spans
  cover the most time; a thread holding one span over the whole run is a
  profiler's window, not a candidate nor work), descending while one span covers >= 90 % of that
  lane's busy time;
* task time: summed over threads, the union of the spans that overlap the
  phase's window (the phase and its ancestors excepted), clipped to it; the
  phase itself when nothing else runs;
* parallelism = task / wall; max concurrency = most threads busy at once;
  idle = window time with no thread busy.

Only the Python standard library is used.
"""

import decimal
import gzip
import json
import os
import subprocess
import sys

SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
CLI = os.environ.get("PW_CLI", "phasewise-cli")
CORPUS = os.environ.get("PW_CORPUS_DIR")

failures = []


def check(cond, message):
    if not cond:
        failures.append(message)
        print("FAIL:", message)


def load_events(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        # Decimal: timestamps in µs from boot exceed a double's exact range in ns
        doc = json.load(f, parse_float=decimal.Decimal)
    return doc["traceEvents"] if isinstance(doc, dict) else doc


def us_to_ns(value):
    return int((decimal.Decimal(value) * 1000).to_integral_value(decimal.ROUND_HALF_EVEN))


def thread_spans(events):
    """{(pid, tid): [(start_ns, end_ns, name)]} from X and matched B/E events."""
    threads = {}
    stacks = {}
    for e in events:
        ph = e.get("ph")
        key = (e.get("pid"), e.get("tid"))
        if ph == "X":
            start = us_to_ns(e["ts"])
            threads.setdefault(key, []).append((start, start + us_to_ns(e.get("dur", 0)), e.get("name", "")))
        elif ph == "B":
            stacks.setdefault(key, []).append((us_to_ns(e["ts"]), e.get("name", "")))
        elif ph == "E":
            stack = stacks.get(key)
            if stack:
                start, name = stack.pop()
                threads.setdefault(key, []).append((start, us_to_ns(e["ts"]), name))
    return threads


def nest(spans):
    """Sorts spans (start, longer first) and gives each its parent index:
    the innermost open span that encloses it."""
    spans = sorted(spans, key=lambda s: (s[0], -(s[1] - s[0])))
    parents = []
    stack = []
    for i, (start, end, _) in enumerate(spans):
        while stack and not (spans[stack[-1]][1] > start
                             or (spans[stack[-1]][0] == start and spans[stack[-1]][1] > spans[stack[-1]][0])):
            stack.pop()
        parent = -1
        for j in reversed(stack):
            if spans[j][1] >= end:
                parent = j
                break
        parents.append(parent)
        stack.append(i)
    return spans, parents


def union(intervals):
    merged = []
    for a, b in sorted(intervals):
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def expected_phases(path):
    events = load_events(path)
    threads = {k: nest(v) for k, v in thread_spans(events).items()}
    # the profile starts at its earliest event of any kind
    origin = min(us_to_ns(e["ts"]) for e in events if e.get("ph") != "M" and "ts" in e)

    def coverage(key):
        spans, parents = threads[key]
        return sum(b - a for a, b in union([(s[0], s[1]) for s, p in zip(spans, parents) if p < 0]))

    # A thread with nothing but one span over >= 90 % of the run is a
    # profiler's own window: it wraps the phases, it is neither the main
    # lane nor work.
    ends = [us_to_ns(e["ts"]) + us_to_ns(e.get("dur", 0)) for e in events
            if e.get("ph") != "M" and "ts" in e]
    run = max(ends) - origin
    wrappers = {k for k, (spans, _) in threads.items()
                if len(spans) == 1 and spans[0][1] - spans[0][0] >= 0.9 * run}
    if len(wrappers) < len(threads):
        threads = {k: v for k, v in threads.items() if k not in wrappers}

    main = max(threads, key=coverage)
    spans, parents = threads[main]
    busy = coverage(main)
    children = {}
    for i, p in enumerate(parents):
        children.setdefault(p, []).append(i)

    phases = list(children.get(-1, []))
    while phases:
        longest = max(phases, key=lambda i: spans[i][1] - spans[i][0])
        if spans[longest][1] - spans[longest][0] < 0.9 * busy or not children.get(longest):
            break
        phases.remove(longest)
        phases = sorted(phases + children[longest], key=lambda i: (spans[i][0], i))

    # zero-length spans (instants) are no phases, unless nothing else is
    if any(spans[i][1] > spans[i][0] for i in phases):
        phases = [i for i in phases if spans[i][1] > spans[i][0]]

    result = []
    for ph in phases:
        w0, w1, _ = spans[ph]
        ancestors = set()
        p = ph
        while p >= 0:
            ancestors.add(p)
            p = parents[p]
        per_thread = []
        for key, (tspans, _) in threads.items():
            clipped = [(max(a, w0), min(b, w1)) for i, (a, b, _) in enumerate(tspans)
                       if not (key == main and i in ancestors) and a < w1 and b > w0]
            per_thread.append(union(clipped))
        task = sum(b - a for u in per_thread for a, b in u)
        if task == 0 and w1 > w0:
            per_thread = [[[w0, w1]]]
            task = w1 - w0
        edges = sorted([(a, 1) for u in per_thread for a, _ in u] + [(b, -1) for u in per_thread for _, b in u],
                       key=lambda e: (e[0], e[1]))
        count = peak = 0
        idle = 0
        last = w0
        for t, d in edges:
            if count == 0:
                idle += t - last
            count += d
            peak = max(peak, count)
            last = t
        idle += w1 - last
        result.append({
            "name": spans[ph][2],
            "start_ns": w0 - origin,
            "wall_ns": w1 - w0,
            "task_ns": task,
            "parallelism": task / (w1 - w0) if w1 > w0 else 0.0,
            "max_concurrency": peak,
            "idle_ns": idle,
        })
    return result


def close(a, b, abs_tol, rel_tol=1e-6):
    return abs(a - b) <= max(abs_tol, rel_tol * max(abs(a), abs(b)))


def compare(label, path, min_phases=1):
    if not os.path.exists(path):
        print("SKIP %s: %s is missing" % (label, path))
        return
    expected = expected_phases(path)
    out = subprocess.run([CLI, "phases", path, "--json"], capture_output=True, text=True)
    check(out.returncode == 0, "%s: phasewise-cli failed: %s" % (label, out.stderr))
    if out.returncode != 0:
        return
    got = json.loads(out.stdout)
    phases = got["phases"]
    check(len(phases) >= min_phases, "%s: expected phases, got none" % label)
    check(len(phases) == len(expected),
          "%s: %d phases, expected %d (%s)" % (label, len(phases), len(expected),
                                              [e["name"] for e in expected][:8]))
    # 1 µs of rounding per span edge at most
    tol = 2000
    for g, e in zip(phases, expected):
        where = "%s, phase %s at %d" % (label, e["name"], e["start_ns"])
        check(g["name"] == e["name"], "%s: name %r" % (where, g["name"]))
        check(close(g["start_ns"], e["start_ns"], tol), "%s: start %d, expected %d" % (where, g["start_ns"], e["start_ns"]))
        check(close(g["wall_ns"], e["wall_ns"], tol), "%s: wall %d, expected %d" % (where, g["wall_ns"], e["wall_ns"]))
        check(close(g["task_ns"], e["task_ns"], tol * 8), "%s: task %d, expected %d" % (where, g["task_ns"], e["task_ns"]))
        check(close(g["parallelism"], e["parallelism"], 1e-3, 1e-3),
              "%s: parallelism %.4f, expected %.4f" % (where, g["parallelism"], e["parallelism"]))
        check(close(g["mean_concurrency"], e["parallelism"], 1e-3, 1e-3),
              "%s: mean concurrency %.4f, expected %.4f" % (where, g["mean_concurrency"], e["parallelism"]))
        check(g["max_concurrency"] == e["max_concurrency"],
              "%s: max concurrency %d, expected %d" % (where, g["max_concurrency"], e["max_concurrency"]))
        check(close(g["idle_ns"], e["idle_ns"], tol * 8), "%s: idle %d, expected %d" % (where, g["idle_ns"], e["idle_ns"]))
    print("ok %s: %d phases, e.g. %s" % (label, len(expected),
                                         ", ".join("%s %.2fx/%d" % (e["name"], e["parallelism"], e["max_concurrency"])
                                                   for e in expected[:4])))


def main():
    data = os.path.join(SRCDIR, "data")
    compare("hta cpu_only rank 34", os.path.join(data, "hta-cpu_only-rank-34.pt.trace.json.gz"))
    compare("catapult big_trace", os.path.join(data, "catapult-big_trace.json"))
    demo = os.path.join(SRCDIR, "..", "data", "demo")
    compare("demo before", os.path.join(demo, "pipeline-before.json"))
    compare("demo after", os.path.join(demo, "pipeline-after.json"))
    if CORPUS:
        compare("catapult webview", os.path.join(CORPUS, "chrome-trace", "catapult-webview.json.gz"))
        compare("ffprofiler chrome", os.path.join(CORPUS, "chrome-trace", "ffprofiler-test.chrome-unchunked.json"))
        compare("catapult x_event_trace", os.path.join(CORPUS, "chrome-trace", "catapult-x_event_trace.json"))
        compare("kineto resnet50", os.path.join(CORPUS, "chrome-trace", "kineto-resnet50-num_workers_0.pt.trace.json.gz"))
        compare("chrome 70 worker", os.path.join(CORPUS, "chrome-trace", "speedscope-chrome70-worker.json"))

    # The design's example: 32 parallel calls in the demo's enrich phase.
    after = os.path.join(demo, "pipeline-after.json")
    if os.path.exists(after):
        out = subprocess.run([CLI, "phases", after, "--json"], capture_output=True, text=True)
        enrich = [p for p in json.loads(out.stdout)["phases"] if p["name"] == "enrich"]
        check(len(enrich) == 1, "demo after: one enrich phase")
        if enrich:
            check(enrich[0]["max_concurrency"] == 32, "demo after: enrich runs 32 calls at once")
            check(enrich[0]["cpu_ns"] is not None and enrich[0]["cpu_ns"] < enrich[0]["wall_ns"],
                  "demo after: enrich waits (CPU below wall)")
            check("32 tasks ran in parallel" in (enrich[0]["explanation"] or ""),
                  "demo after: enrich explains its parallelism")

    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
