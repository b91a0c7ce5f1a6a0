import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aplayCommand, FileSink } from '../../device/speech/audio-sink.js';
import { EspeakSpeech, espeakCommand, VOICES } from '../../device/speech/espeak-speech.js';
import { speechContract } from './speech-contract.js';

// The real engine (Debian's espeak-ng, which CI installs) writing WAV files: no sound card needed.

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

speechContract('espeak-ng writing WAV files', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'vk-speech-'));
  folders.push(folder);
  const sink = new FileSink(folder);
  const port = new EspeakSpeech({
    sink,
    fallbackVoice: 'nb',
    volume: 100,
    // A missing engine or a failing write must fail the run, not pass quietly as silence.
    onError: (message) => {
      throw new Error(message);
    },
  });
  return { port, files: () => sink.files };
});

describe('the command lines', () => {
  it('plays through aplay on the configured ALSA device, from stdin', () => {
    expect(aplayCommand('plughw:CARD=Headphones')).toEqual({
      command: 'aplay',
      args: ['-q', '-D', 'plughw:CARD=Headphones', '-t', 'wav', '-'],
    });
  });

  it('reads the text from stdin (never argv) at the volume, and Nynorsk with the Bokmål voice', () => {
    expect(espeakCommand(VOICES.nn!, 70)).toEqual({
      command: 'espeak-ng',
      args: ['-v', 'nb', '-a', '70', '-s', '160', '--stdin', '--stdout'],
    });
    expect(VOICES.en).toBe('en-gb');
  });
});
