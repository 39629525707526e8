#!/usr/bin/env bash
# Installs exactly the Debian 12 packages PopTap needs to build, run and test.
# Idempotent and non-interactive: a package already installed is left alone, and
# apt is only called when something is missing.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # Qt 6: Quick, Controls, Test, Nfc, Multimedia, Sql, Svg, linguist tools
  qt6-base-dev qt6-declarative-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-connectivity-dev qt6-multimedia-dev qt6-svg-dev
  libqt6sql6-sqlite libqt6svg6 qt6-qpa-plugins
  qml6-module-qtqml qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
  qml6-module-qtquick-layouts qml6-module-qtquick-window qml6-module-qtqml-workerscript
  qml6-module-qttest
  # delivery service: HTTP server, PostgreSQL driver (and a server for its tests)
  qt6-httpserver-dev qt6-websockets-dev libqt6sql6-psql postgresql
  # turns LINE's OpenAPI YAML into JSON for the emulator's request validation
  python3-yaml
  # hardware and network libraries
  libnfc-dev libzxing-dev libcurl4-openssl-dev
  # storage
  sqlite3 libsqlite3-dev
  # Japanese glyphs for the UI
  fonts-noto-cjk
  # headless display for tests and the demo on a machine without a screen
  xvfb xauth
  # talking to the automation socket by hand
  socat
  # the run script waits for the local services and sets up the LIFF app with it
  curl
  # the HTTP transport's tests make a throwaway CA and certificates with it
  openssl
  # the LIFF claim page's end-to-end test runs it in headless Chromium
  chromium
  # USB cameras (V4L2) for Qt Multimedia's GStreamer backend: price-tag barcodes on the scan screen
  gstreamer1.0-plugins-good
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} Debian packages present"
  exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
