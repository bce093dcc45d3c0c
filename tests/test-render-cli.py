#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""phasewise-cli render as a user runs it: the files it writes, how it fails."""

import os
import struct
import subprocess
import sys
import tempfile

CLI = os.environ["PW_CLI"]
DATA = os.path.join(os.environ["G_TEST_SRCDIR"], "data")
TRACE = os.path.join(DATA, "catapult-big_trace.json")
failures = []


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)


def check(name, condition, detail=""):
    print(("ok" if condition else "FAIL"), name, detail if not condition else "")
    if not condition:
        failures.append(name)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "t.png")
    r = run("render", TRACE, "--view", "timeline", "--width", "900", "--height", "500", "-o", out)
    check("render png exits 0", r.returncode == 0, r.stderr)
    check("png has the size asked", png_size(out) == (900, 500), png_size(out) if os.path.exists(out) else "missing")

    out = os.path.join(tmp, "range.png")
    r = run("render", TRACE, "--range", "1.5s..2s", "-W", "700", "-H", "300", "-o", out)
    check("render with range exits 0", r.returncode == 0, r.stderr)
    check("range png size", png_size(out) == (700, 300))

    out = os.path.join(tmp, "auto.png")
    r = run("render", TRACE, "--width", "800", "-o", out)
    size = png_size(out)
    check("height defaults to the lanes' height", r.returncode == 0 and size is not None and size[0] == 800 and 150 < size[1] < 2000, size)

    out = os.path.join(tmp, "t.svg")
    r = run("render", TRACE, "--range", "200ms..900ms", "-o", out)
    with open(out, "rb") as f:
        head = f.read(200)
    check("svg written", r.returncode == 0 and head.startswith(b"<?xml") and b"<svg" in head, r.stderr)

    out = os.path.join(tmp, "t.pdf")
    r = run("render", TRACE, "--dark", "-o", out)
    with open(out, "rb") as f:
        head = f.read(5)
    check("pdf written", r.returncode == 0 and head == b"%PDF-", r.stderr)

    # Bad arguments: exit 2 with a message that says what was wrong.
    bad = os.path.join(tmp, "bad.png")
    r = run("render", TRACE, "--range", "2s..1s", "-o", bad)
    check("reversed range exits 2", r.returncode == 2, r.returncode)
    check("reversed range says why", "end must be after the start" in r.stderr, r.stderr)
    check("nothing written on error", not os.path.exists(bad))

    r = run("render", TRACE, "--range", "soon..later", "-o", bad)
    check("garbage range exits 2", r.returncode == 2, r.returncode)
    check("garbage range names the value", "soon" in r.stderr, r.stderr)

    r = run("render", TRACE, "--range", "100s..200s", "-o", bad)
    check("range past the end exits 2", r.returncode == 2, r.returncode)

    r = run("render", TRACE, "--view", "nope", "-o", bad)
    check("unknown view exits 2", r.returncode == 2 and "timeline" in r.stderr, r.stderr)

    r = run("render", TRACE, "-o", os.path.join(tmp, "x.bmp"))
    check("unknown extension exits 2", r.returncode == 2 and ".png" in r.stderr, r.stderr)

    r = run("render", TRACE)
    check("missing -o exits 2", r.returncode == 2, r.returncode)

    r = run("render", os.path.join(tmp, "missing.json"), "-o", bad)
    check("missing input exits 1", r.returncode == 1 and "missing.json" in r.stderr, r.stderr)

if failures:
    print(f"{len(failures)} failed: {', '.join(failures)}")
    sys.exit(1)
