import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutCredentials } from '../../contracts/secure-url.js';
import { brokerStep } from '../../provisioning/steps.js';
import { runCli } from '../provisioning/cli.js';

// Issue 15, finding 2: no program takes a plain-text URL to another machine. The attack: a broker URL
// in clear (mqtt://) to a host on the network, given to provisioning (as an enrolment code's keys are,
// which are not asked again), to `hq enrol-qr`, `hq watch` and the webhook relay. Each must refuse it
// before connecting; plain stays allowed to loopback (the demo, the sandbox, the tests).

/** This machine's address on its network: a plain URL to it crosses a wire in the real world. */
function lanAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}

describe('provisioning does not try a plain broker URL to another machine', () => {
  const lan = lanAddress();
  let listener: Server;
  let port: number;
  const received: Buffer[] = [];

  beforeAll(async () => {
    // A "broker" that records what reaches it: the MQTT CONNECT would carry the password.
    listener = createServer((socket: Socket) => socket.on('data', (chunk: Buffer) => received.push(chunk)));
    listener.listen(0, '0.0.0.0');
    await once(listener, 'listening');
    port = (listener.address() as { port: number }).port;
  });
  afterAll(() => listener?.close());

  it.skipIf(lan === undefined)('refuses before connecting, so the password never goes out', async () => {
    const draft = {
      telemetry: { brokerUrl: `mqtt://${lan}:${port}`, username: 'storo-1' },
      secrets: { telemetry: { password: 'the-enrolment-token' } },
    };
    const result = await brokerStep.verify!(draft, () => {});
    expect(result).toEqual({
      name: 'HQ broker',
      status: 'fail',
      detail: expect.stringContaining('telemetry.brokerUrl: mqtt:// sends the broker password'),
    });
    expect(Buffer.concat(received).toString('latin1')).not.toContain('the-enrolment-token');
    expect(received).toEqual([]);
  });
});

describe('the CLI refuses plain URLs to other machines', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'vk-plain-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('hq enrol-qr --broker mqtt:// makes no code', async () => {
    expect((await runCli(['hq', 'enrol-keygen', '--out', root])).code).toBe(0);
    const made = await runCli([
      ...['hq', 'enrol-qr', '--key', join(root, 'hq-enrol.key'), '--tokens', join(root, 'tokens.sqlite')],
      ...['--site', 'oslo-storo', '--device', 'storo-1', '--broker', 'mqtt://hq.example.com:1883'],
    ]);
    expect(made.code).toBe(2);
    expect(made.output).toContain(
      '--broker "mqtt://hq.example.com:1883" is not valid; mqtt:// sends the broker password and every message in clear text; use mqtts:// or wss:// (plain mqtt:// only to 127.0.0.1, ::1 or localhost)',
    );
    expect(made.output).not.toContain('VKENROL');
    expect(existsSync(join(root, 'tokens.sqlite'))).toBe(false); // no token minted either
  });

  it('provision --broker-url mqtt:// writes nothing', async () => {
    const dir = join(root, 'etc');
    const run = await runCli(
      [
        ...['provision', '--non-interactive', '--config-dir', dir, '--site', 'oslo-storo'],
        ...['--device-id', 'storo-1', '--store-name', 'Butikken', '--vipps-environment', 'test'],
        ...['--vipps-msn', '123456', '--broker-url', 'mqtt://hq.example.com:1883'],
      ],
      {
        VK_SECRETS__VIPPS__CLIENT_ID: 'id',
        VK_SECRETS__VIPPS__CLIENT_SECRET: 'secret',
        VK_SECRETS__VIPPS__SUBSCRIPTION_KEY: 'key',
      },
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain(
      'telemetry.brokerUrl "mqtt://hq.example.com:1883" is not valid; mqtt:// sends the broker password',
    );
    expect(await readdir(dir).catch(() => [])).toEqual([]);
  });

  it('hq watch and the webhook relay refuse --broker mqtt:// to another host', async () => {
    const [watch, relay] = await Promise.all([
      runCli(['hq', 'watch', '--broker', 'mqtt://hq.example.com:1883', '--once', '1']),
      runCli(['webhook-relay', '--broker', 'ws://hq.example.com:9001', '--secrets', join(root, 'none.json')]),
    ]);
    expect([watch.code, relay.code]).toEqual([2, 2]);
    expect(watch.output).toContain('mqtt:// sends the broker password and every message in clear text');
    expect(relay.output).toContain(
      '--broker: ws:// sends the broker password and every message in clear text',
    );
  });
});

describe('a URL shown or sent elsewhere', () => {
  it.each([
    ['mqtts://storo-1:s3cret@hq.example.com:8883', 'mqtts://hq.example.com:8883'],
    ['https://user:pw@crm.example.com/club/v1', 'https://crm.example.com/club/v1'],
    ['mqtts://hq.example.com:8883', 'mqtts://hq.example.com:8883'],
    ['not a url //user:pw@host', 'not a url //host'],
  ])('%s is shown as %s', (url, shown) => {
    expect(withoutCredentials(url)).toBe(shown);
  });
});
