import type { CallSample } from './http.js';

const KEPT = 500;

/** Vipps call figures for health: latency of the last calls, and how many failed since the start. */
export class VippsCallStats {
  private readonly durations: number[] = [];
  private calls = 0;
  private failures = 0;

  readonly observe = (sample: CallSample): void => {
    this.calls++;
    if (!sample.ok) this.failures++;
    this.durations.push(sample.ms);
    if (this.durations.length > KEPT) this.durations.shift();
  };

  summary(): { calls: number; failures: number; p50Ms: number | null; p95Ms: number | null } {
    const sorted = [...this.durations].sort((a, b) => a - b);
    const at = (p: number) =>
      sorted.length === 0 ? null : Math.round(sorted[Math.ceil((p / 100) * sorted.length) - 1]! * 10) / 10;
    return { calls: this.calls, failures: this.failures, p50Ms: at(50), p95Ms: at(95) };
  }
}
