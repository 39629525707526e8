#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster on loopback for the delivery
# service's tests: postgres-fixture.sh start|stop <dir> <port>
# As root, the cluster runs as the 'postgres' user (PostgreSQL refuses root).
set -euo pipefail
action=$1 dir=$2 port=$3
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

case "$action" in
start)
  if [ -f "$dir/postmaster.pid" ]; then "${as_owner[@]}" "$bin/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
  "${as_owner[@]}" "$bin/initdb" -D "$dir" -A trust -U poptap --no-sync >"$dir.initdb.log" 2>&1 \
    || { cat "$dir.initdb.log"; exit 1; }
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null \
    || { cat "$dir/server.log"; exit 1; }
  # Each suite creates its own database on first use (servicetesting.h).
  echo "PostgreSQL ready at postgresql://poptap@127.0.0.1:$port/"
  ;;
stop)
  [ -f "$dir/postmaster.pid" ] && "${as_owner[@]}" "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop <dir> <port>" >&2; exit 2 ;;
esac
