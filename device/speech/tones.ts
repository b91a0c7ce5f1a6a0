import type { Sound } from './speech-port.js';
import { pcmWav, SAMPLE_RATE } from './wav.js';

// The kiosk's sounds, made in code (no audio files in the repository): short sine notes, each faded in
// and out so they click neither on nor off. Distinct by pitch and direction, so they are told apart
// without seeing the screen: up is good, down is not, repeated is "hurry".

interface Note {
  hz: number;
  ms: number;
}

const REST = 0;

const MELODIES: Readonly<Record<Sound, readonly Note[]>> = {
  'good-scan': [{ hz: 1_320, ms: 90 }],
  'not-recognised': [
    { hz: 330, ms: 160 },
    { hz: REST, ms: 60 },
    { hz: 330, ms: 160 },
  ],
  approved: [
    { hz: 660, ms: 120 },
    { hz: 880, ms: 120 },
    { hz: 1_320, ms: 220 },
  ],
  declined: [
    { hz: 523, ms: 180 },
    { hz: 392, ms: 180 },
    { hz: 262, ms: 300 },
  ],
  warning: [
    { hz: 988, ms: 110 },
    { hz: REST, ms: 90 },
    { hz: 988, ms: 110 },
    { hz: REST, ms: 90 },
    { hz: 988, ms: 110 },
  ],
};

/** A modest level at full volume: a signal beside the screen, not an alarm across the shop. */
const PEAK = 0.35;
const FADE_MS = 8;

/** The sound as a WAV file at `volume` per cent. */
export function toneWav(sound: Sound, volume: number): Buffer {
  const notes = MELODIES[sound];
  const total = notes.reduce((sum, note) => sum + samplesOf(note.ms), 0);
  const samples = new Float32Array(total);
  const amplitude = PEAK * (volume / 100);
  const fade = samplesOf(FADE_MS);
  let at = 0;
  for (const note of notes) {
    const length = samplesOf(note.ms);
    if (note.hz !== REST) {
      for (let i = 0; i < length; i++) {
        const envelope = Math.min(1, i / fade, (length - 1 - i) / fade);
        samples[at + i] = amplitude * envelope * Math.sin((2 * Math.PI * note.hz * i) / SAMPLE_RATE);
      }
    }
    at += length;
  }
  return pcmWav(samples);
}

function samplesOf(ms: number): number {
  return Math.round((SAMPLE_RATE * ms) / 1000);
}
