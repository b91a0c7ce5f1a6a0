import type { Settings } from '../config/schema.js';
import { HardwareError } from './hardware-error.js';
import { KEY_SETTING } from './key-lines.js';
import type { KeyPort } from './key-port.js';
import type { SelftestCheck } from './selftest-check.js';

/**
 * The tactile keys' line of `vipps-kiosk selftest`: the keys whose lines could be claimed, with their
 * pins. No key has to be pressed (a tech checks them in speech mode on the running kiosk).
 * `keys` is what keysFor() made of the settings, or the HardwareError it threw.
 */
export async function keySelftest(
  settings: Settings['hardware']['keys'],
  keys: KeyPort | null | HardwareError,
): Promise<SelftestCheck> {
  const name = 'keys';
  if (keys instanceof HardwareError) return { name, status: 'fail', detail: keys.message };
  if (keys === null) {
    return {
      name,
      status: 'warn',
      detail:
        'hardware.keys.driver is "none": no tactile keys, so a customer who cannot see the screen starts speech mode only by a long press on it',
    };
  }
  try {
    await keys.start();
  } catch (error) {
    return { name, status: 'fail', detail: (error as Error).message };
  }
  try {
    const claimed = keys.keys().map((key) => `${key} (GPIO ${settings.lines[KEY_SETTING[key]]})`);
    return { name, status: 'pass', detail: `lines claimed: ${claimed.join(', ')}` };
  } finally {
    await keys.stop();
  }
}
