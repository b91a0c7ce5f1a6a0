import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SOUNDS, type SpeechPort, VOLUME } from '../../device/speech/speech-port.js';
import { readWav } from './wav-reader.js';

// What every speech adapter promises (device/speech/speech-port.ts), run against the recording fake and
// the real espeak-ng writing WAV files. Where the adapter writes audio, the files are checked too: a
// known script is heard as sound of a plausible length, not silence.

export interface SpeechUnderTest {
  port: SpeechPort;
  /** The WAV files written so far, in order; absent for an adapter that makes no audio. */
  files?: () => readonly string[];
}

/** About four seconds of Bokmål at a listening pace. */
const KNOWN_SCRIPT = 'Handlekurven. Tre varer. Å betale: nittito kroner og sytti øre.';
const LONG_SCRIPT = `${KNOWN_SCRIPT} `.repeat(6);

export function speechContract(name: string, make: () => Promise<SpeechUnderTest>): void {
  describe(`the speech port contract: ${name}`, () => {
    let under: SpeechUnderTest;
    beforeEach(async () => {
      under = await make();
    });
    afterEach(async () => {
      await under.port.close();
    });

    const lastFile = () => {
      const files = under.files?.() ?? [];
      return files[files.length - 1];
    };

    it('says a known script to its end, as sound of a plausible length', async () => {
      expect(await under.port.speak(KNOWN_SCRIPT, 'nb')).toBe('played');
      const file = lastFile();
      if (!under.files) return;
      expect(file).toMatch(/speech\.wav$/);
      const wav = await readWav(file!);
      expect(wav.channels).toBe(1);
      expect(wav.seconds).toBeGreaterThan(2);
      expect(wav.seconds).toBeLessThan(12);
      expect(wav.rms).toBeGreaterThan(0.01);
    });

    it('cuts off what it is saying for the next utterance, never queueing stale text', async () => {
      const stale = under.port.speak(LONG_SCRIPT, 'nb');
      const fresh = under.port.speak('Betalingen er godkjent.', 'nb');
      expect(await stale).toBe('interrupted');
      expect(await fresh).toBe('played');
    });

    it('stops at once when told, and a sound cuts speech off too', async () => {
      const cut = under.port.speak(LONG_SCRIPT, 'en');
      under.port.stop();
      expect(await cut).toBe('interrupted');
      const speech = under.port.speak(LONG_SCRIPT, 'en');
      const sound = under.port.play('warning');
      expect(await speech).toBe('interrupted');
      expect(await sound).toBe('played');
    });

    it('lets a sound end before speech that follows it, so both are heard', async () => {
      const sound = under.port.play('approved');
      const speech = under.port.speak('Takk for handelen!', 'nb');
      expect(await sound).toBe('played');
      expect(await speech).toBe('played');
      const another = under.port.play('good-scan');
      const overtaken = under.port.speak('Melk.', 'nb');
      const latest = under.port.speak('Brød.', 'nb');
      expect([await another, await overtaken, await latest]).toEqual(['played', 'interrupted', 'played']);
    });

    it('plays every sound: short, and louder at a higher volume', async () => {
      for (const sound of SOUNDS) {
        expect(await under.port.play(sound), sound).toBe('played');
        if (!under.files) continue;
        const wav = await readWav(lastFile()!);
        expect(wav.seconds, sound).toBeGreaterThan(0.05);
        expect(wav.seconds, sound).toBeLessThan(1.5);
        expect(wav.rms, sound).toBeGreaterThan(0.01);
      }
      if (!under.files) return;
      under.port.setVolume(50);
      await under.port.play('good-scan');
      const soft = await readWav(lastFile()!);
      under.port.setVolume(100);
      await under.port.play('good-scan');
      const loud = await readWav(lastFile()!);
      expect(loud.peak).toBeGreaterThan(soft.peak * 1.5);
    });

    it('keeps the volume within its bounds', () => {
      expect(under.port.setVolume(1_000)).toBe(VOLUME.max);
      expect(under.port.setVolume(0)).toBe(VOLUME.min);
      expect(under.port.setVolume(60)).toBe(60);
      expect(under.port.volume()).toBe(60);
    });

    it('refuses to say nothing, and anything once closed', async () => {
      await expect(under.port.speak('  ', 'nb')).rejects.toThrow('nothing to say');
      await under.port.close();
      await expect(under.port.speak('Hei', 'nb')).rejects.toThrow('closed');
      await expect(under.port.play('approved')).rejects.toThrow('closed');
    });
  });
}
