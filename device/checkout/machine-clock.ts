import type { AnyActorRef } from 'xstate';

/**
 * The time on the clock the checkout actor runs on, so its timestamps and its timers agree: XState's
 * SimulatedClock in tests, the wall clock in the daemon. XState keeps the actor system's clock as
 * `_clock`, and its default clock (plain setTimeout) has no `now`, hence the fallback.
 */
export function clockNow(system: AnyActorRef['system']): number {
  const clock = system._clock as { now?: () => number };
  return clock.now ? clock.now() : Date.now();
}
