import { clampVolume, type PlayOutcome, type Sound, type SpeechPort } from './speech-port.js';

// The strict recording fake of the speech port (tests, the demo without audio), or a recorder in front of
// a real engine: it keeps everything said and played, in order, so a test asserts on what a customer
// heard. Alone, an utterance "plays" until the next turn of the event loop, and the next one cuts it off.

export type Heard =
  | { kind: 'speech'; text: string; language: string; volume: number }
  | { kind: 'sound'; sound: Sound; volume: number };

export class RecordingSpeech implements SpeechPort {
  readonly heard: Heard[] = [];
  private current: (() => void) | null = null;
  private level: number;
  private closed = false;

  /** `through`: the engine that really speaks; absent, nothing is heard but the record. */
  constructor(
    private readonly through?: SpeechPort,
    volume = 100,
  ) {
    this.level = clampVolume(through?.volume() ?? volume);
  }

  /** The texts said so far, in order. */
  said(): string[] {
    return this.heard.flatMap((entry) => (entry.kind === 'speech' ? [entry.text] : []));
  }

  sounds(): Sound[] {
    return this.heard.flatMap((entry) => (entry.kind === 'sound' ? [entry.sound] : []));
  }

  speak(text: string, language: string): Promise<PlayOutcome> {
    if (this.closed) return Promise.reject(new Error('speech is closed'));
    if (!text.trim()) return Promise.reject(new Error('nothing to say'));
    if (!/^[a-z]{2,3}$/.test(language)) return Promise.reject(new Error(`not a language: ${language}`));
    this.heard.push({ kind: 'speech', text, language, volume: this.level });
    return this.through ? this.through.speak(text, language) : this.pretend();
  }

  play(sound: Sound): Promise<PlayOutcome> {
    if (this.closed) return Promise.reject(new Error('speech is closed'));
    this.heard.push({ kind: 'sound', sound, volume: this.level });
    return this.through ? this.through.play(sound) : this.pretend();
  }

  stop(): void {
    this.current?.();
    this.current = null;
    this.through?.stop();
  }

  volume(): number {
    return this.level;
  }

  setVolume(percent: number): number {
    this.level = this.through ? this.through.setVolume(percent) : clampVolume(percent);
    return this.level;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    await this.through?.close();
  }

  private pretend(): Promise<PlayOutcome> {
    this.stop();
    return new Promise((resolve) => {
      const timer = setImmediate(() => {
        this.current = null;
        resolve('played');
      });
      this.current = () => {
        clearImmediate(timer);
        resolve('interrupted');
      };
    });
  }
}
