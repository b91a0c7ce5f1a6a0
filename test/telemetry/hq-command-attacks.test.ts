import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type CommandPayload, signPayload } from '../../contracts/hq-command.js';
import { TestCommandKey } from '../support/hq-command-key.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';
import { describeWithMosquitto, Mosquitto } from './mosquitto.js';
import { Subscriber, waitFor } from './subscriber.js';

// Finding 1 of issue 15, as an attacker with broker access does it: every command below was carried out
// by the kiosk before commands were signed (unsigned JSON with a transactionId was enough, a retained
// `maintenance` put the kiosk out of order again after every restart). Each is now refused, answered
// with the reason and counted, and the kiosk stays in service; HQ's genuine commands still work.

const SITE = 'demo';
const DEVICE = 'it-kiosk-1';
const base = `vk/v1/${SITE}/${DEVICE}`;

describeWithMosquitto('HQ commands an attacker sends', () => {
  let broker: Mosquitto;
  let hq: Subscriber;
  let kiosk: KioskUnderTest | undefined;
  const key = TestCommandKey.generate();

  beforeAll(async () => {
    broker = await Mosquitto.start();
    hq = await Subscriber.connect(broker, [`${base}/resp/#`, `${base}/status`]);
  });
  afterEach(async () => {
    // Nothing retained may outlive a test.
    await hq.client.publishAsync(`${base}/cmd/maintenance`, '', { qos: 1, retain: true });
    await kiosk?.stop();
  });
  afterAll(async () => {
    await hq?.close();
    await broker?.dispose();
  });

  async function startKiosk(stateDir?: string): Promise<KioskUnderTest> {
    const sessions = hq.on(`${base}/status`).filter((m) => m.text.includes('"online"')).length;
    kiosk = await new KioskUnderTest().start({
      telemetry: { brokerUrl: broker.url, username: broker.username, willDelaySeconds: 1 },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
      commandKeysDir: key.keysDir,
      ...(stateDir ? { stateDir } : {}),
    });
    await waitFor(
      'online',
      () => hq.on(`${base}/status`).filter((m) => m.text.includes('"online"')).length > sessions,
    );
    return kiosk;
  }

  const answersTo = (name: string, transactionId: string) =>
    hq
      .json<{ transactionId: string | null; ok: boolean; error?: string }>(`${base}/resp/${name}`)
      .filter((a) => a.transactionId === transactionId);

  /** Publishes `text` on cmd/{name} and waits for the answer with that transaction id (the `count`-th). */
  async function send(name: string, text: string, transactionId: string, count = 1, retain = false) {
    await hq.client.publishAsync(`${base}/cmd/${name}`, text, { qos: 1, retain });
    await waitFor(
      `answer ${count} to ${transactionId}`,
      () => answersTo(name, transactionId).length >= count,
    );
    return answersTo(name, transactionId)[count - 1]!;
  }

  async function refusedCommands(): Promise<number> {
    const { text } = key.sign(`${SITE}/${DEVICE}`, 'diagnostics');
    const id = JSON.parse(Buffer.from(JSON.parse(text).payload, 'base64url').toString()).transactionId;
    const answer = (await send('diagnostics', text, id)) as unknown as {
      result: { telemetry: { refusedCommands: number } };
    };
    return answer.result.telemetry.refusedCommands;
  }

  it('refuses an unsigned command, one signed by a stranger, and one altered after signing', async () => {
    const running = await startKiosk();
    const unsigned = await send(
      'maintenance',
      JSON.stringify({ transactionId: 'forged', state: 'on' }),
      'forged',
    );
    expect(unsigned).toMatchObject({ ok: false, error: expect.stringContaining('not a signed HQ command') });

    const stranger = TestCommandKey.generate();
    const foreign = stranger.sign(`${SITE}/${DEVICE}`, 'maintenance', { state: 'on' });
    const unknown = await send('maintenance', foreign.text, foreign.payload.transactionId);
    expect(unknown).toMatchObject({ ok: false, error: expect.stringContaining('does not trust') });

    // HQ's genuine `state: off`, its payload swapped for `state: on` under the same signature.
    const genuine = key.sign(`${SITE}/${DEVICE}`, 'maintenance', { state: 'off' });
    const envelope = JSON.parse(genuine.text) as { payload: string };
    const altered = { ...genuine.payload, args: { state: 'on' } };
    envelope.payload = Buffer.from(JSON.stringify(altered)).toString('base64url');
    const forged = await send('maintenance', JSON.stringify(envelope), genuine.payload.transactionId);
    expect(forged).toMatchObject({ ok: false, error: expect.stringContaining('signature does not match') });

    expect((await running.state()).screen).toBe('attract');
    expect(await refusedCommands()).toBe(3);
  });

  it('carries out a signed command once: a replay is refused, in the same session and after a restart', async () => {
    const running = await startKiosk();
    const on = key.sign(`${SITE}/${DEVICE}`, 'maintenance', { state: 'on' });
    const off = key.sign(`${SITE}/${DEVICE}`, 'maintenance', { state: 'off' });
    expect(await send('maintenance', on.text, on.payload.transactionId)).toMatchObject({ ok: true });
    await running.screen('maintenance');
    expect(await send('maintenance', off.text, off.payload.transactionId)).toMatchObject({ ok: true });
    await running.screen('attract');

    const replay = await send('maintenance', on.text, on.payload.transactionId, 2);
    expect(replay).toMatchObject({ ok: false, error: expect.stringContaining('already received') });
    expect((await running.state()).screen).toBe('attract');
    // A fresh nonce does not launder a transaction id HQ already used.
    const again = key.sign(
      `${SITE}/${DEVICE}`,
      'maintenance',
      { state: 'on' },
      { transactionId: on.payload.transactionId },
    );
    expect(await send('maintenance', again.text, on.payload.transactionId, 3)).toMatchObject({ ok: false });

    await running.stop();
    const restarted = await startKiosk(running.stateDir);
    const afterRestart = await send('maintenance', on.text, on.payload.transactionId, 4);
    expect(afterRestart).toMatchObject({ ok: false, error: expect.stringContaining('already received') });
    expect((await restarted.state()).screen).toBe('attract');
  });

  it('never carries out a retained command, signed or not, at once or on the next start', async () => {
    const running = await startKiosk();
    const on = key.sign(`${SITE}/${DEVICE}`, 'maintenance', { state: 'on' }, { ttlMs: 10 * 60_000 });
    // Signed by HQ, fresh, but published retained: refused at once (MQTT 5 keeps the retain flag on the
    // live delivery, Retain As Published)...
    const live = await send('maintenance', on.text, on.payload.transactionId, 1, true);
    expect(live).toMatchObject({
      ok: false,
      error: expect.stringContaining('retained command is never carried out'),
    });
    expect((await running.state()).screen).toBe('attract');

    // ...and the copy the broker hands out on every subscribe, every time.
    await running.stop();
    const restarted = await startKiosk(running.stateDir);
    await waitFor(
      'the retained copy answered',
      () => answersTo('maintenance', on.payload.transactionId).length >= 2,
    );
    expect(answersTo('maintenance', on.payload.transactionId)[1]).toMatchObject({
      ok: false,
      error: expect.stringContaining('retained command is never carried out'),
    });
    expect((await restarted.state()).screen).toBe('attract');
    // Even on a kiosk that never saw it (a fresh state directory), a retained command is not carried out.
    await restarted.stop();
    const fresh = await startKiosk();
    await waitFor(
      'the retained copy answered again',
      () => answersTo('maintenance', on.payload.transactionId).length >= 3,
    );
    expect(answersTo('maintenance', on.payload.transactionId)[2]).toMatchObject({
      ok: false,
      error: expect.stringContaining('retained'),
    });
    expect((await fresh.state()).screen).toBe('attract');
    // Its answers are not retained, and went out once per start: no loop.
    expect(hq.on(`${base}/resp/maintenance`).every((m) => !m.retain)).toBe(true);
    expect(answersTo('maintenance', on.payload.transactionId)).toHaveLength(3);
  });

  it('refuses a command signed for another kiosk or another command, an expired one and one from the future', async () => {
    const running = await startKiosk();
    const forB = key.sign(`${SITE}/it-kiosk-2`, 'maintenance', { state: 'on' });
    expect(await send('maintenance', forB.text, forB.payload.transactionId)).toMatchObject({
      ok: false,
      error: expect.stringContaining('another kiosk'),
    });
    const identify = key.sign(`${SITE}/${DEVICE}`, 'identify', { seconds: 5 });
    expect(await send('maintenance', identify.text, identify.payload.transactionId)).toMatchObject({
      ok: false,
      error: expect.stringContaining('another command'),
    });
    const expired = key.sign(
      `${SITE}/${DEVICE}`,
      'maintenance',
      { state: 'on' },
      { now: Date.now() - 5 * 60_000 },
    );
    expect(await send('maintenance', expired.text, expired.payload.transactionId)).toMatchObject({
      ok: false,
      error: expect.stringContaining('expired'),
    });
    const future = key.sign(
      `${SITE}/${DEVICE}`,
      'maintenance',
      { state: 'on' },
      { now: Date.now() + 5 * 60_000 },
    );
    expect(await send('maintenance', future.text, future.payload.transactionId)).toMatchObject({
      ok: false,
      error: expect.stringContaining('in the future'),
    });
    // A day-long validity HQ's signer would not make, signed with HQ's key all the same.
    const now = Date.now();
    const longLived: CommandPayload = {
      ...key.sign(`${SITE}/${DEVICE}`, 'maintenance', { state: 'on' }).payload,
      transactionId: 'hq-longlived',
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 24 * 3_600_000).toISOString(),
    };
    expect(await send('maintenance', signPayload(longLived, key.privateKey), 'hq-longlived')).toMatchObject({
      ok: false,
      error: expect.stringContaining('valid longer than 10 min'),
    });
    expect((await running.state()).screen).toBe('attract');
    expect(await refusedCommands()).toBe(5);
  });

  it('counts a flood of forged commands but answers and logs only a burst of them', async () => {
    await startKiosk();
    const ids = Array.from(
      { length: 40 },
      (_, i) => `flood-${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
    );
    await Promise.all(
      ids.map((transactionId) =>
        hq.client.publishAsync(`${base}/cmd/reboot`, JSON.stringify({ transactionId }), { qos: 1 }),
      ),
    );
    // The diagnostics answer comes after every refusal answer the kiosk published before it (one
    // connection, QoS 1, in order), so the count of answers is final once it is here.
    expect(await refusedCommands()).toBe(40);
    const answered = hq
      .json<{ transactionId: string }>(`${base}/resp/reboot`)
      .filter((a) => ids.includes(a.transactionId));
    expect(answered.length).toBeGreaterThanOrEqual(20);
    expect(answered.length).toBeLessThan(40);
  });
});
