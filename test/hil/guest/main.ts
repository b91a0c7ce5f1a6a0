import { readFileSync } from 'node:fs';
import { sysfsGpioNumber } from '../../../device/hardware/gpio-numbering.js';
import { keyContract } from '../../hardware/key-contract.js';
import { ledContract } from '../../hardware/led-contract.js';
import { printerContract } from '../../hardware/printer-contract.js';
import { type ContractCase, scannerContract } from '../../hardware/scanner-contract.js';
import { printerEndToEnd } from './printer-e2e.js';
import { gadgetPrinterRig } from './printer-rig.js';
import { gadgetScannerRig, ledClassRig, onoffKeyRig, onoffLedRig, SimulatedGpioChip } from './rigs.js';
import { speechEndToEnd } from './speech-e2e.js';

// The HIL runner, PID 1's child in the QEMU guest: the same contract suites as on the host, now
// against the guest kernel's USB gadgets (HID scanner, printer), hidraw, usblp, libusb, udev hotplug,
// gpio-sim and LED class.

const results: Array<{ name: string; ok: boolean }> = [];
/** HIL_ONLY=printer,keys (from run.sh, by the kernel command line) runs only those groups while one is worked on. */
const only = process.env.HIL_ONLY?.split(',').filter(Boolean) ?? [];
const wanted = (group: string) => only.length === 0 || only.includes(group);

async function run(group: string, cases: ContractCase[]): Promise<void> {
  for (const c of cases) {
    const started = Date.now();
    try {
      await c.run();
      results.push({ name: `${group}: ${c.name}`, ok: true });
      console.log(`HIL PASS ${group}: ${c.name} (${Date.now() - started} ms)`);
    } catch (error) {
      results.push({ name: `${group}: ${c.name}`, ok: false });
      console.log(`HIL FAIL ${group}: ${c.name}: ${(error as Error).stack ?? error}`);
    }
  }
}

const numbering: ContractCase = {
  name: 'a SoC-style pin number resolves on a chip whose base is not 0',
  async run() {
    const sim = new SimulatedGpioChip('numbering', ['GPIO17']);
    const chip = sim.create();
    try {
      if (chip.base === 0) throw new Error('the simulated chip got base 0; the check needs another');
      const byNumber = sysfsGpioNumber(0, { chip: chip.label });
      const byName = sysfsGpioNumber('GPIO17');
      if (byNumber !== chip.base || byName !== chip.base) {
        throw new Error(`expected ${chip.base}, got ${byNumber} by number and ${byName} by name`);
      }
      console.log(
        `HIL note: chip ${chip.label} at base ${chip.base}; pin 0 and "GPIO17" both resolve to ${byNumber}`,
      );
    } finally {
      sim.remove();
    }
  },
};

console.log(
  `HIL node ${process.version}, kernel ${readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()}`,
);
const started = Date.now();
for (const factory of [
  gadgetScannerRig('hid-pos'),
  gadgetScannerRig('keyboard', 'us'),
  gadgetScannerRig('keyboard', 'no'),
]) {
  if (wanted('scanner')) await run(`scanner contract, ${factory.name}`, scannerContract(factory));
}
if (wanted('gpio')) await run('gpio numbering', [numbering]);
for (const factory of [onoffLedRig(false), onoffLedRig(true), ledClassRig]) {
  if (wanted('leds')) await run(`LED contract, ${factory.name}`, ledContract(factory));
}
if (wanted('keys')) await run(`key contract, ${onoffKeyRig.name}`, keyContract(onoffKeyRig));
for (const factory of [gadgetPrinterRig(true), gadgetPrinterRig(false)]) {
  if (wanted('printer')) await run(`printer contract, ${factory.name}`, printerContract(factory));
}
if (wanted('printer-e2e')) await run('printer in the daemon', [printerEndToEnd]);
if (wanted('speech-e2e')) await run('tactile keys in the daemon', [speechEndToEnd]);
const failed = results.filter((r) => !r.ok).length;
console.log(`HIL took ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`HIL: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
