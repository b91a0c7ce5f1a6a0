import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FileSink } from '../../device/speech/audio-sink.js';
import { EspeakSpeech } from '../../device/speech/espeak-speech.js';
import { RecordingSpeech } from '../../device/speech/recording-speech.js';
import { messagesOf } from '../../ui/i18n/index.js';
import { PressedKeys } from '../speech/pressed-keys.js';
import { readWav } from '../speech/wav-reader.js';
import { launchChromium } from '../support/chromium.js';
import { BREAD, fold, KIOSK_SMALL, MILK, until, Walkthrough } from './walkthrough.js';

// Done when (issue 19): a customer who cannot see pays with the tactile keys and headphones alone. The
// whole daemon against the sandbox, the real screen in Chromium, the real espeak-ng writing WAV files (no
// sound card), and keys pressed through the KeyPort. The test hears what the customer hears: the texts
// the page had spoken (recorded on their way to the engine) and the engine's audio files.

const t = messagesOf('nb', 'NO');

let browser: Browser;
let folder: string;
beforeAll(async () => {
  browser = await launchChromium();
  folder = await mkdtemp(join(tmpdir(), 'vk-speech-e2e-'));
});
afterAll(async () => {
  await browser?.close();
  await rm(folder, { recursive: true, force: true });
});

it('a customer who cannot see scans, hears the total, types their number with the keys, pays and hears the outcome', async () => {
  const keys = new PressedKeys();
  const sink = new FileSink(folder);
  const engineErrors: string[] = [];
  const engine = new EspeakSpeech({
    sink,
    fallbackVoice: 'nb',
    volume: 100,
    onError: (message) => engineErrors.push(message),
  });
  const speech = new RecordingSpeech(engine);
  const walk = new Walkthrough(browser, 'speech-mode');
  try {
    await walk.start(KIOSK_SMALL, { keys, speech });
    const ola = walk.kiosk.sandbox.customers[1]!;
    let heard = 0;
    /** Waits for the next thing said that matches, and returns it folded. */
    const hears = (expected: string | RegExp) =>
      until(
        `speech saying ${String(expected)}`,
        async () => {
          const said = speech.said().slice(heard).map(fold);
          const found = said.findIndex((text) =>
            typeof expected === 'string' ? text.includes(expected) : expected.test(text),
          );
          if (found === -1) return said.join(' / ');
          heard += found + 1;
          return said[found]!;
        },
        (text) => (typeof expected === 'string' ? text.includes(expected) : expected.test(text)),
      );
    /** Presses next (or previous) until the focus says `spoken` (at most once round the screen). */
    const focusOn = async (spoken: string, key: 'next' | 'previous' = 'next') => {
      for (let step = 0; step < 40; step++) {
        keys.press(key);
        if ((await hears(/./)) === spoken) return;
      }
      throw new Error(`the focus never reached ${spoken}`);
    };
    const button = (label: string) => fold(t.speech.button(label));

    keys.press('speech');
    await hears(t.speech.started);
    expect((await walk.state()).speech).toEqual({ on: true, volume: 100 });

    await walk.scan(MILK);
    await hears('Melk 1 l er lagt i handlekurven. Handlekurven. 1 vare. Å betale: 24,90 kr.');
    await walk.scan(BREAD);
    await hears('Brød grovt er lagt i handlekurven. Handlekurven. 2 varer. Å betale: 67,80 kr.');

    // Each basket line on request: the focus stops on it and reads it.
    await focusOn(fold(t.speech.basket.line(1, 'Melk 1 l', '24,90 kr')));
    await focusOn(button(t.basket.pay));
    keys.press('select');
    await hears('Betaling. Å betale: 67,80 kr.');

    // The keypad reads 1…9 then 0: a customer goes back for a lower digit rather than round the screen.
    const order = '1234567890';
    let at = '';
    for (const digit of ola.msisdn.slice(2)) {
      await focusOn(button(digit), at && order.indexOf(digit) < order.indexOf(at) ? 'previous' : 'next');
      at = digit;
      keys.press('select');
      await hears(/^Tastet: /);
    }
    await walk.textOf('keypad-display', '987 65 432');
    await focusOn(button(t.identify.send));
    keys.press('select');
    await hears(
      'Godkjenn 67,80 kr i Vipps-appen på telefonen din. Forespørselen er sendt til nummeret som slutter på 3, 2.',
    );

    const ref = await walk.reference();
    await walk.openPhone(ola);
    await walk.decideOnPhone(ref, 'approve', 'AUTHORIZED');
    walk.kiosk.clock.increment(5_000);
    const outcome = await hears('Takk for handelen! 67,80 kr er betalt.');
    await walk.onScreen('approved');

    // The outcome is heard to its end: the approved sound first, then the words, as sound and not silence.
    const last = await until(
      'the outcome played to its end',
      async () =>
        String(
          speech.heard.find((entry) => entry.kind === 'speech' && fold(entry.text) === outcome)?.outcome,
        ),
      'played',
    );
    expect(last).toBe('played');
    expect(speech.sounds()).toEqual(['good-scan', 'good-scan', 'approved']);
    const wav = await readWav(sink.files.filter((file) => file.endsWith('-speech.wav')).at(-1)!);
    expect(wav.seconds).toBeGreaterThan(3);
    expect(wav.rms).toBeGreaterThan(0.01);
    expect(engineErrors).toEqual([]);

    // Done with the keys: the session ends, and so does speech mode; the next customer's long press
    // anywhere on the screen starts it again.
    await focusOn(button(t.approved.done));
    keys.press('select');
    await walk.onScreen('attract');
    await until(
      'speech mode after the session',
      async () => String((await walk.state()).speech?.on),
      'false',
    );
    await walk.screen.mouse.move(400, 300);
    await walk.screen.mouse.down();
    await hears(t.speech.started);
    await walk.screen.mouse.up();
    expect((await walk.state()).speech?.on).toBe(true);
  } finally {
    const errors = walk.errors.splice(0);
    await walk.stop();
    expect(errors, 'errors in the kiosk or phone page').toEqual([]);
  }
}, 120_000);
