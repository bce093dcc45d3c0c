#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up, builds and opens Phasewise on its bundled demo comparison
# (a pipeline before and after an optimization), running uninstalled.
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh
[ -f build/build.ninja ] || meson setup build
ninja -C build

export GSETTINGS_SCHEMA_DIR="$(pwd)/build/data"
exec build/src/app/phasewise --demo "$@"
