#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when po/POTFILES.in misses a source file with translatable strings,
or lists a file that does not exist: strings outside POTFILES.in are never
translated, and a missing file breaks the phasewise-pot target."""

import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
POTFILES = os.path.join(ROOT, 'po', 'POTFILES.in')

# _("…"), N_("…"), C_("ctx", "…"), NC_(…), ngettext/g_dngettext(…), and
# translatable properties in GtkBuilder files.
C_MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_)\s*\(|ngettext\s*\(')
UI_MARKER = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')


def read_potfiles():
    listed = []
    with open(POTFILES, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            listed.append((number, line))
    return listed


def has_strings(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    if path.endswith('.ui'):
        return bool(UI_MARKER.search(text))
    # Ignore comments so that a mention of _() in prose does not count.
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    text = re.sub(r'//[^\n]*', '', text)
    return bool(C_MARKERS.search(text))


def main():
    errors = []
    listed = read_potfiles()
    listed_paths = {path for _, path in listed}

    for number, path in listed:
        if not os.path.isfile(os.path.join(ROOT, path)):
            errors.append(f'po/POTFILES.in:{number}: {path} does not exist')

    for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, 'src')):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(('.c', '.h', '.ui')):
                continue
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, ROOT)
            if rel not in listed_paths and has_strings(full):
                errors.append(f'{rel} has translatable strings but is not in po/POTFILES.in')

    for error in errors:
        print(error)
    if errors:
        return 1
    print(f'{len(listed)} files in po/POTFILES.in, none missing')
    return 0


if __name__ == '__main__':
    sys.exit(main())
