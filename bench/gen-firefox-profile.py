#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a deterministic Firefox Profiler profile in the Gecko format.

The layout is the one Firefox writes (meta, libs, threads with
schema/data tables and a string table, processes): a parent process of
4 threads and a content process of 4 threads nested in "processes" as a
JSON object, plus a small GPU process nested as a JSON string, as old
Gecko profiles had it. Stacks grow and shrink like a call tree walked by a
sampler (about one new stackTable row per 3 samples), frames carry the
usual 8 columns, and one sample in 4 comes with a marker (intervals with a
data object, tracing start/end pairs, instants). The first thread of the
content process writes its "schema" objects after their "data", which
Firefox does not do but JSON allows. One sample is about 80 bytes:
--samples 2000000 writes 156 MB, --samples 4000000 318 MB.

    gen-firefox-profile.py --samples 2000000 -o profile.json
"""

import argparse
import json
import random
import sys

FUNCS = ["nsThread::ProcessNextEvent", "NS_ProcessNextEvent", "mozilla::ipc::MessagePump::Run",
         "MessageLoop::Run", "nsBaseAppShell::Run", "XREMain::XRE_mainRun",
         "js::RunScript", "js::Interpret", "JS::Call", "Element.getBoundingClientRect",
         "PresShell::DoReflow", "nsBlockFrame::Reflow", "nsLineLayout::ReflowFrame",
         "PaintFrame", "nsDisplayList::PaintRoot", "mozilla::layers::CompositorBridgeParent::CompositeToTarget",
         "gfxContext::Fill", "memcpy", "malloc", "free", "js::gc::GCRuntime::collect",
         "mozilla::dom::Document::FlushPendingNotifications", "nsRefreshDriver::Tick",
         "mozilla::net::nsHttpChannel::OnDataAvailable", "ZSTD_decompress"]
MARKER_NAMES = ["DOMEvent", "Styles", "Reflow", "Paint", "GCMajor", "CC", "Navigation::DOMContentLoaded",
                "Jank", "IPC", "NetworkLoad"]
CATEGORIES = ["Other", "Layout", "JavaScript", "Graphics", "GC / CC", "Network", "DOM"]
THREADS = ["GeckoMain", "Compositor", "Renderer", "DOM Worker"]


def thread_json(rng, name, pid, tid, n_samples, start_ms, schema_last):
    strings = []
    index = {}

    def intern(s):
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]

    # frames: one per function and library address; locations are strings
    frames = []
    for i in range(max(64, n_samples // 40)):
        func = FUNCS[i % len(FUNCS)]
        loc = "%s (https://example.com/app-%d.js:%d:%d)" % (func, i % 97, 10 + i % 5000, i % 80) \
            if i % 3 == 0 else "%s 0x%x" % (func, 0x7f0000000000 + i * 0x1f3)
        frames.append([intern(loc), i % 3 == 0, None, None, 10 + i % 5000, i % 80, i % len(CATEGORIES), 0])

    stacks = []          # [prefix, frame, category]
    children = {}        # (prefix, frame) -> stack
    current = []         # stack indexes, root first

    def push(frame):
        prefix = current[-1] if current else None
        key = (prefix, frame)
        s = children.get(key)
        if s is None:
            s = len(stacks)
            children[key] = s
            stacks.append([prefix, frame, frame % len(CATEGORIES)])
        current.append(s)

    samples = []
    markers = []
    t = start_ms
    for i in range(n_samples):
        # a random walk over the call tree: pop 0-3 frames, push 0-3
        for _ in range(rng.randrange(0, 4)):
            if len(current) > 1:
                current.pop()
        while len(current) < 3:
            push(rng.randrange(len(frames)))
        for _ in range(rng.randrange(0, 4)):
            if len(current) < 40:
                push(rng.randrange(len(frames)))
        t += 1.0 + rng.random() * 0.25
        samples.append([current[-1], round(t, 3), round(rng.random() * 2, 3), rng.randrange(0, 900)])
        if i % 4 == 0:
            name = intern(MARKER_NAMES[i % len(MARKER_NAMES)])
            kind = (i // 4) % 3
            if kind == 0:
                markers.append([name, round(t, 3), round(t + rng.random() * 5, 3), 1, i % len(CATEGORIES),
                                {"type": "Text", "name": "marker %d" % i, "category": CATEGORIES[i % len(CATEGORIES)]}])
            elif kind == 1:
                markers.append([name, round(t, 3), None, 2, i % len(CATEGORIES),
                                {"type": "tracing", "category": "Paint", "interval": "start"}])
                markers.append([name, round(t + 0.5, 3), None, 3, i % len(CATEGORIES),
                                {"type": "tracing", "category": "Paint", "interval": "end"}])
            else:
                markers.append([name, round(t, 3), None, 0, i % len(CATEGORIES), None])

    def table(schema, data):
        if schema_last:
            return {"data": data, "schema": schema}
        return {"schema": schema, "data": data}

    return {
        "name": name, "registerTime": 0, "processType": "default" if pid == 100 else "tab",
        "tid": tid, "pid": pid, "unregisterTime": None,
        "markers": table({"name": 0, "startTime": 1, "endTime": 2, "phase": 3, "category": 4, "data": 5},
                         markers),
        "samples": table({"stack": 0, "time": 1, "eventDelay": 2, "threadCPUDelta": 3}, samples),
        "stackTable": table({"prefix": 0, "frame": 1, "category": 2}, stacks),
        "frameTable": table({"location": 0, "relevantForJS": 1, "innerWindowID": 2, "implementation": 3,
                             "line": 4, "column": 5, "category": 6, "subcategory": 7}, frames),
        "stringTable": strings,
    }


def meta(start_time, process_type):
    return {"version": 24, "interval": 1, "stackwalk": 1, "startTime": start_time, "shutdownTime": None,
            "processType": process_type, "product": "Firefox", "platform": "X11", "oscpu": "Linux x86_64",
            "misc": "rv:120.0", "abi": "x86_64-gcc3", "toolkit": "gtk", "appBuildID": "20231120000000",
            "categories": [{"name": c, "color": "grey", "subcategories": ["Other"]} for c in CATEGORIES]}


def write_profile(out, n_samples, seed):
    rng = random.Random(seed)
    start = 1700000000000.125
    per_thread = max(1, n_samples // 8)
    write = out.write

    def write_threads(pid, tid0, schema_last_first):
        write('"threads":[')
        for k, name in enumerate(THREADS):
            if k:
                write(",\n")
            th = thread_json(rng, name, pid, tid0 + k, per_thread, rng.random() * 10,
                             schema_last_first and k == 0)
            write(json.dumps(th, separators=(",", ":")))
        write("]")

    write('{"libs":[{"start":4096,"end":8192,"offset":0,"name":"libxul.so","path":"/usr/lib/firefox/libxul.so",'
          '"debugName":"libxul.so","debugPath":"/usr/lib/firefox/libxul.so","breakpadId":"0123456789ABCDEF0","arch":"x86_64"}],\n')
    write('"meta":' + json.dumps(meta(start, 0), separators=(",", ":")) + ",\n")
    write_threads(100, 1000, False)
    write(',\n"processes":[{"libs":[],"meta":' + json.dumps(meta(start + 250.5, 2), separators=(",", ":")) + ",\n")
    write_threads(200, 2000, True)
    write("},\n")
    gpu = {"meta": meta(start + 500, 1), "libs": [],
           "threads": [thread_json(rng, "GPU", 300, 3000, 500, 1.0, False)]}
    write(json.dumps(json.dumps(gpu, separators=(",", ":"))))
    write("]}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200000, help="samples in all (default 200000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    args = parser.parse_args()

    if args.output == "-":
        write_profile(sys.stdout, args.samples, args.seed)
    else:
        with open(args.output, "w", encoding="utf-8") as out:
            write_profile(out, args.samples, args.seed)


if __name__ == "__main__":
    main()
