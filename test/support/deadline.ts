/**
 * `promise`'s outcome, or a failure naming `what` if it has not settled within `ms`. For an event that
 * must come (a process exiting, a call answering without waiting on something down) when the test's own
 * timeout would only say "timed out"; the deadline is a bound, never a measurement.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
