#!/usr/bin/env bash
# Installs vipps-kiosk on a running Raspberry Pi OS (Bookworm or Trixie), or into an image's root
# file system: Node.js 20+, the app in /opt/vipps-kiosk, the `kiosk` and `kiosk-screen` users, the
# systemd units, udev rules and tmpfiles, Chromium's managed policy, the console lock-down (no getty
# but tty1's), the runtime packages (Chromium, cage). Safe to run again:
# every step checks what is there first. It leaves the kiosk waiting for `sudo vipps-kiosk provision`.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: install.sh [--hq-key FILE] [--hq-command-key FILE] [--root DIR] [--no-packages]
  --hq-key FILE   HQ's enrolment public key (hq-enrol.pub), so provisioning accepts HQ's QR codes
  --hq-command-key FILE
                  an HQ command public key (hq-command-KID.pub), added to /etc/vipps-kiosk/hq-command-keys/;
                  the kiosk carries out only HQ commands signed by a key there
  --root DIR      install into the root file system at DIR (an image being built) instead of /;
                  nothing is started there
  --no-packages   skip apt and npm (packages already there, or no network)
EOF
}

ROOT=''
HQ_KEY=''
HQ_COMMAND_KEY=''
PACKAGES=1
while (($# > 0)); do
  case "$1" in
    --hq-key) HQ_KEY="${2:?--hq-key needs a file}"; shift 2 ;;
    --hq-command-key) HQ_COMMAND_KEY="${2:?--hq-command-key needs a file}"; shift 2 ;;
    --root) ROOT="${2:?--root needs a directory}"; ROOT="${ROOT%/}"; shift 2 ;;
    --no-packages) PACKAGES=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_DIR=/opt/vipps-kiosk
MIN_NODE_MAJOR=20
# libusb-1.0-0, libudev1: the scanner driver (node-hid, usb); python3, make, g++: onoff's epoll addon is built here.
RUNTIME_PACKAGES=(chromium cage fonts-dejavu-core ca-certificates libusb-1.0-0 libudev1 udev python3 make g++)

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }

if [[ $(id -u) -ne 0 ]]; then
  echo "install.sh: run it as root (sudo $0)" >&2
  exit 1
fi
if [[ ! -f "$SOURCE/dist/cli/main.js" ]]; then
  echo "install.sh: $SOURCE has no dist/; run 'npm install' there first (it builds dist/)" >&2
  exit 1
fi

node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node --version | sed -E 's/^v([0-9]+).*/\1/'
}

install_packages() {
  say "runtime packages: ${RUNTIME_PACKAGES[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${RUNTIME_PACKAGES[@]}" nodejs npm
  if (($(node_major) < MIN_NODE_MAJOR)); then
    # Bookworm's nodejs is 18: take 20 from NodeSource's Debian repository instead.
    say "Node.js $(node_major) is too old; adding NodeSource's Node.js ${MIN_NODE_MAJOR} repository"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl gnupg
    curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key |
      gpg --dearmor --yes -o /usr/share/keyrings/nodesource.gpg
    echo "deb [signed-by=/usr/share/keyrings/nodesource.gpg] https://deb.nodesource.com/node_${MIN_NODE_MAJOR}.x nodistro main" \
      >/etc/apt/sources.list.d/nodesource.list
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs
  fi
  say "Node.js $(node --version)"
}

# Groups and users through the shadow tools, with --prefix when installing into another root.
prefix_args=()
[[ -n "$ROOT" ]] && prefix_args=(--prefix "$ROOT")

has_group() { grep -q "^$1:" "$ROOT/etc/group"; }
has_user() { grep -q "^$1:" "$ROOT/etc/passwd"; }

ensure_group() {
  if has_group "$1"; then return; fi
  groupadd "${prefix_args[@]}" --system "$1"
  say "group $1 created"
}

ensure_user() { # name, home, supplementary groups (comma separated)
  local name=$1 home=$2 groups=$3 wanted=()
  local group
  for group in ${groups//,/ }; do has_group "$group" && wanted+=("$group"); done
  if ! has_user "$name"; then
    useradd "${prefix_args[@]}" --system --gid "$name" --home-dir "$home" --no-create-home \
      --shell /usr/sbin/nologin "$name"
    say "user $name created"
  fi
  if ((${#wanted[@]} > 0)); then
    local joined
    joined=$(IFS=,; echo "${wanted[*]}")
    usermod "${prefix_args[@]}" --append --groups "$joined" "$name"
  fi
}

install_users() {
  # plugdev: the scanner; gpio: the LEDs (Pi OS has it; elsewhere it is made here for the udev rules).
  ensure_group plugdev
  ensure_group gpio
  ensure_group kiosk
  ensure_user kiosk /var/lib/vipps-kiosk plugdev,gpio
  # The screen: a separate user that can draw and read the touch screen but not read the Vipps keys.
  ensure_group kiosk-screen
  ensure_user kiosk-screen /run/vipps-kiosk-screen video,render,input
}

install_app() {
  say "app into $ROOT$APP_DIR"
  mkdir -p "$ROOT$APP_DIR"
  local part
  for part in bin dist systemd provisioning package.json package-lock.json README.md docs device/catalog/demo-catalog.json; do
    mkdir -p "$(dirname "$ROOT$APP_DIR/$part")"
    rm -rf "${ROOT:?}$APP_DIR/${part:?}.new"
    cp -a "$SOURCE/$part" "$ROOT$APP_DIR/$part.new"
    rm -rf "${ROOT:?}$APP_DIR/${part:?}"
    mv "$ROOT$APP_DIR/$part.new" "$ROOT$APP_DIR/$part"
  done
  if ((PACKAGES)); then
    # Only the runtime dependencies; the native ones (SQLite, unix datagrams) are built for this Pi.
    (cd "$ROOT$APP_DIR" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund &&
      npm rebuild better-sqlite3 unix-dgram epoll)
  fi
  # A copy from the FAT boot partition has lost its execute bits.
  chmod 0755 "$ROOT$APP_DIR/bin/vipps-kiosk.js"
  mkdir -p "$ROOT/usr/local/bin"
  ln -sfn "$APP_DIR/bin/vipps-kiosk.js" "$ROOT/usr/local/bin/vipps-kiosk"
}

install_system_files() {
  say "systemd units, udev rules, tmpfiles"
  install -D -m 0644 "$SOURCE/systemd/vipps-kiosk.service" "$ROOT/etc/systemd/system/vipps-kiosk.service"
  install -D -m 0644 "$SOURCE/systemd/vipps-kiosk-screen.service" "$ROOT/etc/systemd/system/vipps-kiosk-screen.service"
  # The daemon's network allow-list and LED paths, from its configuration (and hourly).
  install -D -m 0644 "$SOURCE/systemd/vipps-kiosk-host-access.service" "$ROOT/etc/systemd/system/vipps-kiosk-host-access.service"
  install -D -m 0644 "$SOURCE/systemd/vipps-kiosk-host-access.timer" "$ROOT/etc/systemd/system/vipps-kiosk-host-access.timer"
  install -D -m 0644 "$SOURCE/systemd/70-vipps-kiosk.rules" "$ROOT/etc/udev/rules.d/70-vipps-kiosk.rules"
  install -D -m 0644 "$SOURCE/systemd/vipps-kiosk.tmpfiles" "$ROOT/usr/lib/tmpfiles.d/vipps-kiosk.conf"
  install -D -m 0644 "$SOURCE/systemd/vipps-kiosk-watchdog.conf" "$ROOT/etc/systemd/system.conf.d/vipps-kiosk-watchdog.conf"
  # HQ's `reboot` command: the kiosk user may ask logind to reboot, nothing more.
  install -D -m 0644 "$SOURCE/systemd/vipps-kiosk.polkit.rules" "$ROOT/etc/polkit-1/rules.d/50-vipps-kiosk.rules"
  # Chromium: no DevTools, no origin but the kiosk's, no downloads, printing, incognito or extensions.
  install -D -m 0644 "$SOURCE/systemd/chromium-policy.json" "$ROOT/etc/chromium/policies/managed/vipps-kiosk.json"
  # No console but tty1: logind starts no getty elsewhere, autovt@ is masked, and Ctrl+Alt+Del on a
  # keyboard plugged into the kiosk does not reboot it.
  install -D -m 0644 "$SOURCE/systemd/vipps-kiosk-logind.conf" "$ROOT/etc/systemd/logind.conf.d/vipps-kiosk.conf"
  systemctl ${ROOT:+--root="$ROOT"} mask autovt@.service ctrl-alt-del.target
  systemd-tmpfiles --create ${ROOT:+--root="$ROOT"} "$ROOT/usr/lib/tmpfiles.d/vipps-kiosk.conf"
  if [[ -n "$HQ_KEY" ]]; then
    install -m 0644 -o root -g root "$HQ_KEY" "$ROOT/etc/vipps-kiosk/hq-enrol.pub"
  fi
  if [[ -n "$HQ_COMMAND_KEY" ]]; then
    # Added beside the keys already there: during a rotation the kiosk trusts the old and the new key.
    install -D -m 0644 -o root -g root "$HQ_COMMAND_KEY" \
      "$ROOT/etc/vipps-kiosk/hq-command-keys/$(basename "$HQ_COMMAND_KEY")"
  fi
  # Both wait for provisioning (ConditionPathExists=) and then start on every boot.
  systemctl ${ROOT:+--root="$ROOT"} enable vipps-kiosk.service vipps-kiosk-screen.service vipps-kiosk-host-access.timer
  systemctl ${ROOT:+--root="$ROOT"} set-default graphical.target
}

no_console_blanking() {
  local cmdline="$ROOT/boot/firmware/cmdline.txt"
  [[ -f "$cmdline" ]] || return 0
  grep -qw 'consoleblank=0' "$cmdline" && return 0
  sed -i '1 s/$/ consoleblank=0/' "$cmdline"
  say "console blanking off ($cmdline)"
}

activate() {
  [[ -z "$ROOT" ]] || return 0
  udevadm control --reload-rules
  udevadm trigger --subsystem-match=hidraw --subsystem-match=usb --subsystem-match=input --subsystem-match=gpio --subsystem-match=leds
  systemctl daemon-reexec # reads system.conf.d again: the hardware watchdog
  systemctl daemon-reload
}

((PACKAGES)) && install_packages
install_users
install_app
install_system_files
no_console_blanking
activate

if [[ -f "$ROOT/etc/vipps-kiosk/config.json" ]]; then
  say "installed; the kiosk is provisioned (sudo vipps-kiosk provision changes it)"
else
  say "installed; next: sudo vipps-kiosk provision"
fi
