#!/usr/bin/env bash
# Plays a shopper's phone against packaging/dev/run.sh: taps the kiosk (simulated NFC),
# opens the link on screen the way LINE would (the LIFF page of the local delivery
# service, in headless Chromium, logged in as a LINE user of the emulator), and prints
# what the page said and what LINE delivered to that user.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${POPTAP_DATA_DIR:-$PWD/build/dev/kiosk-data}
line=http://127.0.0.1:${POPTAP_LINE_PORT:-8095}
service=http://127.0.0.1:${POPTAP_SERVICE_PORT:-8080}
liff_id=2001234567-PopTapDm

kiosk() { echo "$1" | socat - "UNIX-CONNECT:$data/automation.sock"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

link=$(kiosk '{"cmd":"state"}' | json '.get("link","")')
if [ -z "$link" ]; then
  echo "phone.sh: the kiosk shows no code; pick a brand first (selectBrand)" >&2
  exit 1
fi
kiosk '{"cmd":"phoneRead"}' >/dev/null
user=$(curl -sf -X POST -H 'Content-Type: application/json' "$line/_emulator/liff/session" \
  -d "{\"liffId\":\"$liff_id\"}" | json '["userId"]')
echo "Phone of LINE user $user opens $link"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# LINE opens https://liff.line.me/<liffId>/r/<token> as the endpoint URL + /r/<token>.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir="$profile" \
  --virtual-time-budget=15000 --dump-dom "$service/r/${link##*/r/}" 2>/dev/null \
  | python3 -c "import re,sys,html; d=sys.stdin.read(); t=re.sub(r'<[^>]+>',' ',d.split('<body',1)[-1].split('<script',1)[0]); print('Page:', ' '.join(html.unescape(t).split()))"
sleep 1
echo "LINE delivered:"
curl -sf "$line/_emulator/deliveries?userId=$user" | json '["deliveries"]' | head -c 2000
echo
