import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

// Where the kiosk's audio goes: ALSA (the headphone jack or a USB headset) through `aplay`, one process per
// utterance so that killing it is the interruption; or WAV files in a folder, for tests and CI machines
// without a sound card.

/** One WAV stream being played: write it to `input`; `stop` cuts it off. */
export interface Playback {
  input: Writable;
  /** True when the whole stream was played (or written), false when it was cut off or failed. */
  finished: Promise<boolean>;
  stop(): void;
}

export interface AudioSink {
  /** `label` names what plays (`speech`, `good-scan`…) in a file name or a log line. */
  start(label: string): Playback;
}

/** `aplay` reading one WAV stream from stdin, quietly, on the configured ALSA device. */
export function aplayCommand(device: string): { command: string; args: string[] } {
  return { command: 'aplay', args: ['-q', '-D', device, '-t', 'wav', '-'] };
}

export class AlsaSink implements AudioSink {
  constructor(
    private readonly device: string,
    private readonly onError: (message: string) => void,
  ) {}

  start(label: string): Playback {
    const { command, args } = aplayCommand(this.device);
    const player = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    player.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + String(chunk)).slice(-500);
    });
    // A player killed mid-stream closes its stdin: the writer's EPIPE is the interruption, not a fault.
    player.stdin.on('error', () => {});
    let stopped = false;
    const finished = new Promise<boolean>((resolve) => {
      player.on('error', (error) => {
        this.onError(`cannot play ${label} with aplay (package alsa-utils): ${error.message}`);
        resolve(false);
      });
      player.on('exit', (code) => {
        if (code !== 0 && !stopped)
          this.onError(`aplay on ALSA device "${this.device}" failed (${code}): ${stderr.trim()}`);
        resolve(code === 0 && !stopped);
      });
    });
    return {
      input: player.stdin,
      finished,
      stop: () => {
        stopped = true;
        player.kill();
      },
    };
  }
}

/** Each stream to `<folder>/<nnnn>-<label>.wav`, numbered in the order played; `files` lists them. */
export class FileSink implements AudioSink {
  private count = 0;
  readonly files: string[] = [];

  constructor(private readonly folder: string) {}

  start(label: string): Playback {
    this.count += 1;
    const file = join(this.folder, `${String(this.count).padStart(4, '0')}-${label}.wav`);
    this.files.push(file);
    const output = createWriteStream(file);
    let stopped = false;
    const finished = new Promise<boolean>((resolve) => {
      output.on('error', () => resolve(false));
      output.on('close', () => resolve(!stopped));
    });
    return {
      input: output,
      finished,
      stop: () => {
        stopped = true;
        output.destroy();
      },
    };
  }
}
