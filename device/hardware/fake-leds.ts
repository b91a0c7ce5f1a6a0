import { LED_LINES, type LedLine, type LedPattern, type LedPort } from './led-port.js';

/**
 * The demo's and the tests' LEDs: what each line shows, kept exactly as a real adapter would hold it;
 * the demo overlay draws it. Strict like the real ones: nothing shows before start or after stop.
 */
export class FakeLeds implements LedPort {
  private readonly shown = new Map<LedLine, LedPattern>();
  private running = false;
  private readonly wired: readonly LedLine[];

  constructor(lines: readonly LedLine[] = LED_LINES) {
    this.wired = lines;
  }

  async start(): Promise<void> {
    this.running = true;
    for (const line of this.wired) this.shown.set(line, 'off');
  }

  async stop(): Promise<void> {
    this.running = false;
    this.shown.clear();
  }

  lines(): readonly LedLine[] {
    return this.wired;
  }

  show(line: LedLine, pattern: LedPattern): void {
    if (!this.running || !this.wired.includes(line) || this.shown.get(line) === pattern) return;
    this.shown.set(line, pattern);
  }

  state(): Partial<Record<LedLine, LedPattern>> {
    return Object.fromEntries(this.shown);
  }
}
