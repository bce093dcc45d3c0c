#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what Phasewise needs to build and test on Debian 12, when it is
# missing. Safe to run again; asks apt only for packages not yet installed.
set -eu

packages="
  meson ninja-build pkg-config gcc clang libclang-rt-14-dev
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libyajl-dev libcairo2-dev libpango1.0-dev
  libprotobuf-c-dev protobuf-c-compiler zlib1g-dev
  gettext desktop-file-utils appstream
  xvfb xauth imagemagick python3 git
  dbus-x11 at-spi2-core librsvg2-common
"

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

echo "Installing:$missing"
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
