import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/** How often Node samples the loop; every sampled delay includes it, so it is taken out again. */
const RESOLUTION_MS = 20;

export interface LoopDelayFigures {
  p50: number;
  p99: number;
  max: number;
}

/**
 * Event-loop delay in milliseconds since the last reading (`perf_hooks.monitorEventLoopDelay`), with the
 * sampling resolution taken out, so an idle loop reads about 0. Health samples and the watchdog each
 * keep one.
 */
export class EventLoopDelay {
  private histogram: IntervalHistogram | undefined;

  start(): void {
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
  }

  stop(): void {
    this.histogram?.disable();
    this.histogram = undefined;
  }

  /** The figures since the previous reading, then starts over; null before start(). */
  read(): LoopDelayFigures | null {
    const histogram = this.histogram;
    if (!histogram) return null;
    const ms = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);
    const figures = {
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
    };
    histogram.reset();
    return figures;
  }
}
