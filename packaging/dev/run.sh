#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the kiosk
# on simulated NFC with its embedded SQLite outbox. Extra arguments go to the kiosk
# (see: build/dev/kiosk/poptap-kiosk --help).
set -euo pipefail
cd "$(dirname "$0")/../.."

packaging/dev/setup-debian.sh
cmake --preset dev >/dev/null
cmake --build --preset dev

data=${POPTAP_DATA_DIR:-$PWD/build/dev/kiosk-data}
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  port=${POPTAP_VNC_PORT:-5900}
  export QT_QPA_PLATFORM="vnc:size=1080x1920:port=$port"
  cat <<MSG
No display on this machine: the kiosk is drawn on Qt's VNC platform instead.
  See it with any VNC viewer at localhost:$port (from another machine:
  ssh -L $port:localhost:$port <this host>, then open localhost:$port).
  Qt's VNC server listens on every interface and has no password: use it on trusted networks only.
MSG
fi
cat <<MSG
Kiosk data (outbox.db, catalog.db, device-key.json): $data
Play a shopper from another terminal through the automation socket, e.g.:
  echo '{"cmd":"selectBrand","brandId":7}' | socat - UNIX-CONNECT:$data/automation.sock
  echo '{"cmd":"phoneRead"}'               | socat - UNIX-CONNECT:$data/automation.sock
MSG
exec build/dev/kiosk/poptap-kiosk --data-dir "$data" --nfc sim "$@"
