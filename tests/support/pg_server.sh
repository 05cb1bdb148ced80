#!/usr/bin/env bash
# The PostgreSQL server the test suite starts for itself (CTest fixture postgres_server):
#   pg_server.sh start DIR   initdb + pg_ctl start on a free loopback port; writes the connection
#                            URL to DIR/url
#   pg_server.sh stop DIR    stops it (fast, then immediate) and removes DIR and the server's files
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` system user. Its
# files (data, log, unix socket) live in a fresh folder under $TMPDIR (or /tmp) that belongs to it,
# named in DIR/server: the checkout may sit below a folder that user cannot enter (a CI runner's
# mktemp -d is 0700, root's home too), and a socket path must stay short. Every wait is bounded. fsync is off (tests prove behaviour, not durability)
# unless STASHFORM_PG_FSYNC=on, as the benchmark sets it.
set -euo pipefail
action="${1:?start|stop}"
dir="$(realpath -m "${2:?folder}")"
bin="${STASHFORM_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

stop() {
  local server=""
  [ -f "$dir/server" ] && server="$(cat "$dir/server")"
  if [ -n "$server" ] && [ -f "$server/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$bin/pg_ctl" -D "$server/data" -m fast -t 20 stop >/dev/null 2>&1 ||
      "${as_owner[@]}" "$bin/pg_ctl" -D "$server/data" -m immediate -t 10 stop >/dev/null 2>&1 || true
  fi
  case "$server" in */stashform-pg.*) rm -rf "$server" ;; esac
  rm -rf "$dir"
}

# A random port nothing answers on; pg_ctl failing on a port taken meanwhile is retried.
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "$port"
}

start() {
  stop
  mkdir -p "$dir"
  local server
  server="$(mktemp -d "${TMPDIR:-/tmp}/stashform-pg.XXXXXX")"
  echo "$server" >"$dir/server"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$server"; fi
  chmod 700 "$server"
  cd "$server"  # the server's user may not enter the caller's folder
  "${as_owner[@]}" "$bin/initdb" -D "$server/data" -U stashform --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    if "${as_owner[@]}" "$bin/pg_ctl" -D "$server/data" -l "$server/server.log" -w -t 30 \
        -o "-h 127.0.0.1 -p $port -k $server -c max_connections=200 -c fsync=${STASHFORM_PG_FSYNC:-off}" start >/dev/null 2>&1; then
      echo "postgres://stashform@127.0.0.1:$port/postgres" >"$dir/url"
      chmod 644 "$dir/url"
      echo "PostgreSQL ${bin%/bin} on 127.0.0.1:$port (data in $server)"
      return 0
    fi
    echo "start on port $port failed (attempt $attempt):" >&2
    tail -5 "$server/server.log" >&2 || true
  done
  exit 1
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
