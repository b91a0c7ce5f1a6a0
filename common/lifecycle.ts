// The one start/stop contract of every long-lived part of a program. Constructors only assign; `start`
// acquires (opens files, listens, connects), `stop` releases. A program builds its parts, lists them in
// the order they may start, and hands the list to `startInOrder`: each starts after the ones before it,
// a failed start stops what had started (in reverse) before the same error is rethrown, and the returned
// `stop` stops everything in reverse, once, however often it is called.

export interface Component {
  /** For logs: which part failed to start or stop. */
  readonly name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** A part that is there only in some configurations (telemetry without a broker, a club that is off). */
export type MaybeComponent = Component | undefined | null | false;

export interface Started {
  /** Stops every started part in reverse order; a part that fails to stop does not keep the others up. */
  stop(): Promise<void>;
}

export interface LifecycleLog {
  error(message: string, fields?: Record<string, string>): void;
}

export async function startInOrder(parts: readonly MaybeComponent[], log: LifecycleLog): Promise<Started> {
  const present = parts.filter((part): part is Component => Boolean(part));
  const started: Component[] = [];
  const stopAll = async () => {
    for (const part of started.splice(0).reverse()) {
      try {
        await part.stop();
      } catch (error) {
        log.error('a part did not stop cleanly', { component: part.name, error: String(error) });
      }
    }
  };
  for (const part of present) {
    try {
      await part.start();
    } catch (error) {
      log.error('a part did not start; stopping the parts started before it', {
        component: part.name,
        error: error instanceof Error ? error.message : String(error),
      });
      await stopAll();
      // The error keeps its type: a ConfigError or a port in use already tells the field tech what to do.
      throw error;
    }
    started.push(part);
  }
  let stopping: Promise<void> | undefined;
  return { stop: () => (stopping ??= stopAll()) };
}

/** A component from two functions, for parts whose class has other method names. */
export function component(
  name: string,
  start: () => void | Promise<void>,
  stop: () => void | Promise<void> = () => {},
): Component {
  return { name, start, stop };
}
