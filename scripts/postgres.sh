#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL 15 cluster in a temporary folder, on a loopback port.
#
#   eval "$(scripts/postgres.sh start)"   # prints: export DATABASE_URL=...; export DESIST_PG_DIR=...
#   scripts/postgres.sh stop              # stops the cluster in $DESIST_PG_DIR and removes it
#
# Uses the installed binaries (initdb, pg_ctl). PostgreSQL refuses to run as root, so as root
# the cluster runs as a system user "desist-pg", created on first use.
set -euo pipefail

PG_BIN=$(dirname "$(readlink -f "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")")
PORT=${DESIST_PG_PORT:-55439}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u desist-pg -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/desist-pg.XXXXXX)
    if [ "$(id -u)" = 0 ]; then
      id desist-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin desist-pg
      chown desist-pg "$dir"
    fi
    as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "export DESIST_PG_DIR=$dir"
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    dir=${DESIST_PG_DIR:?DESIST_PG_DIR is not set}
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop" >&2
    exit 2
    ;;
esac
