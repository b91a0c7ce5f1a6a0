import type { LedStates, ScanFeedback } from '../../contracts/screen-model.js';
import type { LedLine, LedPort } from './led-port.js';
import { LED_TABLE, type LedMeaning } from './led-table.js';

/** A good read: the kiosk took the scan (an item added, a customer named). */
const GOOD_READS = new Set(['added', 'customer']);
export const GOOD_READ_FLASH_MS = 150;

/**
 * Drives the LED port through the one LED table from the meaning the checkout projected, and flashes
 * green on each good read. It keeps no state of the kiosk's own: the same meaning always gives the
 * same lights (a flash aside, which ends by itself).
 */
export class StatusLights {
  private lastFeedback: number | null = null;
  private flashUntil = 0;
  private flashTimer: NodeJS.Timeout | undefined;
  private last: { meaning: LedMeaning; feedback: ScanFeedback | null } | undefined;
  private readonly port: LedPort;
  private readonly now: () => number;
  private readonly flashEndListeners = new Set<() => void>();

  constructor(port: LedPort, options: { now?: () => number } = {}) {
    this.port = port;
    this.now = options.now ?? Date.now;
  }

  /** The lights changed by themselves (a flash ended): for whoever draws them. */
  onFlashEnd(listener: () => void): () => void {
    this.flashEndListeners.add(listener);
    return () => this.flashEndListeners.delete(listener);
  }

  start(): Promise<void> {
    return this.port.start();
  }

  async stop(): Promise<void> {
    clearTimeout(this.flashTimer);
    await this.port.stop();
  }

  /** Shows `meaning`; idempotent, so it may be called for every model the kiosk makes. */
  show(meaning: LedMeaning, feedback: ScanFeedback | null): void {
    // The kiosk moving on (paying, an error) matters more than the confirmation of a read: end the flash.
    if (meaning !== this.last?.meaning) this.flashUntil = 0;
    this.last = { meaning, feedback };
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
      if (this.last) this.show(this.last.meaning, this.last.feedback);
      for (const listener of this.flashEndListeners) listener();
    }, GOOD_READ_FLASH_MS);
    this.flashTimer.unref();
  }
}
