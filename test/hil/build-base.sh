#!/usr/bin/env bash
# Builds the HIL guest's unchanging half into $CACHE (an ignored folder, kept between runs):
# Debian's kernel and its modules, the GPIO and LED simulators that Debian does not build
# (gpio-sim, irq_sim, uleds: compiled here from Debian's linux-source package), busybox, udevd, the
# host's node and every library it and the native addons need. Keyed on the kernel ABI, so a
# kernel update rebuilds it. Needs apt-get/dpkg (download only: nothing is installed), gcc, make.
set -euo pipefail
CACHE=${1:?cache folder}
REPO=${2:?the project folder (its node_modules has the native addons)}
kernel_package() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'; }
KPKG=$(kernel_package)
# A fresh machine has no package lists yet.
[ -n "$KPKG" ] || { apt-get update -qq >&2 && KPKG=$(kernel_package); }
[ -n "$KPKG" ] || { echo "HIL: apt knows no linux-image-amd64: Debian's package sources are needed" >&2; exit 1; }
KV=${KPKG#linux-image-}                                   # e.g. 6.1.0-56-amd64
KVER=$(apt-cache policy "$KPKG" | awk '/Candidate/{print $2}')   # e.g. 6.1.192-2
KSER=$(echo "$KVER" | cut -d. -f1,2)                       # e.g. 6.1
# Also keyed on this script and the gadget helper's source: a base built by an older list of modules is
# rebuilt rather than booted without the modules the runner now needs.
HERE=$(cd "$(dirname "$0")" && pwd)
B=$CACHE/base-$KV-$(cat "$0" "$HERE/g-printer-status.c" | sha256sum | cut -c1-8)
if [ -f "$B/.done" ]; then echo "$B"; exit 0; fi
rm -rf "$B"; mkdir -p "$B"/{sysroot,kroot,kmod,rootfs}
echo "HIL: building the guest base for kernel $KV in $B" >&2
# The .debs stay in $CACHE/debs (about 230 MB, linux-source most of it), so a rebuild downloads nothing.
D=$CACHE/debs
mkdir -p "$D"
PKGS="$KPKG linux-headers-$KV linux-headers-${KV%-amd64}-common linux-kbuild-$KSER linux-source-$KSER udev busybox-static"
deb() { ls "$D/$1"_*.deb 2>/dev/null | tail -1; }
for p in $PKGS; do
  [ -n "$(deb "$p")" ] && continue
  v=$p; [ "$p" = "linux-source-$KSER" ] && v="$p=$KVER"
  (cd "$D" && apt-get download -q "$v" 2>&1 | grep -v '^W:' >&2) || true
  [ -n "$(deb "$p")" ] || { echo "HIL: cannot download $v (run apt-get update?)" >&2; exit 1; }
done
for p in $PKGS; do
  case $p in
    linux-source*) ;;
    linux-headers* | linux-kbuild*) dpkg -x "$(deb "$p")" "$B/kroot" ;;
    *) dpkg -x "$(deb "$p")" "$B/sysroot" ;;
  esac
done
H=$B/kroot/usr/src/linux-headers-$KV
sed -i "s#^include /usr/src/#include $B/kroot/usr/src/#" "$H/Makefile"

# gpio-sim, irq_sim and uleds from Debian's own kernel source, built against Debian's headers.
S=linux-source-$KSER
mkdir -p "$B/ksrc"
dpkg --fsys-tarfile "$(deb "linux-source-$KSER")" | tar -xO "./usr/src/$S.tar.xz" | tar -xJ -C "$B/ksrc" \
  "$S/drivers/gpio/gpio-sim.c" "$S/drivers/gpio/gpiolib.h" "$S/kernel/irq/irq_sim.c" "$S/drivers/leds/uleds.c"
cp "$B/ksrc/$S"/drivers/gpio/{gpio-sim.c,gpiolib.h} "$B/ksrc/$S/kernel/irq/irq_sim.c" "$B/ksrc/$S/drivers/leds/uleds.c" "$B/kmod/"
cd "$B/kmod"
# irq_to_desc() is not exported to modules; irq_sim built in-tree may use it, a module may not.
sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq_safe(irqnum);/' irq_sim.c
grep -q MODULE_LICENSE irq_sim.c || echo 'MODULE_LICENSE("GPL");' >>irq_sim.c
printf 'obj-m := irq_sim_oot.o gpio-sim.o uleds.o\nirq_sim_oot-y := irq_sim.o\n' >Kbuild
make -s -C "$H" M="$PWD" modules 2>&1 | grep -v -E 'Skipping BTF|^$' >&2 || true
ls irq_sim_oot.ko gpio-sim.ko uleds.ko >/dev/null

# The root file system: busybox, modules, udevd, node and its libraries.
R=$B/rootfs
K=$B/sysroot/lib/modules/$KV/kernel
mkdir -p "$R"/{bin,usr/bin,proc,sys,dev,tmp,run,root,app,etc,lib64,lib/x86_64-linux-gnu,lib/modules/hil,lib/systemd,lib/udev,usr/lib/x86_64-linux-gnu/systemd}
cp "$B/sysroot/bin/busybox" "$R/bin/"
for a in $("$R/bin/busybox" --list); do [ -e "$R/bin/$a" ] || ln -s busybox "$R/bin/$a"; done
for m in fs/configfs/configfs drivers/hid/hid drivers/hid/hid-generic drivers/usb/common/usb-common \
  drivers/usb/core/usbcore drivers/hid/usbhid/usbhid drivers/usb/gadget/udc/udc-core \
  drivers/usb/gadget/libcomposite drivers/usb/gadget/function/usb_f_hid drivers/usb/gadget/udc/dummy_hcd \
  drivers/usb/gadget/function/usb_f_printer drivers/usb/class/usblp \
  drivers/leds/trigger/ledtrig-timer; do
  cp "$K/$m.ko" "$R/lib/modules/hil/"
done
cp "$B"/kmod/{irq_sim_oot,gpio-sim,uleds}.ko "$R/lib/modules/hil/"
strip -o "$R/usr/bin/node" "$(command -v node)"
gcc -O2 -Wall -o "$R/usr/bin/g-printer-status" "$HERE/g-printer-status.c"
cp "$B/sysroot/bin/udevadm" "$R/bin/"
ln -sf /bin/udevadm "$R/lib/systemd/systemd-udevd"
cp -r "$B/sysroot/lib/udev/rules.d" "$R/lib/udev/"
cp "$B"/sysroot/usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-*.so "$R/usr/lib/x86_64-linux-gnu/systemd/" 2>/dev/null || true
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\ninput:x:101:\nplugdev:x:46:\nkiosk:x:990:\n' >"$R/etc/group"
libs() { ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}'; }
for l in $( (libs "$(command -v node)" "$B/sysroot/bin/udevadm" /lib/x86_64-linux-gnu/libudev.so.1 \
  /lib/x86_64-linux-gnu/libusb-1.0.so.0 $(find "$REPO"/node_modules/{node-hid,usb,epoll,better-sqlite3,@node-rs} -name '*.node' -path '*linux-x64*' -o -name '*.node' -path '*Release*')) | sort -u) /lib/x86_64-linux-gnu/libudev.so.1 \
  /lib/x86_64-linux-gnu/libusb-1.0.so.0; do
  cp -L "$l" "$R/lib/x86_64-linux-gnu/"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$R/lib64/"
cp "$B/sysroot/boot/vmlinuz-$KV" "$B/vmlinuz"
(cd "$R" && find . | "$R/bin/busybox" cpio -o -H newc 2>/dev/null) >"$B/base.cpio"
cp "$R/bin/busybox" "$B/busybox"
rm -rf "$B/sysroot" "$B/kroot" "$B/ksrc" "$R"
touch "$B/.done"
echo "$B"
