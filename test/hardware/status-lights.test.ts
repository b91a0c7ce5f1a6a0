import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScreenModel, ScreenName } from '../../contracts/screen-model.js';
import { FakeLeds } from '../../device/hardware/fake-leds.js';
import { LED_TABLE, type LedMeaning, ledMeaning } from '../../device/hardware/led-table.js';
import { GOOD_READ_FLASH_MS, StatusLights } from '../../device/hardware/status-lights.js';

const ready = { region: 'ready', scanner: 'attached' } as const;
const degraded = { region: 'degraded', scanner: 'missing' } as const;

describe('the LED table', () => {
  it.each<[ScreenName, boolean, boolean, ScreenModel['device'], LedMeaning]>([
    ['attract', true, false, ready, 'ready'],
    ['basket', true, false, ready, 'ready'],
    ['paying', true, false, ready, 'busy'],
    ['capturing', true, false, ready, 'busy'],
    ['awaiting-approval', true, false, ready, 'waiting-for-approval'],
    ['club-checking', true, false, ready, 'busy'],
    ['club-consent', true, false, ready, 'waiting-for-approval'],
    ['club-offer', true, false, ready, 'ready'],
    ['approved', true, false, ready, 'approved'],
    ['declined', true, false, ready, 'declined'],
    ['unavailable', false, false, ready, 'error'],
    ['out-of-order', true, false, ready, 'error'],
    ['attract', true, false, degraded, 'degraded'],
    ['identify', false, false, ready, 'degraded'],
    ['maintenance', true, false, degraded, 'maintenance'],
    ['awaiting-approval', true, true, ready, 'identify'],
  ])(
    '%s (Vipps reachable %s, identify %s, device %o) shows %s',
    (screen, vippsReachable, identifying, device, meaning) => {
      expect(ledMeaning({ screen, vippsReachable, identifying, device })).toBe(meaning);
    },
  );

  it('gives every meaning a look of its own', () => {
    const looks = Object.values(LED_TABLE).map((s) => `${s.line}/${s.pattern}`);
    expect(new Set(looks).size).toBe(looks.length);
  });
});

describe('status lights', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  // What the checkout hands the lights for a screen: the table row, and the latest scan feedback.
  const show = (
    lights: StatusLights,
    screen: ScreenName,
    seq: number | null,
    kind: 'added' | 'unknown-item' = 'added',
  ) =>
    lights.show(
      ledMeaning({ screen, vippsReachable: true, identifying: false, device: ready }),
      seq === null ? null : { seq, kind },
    );

  it('lights the table row, one line at a time, and flashes green on a good read only', async () => {
    const leds = new FakeLeds();
    const ended = vi.fn();
    const lights = new StatusLights(leds, { now: () => Date.now() });
    lights.onFlashEnd(ended);
    await lights.start();
    show(lights, 'attract', null);
    expect(leds.state()).toEqual({ green: 'on', amber: 'off', red: 'off', blue: 'off' });
    show(lights, 'awaiting-approval', null);
    expect(leds.state()).toEqual({ green: 'off', amber: 'off', red: 'off', blue: 'blink' });
    expect(lights.shown()).toEqual({ status: 'blue', blink: true });

    show(lights, 'basket', 1);
    show(lights, 'basket', 2);
    expect(leds.state()).toMatchObject({ green: 'on', blue: 'off' });
    expect(lights.shown()).toEqual({ status: 'green', blink: false });
    vi.advanceTimersByTime(GOOD_READ_FLASH_MS);
    expect(ended).toHaveBeenCalledOnce();
    expect(leds.state()).toMatchObject({ green: 'on', blue: 'off' });

    // A flash ends early when the kiosk moves on: paying matters more than the read's confirmation.
    show(lights, 'basket', 3);
    expect(lights.shown()).toEqual({ status: 'green', blink: false });
    show(lights, 'awaiting-approval', 3);
    expect(leds.state()).toMatchObject({ green: 'off', blue: 'blink' });

    show(lights, 'awaiting-approval', 4, 'unknown-item');
    expect(leds.state()).toMatchObject({ green: 'off', blue: 'blink' });
    await lights.stop();
    expect(leds.state()).toEqual({});
  });
});
