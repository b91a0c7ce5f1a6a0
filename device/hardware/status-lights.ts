import type { LedStates, ScreenModel } from '../../contracts/screen-model.js';
import type { LedLine, LedPort } from './led-port.js';
import { LED_TABLE, type LedMeaning, ledMeaning } from './led-table.js';

/** A good read: the kiosk took the scan (an item added, a customer named). */
const GOOD_READS = new Set(['added', 'customer']);
export const GOOD_READ_FLASH_MS = 150;

/**
 * Drives the LED port from the screen model through the one LED table, and flashes green on each good
 * read. It keeps no state of the kiosk's own: the same model always gives the same lights.
 */
export class StatusLights {
  private lastFeedback: number | null = null;
  private flashUntil = 0;
  private flashTimer: NodeJS.Timeout | undefined;
  private last: ScreenModel | undefined;
  private lastMeaning: LedMeaning | undefined;
  private readonly port: LedPort;
  private readonly now: () => number;
  private readonly onFlashEnd: () => void;

  /** `onFlashEnd`: the lights changed by themselves (a flash ended), for whoever draws them. */
  constructor(port: LedPort, options: { now?: () => number; onFlashEnd?: () => void } = {}) {
    this.port = port;
    this.now = options.now ?? Date.now;
    this.onFlashEnd = options.onFlashEnd ?? (() => {});
  }

  start(): Promise<void> {
    return this.port.start();
  }

  async stop(): Promise<void> {
    clearTimeout(this.flashTimer);
    await this.port.stop();
  }

  /** Shows what `model` says; idempotent, so it may be called for every model the kiosk makes. */
  apply(model: ScreenModel): void {
    this.last = model;
    const meaning = ledMeaning(model);
    // The kiosk moving on (paying, an error) matters more than the confirmation of a read: end the flash.
    if (meaning !== this.lastMeaning) this.flashUntil = 0;
    this.lastMeaning = meaning;
    const feedback = model.feedback;
    if (feedback && feedback.seq !== this.lastFeedback) {
      if (this.lastFeedback !== null && GOOD_READS.has(feedback.kind)) this.flash();
      this.lastFeedback = feedback.seq;
    }
    const signal = LED_TABLE[meaning];
    const flashing = this.now() < this.flashUntil;
    for (const line of this.port.lines()) {
      if (flashing) this.port.show(line, line === 'green' ? 'on' : 'off');
      else this.port.show(line, line === signal.line ? signal.pattern : 'off');
    }
  }

  /** What the port shows now, as the one status LED the screen model describes. */
  shown(): LedStates {
    const state = this.port.state();
    for (const line of Object.keys(state) as LedLine[]) {
      const pattern = state[line];
      if (pattern && pattern !== 'off') return { status: line, blink: pattern !== 'on' };
    }
    return { status: 'off', blink: false };
  }

  private flash(): void {
    this.flashUntil = this.now() + GOOD_READ_FLASH_MS;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => {
      if (this.last) this.apply(this.last);
      this.onFlashEnd();
    }, GOOD_READ_FLASH_MS);
    this.flashTimer.unref();
  }
}
