#!/bin/bash
# vipps-kiosk: first boot of Raspberry Pi OS Bookworm, run once by systemd.run= from cmdline.txt (see
# custom.toml). This runs before the network is up, so it only arranges for install.sh to run once the
# network is online (a one-shot unit that removes itself), forces a new password for `tech`, and takes
# itself and custom.toml (the first password's hash) off the boot partition so it never runs again.
set -euo pipefail

BOOT=/boot/firmware
APP="$BOOT/vipps-kiosk"

# Users, hostname, keyboard and time zone from custom.toml (raspberrypi-sys-mods), as Imager's own
# firstrun.sh does.
if [[ -x /usr/lib/raspberrypi-sys-mods/init_config ]]; then
  /usr/lib/raspberrypi-sys-mods/init_config "$BOOT/custom.toml"
fi
if id tech >/dev/null 2>&1; then
  chage --lastday 0 tech
fi

cat >/etc/systemd/system/vipps-kiosk-install.service <<UNIT
[Unit]
Description=Install vipps-kiosk from the boot partition (first boot only)
Wants=network-online.target
After=network-online.target
ConditionPathExists=$APP/provisioning/install.sh

[Service]
Type=oneshot
ExecStart=/bin/bash $APP/provisioning/install.sh --hq-key $APP/hq-enrol.pub
ExecStartPost=/bin/systemctl disable vipps-kiosk-install.service
ExecStartPost=/bin/rm -f /etc/systemd/system/vipps-kiosk-install.service

[Install]
WantedBy=multi-user.target
UNIT
systemctl enable vipps-kiosk-install.service

rm -f "$BOOT/firstrun.sh" "$BOOT/custom.toml"
sed -i 's| systemd.run.*||g' "$BOOT/cmdline.txt"
exit 0
