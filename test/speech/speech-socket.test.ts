import { afterEach, expect, it } from 'vitest';
import { RecordingSpeech } from '../../device/speech/recording-speech.js';
import { until } from '../e2e/walkthrough.js';
import { KioskUnderTest, ScreenSocket } from '../support/kiosk-under-test.js';
import { PressedKeys } from './pressed-keys.js';

// Speech mode on the screen socket of the whole daemon: the model carries it, keys go out to the page,
// and what the page asks to be said is checked as strictly as an intent.

const kiosks: KioskUnderTest[] = [];
afterEach(async () => {
  for (const kiosk of kiosks.splice(0)) await kiosk.stop();
});

async function start(options: Parameters<KioskUnderTest['start']>[0]) {
  const kiosk = await new KioskUnderTest().start(options);
  kiosks.push(kiosk);
  return { kiosk, socket: await new ScreenSocket().open(kiosk) };
}

const speak = (text: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'speak', text, lang: 'nb', interrupt: true, ...extra });

it('carries speech mode in the model, passes keys to the page and says only well-formed words while on', async () => {
  const speech = new RecordingSpeech();
  const keys = new PressedKeys();
  const { socket } = await start({ speech, keys });
  expect(socket.models[0]?.speech).toEqual({ on: false, volume: 100 });

  socket.raw(speak('Før talemodus'));
  // A refusal answers after it: the words before were taken in (and dropped) by then.
  socket.raw(speak('Hei', { lang: 'norsk' }));
  await until('the first refusal', async () => String(socket.errors.length), '1');
  keys.press('speech');
  await socket.next((model) => model.speech?.on === true);
  keys.press('next');
  await until(
    'the key on the socket',
    async () => JSON.stringify(socket.keys),
    '[{"key":"next","long":false}]',
  );

  socket.raw(speak('Handlekurven.'));
  socket.raw(speak('Hei', { volume: 100 }));
  socket.raw(JSON.stringify({ type: 'speak', text: '', lang: 'nb', interrupt: true }));
  socket.raw(speak('Hei', { lang: 'norsk' }));
  await until('four refusals', async () => String(socket.errors.length), '4');
  expect(socket.errors.every((error) => error.startsWith('not a speech request'))).toBe(true);
  expect(speech.said()).toEqual(['Handlekurven.']);
});

it('refuses speech on a kiosk without it, and its model has none', async () => {
  const { socket } = await start({});
  expect(socket.models[0]?.speech).toBeUndefined();
  socket.raw(speak('Hei'));
  await until('the refusal', async () => socket.errors.join(), 'this kiosk has no speech');
});
