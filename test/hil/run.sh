#!/usr/bin/env bash
# `npm run test:hil`: the hardware-in-the-loop test. Boots Debian's kernel in QEMU (software
# emulation: no KVM needed) with an initramfs of busybox, the host's node, and the project's own
# scanner and LED adapters bundled with the HIL runner; the guest makes a USB scanner (configfs HID
# gadget on dummy_hcd), GPIO lines (gpio-sim) and LED class devices (uleds), and runs the same
# contract suites as the host tests against them. The kernel half is built once into .hil-cache/.
# Needs qemu-system-x86, gcc, make, apt-get/dpkg (for downloads only). HIL_TIMEOUT caps the VM (s);
# HIL_ONLY=printer,keys runs only those groups and HIL_DEBUG=1 logs the adapters (both reach the guest's
# environment through the kernel command line).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE=${HIL_CACHE:-$PWD/.hil-cache}
mkdir -p "$CACHE"
BASE=$(test/hil/build-base.sh "$CACHE" "$PWD")

# The app half, rebuilt every run: the runner bundled with the project's adapters, the native
# packages it loads (node-hid, usb, onoff; better-sqlite3 and argon2 for the daemon) and /init.
APP=$CACHE/app
rm -rf "$APP"
mkdir -p "$APP/app/node_modules"
# The whole daemon is in it too (the printer's end-to-end case): its CommonJS dependencies get a require().
NATIVE=(node-hid usb onoff better-sqlite3 @node-rs/argon2)
npx esbuild test/hil/guest/main.ts --bundle --platform=node --format=esm --target=node20 \
  --outfile="$APP/app/hil.mjs" "${NATIVE[@]/#/--external:}" --log-level=warning \
  --banner:js="import { createRequire as hilRequire } from 'node:module'; const require = hilRequire(import.meta.url);"
# The daemon finds its package folder (and version) by the package.json above its code, and the
# sandbox's settings the demo catalog in it.
cp package.json "$APP/app/package.json"
mkdir -p "$APP/app/device/catalog"
cp device/catalog/demo-catalog.json "$APP/app/device/catalog/"
node -e '
  const { cpSync, readFileSync } = require("node:fs");
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const pkg = JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8"));
    for (const dep of Object.keys(pkg.dependencies ?? {})) if (!dep.startsWith("@types/")) visit(dep);
    // Prebuilt binaries come as optional packages, only the installed one (this platform) is there.
    for (const dep of Object.keys(pkg.optionalDependencies ?? {}))
      if (require("node:fs").existsSync(`node_modules/${dep}`)) visit(dep);
  };
  process.argv.slice(2).forEach(visit);
  const otherPlatform = /(darwin|win32|arm|musl|ia32|android)/;
  for (const name of seen) {
    cpSync(`node_modules/${name}`, `${process.argv[1]}/${name}`, {
      recursive: true,
      filter: (src) => !(src.includes("/prebuilds/") && otherPlatform.test(src.split("/prebuilds/")[1])),
    });
  }
' "$APP/app/node_modules" "${NATIVE[@]}"
cp test/hil/init "$APP/init"
chmod +x "$APP/init"
(cd "$APP" && find . | "$BASE/busybox" cpio -o -H newc 2>/dev/null) >"$CACHE/app.cpio"
# The kernel unpacks concatenated cpio archives in turn: the cached base, then this run's app.
cat "$BASE/base.cpio" "$CACHE/app.cpio" >"$CACHE/initramfs.cpio"

ACCEL=${HIL_ACCEL:-tcg,thread=multi}
start=$(date +%s)
set +e
# The console file exists before QEMU starts, so the tail below never misses it (it did once in CI and
# the HIL lines went unprinted).
: >"$CACHE/console.log"
timeout "${HIL_TIMEOUT:-600}" qemu-system-x86_64 -machine pc -accel "$ACCEL" -cpu max -smp 2 -m 1024 \
  -nographic -nodefaults -no-reboot -serial stdio -kernel "$BASE/vmlinuz" -initrd "$CACHE/initramfs.cpio" \
  -append "console=ttyS0 panic=-1 rdinit=/init quiet loglevel=3${HIL_ONLY:+ HIL_ONLY=$HIL_ONLY}${HIL_DEBUG:+ HIL_DEBUG=$HIL_DEBUG}" </dev/null >"$CACHE/console.log" 2>&1 &
qemu=$!
tail -f "$CACHE/console.log" --pid=$qemu | grep --line-buffered -E '^HIL' &
wait $qemu
status=$?
set -e
sleep 0.2
echo "HIL: VM ran $(($(date +%s) - start)) s (console: $CACHE/console.log)"
if [ "$status" = 124 ]; then
  echo "HIL: QEMU timed out after ${HIL_TIMEOUT:-600} s" >&2
  exit 1
fi
grep -q 'HIL-MARK done rc=0' "$CACHE/console.log"
