/**
 * The events a relay has published in the last `windowMs`, by event id, at most `limit` of them (the
 * oldest forgotten first): Vipps retries a delivery for up to 7 days (API.md §5.4), so a copy of an event
 * within that time, or a replay of its signed request, is recognised and changes nothing. A Map iterates
 * in insertion order, so the oldest entry is always the first one, and expiry only looks at the head.
 */
export class RecentEvents {
  private readonly publishedAt = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly limit: number,
  ) {}

  /** Whether `id` was published within the window before `now`. */
  has(id: string, now: number): boolean {
    this.expire(now);
    return this.publishedAt.has(id);
  }

  remember(id: string, now: number): void {
    this.publishedAt.delete(id);
    this.publishedAt.set(id, now);
    while (this.publishedAt.size > this.limit) this.publishedAt.delete(this.oldest()!);
  }

  /** Forgets `id` again (its publish failed, so a later copy must be published). */
  forget(id: string): void {
    this.publishedAt.delete(id);
  }

  get size(): number {
    return this.publishedAt.size;
  }

  private expire(now: number): void {
    for (let id = this.oldest(); id !== undefined; id = this.oldest()) {
      if (now - (this.publishedAt.get(id) ?? now) < this.windowMs) return;
      this.publishedAt.delete(id);
    }
  }

  private oldest(): string | undefined {
    return this.publishedAt.keys().next().value;
  }
}
