import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { FakeLeds } from '../../device/hardware/fake-leds.js';
import type { LedPort } from '../../device/hardware/led-port.js';
import { hardwareStep } from '../../provisioning/hardware-step.js';
import { provision } from '../../provisioning/provision.js';
import { HidStandIn } from '../hardware/hid-stand-in.js';

// The provisioning step for the scanner and the LEDs, with the hardware edge stood in for: a USB bus
// with one HID-POS scanner on it (strict like node-hid), and LEDs that remember what they showed.

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Everything but the hardware already settled, as earlier steps would have left it. */
const EARLIER = {
  device: { id: 'storo-1', site: 'oslo-storo' },
  vipps: { environment: 'test', merchantSerialNumber: '123456' },
  secrets: { vipps: { clientId: 'id', clientSecret: 'secret', subscriptionKey: 'key' } },
};

/** One HID-POS scanner on the bus. */
function voyager(): HidStandIn {
  return new HidStandIn(
    {
      vendorId: 0x0c2e,
      productId: 0x0b6a,
      path: '/dev/hidraw3',
      product: 'Voyager 1472g',
      interface: 0,
      usagePage: 0x8c,
      usage: 2,
    },
    true,
  );
}

async function provisionHardware(given: Record<string, unknown>, leds: LedPort | null) {
  const dir = await mkdtemp(join(tmpdir(), 'vk-provision-hw-'));
  dirs.push(dir);
  const usb = voyager();
  let out = '';
  await provision({
    configDir: dir,
    prompter: undefined,
    given: { ...EARLIER, ...given },
    enrolmentCode: undefined,
    hqKey: undefined,
    allowUnverified: false,
    gid: undefined,
    steps: [hardwareStep({ backend: async () => usb, hotplug: async () => null, leds: () => leds })],
    now: () => new Date(),
    write: (text) => {
      out += text;
    },
  });
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
  return { out, hardware: config.hardware };
}

it('lists the scanner attached, offers it, and walks each LED while the tech watches', async () => {
  const leds = new FakeLeds();
  const lit: string[] = [];
  const show = leds.show.bind(leds);
  leds.show = (line, pattern) => {
    if (pattern === 'on') lit.push(line);
    show(line, pattern);
  };
  const { out, hardware } = await provisionHardware(
    { hardware: { leds: { driver: 'gpio', green: '17', amber: '27', red: '22', blue: '23' } } },
    leds,
  );
  expect(out).toContain('Scanners attached:\n    0c2e:0b6a Voyager 1472g (HID-POS)');
  expect(out).toMatch(/Watch the green LED: lit for 0\.8 s/);
  expect(lit).toEqual(['green', 'amber', 'red', 'blue']);
  expect(out).toMatch(
    /[✓!] scanner and LEDs: .*scanner: found: 0c2e:0b6a Voyager 1472g \(HID-POS\) at \/dev\/hidraw3/,
  );
  // Scripted, the scanner is not pinned: the daemon takes the first one it finds, as this check did.
  expect(hardware.scanner).toEqual({ driver: 'hid', keyboardLayout: 'us' });
  expect(hardware.leds).toMatchObject({ driver: 'gpio', green: '17', blue: '23' });
});

it('on the console, offers the attached scanner as the answer to Enter', async () => {
  const step = hardwareStep({
    backend: async () => voyager(),
    hotplug: async () => null,
    leds: () => null,
  });
  const said: string[] = [];
  const draft = {};
  await step.prepare!(draft, (line) => said.push(line));
  const field = (path: string) => step.fields.find((f) => f.path === path)!;
  expect(field('hardware.scanner.vendorId').suggest!(draft)).toBe('0c2e');
  expect(field('hardware.scanner.productId').suggest!({ hardware: { scanner: { vendorId: '0c2e' } } })).toBe(
    '0b6a',
  );
  expect(field('hardware.scanner.productId').suggest!({ hardware: { scanner: { vendorId: '05e0' } } })).toBe(
    undefined,
  );
});

it('without LEDs or a scanner it says so and writes the configuration anyway', async () => {
  const { out, hardware } = await provisionHardware({ hardware: { scanner: { driver: 'none' } } }, null);
  expect(out).toMatch(/! scanner and LEDs: scanner: hardware.scanner.driver is "none"/);
  expect(out).toContain('LEDs: hardware.leds.driver is "none"');
  expect(hardware.scanner.driver).toBe('none');
});
