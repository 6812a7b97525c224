#!/usr/bin/env bash
# Throwaway PostgreSQL and MariaDB servers on free loopback ports, for tests and benchmarks.
# Source this file, then: services_start_postgres / services_start_mariadb / services_stop_all.
# Each start exports the connection string the tests read (SYNCLINE_TEST_PG_ODBC,
# SYNCLINE_TEST_MARIADB_ODBC). Servers live in temporary folders and are deleted on stop.

free_port() { # first free TCP port on 127.0.0.1 from $1 upwards
  local p=${1:-54329}
  while ss -Hltn "sport = :$p" | grep -q .; do p=$((p + 1)); done
  echo "$p"
}

services_start_postgres() {
  local pgbin; pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  export PGTEST_BIN=$pgbin
  PGTEST_DIR=$(mktemp -d /tmp/syncline-pg.XXXXXX); export PGTEST_DIR
  PGTEST_PORT=$(free_port 54329); export PGTEST_PORT
  chown postgres:postgres "$PGTEST_DIR"; chmod 700 "$PGTEST_DIR"
  # A random superuser password: the cluster is throwaway and local, but never predictable.
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$PGTEST_DIR/.pw"; chown postgres "$PGTEST_DIR/.pw"
  runuser -u postgres -- "$pgbin/initdb" -D "$PGTEST_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --pwfile="$PGTEST_DIR/.pw" >"$PGTEST_DIR/initdb.log"
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$PGTEST_DIR/data" -l "$PGTEST_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PGTEST_PORT -k $PGTEST_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
    start >/dev/null
  SYNCLINE_TEST_PG_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+='); export SYNCLINE_TEST_PG_PASSWORD
  runuser -u postgres -- psql -h "$PGTEST_DIR" -p "$PGTEST_PORT" -U postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE syncline LOGIN CREATEROLE PASSWORD '$SYNCLINE_TEST_PG_PASSWORD'" -c "CREATE DATABASE syncline OWNER syncline" >/dev/null
  # What tests read. The password is kept apart so tests can check it never leaks into output.
  export SYNCLINE_TEST_PG_ODBC="Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=$PGTEST_PORT;Database=syncline;Uid=syncline;Pwd=$SYNCLINE_TEST_PG_PASSWORD"
  export SYNCLINE_TEST_PG_PORT=$PGTEST_PORT
  export PGHOST=127.0.0.1 PGPORT=$PGTEST_PORT PGUSER=syncline PGDATABASE=syncline PGPASSWORD=$SYNCLINE_TEST_PG_PASSWORD
  echo "services: PostgreSQL on 127.0.0.1:$PGTEST_PORT ($PGTEST_DIR)"
}

services_stop_postgres() {
  [ -n "${PGTEST_DIR:-}" ] || return 0
  if [ -f "$PGTEST_DIR/data/postmaster.pid" ]; then
    runuser -u postgres -- "$PGTEST_BIN/pg_ctl" -D "$PGTEST_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PGTEST_DIR"; unset PGTEST_DIR
}

services_start_mariadb() {
  MYTEST_DIR=$(mktemp -d /tmp/syncline-my.XXXXXX); export MYTEST_DIR
  MYTEST_PORT=$(free_port 33069); export MYTEST_PORT
  mkdir -p "$MYTEST_DIR/data"; chown -R mysql:mysql "$MYTEST_DIR"
  mariadb-install-db --no-defaults --user=mysql --datadir="$MYTEST_DIR/data" \
    --auth-root-authentication-method=socket --skip-test-db >"$MYTEST_DIR/install.log" 2>&1
  mariadbd --no-defaults --user=mysql --datadir="$MYTEST_DIR/data" --socket="$MYTEST_DIR/sock" \
    --port="$MYTEST_PORT" --bind-address=127.0.0.1 --pid-file="$MYTEST_DIR/pid" \
    --log-error="$MYTEST_DIR/err.log" --innodb-flush-log-at-trx-commit=0 --skip-log-bin >/dev/null 2>&1 &
  local i
  for i in $(seq 120); do
    mariadb-admin --no-defaults --socket="$MYTEST_DIR/sock" -uroot ping >/dev/null 2>&1 && break
    sleep 0.5
  done
  SYNCLINE_TEST_MARIADB_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+='); export SYNCLINE_TEST_MARIADB_PASSWORD
  mariadb --no-defaults --socket="$MYTEST_DIR/sock" -uroot -e \
    "CREATE DATABASE syncline CHARACTER SET utf8mb4; CREATE USER 'syncline'@'127.0.0.1' IDENTIFIED BY '$SYNCLINE_TEST_MARIADB_PASSWORD'; GRANT ALL ON syncline.* TO 'syncline'@'127.0.0.1';"
  export SYNCLINE_TEST_MARIADB_ODBC="Driver={MariaDB Unicode};Server=127.0.0.1;Port=$MYTEST_PORT;Database=syncline;Uid=syncline;Pwd=$SYNCLINE_TEST_MARIADB_PASSWORD"
  echo "services: MariaDB on 127.0.0.1:$MYTEST_PORT ($MYTEST_DIR)"
}

services_stop_mariadb() {
  [ -n "${MYTEST_DIR:-}" ] || return 0
  if [ -f "$MYTEST_DIR/pid" ]; then
    local pid i; pid=$(cat "$MYTEST_DIR/pid"); kill "$pid" 2>/dev/null || true
    for i in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -rf "$MYTEST_DIR"; unset MYTEST_DIR
}

services_stop_all() {
  services_stop_postgres
  services_stop_mariadb
}

# Runs "$@" inside a private D-Bus session with an unlocked gnome-keyring (Secret Service),
# so QtKeychain works headless.
with_keyring() {
  dbus-run-session -- bash -c '
    export HOME=$(mktemp -d /tmp/syncline-kr-home.XXXXXX) XDG_RUNTIME_DIR=$(mktemp -d /tmp/syncline-kr-run.XXXXXX)
    chmod 700 "$XDG_RUNTIME_DIR"
    printf ci-keyring-pw | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
    KR=$!
    for i in $(seq 50); do
      dbus-send --session --dest=org.freedesktop.DBus --print-reply /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true" && break
      sleep 0.1
    done
    "$@"; rc=$?
    kill $KR 2>/dev/null; wait $KR 2>/dev/null; rm -rf "$HOME" "$XDG_RUNTIME_DIR"; exit $rc' with_keyring "$@" \
    2> >(grep -v "Failed to set fd limit" >&2)
}
