#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeps the events of the renderer process that ran the test page (the one
whose ProfileChunks sample layoutThrash) from a Chromium JSON trace.

Usage: keep-page-renderer.py TRACE.json OUT.json
"""
import json
import sys

events = json.load(open(sys.argv[1]))["traceEvents"]
pid = next(e["pid"] for e in events
           if e.get("name") == "ProfileChunk" and "layoutThrash" in json.dumps(e))
kept = [e for e in events if e.get("pid") == pid]
with open(sys.argv[2], "w") as out:
    json.dump({"traceEvents": kept}, out, separators=(",", ":"))
