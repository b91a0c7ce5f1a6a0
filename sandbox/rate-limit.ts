// Sliding-window call limits on the sandbox clock (API.md §0.4), so a test can fill a window and then
// advance the clock past it instead of waiting a real minute.

import type { SandboxClock } from './clock.js';

export class SlidingWindowLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /**
   * Counts a call under `key` if the window has room and returns undefined; otherwise returns the whole
   * seconds until the oldest counted call leaves the window (the Retry-After). Refused calls are not counted.
   */
  take(key: string): number | undefined {
    const now = this.clock.now();
    const recent = (this.calls.get(key) ?? []).filter((at) => at > now - this.windowMs);
    this.calls.set(key, recent);
    const oldest = recent[0];
    if (recent.length >= this.limit && oldest !== undefined) {
      return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
    }
    recent.push(now);
    return undefined;
  }

  clear(): void {
    this.calls.clear();
  }
}
