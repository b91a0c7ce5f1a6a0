import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { UsageError } from '../../common/cli/args.js';
import { TestCommandKey } from '../support/hq-command-key.js';
import { hqInProcess as hq } from '../support/hq-in-process.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';

// `vipps-kiosk hq command-keygen` and `hq command` against the daemon on a real broker: the key pair it
// makes is the one the kiosk trusts once the .pub is in its hq-command-keys folder. In-process (what
// cli/main.ts calls; a UsageError is its exit code 2, any other error 1): the demo's test in
// test/cli runs the same command as a process.

describeWithMosquitto('vipps-kiosk hq command', () => {
  let broker: Mosquitto;
  let kiosk: KioskUnderTest;
  let hqSide: Subscriber;
  const configDir = mkdtempSync(join(tmpdir(), 'vk-hq-cmd-'));
  const keysDir = join(configDir, 'hq-command-keys');
  const hqDir = mkdtempSync(join(tmpdir(), 'vk-hq-keys-'));
  let keyFile = '';

  beforeAll(async () => {
    const made = await hq(['command-keygen', '--out', hqDir]);
    expect(made.error).toBeUndefined();
    expect(made.output).toMatch(/HQ command key [0-9a-f]{16}/);
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
    hqSide = await Subscriber.connect(broker, ['vk/v1/+/+/cmd/#', 'vk/v1/+/+/status']);
    kiosk = await new KioskUnderTest().start({
      telemetry: { brokerUrl: broker.url, username: broker.username, willDelaySeconds: 1 },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
      commandKeysDir: keysDir,
    });
    await waitFor('online', () =>
      hqSide.on('vk/v1/demo/it-kiosk-1/status').some((m) => m.text.includes('"online"')),
    );
    process.env.VK_HQ_PASSWORD = broker.password;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    delete process.env.VK_HQ_PASSWORD;
    await kiosk?.stop();
    await hqSide?.close();
    await broker?.dispose();
  });

  const send = (args: string[], key = keyFile) =>
    hq(['command', '--broker', broker.url, '--username', broker.username, '--key', key, ...args]);

  it('signs, publishes once (QoS 1, not retained), and prints the answer', async () => {
    const identify = await send(['demo/it-kiosk-1', 'identify', '--arg', 'seconds=5']);
    expect(identify.error).toBeUndefined();
    expect(JSON.parse(identify.output)).toMatchObject({ ok: true, result: { blinkingForSeconds: 5 } });
    const [sent] = hqSide.on('vk/v1/demo/it-kiosk-1/cmd/identify');
    expect(sent).toMatchObject({ qos: 1, retain: false });
    expect(Object.keys(JSON.parse(sent!.text))).toEqual(['payload', 'sig', 'kid']);

    const maintenance = await send(['demo/it-kiosk-1', 'maintenance', '--json', '{"state":"on"}']);
    expect(maintenance.error).toBeUndefined();
    await kiosk.screen('maintenance');
  });

  it('fails (exit 1) when the kiosk refuses: a bad argument, a key it does not trust', async () => {
    const sideways = await send(['demo/it-kiosk-1', 'maintenance', '--arg', 'state=sideways']);
    expect(sideways.error?.message).toContain('refused maintenance: "state" must be "on" or "off"');
    expect(sideways.error).not.toBeInstanceOf(UsageError);
    expect(JSON.parse(sideways.output)).toMatchObject({ ok: false });

    const stranger = TestCommandKey.generate();
    const untrusted = await send(['demo/it-kiosk-1', 'identify'], stranger.keyFile);
    expect(untrusted.error?.message).toContain('does not trust');
  });

  it('fails (exit 1) when no kiosk answers in time, and refuses a wrong command line (exit 2)', async () => {
    const silent = await send(['demo/no-such-kiosk', 'identify', '--timeout', '1']);
    expect(silent.error?.message).toContain('no answer from demo/no-such-kiosk within 1 s');
    expect(silent.error).not.toBeInstanceOf(UsageError);

    expect((await send(['identify'])).error).toBeInstanceOf(UsageError);
    const both = await send(['demo/it-kiosk-1', 'identify', '--arg', 'seconds=5', '--json', '{}']);
    expect(both.error).toBeInstanceOf(UsageError);
    expect(both.error?.message).toContain('give --arg or --json, not both');
    const longTtl = await send(['demo/it-kiosk-1', 'identify', '--ttl', '3600']);
    expect(longTtl.error?.message).toContain('--ttl must be whole seconds, 1–600');
  });
});
