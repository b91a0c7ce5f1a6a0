import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import type { ScreenKeyPress } from '../../contracts/speech.js';
import { DEFAULT_TIMING } from '../../device/checkout/ports.js';
import { openSpeech, type RunningSpeech } from '../../device/speech/open-speech.js';
import { RecordingSpeech } from '../../device/speech/recording-speech.js';
import { APPROVAL_WARNING_MS } from '../../device/speech/sound-cues.js';
import { CheckoutHarness } from '../support/checkout-harness.js';
import { PressedKeys } from './pressed-keys.js';

// Speech mode's daemon half and the sound cues, on the real checkout (and the sandbox as Vipps) with its
// timers on the simulated clock, the keys pressed through the KeyPort, and the recording fake as engine.

const MILK = '2000000000015';
const SETTINGS = { enabled: false, alsaDevice: 'default', volume: 70, voices: {} };

let harness: CheckoutHarness;
let speech: RecordingSpeech;
let keys: PressedKeys;
let running: RunningSpeech;
let toPage: ScreenKeyPress[];

beforeEach(async () => {
  harness = await new CheckoutHarness().start();
  speech = new RecordingSpeech(undefined, SETTINGS.volume);
  keys = new PressedKeys();
  running = openSpeech(SETTINGS, {
    checkout: harness.service,
    port: speech,
    keys,
    clock: harness.clock,
    logger: silentLogger,
  })!;
  await running.start();
  toPage = [];
  running.mode.onKey((press) => toPage.push(press));
});

afterEach(async () => {
  await running.stop();
  await harness.stop();
});

describe('speech mode', () => {
  it('is off without an engine and speech.enabled off', () => {
    expect(openSpeech(SETTINGS, { checkout: harness.service, logger: silentLogger })).toBeUndefined();
  });

  it('starts with the speech key or any key, passes navigation to the page only while on, and stops', () => {
    expect(harness.service.model().theme).toBe('standard');
    keys.press('next');
    expect(running.mode.state()).toEqual({ on: true, volume: 70 });
    // Large text and high contrast come on with speech (EN 301 549: on by default in speech mode).
    expect(harness.service.model().theme).toBe('high-contrast');
    expect(toPage).toEqual([]);
    keys.press('select', true);
    expect(toPage).toEqual([{ key: 'select', long: true }]);
    running.mode.request({ type: 'speak', text: 'Handlekurven.', lang: 'nb', interrupt: true });
    keys.press('speech', true);
    expect(speech.said()).toEqual(['Handlekurven.', 'Handlekurven.']);
    keys.press('speech');
    expect(running.mode.state().on).toBe(false);
    running.mode.request({ type: 'speak', text: 'Stale words', lang: 'nb', interrupt: true });
    expect(speech.said()).toHaveLength(2);
    running.mode.request({ type: 'speech-mode', on: true });
    expect(running.mode.state().on).toBe(true);
  });

  it('moves the volume in steps within its bounds, with a tick at each new level', () => {
    for (let i = 0; i < 5; i++) keys.press('volume-up');
    expect(running.mode.state().volume).toBe(100);
    keys.press('volume-down');
    expect(running.mode.state().volume).toBe(90);
    expect(speech.heard.filter((entry) => entry.kind === 'sound').map((entry) => entry.volume)).toEqual([
      80, 90, 100, 100, 100, 90,
    ]);
  });

  it('ends with the session: the next customer finds the kiosk silent', async () => {
    keys.press('speech');
    harness.scan(MILK);
    await harness.until('basket');
    expect(running.mode.state().on).toBe(true);
    harness.send({ type: 'start-over' });
    await harness.until('attract');
    expect(running.mode.state().on).toBe(false);
  });

  it('takes a key press during the idle warning as "still here", as a touch', async () => {
    keys.press('speech');
    harness.scan(MILK);
    await harness.until('basket');
    harness.advance(DEFAULT_TIMING.idleAfterMs);
    await harness.waitFor((model) => model.idleWarning !== null, 'the idle warning');
    expect(speech.sounds()).toEqual(['good-scan', 'warning']);
    keys.press('next');
    await harness.waitFor((model) => model.idleWarning === null, 'the warning gone');
    expect(harness.model.screen).toBe('basket');
    expect(toPage).toEqual([]);
  });
});

describe('sound cues, in every mode', () => {
  it('sound each scan, a warning before the approval window closes, and the outcome', async () => {
    harness.scan('not a product');
    await harness.waitFor((model) => model.feedback !== null, 'scan feedback');
    const reference = await harness.startPayment();
    const { payment, now } = harness.model;
    expect(speech.sounds()).toEqual(['not-recognised', 'good-scan', 'good-scan', 'good-scan']);
    harness.advance(payment!.expiresAt! - APPROVAL_WARNING_MS - now - 1);
    expect(speech.sounds()).toHaveLength(4);
    harness.advance(1);
    expect(speech.sounds().at(-1)).toBe('warning');
    await harness.control.act(reference, 'approve');
    harness.advance(5_000);
    await harness.until('approved');
    expect(speech.sounds().at(-1)).toBe('approved');
    expect(running.mode.state().on).toBe(false);
  });
});
