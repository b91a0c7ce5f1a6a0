import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../device/config/schema.js';
import { FakeKeys } from '../../device/hardware/fake-keys.js';
import { HardwareError } from '../../device/hardware/hardware-error.js';
import type { KeyPort } from '../../device/hardware/key-port.js';
import { keySelftest } from '../../device/hardware/key-selftest.js';

const keySettings = (keys: Record<string, unknown>) => settingsSchema.shape.hardware.parse({ keys }).keys;

describe('vipps-kiosk selftest, the keys line', () => {
  it('names each key claimed with its pin, and lets the lines go again', async () => {
    const keys = new FakeKeys(['speech', 'volume-up']);
    const check = await keySelftest(keySettings({ driver: 'gpio' }), keys);
    expect(check).toEqual({
      name: 'keys',
      status: 'pass',
      detail: 'lines claimed: speech (GPIO 5), volume-up (GPIO 20)',
    });
    expect(keys.keys()).toEqual([]);
  });

  it('warns without keys, and fails with the reason a tech can act on when the lines cannot be had', async () => {
    expect(await keySelftest(keySettings({}), null)).toMatchObject({ status: 'warn', detail: /long press/ });
    const taken: KeyPort = {
      start: async () => {
        throw new HardwareError(
          "cannot claim the tactile keys' GPIO lines: EBUSY (another program may hold them)",
        );
      },
      stop: async () => {},
      keys: () => [],
      subscribe: () => () => {},
    };
    expect(await keySelftest(keySettings({ driver: 'gpio' }), taken)).toMatchObject({
      status: 'fail',
      detail: /another program may hold them/,
    });
    const unwired = new HardwareError('hardware.keys.driver is "gpio" but hardware.keys.lines wires no key');
    expect(await keySelftest(keySettings({ driver: 'gpio', lines: {} }), unwired)).toEqual({
      name: 'keys',
      status: 'fail',
      detail: unwired.message,
    });
  });
});
