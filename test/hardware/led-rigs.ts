import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeLeds } from '../../device/hardware/fake-leds.js';
import { type LedLine, type LedPattern, PATTERN_TIMING } from '../../device/hardware/led-port.js';
import { SysfsLeds } from '../../device/hardware/sysfs-leds.js';
import type { LedRigFactory } from './led-contract.js';

export const fakeLedRig: LedRigFactory = {
  name: 'fake LEDs',
  async create() {
    const port = new FakeLeds(['green', 'blue']);
    return {
      port,
      observe: async (line) => port.state()[line] ?? 'off',
      released: async () => Object.keys(port.state()).length === 0,
      dispose: async () => {},
    };
  },
};

/** Reads an LED class device's files back as a pattern: what a person would see. */
export function patternOfLedFiles(dir: string): LedPattern {
  const read = (file: string) => readFileSync(join(dir, file), 'utf8').trim();
  // The kernel brackets the current trigger among the choices; a plain file holds the last write.
  const trigger = /\[(\S+)\]/.exec(read('trigger'))?.[1] ?? read('trigger');
  if (trigger === 'timer') {
    const onMs = Number(read('delay_on'));
    const offMs = Number(read('delay_off'));
    for (const pattern of ['blink', 'pulse'] as const) {
      if (PATTERN_TIMING[pattern].onMs === onMs && PATTERN_TIMING[pattern].offMs === offMs) return pattern;
    }
    throw new Error(`timer at ${onMs}/${offMs} ms is no pattern of ours`);
  }
  if (trigger !== 'none') throw new Error(`unexpected trigger ${trigger}`);
  return Number(read('brightness')) > 0 ? 'on' : 'off';
}

/**
 * /sys/class/leds as the kernel lays it out, in a temporary folder. Plain files keep what was last
 * written, where the kernel would bracket the choice in `trigger` and make delay_on/delay_off appear;
 * patternOfLedFiles reads both forms. The HIL checks the same adapter on the kernel's own LED class.
 */
export function ledClassStandIn(names: string[]): { root: string; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'vk-leds-'));
  for (const name of names) {
    const dir = join(root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'brightness'), '0');
    writeFileSync(join(dir, 'max_brightness'), '1');
    writeFileSync(join(dir, 'trigger'), '[none] timer heartbeat default-on');
  }
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

export const sysfsLedRig: LedRigFactory = {
  name: 'sysfs LEDs (/sys/class/leds layout in a temporary folder)',
  async create() {
    const names: Partial<Record<LedLine, string>> = { green: 'kiosk:green', red: 'kiosk:red' };
    const stand = ledClassStandIn(Object.values(names));
    const port = new SysfsLeds(names, stand.root);
    return {
      port,
      observe: async (line) => patternOfLedFiles(join(stand.root, names[line]!)),
      released: async () =>
        Object.values(names).every((name) => patternOfLedFiles(join(stand.root, name)) === 'off'),
      dispose: async () => stand.dispose(),
    };
  },
};
