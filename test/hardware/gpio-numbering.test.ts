import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sysfsGpioNumber } from '../../device/hardware/gpio-numbering.js';
import { HardwareError } from '../../device/hardware/hardware-error.js';

// /sys/class/gpio as Pi kernels lay it out (the HIL resolves the same way on a real gpio-sim chip).
let root: string;
function sysfs(chips: Array<{ dir: string; label: string; base: number; ngpio: number }>, debug = '') {
  root = mkdtempSync(join(tmpdir(), 'vk-gpio-'));
  for (const chip of chips) {
    mkdirSync(join(root, 'gpio', chip.dir), { recursive: true });
    writeFileSync(join(root, 'gpio', chip.dir, 'label'), `${chip.label}\n`);
    writeFileSync(join(root, 'gpio', chip.dir, 'base'), `${chip.base}\n`);
    writeFileSync(join(root, 'gpio', chip.dir, 'ngpio'), `${chip.ngpio}\n`);
  }
  writeFileSync(join(root, 'debug-gpio'), debug);
  return { sysfsGpio: join(root, 'gpio'), debugGpio: join(root, 'debug-gpio') };
}
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('GPIO numbering', () => {
  it('adds the SoC chip base found at run time (Pi 5 at 571, Pi 4 at 512), never assuming 0', () => {
    const pi5 = sysfs([
      { dir: 'gpiochip512', label: 'gpio-brcmstb@107d508500', base: 512, ngpio: 32 },
      { dir: 'gpiochip571', label: 'pinctrl-rp1', base: 571, ngpio: 54 },
    ]);
    expect(sysfsGpioNumber(17, pi5)).toBe(588);
    rmSync(root, { recursive: true });
    expect(
      sysfsGpioNumber(17, sysfs([{ dir: 'gpiochip512', label: 'pinctrl-bcm2711', base: 512, ngpio: 58 }])),
    ).toBe(529);
  });

  it('uses the configured chip label, and says which chips exist when it is wrong', () => {
    const paths = sysfs([{ dir: 'gpiochip1008', label: 'gpio-sim.0-node0', base: 1008, ngpio: 8 }]);
    expect(sysfsGpioNumber(3, { ...paths, chip: 'gpio-sim.0-node0' })).toBe(1011);
    expect(() => sysfsGpioNumber(3, paths)).toThrow(
      /no Raspberry Pi SoC GPIO chip found among "gpio-sim.0-node0" \(base 1008\)/,
    );
    expect(() => sysfsGpioNumber(3, { ...paths, chip: 'pinctrl-rp1' })).toThrow(HardwareError);
    expect(() => sysfsGpioNumber(8, { ...paths, chip: 'gpio-sim.0-node0' })).toThrow(/has lines 0–7/);
  });

  it('finds a line by name in the kernel GPIO listing', () => {
    const paths = sysfs(
      [{ dir: 'gpiochip571', label: 'pinctrl-rp1', base: 571, ngpio: 54 }],
      'gpiochip0: GPIOs 571-624, parent: platform/1f000d0000.gpio, pinctrl-rp1:\n gpio-571 (ID_SDA              )\n gpio-588 (GPIO17              |sysfs               ) out hi\n',
    );
    expect(sysfsGpioNumber('GPIO17', paths)).toBe(588);
    expect(() => sysfsGpioNumber('GPIO99', paths)).toThrow(/no GPIO line is named "GPIO99"/);
  });

  it('explains a kernel without GPIO sysfs', () => {
    root = mkdtempSync(join(tmpdir(), 'vk-gpio-'));
    expect(() => sysfsGpioNumber(17, { sysfsGpio: join(root, 'none') })).toThrow(
      /\/sys\/class\/gpio is missing/,
    );
  });
});
