#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a deterministic Chrome Trace Event JSON file with about N events.

The mix looks like a real browser or PyTorch trace: nested X events on 16
threads of 2 processes (about 80 %), B/E pairs (10 %), counters (4 %),
flows s/f (3 %), instants (2 %), thread and process metadata; 45 in 100
events have args. One event is about 146 bytes, so --events 1000000 writes
about 146 MB and --events 8000000 about 1.2 GB.

    gen-chrome-trace.py --events 1000000 -o trace.json
"""

import argparse
import random
import sys

NAMES = ["MessageLoop::RunTask", "ThreadControllerImpl::RunTask", "v8.run",
         "V8.Execute", "FunctionCall", "Layout", "UpdateLayerTree", "Paint",
         "CompositeLayers", "aten::linear", "aten::addmm", "cudaLaunchKernel",
         "ParseHTML", "EvaluateScript", "GPUTask", "RasterTask"]
CATS = ["toplevel", "v8", "blink", "cc", "gpu", "cpu_op", "cuda_runtime", "loading"]
THREADS = [(pid, tid) for pid in (4242, 4343) for tid in range(1, 9)]


def generate(n_events, out, seed):
    rng = random.Random(seed)
    write = out.write
    count = 0
    buf = []

    def emit(text):
        nonlocal count
        buf.append(text)
        count += 1
        if len(buf) >= 4096:
            write(",\n".join(buf))
            write(",\n")
            buf.clear()

    write('{"displayTimeUnit":"ms","otherData":{"generator":"phasewise gen-chrome-trace.py"},\n"traceEvents":[\n')
    for pid in (4242, 4343):
        emit('{"ph":"M","name":"process_name","pid":%d,"tid":0,"ts":0,"args":{"name":"Process %d"}}' % (pid, pid))
    for pid, tid in THREADS:
        emit('{"ph":"M","name":"thread_name","pid":%d,"tid":%d,"ts":0,"args":{"name":"Worker %d"}}' % (pid, tid, tid))

    clock = {t: 1_000_000_000 + i * 37 for i, t in enumerate(THREADS)}
    flow_id = 0

    def args(depth):
        if rng.random() < 0.45:
            return ',"args":{"seq":%d,"frame":"0x%x","url":"https://example.com/static/js/app/%d.js"}' % (
                count, rng.getrandbits(32), rng.randrange(1000))
        return ""

    def tree(pid, tid, start, dur, depth, budget):
        """Writes an X event and children inside it; returns events written."""
        name = NAMES[rng.randrange(len(NAMES))]
        cat = CATS[rng.randrange(len(CATS))]
        emit('{"ph":"X","cat":"%s","name":"%s","pid":%d,"tid":%d,"ts":%d.%03d,"dur":%d.%03d,"tdur":%d%s}' % (
            cat, name, pid, tid, start // 1000, start % 1000, dur // 1000, dur % 1000,
            dur // 1300, args(depth)))
        written = 1
        if depth < 5 and budget > 1 and dur > 4000:
            n_children = rng.randrange(0, 4)
            cursor = start + rng.randrange(0, dur // 8 + 1)
            for _ in range(n_children):
                if written >= budget:
                    break
                left = start + dur - cursor
                if left < 2000:
                    break
                child = rng.randrange(1000, max(1001, left // 2))
                written += tree(pid, tid, cursor, child, depth + 1, budget - written)
                cursor += child + rng.randrange(0, 500)
        return written

    while count < n_events:
        pid, tid = THREADS[rng.randrange(len(THREADS))]
        start = clock[(pid, tid)]
        roll = rng.random()
        if roll < 0.80:
            dur = rng.randrange(5_000, 400_000)
            tree(pid, tid, start, dur, 0, 12)
            clock[(pid, tid)] = start + dur + rng.randrange(100, 5000)
        elif roll < 0.90:
            dur = rng.randrange(2_000, 90_000)
            name = NAMES[rng.randrange(len(NAMES))]
            emit('{"ph":"B","cat":"blink","name":"%s","pid":%d,"tid":%d,"ts":%d.%03d%s}' % (
                name, pid, tid, start // 1000, start % 1000, args(0)))
            end = start + dur
            emit('{"ph":"E","cat":"blink","name":"%s","pid":%d,"tid":%d,"ts":%d.%03d}' % (
                name, pid, tid, end // 1000, end % 1000))
            clock[(pid, tid)] = end + rng.randrange(100, 5000)
        elif roll < 0.94:
            emit('{"ph":"C","name":"memory","pid":%d,"ts":%d.%03d,"args":{"heap":%d,"gpu":%d}}' % (
                pid, start // 1000, start % 1000, rng.randrange(1 << 30), rng.randrange(1 << 28)))
        elif roll < 0.97:
            flow_id += 1
            other_pid, other_tid = THREADS[rng.randrange(len(THREADS))]
            end = clock[(other_pid, other_tid)] + rng.randrange(0, 2000)
            # Kineto writes the f before its s
            emit('{"ph":"f","bp":"e","cat":"ac2g","name":"ac2g","id":%d,"pid":%d,"tid":%d,"ts":%d.%03d}' % (
                flow_id, other_pid, other_tid, end // 1000, end % 1000))
            emit('{"ph":"s","cat":"ac2g","name":"ac2g","id":%d,"pid":%d,"tid":%d,"ts":%d.%03d}' % (
                flow_id, pid, tid, start // 1000, start % 1000))
        else:
            emit('{"ph":"i","s":"t","name":"mark","pid":%d,"tid":%d,"ts":%d.%03d}' % (
                pid, tid, start // 1000, start % 1000))

    # the last event closes the array without a trailing comma
    buf.append('{"ph":"i","s":"g","name":"end","pid":4242,"tid":1,"ts":%d}' % (max(clock.values()) // 1000))
    write(",\n".join(buf))
    write("\n]}\n")
    return count + 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-")
    options = parser.parse_args()

    out = sys.stdout if options.output == "-" else open(options.output, "w", buffering=1 << 20)
    n = generate(options.events, out, options.seed)
    if out is not sys.stdout:
        out.close()
    print(f"{n} events", file=sys.stderr)


if __name__ == "__main__":
    main()
