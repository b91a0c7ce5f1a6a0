import { EventLoopDelay } from './event-loop-delay.js';
import type { HealthCheck } from './watchdog.js';

/**
 * The event loop: a loop blocked outright never reaches the watchdog's timer, but one that stalls for
 * seconds again and again (a runaway synchronous task) would still ping in between. This fails when
 * the longest delay since the previous check exceeds `maxDelayMs`.
 */
export class EventLoopCheck {
  private readonly delay = new EventLoopDelay();
  private readonly maxDelayMs: number;

  constructor(maxDelayMs: number) {
    this.maxDelayMs = maxDelayMs;
  }

  start(): void {
    this.delay.start();
  }

  stop(): void {
    this.delay.stop();
  }

  readonly check: HealthCheck = () => {
    const figures = this.delay.read();
    if (!figures) return { healthy: false, reason: 'not started' };
    const worstMs = figures.max;
    return worstMs <= this.maxDelayMs
      ? { healthy: true }
      : { healthy: false, reason: `the event loop stalled for ${Math.round(worstMs)} ms` };
  };
}

/** The checkout machine: its actor must be running; an actor stopped on an error takes no customer. */
export function checkoutMachineCheck(status: () => string): HealthCheck {
  return () => {
    const now = status();
    return now === 'active'
      ? { healthy: true }
      : { healthy: false, reason: `the checkout machine is ${now}, not active` };
  };
}

/** The scanner's read loop: reading, or looking for a scanner. No scanner plugged in is not a fault. */
export function scannerLoopCheck(scanner: { alive(): boolean }): HealthCheck {
  return () =>
    scanner.alive()
      ? { healthy: true }
      : { healthy: false, reason: 'the scanner read loop has stopped or hangs in the USB driver' };
}
