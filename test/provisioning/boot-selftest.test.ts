import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { sandboxConfigDir } from '../support/config-dir.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';

// `vipps-kiosk run` tells HQ how its self-test went at every start: the daemon as systemd starts it,
// a real Mosquitto, HQ subscribed to the kiosk's events.

const MAIN = new URL('../../cli/main.ts', import.meta.url).pathname;

describeWithMosquitto('the self-test at boot, sent to HQ', () => {
  let broker: Mosquitto;
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    [broker, sandbox] = await Promise.all([Mosquitto.start(), startSandbox()]);
  });
  afterAll(async () => {
    await Promise.all([broker.dispose(), sandbox.close()]);
  });

  it('publishes selftest-completed with one row per system check', async () => {
    const hq = await Subscriber.connect(broker, ['vk/v1/+/+/events/#']);
    const { dir } = await sandboxConfigDir(
      sandbox,
      { telemetry: { brokerUrl: broker.url, username: broker.username } },
      { telemetry: { password: broker.password } },
    );
    const daemon = spawn(process.execPath, ['--import', 'tsx', MAIN, 'run', '--config-dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    daemon.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      const topic = 'vk/v1/demo/run-kiosk-1/events/selftest-completed';
      await waitFor('the self-test event', () => hq.on(topic).length > 0, 15_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${output}`);
      });
      const [event] = hq.json<{
        class: string;
        payload: { result: string; checks: { check: string; status: string }[] };
      }>(topic);
      expect(event!.class).toBe('info');
      expect(event!.payload.checks.map((c) => [c.check, c.status])).toEqual([
        ['Vipps credentials', 'pass'],
        ['HQ broker', 'pass'],
        ['disk space', expect.stringMatching(/^(pass|warn)$/)],
        ['clock', 'pass'],
      ]);
      expect(['pass', 'warn']).toContain(event!.payload.result);
      expect(output).toMatch(/\[kiosk\/selftest\] Vipps credentials: access token issued by/);
    } finally {
      daemon.kill('SIGTERM');
      await once(daemon, 'exit');
      await hq.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
