import { readFile } from 'node:fs/promises';

// Reads back a PCM WAV as the speech adapters write it, to check what a customer would hear: how long,
// and how loud. espeak-ng streams its WAV, so a data chunk's size may be a placeholder: the file's end wins.

export interface Wav {
  sampleRate: number;
  channels: number;
  seconds: number;
  /** Root mean square of the samples, 0…1. */
  rms: number;
  /** The largest sample, 0…1. */
  peak: number;
}

export async function readWav(file: string): Promise<Wav> {
  const bytes = await readFile(file);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error(`${file}: not a RIFF WAVE file`);
  let at = 12;
  let format: { channels: number; sampleRate: number; bits: number } | null = null;
  while (at + 8 <= bytes.length) {
    const id = bytes.toString('ascii', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (bytes.readUInt16LE(body) !== 1) throw new Error(`${file}: not PCM`);
      format = {
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        bits: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (format?.bits !== 16) throw new Error(`${file}: expected 16-bit PCM after a fmt chunk`);
      const end = Math.min(bytes.length, body + size);
      const count = Math.floor((end - body) / 2);
      let squares = 0;
      let peak = 0;
      for (let i = 0; i < count; i++) {
        const sample = bytes.readInt16LE(body + i * 2) / 32_768;
        squares += sample * sample;
        peak = Math.max(peak, Math.abs(sample));
      }
      return {
        sampleRate: format.sampleRate,
        channels: format.channels,
        seconds: count / format.channels / format.sampleRate,
        rms: count ? Math.sqrt(squares / count) : 0,
        peak,
      };
    }
    at = body + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}
