import { expect, it } from 'vitest';
import { RecordingSpeech } from '../../device/speech/recording-speech.js';
import { speechContract } from './speech-contract.js';

speechContract('the recording fake', async () => ({ port: new RecordingSpeech() }));

it('records what was said and played, in order, with the language and the volume', async () => {
  const speech = new RecordingSpeech(undefined, 70);
  await speech.play('good-scan');
  await speech.speak('Melk er lagt i handlekurven', 'nb');
  expect(speech.heard).toEqual([
    { kind: 'sound', sound: 'good-scan', volume: 70 },
    { kind: 'speech', text: 'Melk er lagt i handlekurven', language: 'nb', volume: 70 },
  ]);
  expect(speech.said()).toEqual(['Melk er lagt i handlekurven']);
  await expect(speech.speak('Hei', 'norsk')).rejects.toThrow('not a language');
});
