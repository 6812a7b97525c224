#!/usr/bin/env bash
# Installs every Debian 12 package Syncline's build, app, tests and benchmarks need.
# Idempotent: when everything is installed already it changes nothing and takes a second.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ make cmake ninja-build pkg-config ccache
  # Qt 6.4 and the Qt libraries we use (httpserver needs websockets; charts needs opengl dev)
  qt6-base-dev qt6-base-dev-tools qt6-qpa-plugins libgl-dev libxkbcommon-dev
  libqt6opengl6-dev qt6-charts-dev qt6-httpserver-dev qt6-websockets-dev qt6-networkauth-dev
  qtkeychain-qt6-dev libqscintilla2-qt6-dev qt6-wayland
  # engine libraries
  libsqlite3-dev sqlite3 libxxhash-dev libyaml-cpp-dev libkainjow-mustache-dev zlib1g-dev libssl-dev libpq-dev
  # ODBC: the driver manager and the PostgreSQL, SQLite3 and MariaDB drivers
  unixodbc unixodbc-dev odbcinst odbc-postgresql libsqliteodbc odbc-mariadb
  # servers and clients for the integration tests and benchmarks
  postgresql postgresql-client mariadb-server mariadb-client
  # headless GUI tests, screenshots and a headless Secret Service for the keychain
  xvfb xauth x11-apps imagemagick fonts-dejavu-core
  dbus dbus-x11 gnome-keyring libsecret-1-0 libsecret-tools
  # packaging: the .deb (dpkg-shlibdeps, file), icons rendered from the SVG, metainfo and desktop
  # entry checks; the SVG plugin shows the window icon (the package recommends it)
  dpkg-dev file librsvg2-bin appstream desktop-file-utils libqt6svg6
  # benchmarks: timing, and the Python peer's dependencies
  hyperfine time python3 python3-psycopg2 python3-requests
  iproute2 procps
)

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  SUDO=sudo
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's psqlODBC entries turn CommLog on, which writes a log file per connection
# (into the working folder or /tmp). Syncline also passes CommLog=0, but fix it at the source.
if grep -q '^CommLog=1' /etc/odbcinst.ini 2>/dev/null; then
  $SUDO sed -i 's/^CommLog=1/CommLog=0/' /etc/odbcinst.ini
fi

for d in "PostgreSQL Unicode" "SQLite3" "MariaDB Unicode"; do
  odbcinst -q -d -n "$d" >/dev/null || { echo "setup: ODBC driver '$d' is not registered in /etc/odbcinst.ini" >&2; exit 1; }
done
# Stoplight Prism for the conformance suite (tests/conformance), pinned by its package-lock.json.
# Node and npm come from Debian unless a node is installed already; `npm ci` runs only when the
# lockfile changed since the last install (or node_modules is missing).
PRISM_DIR="$(cd "$(dirname "$0")/.." && pwd)/tests/conformance/prism"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup: installing nodejs and npm from Debian"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
PRISM_STAMP="$PRISM_DIR"/node_modules/.syncline-lock.sha256
if [ ! -x "$PRISM_DIR"/node_modules/.bin/prism ] || ! sha256sum --status -c "$PRISM_STAMP" 2>/dev/null; then
  echo "setup: installing Stoplight Prism (npm ci in tests/conformance/prism)"
  (cd "$PRISM_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  sha256sum "$PRISM_DIR"/package-lock.json > "$PRISM_STAMP"
fi
echo "setup: all packages present"
