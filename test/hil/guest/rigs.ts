import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../../common/log/logger.js';
import { nodeHidBackend } from '../../../device/hardware/hid-backend.js';
import { HidScanner } from '../../../device/hardware/hid-scanner.js';
import type { TactileKey } from '../../../device/hardware/key-port.js';
import type { KeyboardLayoutName } from '../../../device/hardware/keyboard-layouts.js';
import { type LedLine, type LedPattern, PATTERN_TIMING } from '../../../device/hardware/led-port.js';
import { OnoffKeys } from '../../../device/hardware/onoff-keys.js';
import { OnoffLeds } from '../../../device/hardware/onoff-leds.js';
import { MAX_SCAN_BYTES } from '../../../device/hardware/scanner-port.js';
import { SysfsLeds } from '../../../device/hardware/sysfs-leds.js';
import { libusbHotplug } from '../../../device/hardware/usb-hotplug.js';
import type { KeyRigFactory } from '../../hardware/key-contract.js';
import type { LedRigFactory } from '../../hardware/led-contract.js';
import { patternOfLedFiles } from '../../hardware/led-rigs.js';
import type { ScannerRigFactory } from '../../hardware/scanner-contract.js';
import { scannerReports } from '../../hardware/scanner-rigs.js';
import { HID_POS_DESCRIPTOR, KEYBOARD_DESCRIPTOR, UsbGadget } from './usb-gadget.js';

// The contract rigs inside the guest: the project's real adapters on real (virtual) hardware.

/**
 * Under TCG the guest runs several times slower than the host, and a busy host starves it further: a
 * 400 ms inter-character timeout once split a flood of reports in two. A second keeps a stream whole.
 */
const QUIET_MS = 1000;
/** The adapters' (and the daemon's) log in the guest: errors only, everything with HIL_DEBUG. */
export const logger = createLogger({ level: process.env.HIL_DEBUG ? 'debug' : 'error', journal: false });
let gadgets = 0;

export function gadgetScannerRig(
  mode: 'hid-pos' | 'keyboard',
  layout: KeyboardLayoutName = 'us',
): ScannerRigFactory {
  return {
    name: `HID scanner (${mode}${mode === 'keyboard' ? `, ${layout} layout` : ''}) on a USB gadget`,
    patienceMs: 15_000,
    wire: true,
    ...(mode === 'keyboard' ? { floodBytes: MAX_SCAN_BYTES + 76 } : {}),
    async create({ plugged }) {
      const gadget = new UsbGadget(
        mode === 'hid-pos'
          ? // Any maker's HID-POS device is taken: pid.codes' test vendor, not a known scanner.
            {
              name: `pos${gadgets++}`,
              vendorId: 0x1209,
              productId: 0x0001,
              product: 'HIL HID-POS scanner',
              descriptor: HID_POS_DESCRIPTOR,
              reportLength: 64,
              keyboard: false,
            }
          : {
              name: `kbd${gadgets++}`,
              vendorId: 0x0c2e,
              productId: 0x0b6a,
              product: 'HIL keyboard scanner',
              descriptor: KEYBOARD_DESCRIPTOR,
              reportLength: 8,
              keyboard: true,
            },
      );
      gadget.create();
      if (plugged) {
        gadget.plug();
        await waitForHidraw(true);
      }
      const encode = (text: string, end: boolean) => scannerReports(mode, layout, text, end);
      const port = new HidScanner(await nodeHidBackend(), await libusbHotplug(), {
        keyboard: { layout, terminator: 'enter-or-tab', interCharTimeoutMs: QUIET_MS },
        continuationTimeoutMs: QUIET_MS,
        pollMs: 250,
        settleMs: 200,
        logger,
      });
      return {
        port,
        plug: async () => gadget.plug(),
        unplug: async () => {
          gadget.unplug();
          await waitForHidraw(false);
        },
        read: (text) => gadget.send(encode(text, true)),
        partial: (text) => gadget.send(encode(text, false)),
        quiet: () => sleep(QUIET_MS * 2.5),
        garbage: () =>
          // The kernel passes on only reports of the declared id; these have it, with nonsense inside.
          gadget.send(
            mode === 'keyboard'
              ? [Buffer.from([0x01, 0, 0x06, 0, 0, 0, 0, 0]), Buffer.from([0, 0, 0x3a, 0x3b, 0, 0, 0, 0])]
              : [Buffer.concat([Buffer.from([0x02, 200]), Buffer.alloc(62, 0xa5)])],
          ),
        dispose: async () => gadget.remove(),
      };
    },
  };
}

async function waitForHidraw(present: boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (readdirSync('/dev').some((n) => n.startsWith('hidraw')) === present) return;
    await sleep(25);
  }
  throw new Error(`the hidraw node did not ${present ? 'appear' : 'go away'} in 10 s`);
}

/** A gpio-sim chip made through configfs, with named lines; the kernel picks its (non-zero) base. */
export class SimulatedGpioChip {
  private readonly dir: string;
  readonly lineNames: string[];

  constructor(name: string, lineNames: string[]) {
    this.dir = join('/sys/kernel/config/gpio-sim', name);
    this.lineNames = lineNames;
  }

  create(): {
    label: string;
    base: number;
    valueFile: (offset: number) => string;
    /** Writing "pull-up" or "pull-down" here drives an input line as a resistor would. */
    pullFile: (offset: number) => string;
  } {
    mkdirSync(this.dir);
    mkdirSync(join(this.dir, 'bank0'));
    writeFileSync(join(this.dir, 'bank0/num_lines'), '8');
    for (const [offset, name] of this.lineNames.entries()) {
      mkdirSync(join(this.dir, `bank0/line${offset}`));
      writeFileSync(join(this.dir, `bank0/line${offset}/name`), name);
    }
    writeFileSync(join(this.dir, 'live'), '1');
    const device = readFileSync(join(this.dir, 'dev_name'), 'utf8').trim();
    const chip = readFileSync(join(this.dir, 'bank0/chip_name'), 'utf8').trim();
    const label = `${device}-node0`;
    const sysfs = readdirSync('/sys/class/gpio').find(
      (n) => n.startsWith('gpiochip') && readFileSync(`/sys/class/gpio/${n}/label`, 'utf8').trim() === label,
    );
    if (!sysfs) throw new Error(`gpio-sim chip ${label} is not in /sys/class/gpio`);
    const base = Number(readFileSync(`/sys/class/gpio/${sysfs}/base`, 'utf8'));
    return {
      label,
      base,
      valueFile: (offset) => `/sys/devices/platform/${device}/${chip}/sim_gpio${offset}/value`,
      pullFile: (offset) => `/sys/devices/platform/${device}/${chip}/sim_gpio${offset}/pull`,
    };
  }

  remove(): void {
    writeFileSync(join(this.dir, 'live'), '0');
    for (const offset of this.lineNames.keys()) rmdirSync(join(this.dir, `bank0/line${offset}`));
    rmdirSync(join(this.dir, 'bank0'));
    rmdirSync(this.dir);
  }
}

/** What a person watching the line for a while would call it: off, on, an even blink, or a short pulse. */
export async function watchLine(valueFile: string, activeLow = false): Promise<LedPattern> {
  const samples: number[] = [];
  const period = PATTERN_TIMING.blink.onMs + PATTERN_TIMING.blink.offMs;
  const end = Date.now() + period * 1.6;
  while (Date.now() < end) {
    const level = Number(readFileSync(valueFile, 'utf8').trim());
    samples.push(activeLow ? 1 - level : level);
    await sleep(10);
  }
  const lit = samples.filter((s) => s === 1).length / samples.length;
  if (lit === 0) return 'off';
  if (lit === 1) return 'on';
  return lit < 0.3 ? 'pulse' : 'blink';
}

let chips = 0;
export const onoffLedRig = (activeLow: boolean): LedRigFactory => ({
  name: `onoff LEDs on gpio-sim lines (${activeLow ? 'active low' : 'active high'}; one by number, one by line name)`,
  async create() {
    const sim = new SimulatedGpioChip(`kiosk${chips++}`, ['status-green', 'status-blue']);
    const chip = sim.create();
    const offsets: Partial<Record<LedLine, number>> = { green: 0, blue: 1 };
    const port = new OnoffLeds({ pins: { green: 0, blue: 'status-blue' }, chip: chip.label, activeLow });
    return {
      port,
      observe: (line) => watchLine(chip.valueFile(offsets[line]!), activeLow),
      released: async () =>
        [0, 1].every((offset) => !existsSync(`/sys/class/gpio/gpio${chip.base + offset}`)),
      dispose: async () => sim.remove(),
    };
  },
});

/** uleds: LED class devices made from user space, so the kernel's own LED class and timer trigger are used. */
export const ledClassRig: LedRigFactory = {
  name: 'sysfs LEDs on the kernel LED class (uleds)',
  async create() {
    const names: Partial<Record<LedLine, string>> = { green: 'kiosk:green', red: 'kiosk:red' };
    const fds = Object.values(names).map((name) => {
      const fd = openSync('/dev/uleds', 'r+');
      const request = Buffer.alloc(64 + 4);
      request.write(name, 0, 'latin1');
      request.writeInt32LE(1, 64);
      writeFileSync(fd, request);
      return fd;
    });
    const port = new SysfsLeds(names);
    return {
      port,
      observe: async (line) => patternOfLedFiles(join('/sys/class/leds', names[line]!)),
      released: async () =>
        Object.values(names).every((name) => patternOfLedFiles(join('/sys/class/leds', name)) === 'off'),
      dispose: async () => {
        for (const fd of fds) closeSync(fd);
      },
    };
  },
};

/** A short press under emulation: far over any debounce time, far under the long-press time. */
export const SHORT_PRESS_MS = 250;

/**
 * Push buttons on a simulated chip's input lines, each to ground against the Pi's pull-up, played by the
 * line's simulated pull (up: let go; down: pressed). All start let go.
 */
export function buttonsOn(
  chip: { pullFile: (offset: number) => string },
  offsets: Partial<Record<TactileKey, number>>,
) {
  const pull = (key: TactileKey, down: boolean) =>
    writeFileSync(chip.pullFile(offsets[key]!), down ? 'pull-down' : 'pull-up');
  for (const key of Object.keys(offsets) as TactileKey[]) pull(key, false);
  return {
    pull,
    /** Down, held `holdMs`, and up: the adapter emits the press on release. */
    async press(key: TactileKey, holdMs: number) {
      pull(key, true);
      await sleep(holdMs);
      pull(key, false);
    },
  };
}

/**
 * Tactile keys on gpio-sim input lines (buttonsOn). Holds are generous for emulation: a short press well
 * under the long-press time, a long one well over it.
 */
export const onoffKeyRig: KeyRigFactory = {
  name: 'onoff keys on gpio-sim lines (one by number, one by line name)',
  patienceMs: 10_000,
  contacts: true,
  async create() {
    const sim = new SimulatedGpioChip(`keys${chips++}`, ['key-speech', 'key-next']);
    const chip = sim.create();
    const { pull, press } = buttonsOn(chip, { speech: 0, next: 1 });
    const longPressMs = 1000;
    const port = new OnoffKeys({
      pins: { speech: 0, next: 'key-next' },
      chip: chip.label,
      debounceMs: 50,
      longPressMs,
      logger,
    });
    return {
      port,
      wired: ['speech', 'next'],
      press: (key, long) => press(key, long ? longPressMs * 1.5 : SHORT_PRESS_MS),
      async bouncyPress(key) {
        // Chatter far inside the debounce time: written back to back.
        for (let i = 0; i < 3; i++) {
          pull(key, true);
          pull(key, false);
        }
        pull(key, true);
        await sleep(SHORT_PRESS_MS);
        for (let i = 0; i < 2; i++) {
          pull(key, false);
          pull(key, true);
        }
        pull(key, false);
      },
      released: async () =>
        [0, 1].every((offset) => !existsSync(`/sys/class/gpio/gpio${chip.base + offset}`)),
      dispose: async () => sim.remove(),
    };
  },
};
