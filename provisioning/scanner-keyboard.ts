import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWN_SCANNER_VENDORS } from '../device/hardware/known-scanners.js';

/**
 * The udev rule (systemd/70-vipps-kiosk.rules) inhibits a known scanner's keyboard interface, so a
 * scanned code never types into tty1's login prompt or a shell. Provisioning is the one time a scan
 * must arrive as typing (HQ's enrolment code at the prompt): this lifts the inhibit on those input
 * devices, and the returned function puts it back. Without root, or on a kernel without `inhibited`
 * (before 5.11), there is nothing to lift and the tech types the code instead.
 */
export function lendScannerKeyboards(sysfsInput = '/sys/class/input'): () => void {
  const vendors = new Set(KNOWN_SCANNER_VENDORS.map((v) => v.vendorId));
  const lent: string[] = [];
  let names: string[];
  try {
    names = readdirSync(sysfsInput).filter((name) => /^input\d+$/.test(name));
  } catch {
    return () => {};
  }
  for (const name of names) {
    const inhibited = join(sysfsInput, name, 'inhibited');
    try {
      const vendor = Number.parseInt(readFileSync(join(sysfsInput, name, 'id', 'vendor'), 'utf8'), 16);
      if (!vendors.has(vendor) || readFileSync(inhibited, 'utf8').trim() !== '1') continue;
      writeFileSync(inhibited, '0');
      lent.push(inhibited);
    } catch {
      // No such attribute, or not root: this device stays as udev left it.
    }
  }
  return () => {
    for (const inhibited of lent) {
      try {
        writeFileSync(inhibited, '1');
      } catch {
        // Unplugged meanwhile: udev inhibits it again when it comes back.
      }
    }
  };
}
