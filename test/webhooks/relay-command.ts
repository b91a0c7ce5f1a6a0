import type { Mosquitto } from '../telemetry/mosquitto.js';

/**
 * `vipps-kiosk webhook-relay` on a free loopback port, publishing to the test broker as its user, with
 * registrations from `secretsFile` plus `extra` arguments; the password goes in the environment.
 */
export function relayCommand(
  broker: Mosquitto,
  secretsFile: string,
  extra: string[] = [],
): { args: string[]; env: NodeJS.ProcessEnv } {
  return {
    args: [
      'webhook-relay',
      ...['--port', '0', '--host', '127.0.0.1'],
      ...['--broker', broker.url, '--username', broker.username, '--secrets', secretsFile],
      ...extra,
    ],
    env: { VK_HQ_PASSWORD: broker.password },
  };
}
