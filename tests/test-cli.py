#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""phasewise-cli as a user runs it: what it prints and how it exits."""

import json
import os
import subprocess
import sys
import tempfile

CLI = os.environ["PW_CLI"]
DATA = os.path.join(os.environ["G_TEST_SRCDIR"], "data")
failures = []


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)


def check(name, condition, detail=""):
    print(("ok" if condition else "FAIL"), name, detail if not condition else "")
    if not condition:
        failures.append(name)


# The acceptance example of the foundation issue.
r = run("info", os.path.join(DATA, "catapult-big_trace.json"), "--json")
check("info --json exits 0", r.returncode == 0, r.stderr)
info = json.loads(r.stdout)
for key in ("format", "spans", "samples", "lanes", "processes", "duration_ns", "start_ns"):
    check(f"info --json has {key}", key in info)
check("933 spans", info["spans"] == 933, info["spans"])
check("4 lanes", info["lanes"] == 4, info["lanes"])
check("about 3616.9 ms", abs(info["duration_ns"] / 1e6 - 3616.9) < 0.05, info["duration_ns"])
check("format chrome", info["format"] == "chrome")

# Plain text names the same figures.
r = run("info", os.path.join(DATA, "catapult-big_trace.json"))
check("info text exits 0", r.returncode == 0)
check("info text shows span count", "933" in r.stdout, r.stdout)
check("info text shows duration", "3.617 s" in r.stdout, r.stdout)
check("info text lists longest spans", "RenderWidget::DoDeferredUpdate" in r.stdout)

# Bad input: exit 1, the error on stderr, naming the file.
with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "broken.json")
    with open(bad, "w") as f:
        f.write('[{"ph": "X", "name": "a", "ts": 1 "dur": 2}]')
    r = run("info", bad)
    check("malformed exits 1", r.returncode == 1, r.returncode)
    check("malformed error on stderr", "broken.json" in r.stderr and "byte" in r.stderr, r.stderr)
    check("malformed prints nothing on stdout", r.stdout == "", r.stdout)

    missing = os.path.join(tmp, "nope.json")
    r = run("info", missing)
    check("missing file exits 1", r.returncode == 1)
    check("missing file says so", "nope.json" in r.stderr, r.stderr)

    empty = os.path.join(tmp, "empty.json")
    open(empty, "w").close()
    r = run("info", empty)
    check("empty file exits 1", r.returncode == 1)
    check("empty file says empty", "empty" in r.stderr, r.stderr)

r = run("formats")
check("formats lists chrome", r.returncode == 0 and "chrome" in r.stdout, r.stdout)

r = run("frobnicate")
check("unknown command exits 2", r.returncode == 2)

# A time range covering a phase yields that phase's figures, in the same
# range syntax as render (plain numbers are nanoseconds).
demo = os.path.join(os.environ["G_TEST_SRCDIR"], "..", "data", "demo", "pipeline-after.json")
r = run("phases", demo, "--json")
check("phases on the demo exits 0", r.returncode == 0, r.stderr)
enrich = [p for p in json.loads(r.stdout)["phases"] if p["name"] == "enrich"][0]
a, b = enrich["start_ns"], enrich["start_ns"] + enrich["wall_ns"]
r = run("phases", demo, "--json", "--range", f"{a}..{b}")
check("phases --range exits 0", r.returncode == 0, r.stderr)
sel = json.loads(r.stdout)["phases"][0]
check("range over enrich has its wall time", sel["wall_ns"] == enrich["wall_ns"], sel)
check("range over enrich has its task time", sel["task_ns"] == enrich["task_ns"], (sel, enrich))
r = run("phases", demo, "--range", "9s..")
check("range past the end exits 2", r.returncode == 2, r.stderr)

# Sampled profiles: the hottest functions, and the sample type a user
# chooses when the file measures several things. SOURCES.md gives the
# facts of parca-alloc_objects for inuse_space.
heap = os.path.join(DATA, "parca-alloc_objects.pb.gz")
r = run("info", heap, "--json", "--sample-type", "inuse_space")
check("info --sample-type exits 0", r.returncode == 0, r.stderr)
info = json.loads(r.stdout)
check("sample type chosen", info.get("sample_type") == "inuse_space", info.get("sample_type"))
check("sample types listed", info.get("sample_types") == ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"],
      info.get("sample_types"))
check("inuse_space total", info.get("sample_weight") == 14730706, info.get("sample_weight"))
top = info.get("top_functions", [{}])[0]
check("inuse_space top self", (top.get("name"), top.get("self")) == ("compress/flate.NewWriter", 1848496), top)
r = run("info", heap)
check("info on a heap profile names its type", "Sample type: alloc_space (of alloc_objects, alloc_space" in r.stdout, r.stdout)
check("info lists top functions", "Top functions by self weight" in r.stdout, r.stdout)
check("a heap profile has no duration, not 0 ns", "Duration:    not recorded" in r.stdout, r.stdout)
r = run("info", heap, "--sample-type", "cpu")
check("unknown sample type exits 1", r.returncode == 1, r.returncode)
check("unknown sample type lists the types", "no sample type “cpu”" in r.stderr and "inuse_space/bytes" in r.stderr, r.stderr)
r = run("info", os.path.join(DATA, "pprof-report-sample.cpu.pb.gz"), "--json")
top = json.loads(r.stdout)["top_functions"][0]
check("cpu profile top self", (top["name"], top["self"]) == ("runtime.mapiternext", 1280000000), top)
r = run("info", os.path.join(DATA, "pprof-report-sample.cpu.pb.gz"))
check("cpu profile weight as a duration", "Weight:      1.760 s" in r.stdout, r.stdout)
r = run("phases", heap, "--sample-type", "inuse_objects")
check("phases takes --sample-type", r.returncode == 0, r.stderr)

# Files the real tools wrote (tests/data/real-tools): what perf, Chromium
# and go tool pprof say of them.
r = run("info", os.path.join(DATA, "perf-6.1-no-callchain.txt"), "--json")
check("perf without call chains opens", r.returncode == 0, r.stderr)
info = json.loads(r.stdout or "{}")
check("perf without call chains: 200 samples, 2 threads",
      (info.get("samples"), info.get("threads")) == (200, 2), info)
top = info.get("top_functions", [{}])[0]
check("perf without call chains: leaf_a on top", (top.get("name"), top.get("self")) == ("leaf_a", 113), top)
r = run("info", os.path.join(DATA, "perf-6.1-dwarf-two-events.txt"), "--json", "--sample-type", "task-clock")
info = json.loads(r.stdout or "{}")
check("perf: the second event chosen", (info.get("sample_type"), info.get("samples")) == ("task-clock", 98), info)
r = run("info", os.path.join(DATA, "chromium156-headless-page.json.gz"), "--json")
info = json.loads(r.stdout or "{}")
names = [t.get("name") for t in info.get("top_functions", [])]
check("chromium: samples of the page's main thread", (info.get("samples"), info.get("threads")) == (8377, 5), info)
check("chromium: the page's busy loop", "layoutThrash" in names[:3], names)
r = run("info", os.path.join(DATA, "chromium156-headless-page.json.gz"))
check("chromium: async tracks named in longest spans", "async: all]" in r.stdout and "async: ]" not in r.stdout,
      r.stdout)
r = run("info", os.path.join(DATA, "go1.19-test-cpu.pprof"), "--json")
top = json.loads(r.stdout or "{}").get("top_functions", [{}])[0]
check("go test -cpuprofile top self", (top.get("name"), top.get("self")) == ("sort.Float64Slice.Less", 120000000), top)

# Empty for a reason: the reason is in the error; gzip garbage is not "empty".
with tempfile.TemporaryDirectory() as tmp:
    otlp = os.path.join(tmp, "nostart.json")
    with open(otlp, "w") as f:
        f.write('{"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02",'
                '"name":"x","startTimeUnixNano":"abc"}]}]}]}')
    r = run("info", otlp)
    check("unusable spans exit 1", r.returncode == 1, r.returncode)
    check("unusable spans say why", "no span, sample or event in it could be used: 1 span had no valid start time"
          in r.stderr, r.stderr)
    gz = os.path.join(tmp, "broken.json.gz")
    with open(gz, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00garbage")
    r = run("info", gz)
    check("broken gzip exits 1", r.returncode == 1, r.returncode)
    check("broken gzip is not called empty", "broken.json.gz: the compressed data breaks off before any content"
          in r.stderr, r.stderr)

# clang -ftime-trace: its "Total …" events are sums at time 0, one made-up
# thread each; as spans they would claim 16 threads ran in parallel.
clang_trace = os.path.join(DATA, "clang14-ftime-trace.json")
with open(clang_trace) as f:
    events = json.load(f)["traceEvents"]
x_events = [e for e in events if e["ph"] == "X"]
totals = [e for e in x_events if e["name"].startswith("Total ") and "avg ms" in e.get("args", {})]
real = [e for e in x_events if e not in totals]
r = run("info", clang_trace, "--json")
info = json.loads(r.stdout)
check("clang trace: the real events are the spans", info["spans"] == len(real), (info["spans"], len(real)))
check("clang trace: one thread, not one per total", info["threads"] == len({e["tid"] for e in real}) == 1, info["threads"])
r = run("phases", clang_trace, "--json")
phases = json.loads(r.stdout)["phases"]
check("clang trace: no phase claims parallel work", phases and all(p["max_concurrency"] <= 1 for p in phases), phases)

print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
