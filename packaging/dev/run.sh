#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the kiosk
# (simulated NFC, embedded SQLite) next to a local delivery service, with LINE played
# by the emulator. Extra arguments go to the kiosk (build/dev/kiosk/poptap-kiosk --help).
set -euo pipefail
cd "$(dirname "$0")/../.."

packaging/dev/setup-debian.sh
cmake --preset dev >/dev/null
cmake --build --preset dev

bin=$PWD/build/dev
data=${POPTAP_DATA_DIR:-$bin/kiosk-data}
service_data=$bin/delivery-data
line_port=${POPTAP_LINE_PORT:-8095}
service_port=${POPTAP_SERVICE_PORT:-8080}
liff_id=2001234567-PopTapDm # the demo catalog's LIFF app
mkdir -p "$service_data"

# LINE, played by the emulator (the channel settings are the emulator's defaults).
"$bin/tests/line-emulator/line-emulator" --port "$line_port" >"$service_data/line-emulator.log" 2>&1 &
line_pid=$!
service_pid=
trap 'kill $line_pid ${service_pid:-} 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$line_port/_emulator/config" >/dev/null && break; sleep 0.1; done
line=http://127.0.0.1:$line_port

# The delivery service with its store, catalog and the LIFF app's settings.
export POPTAP_DELIVERY_CONFIG=/dev/null POPTAP_DELIVERY_DATA_DIR=$service_data
ctl=$bin/delivery-service/admin/poptap-deliveryctl
"$ctl" store add 101 jingumae "ソラマド 神宮前店" "Soramado Jingumae" >/dev/null 2>&1
"$ctl" catalog upload 101 resources/catalog/demo-catalog.json >/dev/null 2>&1
"$bin/delivery-service/poptap-delivery" --listen "127.0.0.1:$service_port" \
  --line-api-base-url "$line" --line-channel-id 1234567890 \
  --line-channel-secret line-emulator-channel-secret \
  --line-channel-access-token line-emulator-channel-access-token \
  --liff-id "$liff_id" --liff-sdk-url "$line/liff/sdk.js" >"$service_data/poptap-delivery.log" 2>&1 &
service_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$service_port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf -X POST -H 'Content-Type: application/json' "$line/_emulator/liff/apps" \
  -d "{\"liffId\":\"$liff_id\",\"endpointUrl\":\"http://127.0.0.1:$service_port/\"}" >/dev/null

# The kiosk enrolls once with a one-time code. A kiosk enrolled with a delivery database
# that has since been removed is moved aside and enrolled again.
sync_args=(--service-url "http://127.0.0.1:$service_port")
if [ -f "$data/enrollment.json" ]; then
  device_id=$(grep -o '"deviceId": *"[^"]*"' "$data/enrollment.json" | sed 's/.*"\([^"]*\)"$/\1/')
  "$ctl" device show "$device_id" >/dev/null 2>&1 || mv "$data/enrollment.json" "$data/enrollment.json.stale"
fi
if [ ! -f "$data/enrollment.json" ]; then
  sync_args+=(--enrollment-code "$("$ctl" enrollment create 101 --valid-hours 1 | sed -n 1p)")
fi

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
Delivery service: http://127.0.0.1:$service_port   (log: $service_data/poptap-delivery.log)
LINE emulator:    $line   (what LINE received: curl $line/_emulator/deliveries)
Kiosk data (outbox.db, catalog.db, device-key.json, enrollment.json): $data
Kiosk's sync status: echo '{"cmd":"state"}' | socat - UNIX-CONNECT:$data/automation.sock  (see "sync")
Play a shopper from another terminal:
  echo '{"cmd":"selectBrand","brandId":7}' | socat - UNIX-CONNECT:$data/automation.sock
  packaging/dev/phone.sh        # a phone opens the link on screen and registers through LINE
  echo '{"cmd":"keys","text":"<JAN>","intervalMs":4}' | socat - UNIX-CONNECT:$data/automation.sock
                                # a handheld scanner reads a price tag (JANs: resources/catalog/README.md)
  echo '{"cmd":"frame","path":"tag.png"}' | socat - UNIX-CONNECT:$data/automation.sock
                                # a picture held up to the simulated camera of the scan screen
MSG
# The camera is simulated too (pictures from the automation socket); POPTAP_CAMERA=auto uses a real one.
build/dev/kiosk/poptap-kiosk --data-dir "$data" --nfc sim --camera "${POPTAP_CAMERA:-images:}" "${sync_args[@]}" "$@"
