import { spawn } from 'node:child_process';
import type { AudioSink, Playback } from './audio-sink.js';
import { clampVolume, type PlayOutcome, type Sound, type SpeechPort } from './speech-port.js';
import { toneWav } from './tones.js';

// Speech through espeak-ng (Debian's package; it runs in real time on a Pi), one process per utterance:
// its WAV output goes to the sink, and cutting an utterance short kills the engine and the playback.

/**
 * The espeak-ng voice for each language the screen speaks. Where espeak-ng has no voice, the nearest one
 * reads the text: Bokmål for Nynorsk (the README says so). Configuration (`speech.voices`) overrides.
 */
export const VOICES: Readonly<Record<string, string>> = {
  nb: 'nb',
  nn: 'nb',
  da: 'da',
  sv: 'sv',
  fi: 'fi',
  en: 'en-gb',
};

/** Words a minute: a little slower than espeak-ng's 175, for listening in a shop. */
const RATE = 160;

/** espeak-ng reading the text from stdin and writing WAV to stdout; 100 % volume is its normal amplitude. */
export function espeakCommand(voice: string, volume: number): { command: string; args: string[] } {
  return {
    command: 'espeak-ng',
    args: ['-v', voice, '-a', String(clampVolume(volume)), '-s', String(RATE), '--stdin', '--stdout'],
  };
}

export interface EspeakSpeechOptions {
  sink: AudioSink;
  /** Per-language voice overrides on top of VOICES. */
  voices?: Readonly<Record<string, string>>;
  /** The voice for a language neither VOICES nor the overrides know. */
  fallbackVoice: string;
  volume: number;
  /** A field tech's line for the log: the engine or the player is missing or failed. */
  onError: (message: string) => void;
}

export class EspeakSpeech implements SpeechPort {
  private current: { kind: 'speech' | 'sound'; stop(): void; ended: Promise<unknown> } | null = null;
  /** Counts what was asked for, so speech waiting for a sound to end knows when it has been overtaken. */
  private turns = 0;
  private level: number;
  private closed = false;

  constructor(private readonly options: EspeakSpeechOptions) {
    this.level = clampVolume(options.volume);
  }

  async speak(text: string, language: string): Promise<PlayOutcome> {
    if (this.closed) throw new Error('speech is closed');
    if (!text.trim()) throw new Error('nothing to say');
    // Speech cuts speech off, but lets a sound (under a second) end: "approved" is heard, then the words.
    const turn = ++this.turns;
    if (this.current?.kind === 'speech') this.cut();
    await this.current?.ended;
    if (turn !== this.turns || this.closed) return 'interrupted';
    this.cut();
    const voice = this.options.voices?.[language] ?? VOICES[language] ?? this.options.fallbackVoice;
    const { command, args } = espeakCommand(voice, this.level);
    const engine = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    const playback = this.options.sink.start('speech');
    engine.stdout.pipe(playback.input);
    engine.stdin.on('error', () => {});
    engine.stdin.end(text);
    const spoken = new Promise<boolean>((resolve) => {
      engine.on('error', (error) => {
        this.options.onError(`cannot speak with espeak-ng (package espeak-ng): ${error.message}`);
        playback.stop();
        resolve(false);
      });
      engine.on('exit', (code) => resolve(code === 0));
    });
    return this.track('speech', playback, spoken, () => engine.kill());
  }

  play(sound: Sound): Promise<PlayOutcome> {
    if (this.closed) return Promise.reject(new Error('speech is closed'));
    this.stop();
    const playback = this.options.sink.start(sound);
    playback.input.end(toneWav(sound, this.level));
    return this.track('sound', playback, Promise.resolve(true), () => {});
  }

  stop(): void {
    this.turns += 1;
    this.cut();
  }

  private cut(): void {
    this.current?.stop();
    this.current = null;
  }

  volume(): number {
    return this.level;
  }

  setVolume(percent: number): number {
    this.level = clampVolume(percent);
    return this.level;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop();
  }

  private async track(
    kind: 'speech' | 'sound',
    playback: Playback,
    produced: Promise<boolean>,
    kill: () => void,
  ): Promise<PlayOutcome> {
    let interrupted = false;
    const ended = Promise.all([produced, playback.finished]);
    const handle = {
      kind,
      ended,
      stop: () => {
        interrupted = true;
        kill();
        playback.stop();
      },
    };
    this.current = handle;
    const [made, played] = await ended;
    if (this.current === handle) this.current = null;
    if (interrupted) return 'interrupted';
    return made && played ? 'played' : 'failed';
  }
}
