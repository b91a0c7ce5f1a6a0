import { once } from 'node:events';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { DAEMON_NODE_FLAGS } from '../../device/node-flags.js';
import { run, start, waitFor } from '../support/cli-process.js';

// The vipps-kiosk command as a field tech or developer runs it: a real process, its output, its exit code.

describe('vipps-kiosk', () => {
  it('prints help, and refuses an unknown command with exit code 2', async () => {
    const help = await run(['help']);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/vipps-kiosk demo \[--port N\] \[--sandbox-port M\]/);
    expect(help.output).not.toMatch(/\n\n\n/);
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toMatch(/unknown command "frobnicate"/);
    // Two processes, each compiling its command on start: seconds apiece on busy cores.
  }, 60_000);

  it("answers COMMAND --help with that command's usage, for every command", async () => {
    for (const name of ['demo', 'club', 'webhooks', 'selftest', 'provision', 'hq', 'run', 'webhook-relay']) {
      const result = await run([name, '--help']);
      expect(result.code, name).toBe(0);
      expect(result.output, name).toMatch(new RegExp(`^usage: vipps-kiosk ${name}\\b`));
    }
    // Eight processes, each compiling its command on start.
  }, 60_000);

  it('config check lists every problem with exit code 1, and accepts a good pair', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vk-cli-'));
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ device: { id: 'k 1', site: 'x' }, vipps: {} }),
    );
    await writeFile(
      join(dir, 'secrets.json'),
      JSON.stringify({ vipps: { clientId: 'a', clientSecret: 'b', subscriptionKey: 'c' } }),
    );
    await chmod(join(dir, 'secrets.json'), 0o600);
    const bad = await run(['config', 'check', '--config-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain(
      'device.id: "k 1" is not valid; expected a device id of 1–32 letters, digits and -',
    );
    expect(bad.output).toContain('vipps.merchantSerialNumber: is missing');

    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ device: { id: 'k-1', site: 'x' }, vipps: { merchantSerialNumber: '123456' } }),
    );
    const good = await run(['config', 'check', '--config-dir', dir]);
    expect(good.code).toBe(0);
    expect(good.output).toMatch(/valid for kiosk k-1/);
    const shown = await run(['config', 'show', '--config-dir', dir]);
    expect(shown.output).toContain('"clientSecret": "(set)"');
    expect(shown.output).not.toMatch(/"clientSecret": "b"/);
  });

  it('sandbox prints where it listens and its credentials, serves, and stops cleanly on SIGTERM', async () => {
    const child = start(['sandbox', '--port', '0']);
    const [, url] = await waitFor(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    expect(child.output()).toMatch(/subscription key {2}\S+/);
    const users = (await (await fetch(`${url}/_sandbox/users`)).json()) as unknown[];
    expect(users.length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('demo starts kiosk and sandbox on the ports asked for, takes a scan, and stops on SIGTERM', async () => {
    const child = start(
      ['demo', '--port', '0', '--sandbox-port', '0', '--broker-port', '0', '--hq-port', '0'],
      {
        VK_LOG__LEVEL: 'warn',
      },
    );
    const [, kioskUrl, token] = await waitFor(
      child,
      /kiosk screen {2}(http:\/\/127\.0\.0\.1:\d+)\/#screen-token=([0-9a-f]{64})\n/,
      // Five servers and an embedded database start first (about 11 s in a full run here).
      40_000,
    );
    const authorization = `Bearer ${token}`;
    expect(child.output()).toMatch(/phone page {4}http:\/\/127\.0\.0\.1:\d+\/phone/);
    const [, brokerUrl] = /telemetry {5}(mqtt:\/\/127\.0\.0\.1:\d+)/.exec(child.output())!;
    const hq = await connectAsync(brokerUrl!, { protocolVersion: 4 });
    const status = new Promise<string>((resolve) =>
      hq.on('message', (_topic, payload) => resolve(payload.toString())),
    );
    await hq.subscribeAsync('vk/v1/demo/demo-kiosk-1/status');
    expect(JSON.parse(await status)).toMatchObject({ state: 'online' });
    await hq.endAsync();
    const scanned = await fetch(`${kioskUrl}/api/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ text: '2000000000015' }),
    });
    expect(scanned.status).toBe(202);
    expect(((await scanned.json()) as { model: { screen: string } }).model.screen).toBe('basket');
    // The real clock drives the idle timer from the first scan on: the machine must still be running,
    // which it shows by taking the next scan into the same basket.
    const again = await fetch(`${kioskUrl}/api/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ text: '2000000000015' }),
    });
    expect(again.status).toBe(202);
    expect(
      ((await again.json()) as { model: { basket: { itemCount: number } } }).model.basket.itemCount,
    ).toBe(2);
    const health = (await (await fetch(`${kioskUrl}/healthz`)).json()) as { status: string; screen: string };
    expect(health).toMatchObject({ status: 'ok', screen: 'basket' });
    // HQ's commands: the line the demo prints works with the command key it made for this run.
    const [, hqCommand] = /HQ commands {3}vipps-kiosk (hq command .+)/.exec(child.output())!;
    const identify = await run(hqCommand!.split(' '));
    expect(identify.code, identify.output).toBe(0);
    expect(JSON.parse(identify.output)).toMatchObject({ ok: true, result: { blinkingForSeconds: 5 } });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    // Two processes, each compiling its command on start.
  }, 60_000);

  it('says a port is taken in words, with exit code 1', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const result = await run(['sandbox', '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/EADDRINUSE.*another program has that port/);
    } finally {
      blocker.close();
    }
  });

  it('says which option is wrong', async () => {
    const result = await run(['demo', '--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/--port must be a TCP port number/);
  });
});

describe('npm start', () => {
  it('runs the demo with the daemon node flags the benchmarks measured', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(manifest.scripts.start).toBe(`node ${DAEMON_NODE_FLAGS.join(' ')} bin/vipps-kiosk.js demo`);
  });
});
