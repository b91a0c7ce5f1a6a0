import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { secondsUntil } from './format.js';

/**
 * Redraws its host a few times a second so a countdown never skips a number. It only draws: the daemon
 * decides when time is up, and says so with the next model.
 */
export class Countdown implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly clockOffset: () => number;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `clockOffset` is daemon clock minus browser clock, as measured when the model arrived. */
  constructor(host: ReactiveControllerHost, clockOffset: () => number) {
    this.host = host;
    this.clockOffset = clockOffset;
    host.addController(this);
  }

  hostConnected(): void {
    this.timer = setInterval(() => this.host.requestUpdate(), 250);
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
  }

  secondsUntil(deadline: number): number {
    return secondsUntil(deadline, Date.now() + this.clockOffset());
  }
}
