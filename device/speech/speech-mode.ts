import type { Logger } from '../../common/log/logger.js';
import type { Intent, ScreenModel } from '../../contracts/screen-model.js';
import type { ScreenKeyPress, SpeechRequest, SpeechState } from '../../contracts/speech.js';
import type { KeyPress } from '../hardware/key-port.js';
import { type SpeechPort, steppedVolume } from './speech-port.js';

/** What speech mode needs of the checkout: its model, its changes, and the `still-here` intent. */
export interface SpeechCheckout {
  model(): ScreenModel;
  subscribe(listener: (model: ScreenModel) => void): () => void;
  dispatch(intent: Intent): { accepted: boolean };
  /** Sends the model again, so the screen sees speech mode change. */
  refresh(): void;
}

export type ScreenKeyListener = (press: ScreenKeyPress) => void;

/**
 * Speech mode, the daemon's half: whether it is on (until the session ends), the volume, the tactile keys
 * (speech and volume handled here, navigation passed to the page), and the page's words to the engine.
 * A key press while the idle warning shows only says "still here", as a touch on the warning does.
 */
export class SpeechMode {
  private on = false;
  private lastSaid: { text: string; lang: string } | null = null;
  private readonly keyListeners = new Set<ScreenKeyListener>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly speech: SpeechPort,
    private readonly checkout: SpeechCheckout,
    private readonly logger: Logger,
  ) {}

  start(): void {
    let screen = this.checkout.model().screen;
    this.unsubscribe = this.checkout.subscribe((model) => {
      const ended = model.screen === 'attract' && screen !== 'attract';
      screen = model.screen;
      // The next customer starts without it; what is being said (the outcome) is left to end.
      if (ended && this.on) this.set(false, { silence: false });
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.speech.close();
  }

  state(): SpeechState {
    return { on: this.on, volume: this.speech.volume() };
  }

  /** The page's navigation keys, while speech mode is on. */
  onKey(listener: ScreenKeyListener): () => void {
    this.keyListeners.add(listener);
    return () => this.keyListeners.delete(listener);
  }

  press(press: KeyPress): void {
    if (this.checkout.model().idleWarning) {
      this.checkout.dispatch({ type: 'still-here' });
      return;
    }
    switch (press.key) {
      case 'speech':
        if (press.long && this.on && this.lastSaid) this.say(this.lastSaid.text, this.lastSaid.lang);
        else this.set(!this.on, { silence: true });
        return;
      case 'volume-up':
      case 'volume-down':
        this.speech.setVolume(steppedVolume(this.speech.volume(), press.key === 'volume-up' ? 1 : -1));
        // A tick at the new level: the customer hears how loud it is now.
        void this.speech.play('good-scan').catch(() => {});
        this.checkout.refresh();
        return;
      default:
        // Any key starts speech mode for a customer who does not know which one is the speech key.
        if (!this.on) {
          this.set(true, { silence: true });
          return;
        }
        for (const listener of this.keyListeners) listener({ key: press.key, long: press.long });
    }
  }

  /** What the page asks: words to say (only while speech mode is on), or the long press that starts it. */
  request(request: SpeechRequest): void {
    if (request.type === 'speech-mode') {
      if (request.on !== this.on) this.set(request.on, { silence: true });
      return;
    }
    // A page a step behind (speech just turned off) is not an error a customer should see.
    if (this.on) this.say(request.text, request.lang);
  }

  private say(text: string, lang: string): void {
    this.lastSaid = { text, lang };
    this.speech.speak(text, lang).catch((error: unknown) => {
      this.logger.warn('speech failed', { error: String(error) });
    });
  }

  private set(on: boolean, { silence }: { silence: boolean }): void {
    this.on = on;
    if (!on) this.lastSaid = null;
    if (!on && silence) this.speech.stop();
    this.logger.info(on ? 'speech mode on' : 'speech mode off');
    // Many who need speech also read what they can: large text and high contrast come on with it (the
    // customer may switch it back), and go with the session, as speech mode does.
    if (on) this.checkout.dispatch({ type: 'theme', theme: 'high-contrast' });
    this.checkout.refresh();
  }
}
