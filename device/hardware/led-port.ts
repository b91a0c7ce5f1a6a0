// The LED port: named single-colour lines, each showing one pattern at a time.

export type LedPattern = 'off' | 'on' | 'blink' | 'pulse';
/** The lines a kiosk may have; a kiosk wires the ones it has. */
export type LedLine = 'green' | 'amber' | 'red' | 'blue';
export const LED_LINES: readonly LedLine[] = ['green', 'amber', 'red', 'blue'];

/** Blink: even on/off, for "act now". Pulse: a short flash each second, for "look here" (identify, degraded). */
export const PATTERN_TIMING = {
  blink: { onMs: 500, offMs: 500 },
  pulse: { onMs: 120, offMs: 880 },
} as const;

export interface LedPort {
  /** Claims the lines (all off); throws a HardwareError a field tech can act on. */
  start(): Promise<void>;
  /** Turns every line off and releases it. */
  stop(): Promise<void>;
  /** The lines this kiosk has. */
  lines(): readonly LedLine[];
  /** A line this kiosk lacks is ignored: the table still says what the others show. */
  show(line: LedLine, pattern: LedPattern): void;
  /** What each line shows now. */
  state(): Readonly<Partial<Record<LedLine, LedPattern>>>;
}

/** Lines whose pattern is run by our own timer (GPIO lines have no blink of their own). */
export class SoftwarePattern {
  private timer: NodeJS.Timeout | undefined;
  private pattern: LedPattern = 'off';
  private readonly write: (on: boolean) => void;

  constructor(write: (on: boolean) => void) {
    this.write = write;
  }

  get current(): LedPattern {
    return this.pattern;
  }

  set(pattern: LedPattern): void {
    if (pattern === this.pattern) return;
    this.pattern = pattern;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (pattern === 'off' || pattern === 'on') {
      this.write(pattern === 'on');
      return;
    }
    const { onMs, offMs } = PATTERN_TIMING[pattern];
    const phase = (on: boolean) => {
      this.write(on);
      this.timer = setTimeout(() => phase(!on), on ? onMs : offMs);
      this.timer.unref();
    };
    phase(true);
  }
}
