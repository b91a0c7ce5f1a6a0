import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { RECOMMENDED_KEY_LINES } from '../../device/config/key-lines.js';
import { settingsSchema } from '../../device/config/schema.js';
import { FakeKeys } from '../../device/hardware/fake-keys.js';
import { HardwareError } from '../../device/hardware/hardware-error.js';
import { keysFor } from '../../device/hardware/kiosk-hardware.js';
import { OnoffKeys } from '../../device/hardware/onoff-keys.js';

// The tactile keys a configuration asks for, and the fake's strictness (it stands in for them in tests and `demo --speech`).

describe('keysFor', () => {
  it('gives none by default (the demo too), and GPIO keys on the recommended pins when asked', () => {
    const keys = (hardware: Record<string, unknown>) => settingsWith(hardware).keys;
    expect(keys({}).driver).toBe('none');
    expect(keysFor(keys({}), silentLogger)).toBeNull();
    const gpio = keys({ keys: { driver: 'gpio' } });
    expect(gpio.lines).toEqual(RECOMMENDED_KEY_LINES);
    expect(gpio).toMatchObject({ longPressMs: 1000, debounceMs: 30 });
    expect(keysFor(gpio, silentLogger)).toBeInstanceOf(OnoffKeys);
  });

  it('refuses GPIO keys with no key wired, and a key the kiosk does not know', () => {
    const none = settingsWith({ keys: { driver: 'gpio', lines: {} } }).keys;
    expect(() => keysFor(none, silentLogger)).toThrow(HardwareError);
    expect(() => settingsWith({ keys: { driver: 'gpio', lines: { pay: '5' } } })).toThrow(/pay/);
  });
});

describe('the fake keys', () => {
  it('are strict: no press while stopped, nor of a key that is not wired', async () => {
    const keys = new FakeKeys(['speech', 'next']);
    const heard: string[] = [];
    keys.subscribe((p) => heard.push(`${p.key}${p.long ? ' long' : ''}`));
    expect(() => keys.press('speech')).toThrow(/stopped/);
    await keys.start();
    expect(() => keys.press('select')).toThrow(/not wired/);
    keys.press('speech', true);
    keys.press('next');
    await keys.stop();
    expect(() => keys.press('next')).toThrow(/stopped/);
    expect(heard).toEqual(['speech long', 'next']);
  });
});

/** The hardware section as the daemon reads it from config.json. */
function settingsWith(hardware: Record<string, unknown>) {
  return settingsSchema.shape.hardware.parse(hardware);
}
