#!/usr/bin/env bash
# Installs the Debian package as a user would and checks it: `apt-get install ./syncline_*.deb`,
# then, as a new user, the installed `syncline-cli --version` and `syncline-cli demo`, the GUI
# under Xvfb (a screenshot that is not blank), then `apt-get remove --purge` leaves none of the
# package's files, only the user's data. Needs root; ctest runs it (label "install").
# Usage: installers/test-install.sh BUILD_DIR VERSION
# Exit 77: skipped, with the reason on stdout. The package and the user are removed even on failure.
set -euo pipefail

BUILD_DIR=$(realpath "${1:?usage: test-install.sh BUILD_DIR VERSION}")
VERSION=${2:?usage: test-install.sh BUILD_DIR VERSION}
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

[ "$(id -u)" = 0 ] || skip "installing a package needs root (CI runs scripts/test.sh as root)"
for tool in apt-get dpkg dpkg-query cpack useradd setpriv Xvfb xwd convert; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/setup-debian.sh installs it)"
done
# One install test at a time on this machine (other checkouts may run theirs).
exec 9>/tmp/syncline-install-test.lock
flock -w 600 9 || fail "another install test held /tmp/syncline-install-test.lock for 10 minutes"
if dpkg-query -W -f='${Status}' syncline 2>/dev/null | grep -q 'ok installed'; then
  skip "a syncline package is installed already; this test would remove it"
fi

WORK=$(mktemp -d /tmp/syncline-install-XXXXXX)
chmod 755 "$WORK"
TESTUSER="syncline-t$$"
XVFB_PID=""
GUI_PID=""
APT=(apt-get -o DPkg::Lock::Timeout=300 -y -q)
cleanup() {
  set +e
  [ -n "$GUI_PID" ] && kill "$GUI_PID" 2>/dev/null && wait "$GUI_PID" 2>/dev/null
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null && wait "$XVFB_PID" 2>/dev/null
  if dpkg-query -W -f='${Status}' syncline 2>/dev/null | grep -q 'installed'; then
    DEBIAN_FRONTEND=noninteractive "${APT[@]}" remove --purge syncline >/dev/null
  fi
  id "$TESTUSER" >/dev/null 2>&1 && userdel -r "$TESTUSER" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
as_user() { setpriv --reuid="$TESTUSER" --regid="$TESTUSER" --init-groups --reset-env -- "$@"; }

step "build the package (cpack -G DEB)"
cpack --config "$BUILD_DIR/CPackConfig.cmake" -G DEB -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1 \
  || { cat "$WORK/cpack.log" >&2; fail "cpack -G DEB failed"; }
cd "$WORK/pkg"
debs=(syncline_*.deb)
[ -f "${debs[0]}" ] || fail "cpack made no syncline_*.deb in $WORK/pkg"
chmod 644 "${debs[@]}"
dpkg-deb -f "${debs[0]}" Depends Recommends

step "apt-get install ./${debs[0]}"
DEBIAN_FRONTEND=noninteractive "${APT[@]}" install "./${debs[0]}" >"$WORK/apt.log" 2>&1 \
  || { cat "$WORK/apt.log" >&2; fail "apt-get install failed"; }
dpkg -L syncline | sort >"$WORK/files"
for f in /usr/bin/syncline /usr/bin/syncline-cli /usr/lib/syncline/libsyncline_engine.so \
         /usr/share/applications/syncline.desktop /usr/share/icons/hicolor/48x48/apps/syncline.png \
         /usr/share/icons/hicolor/scalable/apps/syncline.svg /usr/share/metainfo/org.syncline.Syncline.metainfo.xml; do
  grep -qxF "$f" "$WORK/files" || fail "the package does not install $f"
done
if grep -v '^/usr/lib/syncline' "$WORK/files" | grep -q '\.so'; then
  fail "a library is installed outside the private /usr/lib/syncline"
fi

step "as a new user: syncline-cli --version and syncline-cli demo"
useradd --create-home --shell /bin/bash "$TESTUSER"
HOME_DIR=$(getent passwd "$TESTUSER" | cut -d: -f6)
got=$(as_user /usr/bin/syncline-cli --version)
[ "$got" = "syncline-cli $VERSION" ] || fail "syncline-cli --version printed '$got', expected 'syncline-cli $VERSION'"
as_user /usr/bin/syncline-cli demo >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; fail "syncline-cli demo failed"; }
grep -q "Demo workspace: $HOME_DIR/.local/share/syncline/default.syncline" "$WORK/demo.log" \
  || { cat "$WORK/demo.log" >&2; fail "the demo workspace is not in ~/.local/share/syncline"; }
[ -s "$HOME_DIR/.local/share/syncline/demo-exports/customers.csv" ] || fail "the demo sent nothing to demo-exports/customers.csv"
sed -n '1,12p' "$WORK/demo.log"

step "the installed GUI under Xvfb"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -ac 3>"$WORK/display" >"$WORK/xvfb.log" 2>&1 9>&- &
XVFB_PID=$!
for _ in $(seq 50); do [ -s "$WORK/display" ] && break; sleep 0.1; done
DISPLAY_NUMBER=$(cat "$WORK/display")
[ -n "$DISPLAY_NUMBER" ] || fail "Xvfb did not start: $(cat "$WORK/xvfb.log")"
# Not through as_user: a function in the background is a subshell, and $! must be the app itself.
setpriv --reuid="$TESTUSER" --regid="$TESTUSER" --init-groups --reset-env -- \
  env DISPLAY=":$DISPLAY_NUMBER" QT_QPA_PLATFORM=xcb /usr/bin/syncline >"$WORK/gui.log" 2>&1 9>&- &
GUI_PID=$!
colours=0
for _ in $(seq 30); do
  sleep 1
  kill -0 "$GUI_PID" 2>/dev/null || { cat "$WORK/gui.log" >&2; fail "the installed app exited at start"; }
  xwd -root -silent -display ":$DISPLAY_NUMBER" >"$WORK/screen.xwd" || continue
  colours=$(convert "xwd:$WORK/screen.xwd" -format %k info: 2>/dev/null || echo 0)
  # An empty Xvfb screen has one colour; the window with its text has hundreds.
  [ "$colours" -ge 64 ] && break
done
convert "xwd:$WORK/screen.xwd" "$BUILD_DIR/install-test-screenshot.png" 2>/dev/null || true
[ "$colours" -ge 64 ] || fail "the screen stayed blank ($colours colours); see $BUILD_DIR/install-test-screenshot.png"
echo "screenshot: $colours colours, saved as $BUILD_DIR/install-test-screenshot.png"
kill "$GUI_PID"; wait "$GUI_PID" 2>/dev/null || true; GUI_PID=""
kill "$XVFB_PID"; wait "$XVFB_PID" 2>/dev/null || true; XVFB_PID=""

step "apt-get remove --purge syncline"
DEBIAN_FRONTEND=noninteractive "${APT[@]}" remove --purge syncline >"$WORK/remove.log" 2>&1 \
  || { cat "$WORK/remove.log" >&2; fail "apt-get remove --purge failed"; }
left=()
while read -r f; do
  if [ -d "$f" ] && [ ! -L "$f" ]; then
    case "$f" in /usr/lib/syncline*) left+=("$f") ;; esac # shared folders (/usr/share/...) stay
  elif [ -e "$f" ] || [ -L "$f" ]; then
    left+=("$f")
  fi
done <"$WORK/files"
[ ${#left[@]} -eq 0 ] || fail "removal left: ${left[*]}"
[ -f "$HOME_DIR/.local/share/syncline/default.syncline" ] || fail "removal took the user's workspace with it"
echo "PASS: installed, ran as a new user, removed cleanly ($(wc -l <"$WORK/files") paths); the user's data stays"
