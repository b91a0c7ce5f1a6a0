#!/usr/bin/env bash
# vipps-kiosk: puts the first-boot files on one SD card's boot partition, with a first password for the
# `tech` login that is this card's own. Run at HQ (or wherever cards are written), once per card, after
# writing Raspberry Pi OS to it:
#   bash provisioning/image/prepare-card.sh /media/$USER/bootfs
# It prints the password once, for the work order that goes with the card; the card holds only its
# SHA-512 crypt hash, and the password expires at the first login, where the tech chooses their own.
# No password is ever shared by two kiosks, and none is in this repository.
set -euo pipefail

usage() {
  echo "usage: prepare-card.sh BOOT_DIR   (the card's boot partition, e.g. /media/\$USER/bootfs)"
}

if (($# != 1)) || [[ $1 == -h || $1 == --help ]]; then
  usage >&2
  exit 2
fi
BOOT="${1%/}"
IMAGE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ ! -d "$BOOT" ]]; then
  echo "prepare-card.sh: $BOOT is not a directory: mount the card's boot partition and name it" >&2
  exit 1
fi
command -v openssl >/dev/null 2>&1 || {
  echo "prepare-card.sh: needs openssl to hash the password (apt-get install openssl)" >&2
  exit 1
}

# 16 characters from 30 (about 78 bits): lower-case letters and digits that sit on the same keys on
# Nordic and US keyboards and cannot be mistaken for each other (no l, o, 0, 1, y, z).
ALPHABET='abcdefghijkmnpqrstuvwx23456789'
password=''
while ((${#password} < 16)); do
  password+=$(LC_ALL=C tr -dc "$ALPHABET" < <(head -c 256 /dev/urandom))
done
password=${password:0:16}
# The password goes to openssl on its standard input, never on a command line.
hash=$(openssl passwd -6 -stdin <<<"$password")

# The files with the locked placeholder ("!") replaced by this card's hash.
sed "s|^      password: \"!\"$|      password: \"$hash\"|" "$IMAGE/user-data" >"$BOOT/user-data"
sed "s|^password = \"!\"$|password = \"$hash\"|" "$IMAGE/custom.toml" >"$BOOT/custom.toml"
install -m 0755 "$IMAGE/firstrun.sh" "$BOOT/firstrun.sh"
for file in user-data custom.toml; do
  if ! grep -qF "$hash" "$BOOT/$file"; then
    echo "prepare-card.sh: the password placeholder is missing from $IMAGE/$file; nothing usable written" >&2
    rm -f "$BOOT/user-data" "$BOOT/custom.toml" "$BOOT/firstrun.sh"
    exit 1
  fi
done

echo "First password of the tech login on this card (write it on the card's work order; it is shown"
echo "only now and stored nowhere; type it without the spaces):"
echo
echo "    ${password:0:4} ${password:4:4} ${password:8:4} ${password:12:4}"
echo
echo "Written to $BOOT: user-data (Trixie), custom.toml and firstrun.sh (Bookworm)."
