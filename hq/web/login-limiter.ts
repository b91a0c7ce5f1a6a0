// Login attempts per user name and per address: after so many failures within `windowMs`, further
// attempts are refused until the oldest failure leaves the window. Per name stops guessing one
// account from many addresses; per address (with more room: an office shares one behind its NAT)
// stops one address trying many names. In memory: a restart forgets, which costs an attacker a
// restart of HQ they cannot cause.

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly perUser = 5,
    private readonly perAddress = 20,
    readonly windowMs = 15 * 60_000,
  ) {}

  /** Milliseconds until `user` from `address` may try again; 0 when it may now. */
  retryAfter(user: string, address: string, now: number): number {
    return Math.max(
      this.wait(`u:${user}`, this.perUser, now),
      this.wait(`a:${address}`, this.perAddress, now),
    );
  }

  failed(user: string, address: string, now: number): void {
    for (const key of [`u:${user}`, `a:${address}`]) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.set(key, recent);
    }
  }

  /** A right password clears the name's failures (not the address's: it may be trying others). */
  succeeded(user: string): void {
    this.failures.delete(`u:${user}`);
  }

  private recent(key: string, now: number): number[] {
    const recent = (this.failures.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }

  private wait(key: string, limit: number, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < limit) return 0;
    return (recent[recent.length - limit] ?? now) + this.windowMs - now;
  }
}
