import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HardwareError } from './hardware-error.js';

export interface GpioChip {
  label: string;
  base: number;
  ngpio: number;
}

/** The Raspberry Pi SoC's GPIO controllers (Pi 1–4 bcm2835/bcm2711, Pi 5 rp1/bcm2712). */
export const SOC_CHIP = /^pinctrl-(bcm2835|bcm2711|bcm2712|rp1)\b/;

export function gpioChips(sysfsGpio = '/sys/class/gpio'): GpioChip[] {
  if (!existsSync(sysfsGpio)) return [];
  return readdirSync(sysfsGpio)
    .filter((name) => name.startsWith('gpiochip'))
    .map((name) => {
      const read = (file: string) => readFileSync(join(sysfsGpio, name, file), 'utf8').trim();
      return { label: read('label'), base: Number(read('base')), ngpio: Number(read('ngpio')) };
    });
}

/**
 * The sysfs number of a GPIO line, found at run time: kernels number chips dynamically (Pi kernels
 * put the SoC at 512, 571 and elsewhere), so "GPIO17" is the chip's base plus 17, never 17.
 * `pin` is a line offset on the chip (a SoC GPIO number) or a line name such as "GPIO17" or
 * "status-led" (names come from the kernel's GPIO debug listing).
 */
export function sysfsGpioNumber(
  pin: number | string,
  options: { chip?: string | undefined; sysfsGpio?: string; debugGpio?: string } = {},
): number {
  const chips = gpioChips(options.sysfsGpio);
  if (chips.length === 0) {
    throw new HardwareError(
      'this kernel has no GPIO sysfs (/sys/class/gpio is missing): use hardware.leds.driver "sysfs-leds" with the gpio-led overlay, or "none"',
    );
  }
  if (typeof pin === 'string') return numberOfLineName(pin, options.debugGpio ?? '/sys/kernel/debug/gpio');
  const chip = options.chip
    ? chips.find((c) => c.label === options.chip)
    : chips.find((c) => SOC_CHIP.test(c.label));
  if (!chip) {
    const seen = chips.map((c) => `"${c.label}" (base ${c.base})`).join(', ');
    throw new HardwareError(
      options.chip
        ? `no GPIO chip labelled "${options.chip}"; this kiosk has ${seen}: set hardware.leds.chip to one of them`
        : `no Raspberry Pi SoC GPIO chip found among ${seen}: set hardware.leds.chip to the chip's label`,
    );
  }
  if (!Number.isInteger(pin) || pin < 0 || pin >= chip.ngpio) {
    throw new HardwareError(
      `GPIO ${pin} is not on chip "${chip.label}", which has lines 0–${chip.ngpio - 1}`,
    );
  }
  return chip.base + pin;
}

function numberOfLineName(name: string, debugGpio: string): number {
  let listing: string;
  try {
    listing = readFileSync(debugGpio, 'utf8');
  } catch (error) {
    throw new HardwareError(
      `cannot read ${debugGpio} to find the GPIO line named "${name}" (${(error as Error).message}): mount debugfs, run as root, or give the pin as a SoC GPIO number`,
    );
  }
  // Lines look like " gpio-529 (GPIO17              |sysfs               ) out hi".
  for (const match of listing.matchAll(/^\s*gpio-(\d+)\s+\(([^|)]*)/gm)) {
    if (match[2]!.trim() === name) return Number(match[1]);
  }
  throw new HardwareError(`no GPIO line is named "${name}" on this kiosk (see ${debugGpio})`);
}
