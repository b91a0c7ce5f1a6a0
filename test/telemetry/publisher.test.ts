import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createLogger } from '../../common/log/logger.js';
import { OUTBOX_FILE, type OutboxLimits, SqliteOutbox } from '../../device/telemetry/outbox.js';
import { assertNoPersonalData, PersonalDataInTelemetryError } from '../../device/telemetry/payload-guard.js';
import { TelemetryPublisher, type TelemetryPublisherOptions } from '../../device/telemetry/publisher.js';
import { describeWithMosquitto, Mosquitto } from './mosquitto.js';
import { Subscriber, waitFor } from './subscriber.js';

// Against a real Mosquitto (password listener, persistence): presence and the last will after kill -9,
// the retained state, events through the durable outbox across a broker restart and a publisher restart.
// Every message the suite's HQ-side auditor receives is checked for personal data at the end.
// Nothing here waits a fixed time to see that something did not happen: a will that must come later or
// not at all is measured against a probe client's will, the state's rate limit and the drain's rate run
// on a clock the test turns (vi fake timers, an injected `now`).

const SITE = 'test-site';

interface EventEnvelope {
  id: string;
  type: string;
  class: string;
  at: string;
  payload: { n: number };
}

describeWithMosquitto('telemetry publisher against Mosquitto', () => {
  let broker: Mosquitto;
  let auditor: Subscriber;
  let dir: string;
  const running: TelemetryPublisher[] = [];
  const outboxes: SqliteOutbox[] = [];
  let deviceCounter = 0;

  beforeAll(async () => {
    broker = await Mosquitto.start();
    auditor = await Subscriber.connect(broker, ['vk/#']);
    dir = await mkdtemp(join(tmpdir(), 'vk-telemetry-'));
  });

  afterEach(async () => {
    for (const publisher of running.splice(0)) await publisher.stop();
    for (const outbox of outboxes.splice(0)) outbox.stop();
  });

  afterAll(async () => {
    await auditor?.close();
    await broker?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  /** Each test its own device (its own topics, client id and outbox), so tests do not see each other. */
  function newDevice(): string {
    deviceCounter += 1;
    return `kiosk-${deviceCounter}`;
  }

  function openOutbox(device: string, limits?: OutboxLimits): SqliteOutbox {
    const outbox = SqliteOutbox.open(join(dir, `${device}-${OUTBOX_FILE}`), limits);
    outboxes.push(outbox);
    return outbox;
  }

  function publisherFor(
    device: string,
    outbox: SqliteOutbox,
    extra: Partial<TelemetryPublisherOptions> = {},
  ): TelemetryPublisher {
    const publisher = new TelemetryPublisher({
      url: broker.url,
      username: broker.username,
      password: broker.password,
      site: SITE,
      device,
      version: '1.2.3',
      outbox,
      willDelaySeconds: 1,
      backoff: { initialMs: 50, maxMs: 500 },
      onPersonalData: 'throw',
      ...extra,
    });
    running.push(publisher);
    return publisher;
  }

  /**
   * A second client with a last will of `willDelaySeconds` on its own status topic, whose connection can
   * be cut like the kiosk's: the broker's answer to it is the yardstick for the kiosk's will.
   */
  async function probe(
    device: string,
    willDelaySeconds: number,
  ): Promise<{ client: MqttClient; topic: string }> {
    const topic = `vk/v1/${SITE}/${device}-probe/status`;
    const client = await connectAsync(broker.url, {
      username: broker.username,
      password: broker.password,
      clientId: `probe-${device}`,
      protocolVersion: 5,
      // Like the kiosk's session: it outlives the connection, so the will waits for its delay.
      clean: false,
      properties: { sessionExpiryInterval: willDelaySeconds + 30 },
      reconnectPeriod: 0,
      will: {
        topic,
        payload: Buffer.from(JSON.stringify({ state: 'offline' })),
        qos: 1,
        retain: false,
        properties: { willDelayInterval: willDelaySeconds },
      },
    });
    client.on('error', () => {});
    return { client, topic };
  }

  /** Topics in the order the subscriber received them. */
  function order(subscriber: Subscriber, topics: string[]): string[] {
    return subscriber.messages.filter((m) => topics.includes(m.topic)).map((m) => `${m.topic} ${m.text}`);
  }

  function enqueue(publisher: TelemetryPublisher, from: number, to: number): string[] {
    const ids: string[] = [];
    for (let n = from; n <= to; n++)
      ids.push(publisher.event('checkout-completed', { n, amount: 100 * n }, 'money')!.id);
    return ids;
  }

  /** Event ids in first-arrival order, without redeliveries (HQ de-duplicates by id). */
  function distinctIds(subscriber: Subscriber, device: string): string[] {
    const ids = subscriber
      .json<EventEnvelope>(`vk/v1/${SITE}/${device}/events/checkout-completed`)
      .map((event) => event.id);
    return [...new Set(ids)];
  }

  it('publishes a retained online status on connect with version, boot id and start time', async () => {
    const device = newDevice();
    const publisher = publisherFor(device, openOutbox(device));
    publisher.start();
    await waitFor('connected', () => publisher.stats().connected);
    // A subscriber that comes later (HQ's fleet view after a restart) gets it as a retained message.
    const hq = await Subscriber.connect(broker, [publisher.topics.status]);
    await waitFor('status', () => hq.on(publisher.topics.status).length > 0);
    const [status] = hq.on(publisher.topics.status);
    expect(status!.retain).toBe(true);
    expect(JSON.parse(status!.text)).toMatchObject({
      state: 'online',
      version: '1.2.3',
      bootId: publisher.bootId,
      session: 1,
    });
    expect(Date.parse((JSON.parse(status!.text) as { startedAt: string }).startedAt)).not.toBeNaN();
    await publisher.stop();
    await waitFor('offline on a clean stop', () =>
      hq.json(publisher.topics.status).some((s) => s['state'] === 'offline'),
    );
    await hq.close();
  });

  it('the broker publishes the retained will "offline" after the will delay when the kiosk is killed', async () => {
    const device = newDevice();
    const statusTopic = `vk/v1/${SITE}/${device}/status`;
    // Its will has no delay: cut right after the kiosk is killed, it must still be heard first.
    const yardstick = await probe(device, 0);
    const hq = await Subscriber.connect(broker, [statusTopic, yardstick.topic]);
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        new URL('./publisher-process.ts', import.meta.url).pathname,
        broker.url,
        broker.username,
        broker.password,
        dir,
        device,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      await waitFor('the child to connect', () => /connected (\S+)/.test(output), 15_000);
      const bootId = /connected (\S+)/.exec(output)![1];
      await waitFor('online', () => hq.json(statusTopic).some((s) => s['state'] === 'online'));
      child.kill('SIGKILL');
      await once(child, 'exit');
      yardstick.client.stream.destroy();
      await waitFor('the will', () => hq.json(statusTopic).some((s) => s['state'] === 'offline'), 5_000);
      const will = hq.on(statusTopic).find((m) => JSON.parse(m.text).state === 'offline')!;
      expect(JSON.parse(will.text)).toMatchObject({ state: 'offline', bootId, session: 1 });
      // willDelaySeconds: 1 — the broker held the kiosk's will back; the probe's, without delay, came first.
      const heard = order(hq, [statusTopic, yardstick.topic]).filter((m) => m.includes('offline'));
      expect(heard.map((m) => m.split(' ')[0])).toEqual([yardstick.topic, statusTopic]);
      // And it is retained: HQ's fleet view started later sees the kiosk offline.
      const late = await Subscriber.connect(broker, [statusTopic]);
      await waitFor('retained will', () => late.on(statusTopic).length > 0);
      expect(late.on(statusTopic)[0]).toMatchObject({ retain: true });
      expect(JSON.parse(late.on(statusTopic)[0]!.text)).toMatchObject({ state: 'offline' });
      await late.close();
    } finally {
      child.kill('SIGKILL');
      await hq.close();
    }
  });

  it('does not report a blip shorter than the will delay as an outage', async () => {
    const device = newDevice();
    const publisher = publisherFor(device, openOutbox(device), { willDelaySeconds: 2 });
    // Same will delay, cut right after the kiosk and never back: its will marks when the kiosk's was due.
    const yardstick = await probe(device, 2);
    publisher.start();
    await waitFor('connected', () => publisher.stats().connected);
    // The network drops under the kiosk (no DISCONNECT packet: the broker must treat it as a lost link).
    publisher.link.client!.stream.destroy();
    yardstick.client.stream.destroy();
    await waitFor('reconnected', () => publisher.stats().connected && publisher.stats().sessions === 2);
    await waitFor("the probe's will", () => auditor.on(yardstick.topic).length > 0, 10_000);
    const statuses = auditor.json(publisher.topics.status);
    expect(statuses.map((s) => s['state'])).toEqual(['online', 'online']);
  });

  it('keeps retrying with backoff and keeps the events when the broker refuses its password', async () => {
    const device = newDevice();
    const outbox = openOutbox(device);
    const lines: string[] = [];
    const publisher = publisherFor(device, outbox, {
      password: 'wrong',
      logger: createLogger({ level: 'info', journal: false, write: (line) => lines.push(line) }),
    });
    publisher.start();
    enqueue(publisher, 1, 3);
    await waitFor('two refusals', () => lines.filter((l) => l.includes('connection failed')).length >= 2);
    expect(publisher.stats().connected).toBe(false);
    expect(outbox.depth()).toBe(3);
    expect(lines.join('\n')).toMatch(/Not authorized/i);
    expect(lines.join('\n')).not.toContain('wrong');
  });

  it('connects with a TLS client certificate instead of a password', async () => {
    const device = newDevice();
    const tls = await broker.clientCertificate(`vk-${SITE}-${device}`);
    const publisher = publisherFor(device, openOutbox(device), {
      url: broker.tlsUrl,
      username: undefined,
      password: undefined,
      tls,
    });
    publisher.start();
    await waitFor('connected over TLS', () => publisher.stats().connected);
    const id = publisher.event('scanner-attached', { vendor: 'test' }, 'info')!.id;
    await waitFor('the event', () =>
      auditor.json(publisher.topics.event('scanner-attached')).some((e) => e['id'] === id),
    );
  });

  it('can be stopped and started again', async () => {
    const device = newDevice();
    const outbox = openOutbox(device);
    const publisher = publisherFor(device, outbox, { stateMinIntervalMs: 5_000 });
    publisher.start();
    await waitFor('connected', () => publisher.stats().connected);
    publisher.publishState({ screen: 'attract' });
    publisher.publishState({ screen: 'basket' }); // waits out the interval when stop() comes
    await publisher.stop();
    publisher.start();
    await waitFor('connected again', () => publisher.stats().connected);
    enqueue(publisher, 1, 2);
    await waitFor('the outbox to drain', () => outbox.depth() === 0);
    await waitFor('the latest state', () =>
      auditor.json(publisher.topics.state).some((s) => s['screen'] === 'basket'),
    );
  });

  it('publishes the retained state only on change, at most once per interval, the latest winning', async () => {
    const device = newDevice();
    // The publisher's clock is Date's, so the fake timers below turn both its clock and its timers.
    const publisher = publisherFor(device, openOutbox(device), {
      stateMinIntervalMs: 300,
      now: () => Date.now(),
    });
    const hq = await Subscriber.connect(broker, [publisher.topics.state]);
    publisher.start();
    await waitFor('connected', () => publisher.stats().connected);
    // Only the publisher's timers and clock: MQTT.js keeps its real keepalive interval and socket.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      publisher.publishState({ screen: 'attract', region: 'ready' });
      publisher.publishState({ screen: 'basket', region: 'ready' }); // within the interval: coalesced
      publisher.publishState({ screen: 'paying', region: 'ready' });
      publisher.publishState({ screen: 'paying', region: 'ready' }); // no change
      expect(publisher.stats().statesPublished).toBe(1);
      vi.advanceTimersByTime(299);
      expect(publisher.stats().statesPublished).toBe(1);
      vi.advanceTimersByTime(1);
      expect(publisher.stats().statesPublished).toBe(2);
    } finally {
      vi.useRealTimers();
    }
    // One more change after the interval: everything sent before it reaches HQ before it, in order.
    publisher.publishState({ screen: 'attract', region: 'ready' });
    await waitFor('three states', () => hq.on(publisher.topics.state).length >= 3);
    const states = hq.on(publisher.topics.state);
    expect(states.map((m) => JSON.parse(m.text).screen)).toEqual(['attract', 'paying', 'attract']);
    const late = await Subscriber.connect(broker, [publisher.topics.state]);
    await waitFor('retained state', () => late.on(publisher.topics.state).length > 0);
    expect(late.on(publisher.topics.state)[0]).toMatchObject({ retain: true });
    expect(JSON.parse(late.on(publisher.topics.state)[0]!.text)).toEqual({
      screen: 'attract',
      region: 'ready',
    });
    expect(publisher.stats().statesPublished).toBe(3);
    await Promise.all([hq.close(), late.close()]);
  });

  it('delivers events in order at QoS 1 and removes them from the outbox only on PUBACK', async () => {
    const device = newDevice();
    const outbox = openOutbox(device);
    const publisher = publisherFor(device, outbox);
    const hq = await Subscriber.connect(broker, [publisher.topics.event('checkout-completed')]);
    publisher.start();
    await waitFor('connected', () => publisher.stats().connected);
    // A frozen broker gets the PUBLISH packets but acknowledges none: the events must stay.
    broker.pause();
    let ids: string[] = [];
    try {
      ids = enqueue(publisher, 1, 25);
      // The window (10) is on the wire, out of the kiosk's hands, and still nothing left the outbox.
      expect(publisher.stats().inflight).toBe(10);
      await waitFor('the packets written', () => publisher.link.client!.stream.writableLength === 0);
      expect(outbox.depth()).toBe(25);
      expect(publisher.stats().eventsAcked).toBe(0);
    } finally {
      broker.resume();
    }
    await waitFor('the outbox to drain', () => outbox.depth() === 0);
    await waitFor('25 events at HQ', () => distinctIds(hq, device).length === 25);
    expect(distinctIds(hq, device)).toEqual(ids);
    const received = hq.json<EventEnvelope>(publisher.topics.event('checkout-completed'));
    expect(received.map((e) => e.payload.n)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(received[0]).toMatchObject({ type: 'checkout-completed', class: 'money' });
    expect(hq.on(publisher.topics.event('checkout-completed')).every((m) => m.qos === 1)).toBe(true);
    await hq.close();
  });

  it('loses no event and keeps their order when the broker is stopped and restarted mid-stream', async () => {
    const device = newDevice();
    const outbox = openOutbox(device);
    const publisher = publisherFor(device, outbox, { eventsPerSecond: 500 });
    // HQ's consumer has a persistent session: what the broker queued for it survives the restart.
    const hq = await Subscriber.connect(broker, [publisher.topics.event('checkout-completed')], {
      clientId: `hq-${device}`,
      persistent: true,
    });
    publisher.start();
    await waitFor('connected', () => publisher.stats().connected);
    const ids: string[] = [];
    // Checkouts go on every 5 ms whatever the broker does.
    let n = 0;
    const checkouts = setInterval(() => {
      n += 1;
      ids.push(...enqueue(publisher, n, n));
    }, 5);
    try {
      await waitFor('some events through', () => distinctIds(hq, device).length >= 20);
      await broker.stop();
      await waitFor('the kiosk to notice', () => !publisher.stats().connected);
      const stoppedAt = n;
      await waitFor('sales while HQ is away', () => n >= stoppedAt + 10); // the kiosk keeps selling
      await broker.run();
      await waitFor('reconnected', () => publisher.stats().connected && publisher.stats().sessions >= 2);
      const backAt = n;
      await waitFor('sales on the new connection', () => n >= backAt + 10);
    } finally {
      clearInterval(checkouts);
    }
    await waitFor('the outbox to drain', () => outbox.depth() === 0);
    await waitFor('every event at HQ', () => distinctIds(hq, device).length === ids.length);
    expect(distinctIds(hq, device)).toEqual(ids);
    // Presence came back too: the broker lost no retained status, and the kiosk said `online` again.
    await waitFor('online again', () =>
      auditor.json(publisher.topics.status).some((s) => s['state'] === 'online' && s['session'] === 2),
    );
    const total = hq.on(publisher.topics.event('checkout-completed')).length;
    console.info(
      `broker restart: ${ids.length} events, ${total - ids.length} redelivered (de-duplicated by id), ` +
        `${publisher.stats().sessions} sessions`,
    );
    await hq.close();
  });

  it('drains a non-empty outbox left by a previous run of the kiosk', async () => {
    const device = newDevice();
    // The previous run: events committed, broker never reached (nothing listening on that port).
    const before = openOutbox(device);
    const previous = publisherFor(device, before, { url: 'mqtt://127.0.0.1:1' });
    previous.start();
    const ids = enqueue(previous, 1, 40);
    await previous.stop();
    before.stop();
    const hq = await Subscriber.connect(broker, [`vk/v1/${SITE}/${device}/events/+`]);
    const outbox = openOutbox(device);
    expect(outbox.depth()).toBe(40);
    const publisher = publisherFor(device, outbox);
    publisher.start();
    await waitFor('the outbox to drain', () => outbox.depth() === 0);
    await waitFor('every event at HQ', () => distinctIds(hq, device).length === 40);
    expect(distinctIds(hq, device)).toEqual(ids);
    await hq.close();
  });

  it('drains at a controlled rate: a burst of maxInflight, then one event per 1/rate s of its clock', async () => {
    const device = newDevice();
    const outbox = openOutbox(device);
    let clock = 1_000_000;
    const publisher = publisherFor(device, outbox, {
      eventsPerSecond: 100,
      maxInflight: 5,
      now: () => clock,
    });
    const hq = await Subscriber.connect(broker, [publisher.topics.event('checkout-completed')]);
    const ids = enqueue(publisher, 1, 12);
    publisher.start();
    await waitFor('the burst', () => publisher.stats().eventsAcked === 5);
    for (let next = 6; next <= 12; next++) {
      // The clock stands still, so no token: nothing beyond the burst and the earlier steps has gone.
      expect(publisher.stats().eventsAcked + publisher.stats().inflight).toBe(next - 1);
      clock += 10; // one token at 100/s
      await waitFor(`event ${next}`, () => publisher.stats().eventsAcked === next);
    }
    expect(outbox.depth()).toBe(0);
    await waitFor('every event at HQ', () => distinctIds(hq, device).length === 12);
    expect(distinctIds(hq, device)).toEqual(ids);
    await hq.close();
  });

  it('refuses personal data before it reaches the outbox or the broker', async () => {
    const device = newDevice();
    const outbox = openOutbox(device);
    const strict = publisherFor(device, outbox);
    expect(() => strict.event('checkout-completed', { customer: '4791234567' }, 'money')).toThrow(
      PersonalDataInTelemetryError,
    );
    expect(() => strict.publishState({ phone: 'x' })).toThrow(PersonalDataInTelemetryError);
    expect(outbox.depth()).toBe(0);
    // Production: logged (without the number) and dropped; the checkout goes on.
    const lines: string[] = [];
    const lenient = publisherFor(newDevice(), outbox, {
      onPersonalData: 'drop',
      logger: createLogger({ level: 'info', journal: false, write: (line) => lines.push(line) }),
    });
    expect(lenient.event('checkout-completed', { note: 'https://qr.vipps.no/p/SECRETQR' }, 'money')).toBe(
      undefined,
    );
    expect(outbox.depth()).toBe(0);
    expect(lenient.stats().refusedPayloads).toBe(1);
    expect(lines.join('\n')).toContain('personal-qr');
    expect(lines.join('\n')).not.toContain('SECRETQR');
  });

  it('published no personal data in anything the suite sent', () => {
    expect(auditor.messages.length).toBeGreaterThan(100);
    for (const message of auditor.messages)
      expect(() => assertNoPersonalData(message.topic, JSON.parse(message.text))).not.toThrow();
  });
});
