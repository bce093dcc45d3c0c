#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the shared-mime-info XML against itself and the desktop file.

usage: check-mime.py MIME_XML DESKTOP_FILE

* the XML is well formed, in the shared-mime-info namespace, and every type
  has a comment and at least one glob, no glob claimed twice;
* every type it defines is listed in the desktop file's MimeType key, and
  every application/x-* or text/x-* type listed there is defined here;
* when update-mime-database is installed, a MIME database built from
  freedesktop.org.xml (when present) and this file is built without a warning
  and maps every glob to its type; when gio is installed too, it finds the
  expected type for sample files, by name and by content (magic).
"""

import configparser
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
SYSTEM_PACKAGE = "/usr/share/mime/packages/freedesktop.org.xml"


def fail(message):
    sys.stderr.write("check-mime: %s\n" % message)
    sys.exit(1)


# File name, content, the type GIO must find with our database.
SAMPLES = [
    ("run.json", "{}\n", "application/json"),
    ("run.json.gz", None, "application/gzip"),
    ("run.cpuprofile", "{}\n", "application/x-v8-cpuprofile"),
    ("cpuprofile-no-extension", '{"nodes":[{"id":1}],"startTime":0}\n',
     "application/x-v8-cpuprofile"),
    ("run.speedscope.json", "{}\n", "application/x-speedscope+json"),
    ("speedscope-no-extension",
     '{"$schema":"https://www.speedscope.app/file-format-schema.json","profiles":[]}\n',
     "application/x-speedscope+json"),
    ("cpu.pb.gz", None, "application/x-pprof"),
    ("session.phasewise", "{}\n", "application/x-phasewise"),
    ("out.folded", "main;work 3\n", "text/x-folded-stacks"),
    ("out.perf-script", "app 1 [000] 1.0: cycles:\n", "text/x-perf-script"),
]


def check_samples(gio, data_dir, env):
    """Sniff sample files with GIO and the database just built."""
    samples = os.path.join(data_dir, "samples")
    os.mkdir(samples)
    for name, content, expected in SAMPLES:
        path = os.path.join(samples, name)
        if content is None:
            with open(path, "wb") as f:  # an empty gzip member
                f.write(bytes.fromhex("1f8b08000000000000ff030000000000000000"))
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
        proc = subprocess.run([gio, "info", "-a", "standard::content-type", path],
                              capture_output=True, text=True, env=env)
        found = None
        for line in proc.stdout.splitlines():
            if "standard::content-type:" in line:
                found = line.split(":", 3)[-1].strip()
        if found != expected:
            fail("%s: GIO finds %s, expected %s" % (name, found, expected))


def main(mime_xml, desktop_path):
    try:
        root = ET.parse(mime_xml).getroot()
    except ET.ParseError as e:
        fail("%s: %s" % (mime_xml, e))
    if root.tag != NS + "mime-info":
        fail("%s: root element is %s, expected mime-info in %s" % (mime_xml, root.tag, NS))

    defined = {}
    seen_globs = {}
    for mt in root.findall(NS + "mime-type"):
        name = mt.get("type")
        if not name or "/" not in name:
            fail("mime-type without a valid type attribute: %r" % name)
        if name in defined:
            fail("%s is defined twice" % name)
        if mt.find(NS + "comment") is None:
            fail("%s has no comment" % name)
        globs = [g.get("pattern") for g in mt.findall(NS + "glob")]
        if not globs:
            fail("%s has no glob" % name)
        for pattern in globs:
            if pattern in seen_globs:
                fail("glob %s is claimed by %s and %s" % (pattern, seen_globs[pattern], name))
            seen_globs[pattern] = name
        defined[name] = globs

    desktop = configparser.ConfigParser(interpolation=None, strict=False)
    desktop.optionxform = str
    desktop.read(desktop_path, encoding="utf-8")
    listed = [t for t in desktop.get("Desktop Entry", "MimeType", fallback="").split(";") if t]
    for name in defined:
        if name not in listed:
            fail("%s is defined in %s but not listed in the desktop file's MimeType"
                 % (name, os.path.basename(mime_xml)))
    for name in listed:
        private = name.startswith("application/x-") or name.startswith("text/x-")
        if private and name not in defined:
            fail("%s is listed in the desktop file but defined nowhere" % name)

    tool = shutil.which("update-mime-database")
    if tool is None:
        print("update-mime-database not found: database check skipped")
    else:
        with tempfile.TemporaryDirectory() as data_dir:
            tmp = os.path.join(data_dir, "mime")
            packages = os.path.join(tmp, "packages")
            os.makedirs(packages)
            if os.path.exists(SYSTEM_PACKAGE):
                shutil.copy(SYSTEM_PACKAGE, packages)
            shutil.copy(mime_xml, os.path.join(packages, "phasewise.xml"))
            # Keep it from noting that data_dir is not in XDG_DATA_DIRS.
            env = dict(os.environ, XDG_DATA_DIRS=data_dir, XDG_DATA_HOME=data_dir)
            proc = subprocess.run([tool, tmp], capture_output=True, text=True, env=env)
            output = (proc.stdout + proc.stderr).strip()
            if proc.returncode != 0 or output:
                fail("update-mime-database: exit %d\n%s" % (proc.returncode, output))
            with open(os.path.join(tmp, "globs2"), encoding="utf-8") as f:
                globs2 = {tuple(line.strip().split(":")[1:3]) for line in f
                          if line.strip() and not line.startswith("#")}
            for name, globs in defined.items():
                for pattern in globs:
                    if (name, pattern) not in globs2:
                        fail("the built database does not map %s to %s" % (pattern, name))
            gio = shutil.which("gio")
            if gio and os.path.exists(SYSTEM_PACKAGE):
                check_samples(gio, data_dir, env)

    print("%d types, %d globs: ok" % (len(defined), len(seen_globs)))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
