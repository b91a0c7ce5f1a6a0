import { once } from 'node:events';
import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { VippsTestClient, validPayment } from '../sandbox/helpers.js';
import { run, start, waitFor } from '../support/cli-process.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor as waitUntil } from '../telemetry/subscriber.js';
import { relayCommand } from './relay-command.js';

// `vipps-kiosk webhooks` and `vipps-kiosk webhook-relay` as HQ runs them: real processes against the
// sandbox and a real Mosquitto, their output and exit codes, and the secrets file between them.

const HOOK = 'https://hooks.hq.example/vipps/123456';

describeWithMosquitto('vipps-kiosk webhooks and webhook-relay', () => {
  let sandbox: RunningSandbox;
  let broker: Mosquitto;
  let dir: string;
  let secretsFile: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    broker = await Mosquitto.start();
    dir = await mkdtemp(join(tmpdir(), 'vk-webhooks-cli-'));
    secretsFile = join(dir, 'relay-secrets.json');
    const { credentials } = sandbox;
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({
        device: { id: 'hq-tools', site: 'hq' },
        vipps: {
          environment: 'sandbox',
          baseUrl: sandbox.url,
          merchantSerialNumber: credentials.merchantSerialNumber,
        },
      }),
    );
    const vipps = {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      subscriptionKey: credentials.subscriptionKey,
    };
    await writeFile(join(dir, 'secrets.json'), JSON.stringify({ vipps }), { mode: 0o600 });
  });
  afterAll(async () => {
    await sandbox?.close();
    await broker?.dispose();
  });

  const webhooks = (...args: string[]) =>
    run(['webhooks', ...args, '--config-dir', dir, '--secrets', secretsFile]);

  it('registers into the secrets file, relays a signed delivery to the broker, and deletes again', async () => {
    const registered = await webhooks('register', '--url', HOOK);
    expect(registered.code, registered.output).toBe(0);
    const id = /registered webhook ([0-9a-f-]{36}) for MSN 123456/.exec(registered.output)![1]!;
    const stored = JSON.parse(await readFile(secretsFile, 'utf8'));
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    expect(stored.registrations).toEqual([{ id, msn: '123456', url: HOOK, secret: expect.any(String) }]);
    expect(registered.output).not.toContain(stored.registrations[0].secret);
    const listed = await webhooks('list');
    expect(listed.output).toMatch(
      new RegExp(`${id}\\s+yes\\s+${HOOK}\\s+epayments\\.payment\\.authorized\\.v1,`),
    );

    const hq = await Subscriber.connect(broker, ['vk/v1/vipps/#']);
    const command = relayCommand(broker, secretsFile);
    const relay = start(command.args, command.env);
    try {
      const [, origin] = await waitFor(relay, /webhook relay listening on (http:\/\/127\.0\.0\.1:\d+)/);
      await waitFor(relay, /connected to the MQTT broker/);
      expect(relay.output()).toMatch(/registrations {5}1 \(MSN 123456\)/);
      expect(relay.output()).not.toContain(stored.registrations[0].secret);
      await fetch(`${sandbox.url}/_sandbox/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ routes: [{ host: 'hooks.hq.example', origin }] }),
      });
      const client = new VippsTestClient(sandbox);
      await client.authenticate();
      const payment = validPayment();
      const reference = String(payment.reference);
      await client.send('POST', '/epayment/v1/payments', {
        body: payment,
        headers: { 'Idempotency-Key': `${reference}-c` },
      });
      await new SandboxControl(sandbox).act(reference, 'approve');
      await waitUntil('the relayed AUTHORIZED', () =>
        hq.json(`vk/v1/vipps/123456/payments/${reference}`).some((event) => event.name === 'AUTHORIZED'),
      );
    } finally {
      relay.kill('SIGTERM');
      const [code] = await once(relay, 'exit');
      expect(code).toBe(0);
      await hq.close();
    }

    const deleted = await webhooks('delete', id);
    expect(deleted.output).toContain(`deleted webhook ${id} and its secret in ${secretsFile}`);
    expect(JSON.parse(await readFile(secretsFile, 'utf8')).registrations).toEqual([]);
    expect((await webhooks('list')).output).toContain('no webhooks registered for MSN 123456');
  }, 60_000);

  it('webhooks says what is wrong, with exit codes 1 and 2', async () => {
    const insecure = await webhooks('register', '--url', 'http://hooks.hq.example/x');
    expect([insecure.code, insecure.output]).toEqual([
      1,
      expect.stringMatching(/url must use HTTPS.*HTTP 400/),
    ]);
    const noUrl = await webhooks('register');
    expect([noUrl.code, noUrl.output]).toEqual([2, expect.stringMatching(/register needs --url/)]);
    await chmod(secretsFile, 0o644);
    const shared = await webhooks('list');
    expect([shared.code, shared.output]).toEqual([
      1,
      expect.stringMatching(/lets other users read.*chmod 0600/),
    ]);
    await chmod(secretsFile, 0o600);
  }, 60_000);

  it('the relay says what is wrong with its configuration, and runs from a config file alone', async () => {
    const noRegistration = await run([
      'webhook-relay',
      '--broker',
      broker.url,
      '--secrets',
      join(dir, 'none.json'),
    ]);
    expect([noRegistration.code, noRegistration.output]).toEqual([
      1,
      expect.stringMatching(/no webhook registration/),
    ]);
    const noBroker = await run(['webhook-relay', '--secrets', secretsFile]);
    expect([noBroker.code, noBroker.output]).toEqual([2, expect.stringMatching(/--broker/)]);
    const badConfig = join(dir, 'relay-bad.json');
    await writeFile(badConfig, JSON.stringify({ broker: broker.url, prot: 8443 }));
    const bad = await run(['webhook-relay', '--config', badConfig]);
    expect([bad.code, bad.output]).toEqual([1, expect.stringMatching(/relay-bad\.json: .*"prot"/)]);
    // A config file alone (broker, address, secrets file) is enough to run it.
    const goodConfig = join(dir, 'relay.json');
    const config = { host: '127.0.0.1', port: 0, broker: broker.url, username: broker.username, secretsFile };
    await writeFile(goodConfig, JSON.stringify(config));
    await webhooks('register', '--url', HOOK);
    const relay = start(['webhook-relay', '--config', goodConfig], { VK_HQ_PASSWORD: broker.password });
    await waitFor(relay, /connected to the MQTT broker/);
    expect(relay.output()).toMatch(/registrations {5}1 \(MSN 123456\)/);
    relay.kill('SIGTERM');
    expect((await once(relay, 'exit'))[0]).toBe(0);
  }, 60_000);
});
