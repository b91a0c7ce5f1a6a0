import { clampVolume, type PlayOutcome, type Sound, type SpeechPort } from './speech-port.js';

// The strict recording fake of the speech port (tests, the demo without audio), or a recorder in front of
// a real engine: it keeps everything said and played, in order, so a test asserts on what a customer
// heard. Alone, an utterance "plays" until the next turn of the event loop, and the next one cuts it off.

/** `outcome`: how it ended, once it has (a test waits for what it then reads back from a file). */
export type Heard = (
  | { kind: 'speech'; text: string; language: string; volume: number }
  | { kind: 'sound'; sound: Sound; volume: number }
) & { outcome?: PlayOutcome };

export class RecordingSpeech implements SpeechPort {
  readonly heard: Heard[] = [];
  private current: { kind: 'speech' | 'sound'; stop(): void; ended: Promise<unknown> } | null = null;
  private turns = 0;
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

  async speak(text: string, language: string): Promise<PlayOutcome> {
    if (this.closed) throw new Error('speech is closed');
    if (!text.trim()) throw new Error('nothing to say');
    if (!/^[a-z]{2,3}$/.test(language)) throw new Error(`not a language: ${language}`);
    const entry: Heard = { kind: 'speech', text, language, volume: this.level };
    this.heard.push(entry);
    if (this.through) return ended(entry, this.through.speak(text, language));
    // As the engines do: speech cuts speech off, but lets a sound end first.
    const turn = ++this.turns;
    if (this.current?.kind === 'speech') this.cut();
    await this.current?.ended;
    if (turn !== this.turns || this.closed) return 'interrupted';
    return this.pretend('speech');
  }

  play(sound: Sound): Promise<PlayOutcome> {
    if (this.closed) return Promise.reject(new Error('speech is closed'));
    const entry: Heard = { kind: 'sound', sound, volume: this.level };
    this.heard.push(entry);
    if (this.through) return ended(entry, this.through.play(sound));
    this.stop();
    return this.pretend('sound');
  }

  stop(): void {
    this.turns += 1;
    this.cut();
    this.through?.stop();
  }

  private cut(): void {
    this.current?.stop();
    this.current = null;
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

  private pretend(kind: 'speech' | 'sound'): Promise<PlayOutcome> {
    this.cut();
    let stop = () => {};
    const ended = new Promise<PlayOutcome>((resolve) => {
      const timer = setImmediate(() => {
        if (this.current === handle) this.current = null;
        resolve('played');
      });
      stop = () => {
        clearImmediate(timer);
        resolve('interrupted');
      };
    });
    const handle = { kind, ended, stop };
    this.current = handle;
    return ended;
  }
}

async function ended(entry: Heard, playing: Promise<PlayOutcome>): Promise<PlayOutcome> {
  entry.outcome = await playing;
  return entry.outcome;
}
