import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from '../support/cli-process.js';
import { TestCommandKey } from '../support/hq-command-key.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';

// `vipps-kiosk hq command-keygen` and `hq command` as HQ runs them, against the daemon on a real broker:
// the key pair it makes is the one the kiosk trusts once the .pub is in its hq-command-keys folder.

describeWithMosquitto('vipps-kiosk hq command', () => {
  let broker: Mosquitto;
  let kiosk: KioskUnderTest;
  let hq: Subscriber;
  const configDir = mkdtempSync(join(tmpdir(), 'vk-hq-cmd-'));
  const keysDir = join(configDir, 'hq-command-keys');
  const hqDir = mkdtempSync(join(tmpdir(), 'vk-hq-keys-'));
  let keyFile = '';

  beforeAll(async () => {
    const made = await run(['hq', 'command-keygen', '--out', hqDir]);
    expect(made.code, made.output).toBe(0);
    const files = readdirSync(hqDir).sort();
    expect(files).toEqual([
      expect.stringMatching(/^hq-command-[0-9a-f]{16}\.key$/),
      expect.stringMatching(/\.pub$/),
    ]);
    keyFile = join(hqDir, files[0]!);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(hqDir, files[1]!)).mode & 0o777).toBe(0o644);
    mkdirSync(keysDir);
    copyFileSync(join(hqDir, files[1]!), join(keysDir, files[1]!));

    broker = await Mosquitto.start();
    hq = await Subscriber.connect(broker, ['vk/v1/+/+/cmd/#', 'vk/v1/+/+/status']);
    kiosk = await new KioskUnderTest().start({
      telemetry: { brokerUrl: broker.url, username: broker.username, willDelaySeconds: 1 },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
      commandKeysDir: keysDir,
    });
    await waitFor('online', () =>
      hq.on('vk/v1/demo/it-kiosk-1/status').some((m) => m.text.includes('"online"')),
    );
  });
  afterAll(async () => {
    await kiosk?.stop();
    await hq?.close();
    await broker?.dispose();
  });

  const send = (args: string[], key = keyFile) =>
    run(['hq', 'command', '--broker', broker.url, '--username', broker.username, '--key', key, ...args], {
      VK_HQ_PASSWORD: broker.password,
    });

  it('signs, publishes once (QoS 1, not retained), and prints the answer', async () => {
    const identify = await send(['demo/it-kiosk-1', 'identify', '--arg', 'seconds=5']);
    expect(identify.code, identify.output).toBe(0);
    expect(JSON.parse(identify.output)).toMatchObject({ ok: true, result: { blinkingForSeconds: 5 } });
    const [sent] = hq.on('vk/v1/demo/it-kiosk-1/cmd/identify');
    expect(sent).toMatchObject({ qos: 1, retain: false });
    expect(Object.keys(JSON.parse(sent!.text))).toEqual(['payload', 'sig', 'kid']);

    const maintenance = await send(['demo/it-kiosk-1', 'maintenance', '--json', '{"state":"on"}']);
    expect(maintenance.code, maintenance.output).toBe(0);
    await kiosk.screen('maintenance');
  });

  it('exits 1 when the kiosk refuses: a bad argument, a key it does not trust', async () => {
    const sideways = await send(['demo/it-kiosk-1', 'maintenance', '--arg', 'state=sideways']);
    expect(sideways.code).toBe(1);
    expect(sideways.output).toContain('refused maintenance: "state" must be "on" or "off"');

    const stranger = TestCommandKey.generate();
    const untrusted = await send(['demo/it-kiosk-1', 'identify'], stranger.keyFile);
    expect(untrusted.code).toBe(1);
    expect(untrusted.output).toContain('does not trust');
  });

  it('exits 1 when no kiosk answers in time, and refuses a wrong command line with exit 2', async () => {
    const silent = await send(['demo/no-such-kiosk', 'identify', '--timeout', '1']);
    expect(silent.code).toBe(1);
    expect(silent.output).toContain('no answer from demo/no-such-kiosk within 1 s');

    const noTarget = await send(['identify']);
    expect(noTarget.code).toBe(2);
    const both = await send(['demo/it-kiosk-1', 'identify', '--arg', 'seconds=5', '--json', '{}']);
    expect(both.code).toBe(2);
    expect(both.output).toContain('give --arg or --json, not both');
    const longTtl = await send(['demo/it-kiosk-1', 'identify', '--ttl', '3600']);
    expect(longTtl.code).toBe(2);
  });
});
