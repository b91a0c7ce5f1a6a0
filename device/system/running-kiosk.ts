import type { RunningLink } from './system-checks.js';

/** `/healthz`'s `hqBroker` (device/server): the kiosk's own connection to HQ's broker. */
export type HqBrokerState = 'connected' | 'disconnected' | 'none';

/**
 * The running daemon's own broker connection, read from its `/healthz` on 127.0.0.1 (no token needed
 * there). `selftest` uses it so that a tech's self-test beside a running kiosk does not log in as the
 * kiosk: the broker binds the client id to the kiosk's identity and would drop the kiosk's connection.
 * Null when no daemon answers on the port.
 */
export function runningKioskLink(port: number, timeoutMs = 2_000): RunningLink {
  return async () => {
    if (port === 0) return null;
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/healthz`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      const { hqBroker } = (await answer.json()) as { hqBroker?: HqBrokerState };
      if (hqBroker === 'connected') return true;
      if (hqBroker === 'disconnected') return false;
      return null;
    } catch {
      return null; // no daemon (or not this one): the self-test logs in itself
    }
  };
}
