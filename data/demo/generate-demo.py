#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the two demo traces that Phasewise bundles.

The traces are two runs of one made-up but realistic document pipeline,
"docpipe", which turns 32 documents into a search index and a report:

    ingest -> parse -> enrich -> index -> upload -> report

`enrich` asks a remote HTTP API (an LLM behind https://api.example.com) to
label every document, and fetches the same taxonomy before every call.

* pipeline-before.json: the first version. Everything runs on the main
  thread: parse is CPU bound on one core, enrich makes 32 sequential API
  calls of about 0.22 s each (the thread waits, it barely computes) and
  fetches the identical taxonomy 32 times.
* pipeline-after.json: the optimized version. parse runs on 4 worker
  threads, enrich fetches the taxonomy once (then hits a cache) and runs the
  32 API calls on 32 worker threads at once: about 0.37 s of wall time for
  7.1 s of task time, a parallelism factor of about 19. upload still waits
  on the network (wall time far above CPU time).

Both files use the Chrome Trace Event Format in its object form: complete
("X") events with ts/dur in microseconds and tts/tdur thread CPU time,
metadata ("M") events naming the process and threads, counters ("C") for
resident memory and HTTP requests in flight, a few instant ("i") events and
flow ("s"/"f") events from the orchestrator to the threads it hands work to.

The output is deterministic (fixed seeds, integer microseconds, stable key
order), so the committed files can be checked against this script:

    python3 data/demo/generate-demo.py data/demo          # write both files
    python3 data/demo/generate-demo.py --check data/demo  # compare, exit 1 if stale

Both modes print, for each phase, the figures Phasewise should show: wall
time, CPU time, summed task time and parallelism (task time / wall time).
Only the Python standard library is used.
"""

import argparse
import contextlib
import json
import os
import random
import sys

SEED = 20261123
N_DOCS = 32
API = "https://api.example.com"
TAXONOMY_URL = API + "/v1/taxonomy?lang=en&version=2026-10"
OUTPUTS = ("pipeline-before.json", "pipeline-after.json")
HTTP_METHODS = ("GET", "POST", "PUT")

# Microseconds from boot at which the traced run starts: real traces rarely
# start at zero, and an importer has to cope with that.
BASE_TS = 5_231_408_117


def ms(value):
    """Milliseconds (float) to integer microseconds."""
    return int(round(value * 1000.0))


class Thread:
    """One lane of the trace: keeps a wall clock and a thread CPU clock."""

    def __init__(self, trace, tid, name, sort_index, start_us, cpu_us=0):
        self.trace = trace
        self.tid = tid
        self.name = name
        self.sort_index = sort_index
        self.t = start_us
        self.cpu = cpu_us
        self.stack = []

    def run(self, wall_us, cpu_us):
        """Let wall_us pass, of which cpu_us on the CPU."""
        wall_us = max(0, int(wall_us))
        cpu_us = max(0, min(int(cpu_us), wall_us))
        self.t += wall_us
        self.cpu += cpu_us

    def compute(self, cpu_us, efficiency=0.97):
        """CPU-bound work: a little wall time is lost to scheduling."""
        cpu_us = int(cpu_us)
        self.run(cpu_us / efficiency, cpu_us)

    def wait_until(self, t_us):
        """Block (no CPU) until t_us."""
        if t_us > self.t:
            self.t = t_us

    @contextlib.contextmanager
    def span(self, name, cat, args=None):
        ts, tts = self.t, self.cpu
        self.stack.append(name)
        try:
            yield self
        finally:
            self.stack.pop()
            event = {
                "name": name,
                "cat": cat,
                "ph": "X",
                "ts": ts,
                "dur": self.t - ts,
                "tts": tts,
                "tdur": self.cpu - tts,
                "pid": self.trace.pid,
                "tid": self.tid,
            }
            if args:
                event["args"] = args
            self.trace.add(event)

    def leaf(self, name, cat, wall_us, cpu_us, args=None):
        with self.span(name, cat, args):
            self.run(wall_us, cpu_us)


class Trace:
    """Collects events and writes them in a stable order."""

    def __init__(self, pid, run, label):
        self.pid = pid
        self.run = run
        self.label = label
        self.threads = []
        self.events = []
        self.next_flow_id = 1
        self.memory = []  # (t_us, delta_mb)

    def thread(self, tid, name, sort_index, start_us, cpu_us=0):
        th = Thread(self, tid, name, sort_index, start_us, cpu_us)
        self.threads.append(th)
        return th

    def add(self, event):
        event["ts"] += BASE_TS
        self.events.append(event)

    def instant(self, th, name, scope="t", args=None):
        event = {"name": name, "ph": "i", "s": scope, "ts": th.t, "pid": self.pid, "tid": th.tid}
        if args:
            event["args"] = args
        self.add(event)

    def flow(self, src, dst, start_us, name="dispatch"):
        """A flow arrow from src's current slice now to dst's slice starting at start_us."""
        fid = self.next_flow_id
        self.next_flow_id += 1
        self.add({"name": name, "cat": "flow", "ph": "s", "id": fid, "ts": src.t,
                  "pid": self.pid, "tid": src.tid})
        self.add({"name": name, "cat": "flow", "ph": "f", "bp": "e", "id": fid, "ts": start_us,
                  "pid": self.pid, "tid": dst.tid})

    def count_requests(self):
        """Emit the "http" counter: HTTP requests in flight, from the request spans."""
        edges = []
        for e in self.events:
            if e["ph"] == "X" and e["cat"] == "net" and e["name"].split(" ")[0] in HTTP_METHODS:
                edges.append((e["ts"], 1, e["tid"]))
                edges.append((e["ts"] + e["dur"], -1, e["tid"]))
        edges.sort(key=lambda edge: (edge[0], edge[1]))
        n = 0
        for ts, delta, tid in edges:
            n += delta
            # Already absolute: bypass add(), which offsets by BASE_TS.
            self.events.append({"name": "http", "ph": "C", "ts": ts, "pid": self.pid,
                                "tid": tid, "args": {"in_flight": n}})

    def allocate(self, t_us, delta_mb):
        self.memory.append((t_us, delta_mb))

    def sample_memory(self, main, end_us, rng, period_us=100_000, base_mb=61.5):
        """A sampler reads the resident set size every period_us: a counter."""
        changes = sorted(self.memory)
        value, i = base_mb, 0
        t = 0
        while t <= end_us:
            while i < len(changes) and changes[i][0] <= t:
                value += changes[i][1]
                i += 1
            noise = rng.uniform(-0.25, 0.25)
            self.add({"name": "memory", "ph": "C", "ts": t, "pid": self.pid, "tid": main.tid,
                      "args": {"rss_mb": round(value + noise, 1)}})
            t += period_us

    def dumps(self, other_data):
        meta = [
            {"name": "process_name", "ph": "M", "pid": self.pid, "tid": self.pid,
             "args": {"name": "docpipe"}},
            {"name": "process_labels", "ph": "M", "pid": self.pid, "tid": self.pid,
             "args": {"labels": self.label}},
        ]
        for th in self.threads:
            meta.append({"name": "thread_name", "ph": "M", "pid": self.pid, "tid": th.tid,
                         "args": {"name": th.name}})
            meta.append({"name": "thread_sort_index", "ph": "M", "pid": self.pid,
                         "tid": th.tid, "args": {"sort_index": th.sort_index}})

        rank = {"M": 0, "X": 1, "s": 2, "f": 3, "i": 4, "C": 5}
        order = sorted(range(len(self.events)),
                       key=lambda k: (self.events[k]["ts"], rank[self.events[k]["ph"]],
                                      -self.events[k].get("dur", 0), k))
        events = meta + [self.events[k] for k in order]

        def dump(obj):
            return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)

        lines = ["{\"traceEvents\":["]
        lines.append(",\n".join(dump(e) for e in events))
        lines.append("],")
        lines.append("\"displayTimeUnit\":\"ms\",")
        lines.append("\"otherData\":" + dump(other_data))
        lines.append("}")
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# The workload: identical documents in both runs.


def make_documents():
    rng = random.Random(SEED)
    docs = []
    for i in range(N_DOCS):
        size = rng.randint(18_000, 140_000)
        docs.append({
            "id": "doc-%02d" % i,
            "path": "corpus/doc-%02d.md" % i,
            "bytes": size,
            "tokens": int(size / 4.6),
            "read_ms": rng.uniform(8.5, 15.0) + size / 40_000.0,
            "parse_ms": 6.0 + size / 1024.0 * 0.78,
            "taxonomy_ms": rng.uniform(30.0, 40.0),
            "api_ms": rng.uniform(200.0, 236.0),
            "labels": rng.randint(3, 9),
        })
    # One document carries a long prompt: its API call is the straggler.
    docs[29]["api_ms"] = 261.0
    return docs


def taxonomy_args():
    # Identical on every call: that is what makes it cacheable.
    return {"method": "GET", "url": TAXONOMY_URL, "status": 200, "bytes": 18342}


def api_args(doc):
    return {"method": "POST", "url": API + "/v1/enrich", "doc": doc["id"],
            "status": 200, "prompt_tokens": doc["tokens"] // 8 + 310}


def parse_document(th, trace, doc, rng, slowdown=1.0):
    cpu = ms(doc["parse_ms"] * slowdown * rng.uniform(0.97, 1.03))
    with th.span("parse_document", "cpu", {"doc": doc["id"], "tokens": doc["tokens"]}):
        th.compute(cpu * 0.04)
        th.leaf("tokenize", "cpu", cpu * 0.34 / 0.97, cpu * 0.34)
        th.leaf("build_tree", "cpu", cpu * 0.45 / 0.97, cpu * 0.45)
        trace.allocate(th.t, doc["bytes"] * 14 / 1e6)
        th.leaf("normalize", "cpu", cpu * 0.15 / 0.97, cpu * 0.15)
        th.compute(cpu * 0.02)


def enrich_document(th, trace, doc, rng, cached_taxonomy):
    with th.span("enrich_document", "net", {"doc": doc["id"]}):
        if cached_taxonomy:
            th.leaf("lookup_taxonomy", "cpu", 21, 19, {"cache": "hit"})
        else:
            th.leaf("GET /v1/taxonomy", "net", ms(doc["taxonomy_ms"]), ms(0.42), taxonomy_args())
        th.leaf("build_prompt", "cpu", ms(rng.uniform(1.3, 1.9)), ms(1.2))
        th.leaf("POST /v1/enrich", "net", ms(doc["api_ms"]), ms(rng.uniform(0.45, 0.7)),
                api_args(doc))
        th.leaf("apply_labels", "cpu", ms(rng.uniform(0.8, 1.3)), ms(0.75),
                {"labels": doc["labels"]})
        trace.allocate(th.t, 0.35)


def ingest(main, trace, docs):
    with main.span("ingest", "io"):
        main.leaf("list_inputs", "io", ms(7.8), ms(1.1), {"dir": "corpus/", "files": len(docs)})
        for doc in docs:
            main.leaf("read_document", "io", ms(doc["read_ms"]), ms(0.5 + doc["bytes"] / 2e5),
                      {"path": doc["path"], "bytes": doc["bytes"]})
            trace.allocate(main.t, doc["bytes"] * 1.1 / 1e6)


def index(main, writer, trace, docs, rng):
    with main.span("index", "cpu"):
        main.leaf("merge_postings", "cpu", ms(392), ms(380))
        trace.allocate(main.t, 38.0)
        for seg in range(4):
            main.leaf("build_segment", "cpu", ms(57), ms(55.5), {"segment": seg})
            start = max(main.t + 40, writer.t)
            trace.flow(main, writer, start, name="write")
            writer.wait_until(start)
            writer.leaf("write_segment", "io", ms(rng.uniform(27, 34)), ms(4.2),
                        {"segment": seg, "bytes": 1_835_008})
        main.wait_until(writer.t + 120)
        main.leaf("commit_index", "io", ms(18.4), ms(0.6), {"fsync": True})
        trace.instant(main, "index committed", "g", {"segments": 4, "documents": len(docs)})
        trace.allocate(main.t, -sum(d["bytes"] * 14 / 1e6 for d in docs))


def upload(main, trace):
    # Waiting on the network: wall time far above CPU time.
    with main.span("upload", "net"):
        main.leaf("compress_index", "cpu", ms(41), ms(40))
        main.leaf("PUT /v1/indexes/docpipe", "net", ms(452), ms(7.5),
                  {"method": "PUT", "url": API + "/v1/indexes/docpipe", "status": 201,
                   "bytes": 7_340_032})


def report(main, trace):
    with main.span("report", "io"):
        main.leaf("render_report", "cpu", ms(66), ms(64))
        main.leaf("write_report", "io", ms(12.5), ms(1.1), {"path": "out/report.html"})
        trace.allocate(main.t, -44.0)


def simulate(run):
    before = run == "before"
    docs = make_documents()
    rng = random.Random(SEED + (1 if before else 2))
    pid = 4242 if before else 4317
    trace = Trace(pid, run, "before: sequential API calls" if before
                  else "after: parallel parse and enrich, cached taxonomy")
    main = trace.thread(pid, "main", 0, start_us=0, cpu_us=ms(38.5))
    writer = trace.thread(pid + 1, "index-writer", 50, start_us=ms(3.1))
    next_tid = pid + 2

    main.run(ms(2.0), ms(1.8))
    trace.instant(main, "config loaded", "p", {"workers": 1 if before else 32})
    with main.span("pipeline", "cpu", {"documents": N_DOCS, "version": "1.4.0" if before else "1.5.0"}):
        main.run(ms(0.4), ms(0.3))
        ingest(main, trace, docs)

        with main.span("parse", "cpu"):
            if before:
                for doc in docs:
                    parse_document(main, trace, doc, rng)
            else:
                main.leaf("split_batches", "cpu", ms(0.6), ms(0.55), {"batches": 4})
                workers = []
                for b in range(4):
                    main.run(ms(0.16), ms(0.1))
                    start = main.t + ms(0.09)
                    w = trace.thread(next_tid, "parse-%d" % b, 10 + b, start_us=start)
                    next_tid += 1
                    trace.flow(main, w, start)
                    batch = docs[b::4]
                    with w.span("parse_batch", "cpu", {"batch": b, "docs": len(batch)}):
                        for doc in batch:
                            # Four threads share caches and memory bandwidth.
                            parse_document(w, trace, doc, rng, slowdown=1.05)
                    workers.append(w)
                main.wait_until(max(w.t for w in workers) + ms(0.2))
                main.leaf("merge_results", "cpu", ms(9.4), ms(9.1))

        with main.span("enrich", "net"):
            if before:
                for doc in docs:
                    enrich_document(main, trace, doc, rng, cached_taxonomy=False)
            else:
                main.leaf("GET /v1/taxonomy", "net", ms(docs[0]["taxonomy_ms"]), ms(0.42),
                          taxonomy_args())
                trace.instant(main, "taxonomy cached", "t", {"bytes": 18342})
                workers = []
                for doc in docs:
                    main.run(ms(2.2), ms(0.35))  # spawn a thread, hand it the document
                    start = main.t + ms(0.06)
                    w = trace.thread(next_tid, "enrich-%02d" % len(workers), 100 + len(workers),
                                     start_us=start)
                    next_tid += 1
                    trace.flow(main, w, start)
                    workers.append((w, doc))
                # Each thread has its own clocks, so simulating them one
                # after the other still has them run at once.
                for w, doc in workers:
                    enrich_document(w, trace, doc, rng, cached_taxonomy=True)
                main.wait_until(max(w.t for w, _ in workers) + ms(0.3))

        index(main, writer, trace, docs, rng)
        upload(main, trace)
        report(main, trace)
    main.run(ms(1.5), ms(1.2))
    trace.sample_memory(main, main.t, rng)
    trace.count_requests()
    other = {
        "generator": "Phasewise data/demo/generate-demo.py",
        "pipeline": "docpipe",
        "run": run,
        "label": trace.label,
        "documents": str(N_DOCS),
        "command": "docpipe build --corpus corpus/ --out out/",
        "seed": str(SEED),
    }
    return trace, other


# --------------------------------------------------------------------------
# Figures per phase, as DESIGN.md defines them.


def phase_figures(text):
    events = json.loads(text)["traceEvents"]
    spans = [e for e in events if e["ph"] == "X"]
    main_tid = next(e["tid"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"
                    and e["args"]["name"] == "main")
    root = next(e for e in spans if e["name"] == "pipeline")
    r0, r1 = root["ts"], root["ts"] + root["dur"]
    phases = sorted((e for e in spans if e["tid"] == main_tid and e is not root
                     and r0 <= e["ts"] and e["ts"] + e["dur"] <= r1
                     and not any(o is not root and o is not e and o["tid"] == main_tid
                                 and o["ts"] <= e["ts"] and e["ts"] + e["dur"] <= o["ts"] + o["dur"]
                                 and o["dur"] > e["dur"] for o in spans)),
                    key=lambda e: e["ts"])
    rows = []
    for ph in phases:
        w0, w1 = ph["ts"], ph["ts"] + ph["dur"]
        task = 0
        cpu = ph["tdur"]
        lanes = sorted({e["tid"] for e in spans})
        for tid in lanes:
            ivs = sorted((max(e["ts"], w0), min(e["ts"] + e["dur"], w1)) for e in spans
                         if e["tid"] == tid and e is not ph and e is not root
                         and e["ts"] < w1 and e["ts"] + e["dur"] > w0)
            busy, end = 0, None
            for a, b in ivs:
                if end is None or a > end:
                    busy += b - a
                    end = b
                elif b > end:
                    busy += b - end
                    end = b
            task += busy
            if tid != main_tid:
                tops = [e for e in spans if e["tid"] == tid and w0 <= e["ts"] < w1
                        and not any(o is not e and o["tid"] == tid and o["ts"] <= e["ts"]
                                    and e["ts"] + e["dur"] <= o["ts"] + o["dur"]
                                    and o["dur"] > e["dur"] for o in spans)]
                cpu += sum(e["tdur"] for e in tops)
        if task == 0:
            task = ph["dur"]
        rows.append((ph["name"], ph["dur"], cpu, task))
    return root["dur"], rows


def print_figures(name, text, out):
    total, rows = phase_figures(text)
    out.write("%s: pipeline %.3f s, %d bytes\n" % (name, total / 1e6, len(text.encode())))
    out.write("  %-8s %9s %9s %9s %7s\n" % ("phase", "wall s", "cpu s", "task s", "par."))
    for pname, wall, cpu, task in rows:
        out.write("  %-8s %9.3f %9.3f %9.3f %6.1fx\n"
                  % (pname, wall / 1e6, cpu / 1e6, task / 1e6, task / wall))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", help="directory for pipeline-before.json and pipeline-after.json")
    parser.add_argument("--check", action="store_true",
                        help="compare with the files in OUTDIR instead of writing them")
    parser.add_argument("--quiet", action="store_true", help="do not print the phase figures")
    args = parser.parse_args(argv)

    stale = []
    for run, filename in zip(("before", "after"), OUTPUTS):
        trace, other = simulate(run)
        text = trace.dumps(other)
        if len(text.encode()) >= 200_000:
            sys.stderr.write("%s: %d bytes, over the 200 KB budget\n" % (filename, len(text)))
            return 1
        path = os.path.join(args.outdir, filename)
        if args.check:
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(path)
            except OSError as e:
                sys.stderr.write("%s\n" % e)
                stale.append(path)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        if not args.quiet:
            print_figures(filename, text, sys.stdout)

    if stale:
        sys.stderr.write("out of date (run generate-demo.py %s): %s\n"
                         % (args.outdir, ", ".join(stale)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
